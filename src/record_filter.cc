#include "winnow/record_filter.h"

#include <cstring>
#include <utility>

namespace winnow {

RecordFilter::RecordFilter(const FilterOptions& options, TextNormalizer* normalizer,
                           RecordSink* next)
    : options_(options), normalizer_(normalizer), next_(next) {}

void AppendWithoutSpaces(std::string_view key, std::string* view) {
  // The pieces between spaces are copied into room made once: appending them one by one
  // cost more than the copying in text with many spaces (prose in Latin script, code).
  const size_t old_size = view->size();
  view->resize(old_size + key.size());
  char* out = view->data() + old_size;
  const char* at = key.data();
  const char* const end = at + key.size();
  while (at != end) {
    const auto* space = static_cast<const char*>(std::memchr(at, ' ', end - at));
    const char* piece_end = space != nullptr ? space : end;
    std::memcpy(out, at, piece_end - at);
    out += piece_end - at;
    at = space != nullptr ? space + 1 : end;
  }
  view->resize(static_cast<size_t>(out - view->data()));
}

namespace {

// Appends the dedup view of `text` to `*view`.
void AppendDedupView(TextNormalizer* normalizer, std::string_view text, std::string* line_key,
                     std::string* view) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    normalizer->MatchKey(text.substr(start, end - start), line_key);
    AppendWithoutSpaces(*line_key, view);
    start = end + 1;
  }
}

// The dedup view of the record's text (its body lines joined with '\n') without joining them.
// A line that still holds the splitter's match view (BodyLine::key) is not viewed again.
void MakeBodyDedupView(TextNormalizer* normalizer, const std::vector<BodyLine>& body,
                       std::string* line_key, std::string* view) {
  view->clear();
  for (const BodyLine& line : body) {
    if (line.text.empty()) continue;  // a paragraph break: its view is empty
    if (!line.key.empty()) {
      AppendWithoutSpaces(line.key, view);
    } else {
      AppendDedupView(normalizer, line.text, line_key, view);
    }
  }
}

}  // namespace

void MakeDedupView(TextNormalizer* normalizer, std::string_view text, std::string* line_key,
                   std::string* view) {
  view->clear();
  AppendDedupView(normalizer, text, line_key, view);
}

namespace {

// The dedup view of the record's title, from the splitter's match view when it kept one.
void MakeTitleDedupView(TextNormalizer* normalizer, const Record& record,
                        std::string* line_key, std::string* view) {
  if (record.title_key.empty()) {
    MakeDedupView(normalizer, record.title, line_key, view);
    return;
  }
  view->clear();
  AppendWithoutSpaces(record.title_key, view);
}

// True when `key` without its spaces is `view`: AppendWithoutSpaces and a comparison, without
// building the view.
bool EqualsWithoutSpaces(std::string_view key, std::string_view view) {
  size_t at = 0;
  for (char c : key) {
    if (c == ' ') continue;
    if (at == view.size() || view[at] != c) return false;
    ++at;
  }
  return at == view.size();
}

// True when the record's title has the dedup view `view`.
bool TitleHasDedupView(TextNormalizer* normalizer, const Record& record, std::string* line_key,
                       std::string* scratch, std::string_view view) {
  if (!record.title_key.empty()) return EqualsWithoutSpaces(record.title_key, view);
  MakeDedupView(normalizer, record.title, line_key, scratch);
  return *scratch == view;
}

// True when repair cannot leave `text` empty: it holds a CJK ideograph (lead bytes E4..E9,
// U+4000..U+9FFF; the reader has already made the UTF-8 well formed), or, when it has no `&`
// or `_` (references, `_x000D_`), an ASCII letter or digit.
bool SurelyKeepsText(std::string_view text) {
  bool alnum = false;
  bool escapes = false;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0xE4 && c <= 0xE9) return true;
    if (c == '&' || c == '_') escapes = true;
    if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) alnum = true;
  }
  return alnum && !escapes;
}

}  // namespace

TeaserFilter::TeaserFilter(const FilterOptions& options, TextNormalizer* normalizer,
                           RecordSink* next)
    : options_(options), normalizer_(normalizer), next_(next) {}

void TeaserFilter::Accept(Record&& record) {
  if (options_.keep_teasers) {
    next_->Accept(std::move(record));
    return;
  }
  if (record.kind == RecordKind::kArticle) {
    article_source_ = record.source;
    article_page_ = record.page;
    MakeDedupView(normalizer_, record.title, &line_key_, &article_title_view_);
    next_->Accept(std::move(record));
    return;
  }
  if (!record.truncated || record.body.size() != 1 || !SurelyKeepsText(record.body[0].text)) {
    next_->Accept(std::move(record));
    return;
  }
  if (!options_.keep_duplicates && record.page == article_page_ &&
      record.source == article_source_) {
    // It may repeat its article: RecordFilter decides on the repaired text.
    if (TitleHasDedupView(normalizer_, record, &line_key_, &title_view_, article_title_view_)) {
      next_->Accept(std::move(record));
      return;
    }
  }
  next_->Reject(std::move(record), DropReason::kTruncatedTeaser, "");
}

void TeaserFilter::Reject(Record&& record, DropReason reason, const std::string& detail) {
  next_->Reject(std::move(record), reason, detail);
}

void RecordFilter::DedupView(std::string_view text, std::string* view) {
  MakeDedupView(normalizer_, text, &line_key_, view);
}

// A teaser is cut from its article's text, though not always from its start: sites skip a
// greeting or a preamble the splitter kept.
bool RecordFilter::RepeatsArticle(const std::string& teaser_view) const {
  return !teaser_view.empty() && article_text_view_.find(teaser_view) != std::string::npos;
}

void RecordFilter::Accept(Record&& record) {
  // A record without text is no article, whatever its title: a scraper lost the body.
  if (record.body.empty() || (record.body.size() == 1 && record.body[0].text.empty())) {
    next_->Reject(std::move(record), DropReason::kEmpty, "");
    return;
  }
  MakeTitleDedupView(normalizer_, record, &line_key_, &title_view_);
  const bool same_page = record.page == article_page_ && record.source == article_source_;
  if (record.truncated && !options_.keep_teasers) {
    // A cut teaser is never emitted, so it can only repeat its own page's article; its text
    // view is needed only when the titles agree. Most lines of a dump are such teasers.
    if (!options_.keep_duplicates && same_page && title_view_ == article_title_view_) {
      MakeBodyDedupView(normalizer_, record.body, &line_key_, &text_view_);
      if (RepeatsArticle(text_view_)) {
        next_->Reject(std::move(record), DropReason::kDuplicate, "");
        return;
      }
    }
    next_->Reject(std::move(record), DropReason::kTruncatedTeaser, "");
    return;
  }
  MakeBodyDedupView(normalizer_, record.body, &line_key_, &text_view_);
  // What run-wide dedup compares: the title view, U+001F, the text view.
  record.dedup_key = Fingerprint128({title_view_, "\x1f", text_view_});
  if (!options_.keep_duplicates && record.truncated && same_page &&
      title_view_ == article_title_view_ &&
      RepeatsArticle(text_view_)) {
    next_->Reject(std::move(record), DropReason::kDuplicate, "");
    return;
  }
  if (record.kind == RecordKind::kArticle) {
    // Remembered even when the run-wide dedup drops the article later: its teasers repeat it
    // all the same, and the decision must not depend on other inputs.
    article_source_ = record.source;
    article_page_ = record.page;
    // Swapped, not copied: the scratch views are made anew for the next record.
    article_title_view_.swap(title_view_);
    article_text_view_.swap(text_view_);
  }
  next_->Accept(std::move(record));
}

void RecordFilter::Reject(Record&& record, DropReason reason, const std::string& detail) {
  next_->Reject(std::move(record), reason, detail);
}

bool FingerprintSet::Insert(const Fingerprint& f) {
  if (f.high == 0 && f.low == 0) {
    const bool added = !has_zero_;
    has_zero_ = true;
    return added;
  }
  if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(f.low) & mask;; i = (i + 1) & mask) {
    Fingerprint& slot = slots_[i];
    if (slot == f) return false;
    if (slot.high == 0 && slot.low == 0) {
      slot = f;
      ++size_;
      return true;
    }
  }
}

void FingerprintSet::Grow() {
  std::vector<Fingerprint> old;
  old.swap(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Fingerprint());
  const size_t mask = slots_.size() - 1;
  for (const Fingerprint& f : old) {
    if (f.high == 0 && f.low == 0) continue;
    size_t i = static_cast<size_t>(f.low) & mask;
    while (slots_[i].high != 0 || slots_[i].low != 0) i = (i + 1) & mask;
    slots_[i] = f;
  }
}

void RunDeduplicator::Accept(Record&& record) {
  if (!seen_.Insert(record.dedup_key) && !options_.keep_duplicates) {
    next_->Reject(std::move(record), DropReason::kDuplicate, "");
    return;
  }
  next_->Accept(std::move(record));
}

void RunDeduplicator::Reject(Record&& record, DropReason reason, const std::string& detail) {
  next_->Reject(std::move(record), reason, detail);
}

}  // namespace winnow

#include "winnow/splitter.h"

#include "winnow/code_block.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

namespace winnow {
namespace {

// Whitespace a prose line may be indented or padded with: ASCII, NBSP, ideographic space.
size_t LeadingSpaceBytes(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t') {
      i += 1;
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      i += 2;
    } else if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               static_cast<unsigned char>(s[i + 2]) == 0x80) {
      i += 3;
    } else {
      break;
    }
  }
  return i;
}

size_t TrailingSpaceBytes(std::string_view s) {
  size_t n = s.size();
  while (n > 0) {
    const auto c = static_cast<unsigned char>(s[n - 1]);
    if (c == ' ' || c == '\t') {
      n -= 1;
    } else if (n >= 2 && c == 0xA0 && static_cast<unsigned char>(s[n - 2]) == 0xC2) {
      n -= 2;
    } else if (n >= 3 && c == 0x80 && static_cast<unsigned char>(s[n - 2]) == 0x80 &&
               static_cast<unsigned char>(s[n - 3]) == 0xE3) {
      n -= 3;
    } else {
      break;
    }
  }
  return s.size() - n;
}

std::string_view TrimSpace(std::string_view s) {
  s.remove_prefix(LeadingSpaceBytes(s));
  s.remove_suffix(TrailingSpaceBytes(s));
  return s;
}

// Moves `*dropped`, an element of `*drops` at or after index `*kept`, to that index and
// counts it kept. Moving a string onto itself empties it, and the first lines kept are
// often where they already are.
void MoveToKept(std::vector<DroppedLine>* drops, DroppedLine* dropped, size_t* kept) {
  DroppedLine& to = (*drops)[*kept];
  if (&to != dropped) to = std::move(*dropped);
  ++*kept;
}

std::string_view TrimRight(std::string_view s) {
  s.remove_suffix(TrailingSpaceBytes(s));
  return s;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}


// What ICU's Traditional-Simplified transliterator can change: Han characters, and 「」
// (to “”).
bool MayDifferBetweenScripts(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) || c == 0x300C ||
         c == 0x300D || c == 0x201C || c == 0x201D;
}

// True when `a` and `b` have as many characters and differ only where both hold a character
// the transliterator may change: only then can they be one text in traditional and
// simplified characters. Lets the costly transliterator run on few lines (and be made only
// when a page needs it).
bool DiffersOnlyInHan(std::string_view a, std::string_view b) {
  size_t i = 0;
  size_t j = 0;
  const auto next = [](std::string_view s, size_t start) {
    size_t end = start + 1;
    while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) ++end;
    return end;
  };
  while (i < a.size() && j < b.size()) {
    const size_t a_end = next(a, i);
    const size_t b_end = next(b, j);
    const std::string_view ca = a.substr(i, a_end - i);
    const std::string_view cb = b.substr(j, b_end - j);
    size_t length = 0;
    if (ca != cb && (ca.size() < 3 || cb.size() < 3 ||
                     !MayDifferBetweenScripts(DecodeCodePointAt(ca, 0, &length)) ||
                     !MayDifferBetweenScripts(DecodeCodePointAt(cb, 0, &length)))) {
      return false;
    }
    i = a_end;
    j = b_end;
  }
  return i == a.size() && j == b.size();
}

// A bullet or numbering prefix of a table-of-contents entry: "• ", "- ", "* ", "1. ", "1.1 ".
std::string_view StripListMarker(std::string_view key, bool* had_marker) {
  *had_marker = false;
  for (std::string_view bullet : {"• ", "· ", "- ", "* ", "+ ", "o "}) {
    if (StartsWith(key, bullet)) {
      *had_marker = true;
      return key.substr(bullet.size());
    }
  }
  size_t i = 0;
  while (i < key.size() && ((key[i] >= '0' && key[i] <= '9') || key[i] == '.')) ++i;
  if (i > 0 && i < key.size() && key[i] == ' ') {
    *had_marker = true;
    return key.substr(i + 1);
  }
  return key;
}

// Sentence-final punctuation in the match view (full-width forms are already folded).
bool EndsLikeSentence(std::string_view key) {
  if (key.empty()) return false;
  const char last = key.back();
  if (last == '.' || last == '!' || last == '?' || last == ';') return true;
  // The others are three bytes long and share their middle byte: 。」 are E3 80 82 and
  // E3 80 8D, …” are E2 80 A6 and E2 80 9D.
  if (key.size() < 3 || key[key.size() - 2] != '\x80') return false;
  const char lead = key[key.size() - 3];
  if (lead == '\xE3') return last == '\x82' || last == '\x8D';
  return lead == '\xE2' && (last == '\xA6' || last == '\x9D');
}

// TeaserTextLength of a line without trailing spaces (as the splitter has it already).
size_t TrimmedTeaserTextLength(std::string_view line) {
  const std::string_view kEllipsis = "…";  // U+2026, 3 bytes
  size_t cut = line.size();
  size_t dots = 0;
  size_t ellipses = 0;
  while (cut > 0) {
    if (line[cut - 1] == '.') {
      ++dots;
      --cut;
    } else if (cut >= 3 && line.substr(cut - 3, 3) == kEllipsis) {
      ++ellipses;
      cut -= 3;
    } else {
      break;
    }
  }
  if (ellipses == 0 && dots < 3) return line.size();
  // A reference cut in half by the site's length limit: "&#xff0", "&#", "&am", "&".
  size_t amp = cut;
  while (amp > 0 && cut - amp < 12 && (IsAsciiAlnum(line[amp - 1]) || line[amp - 1] == '#')) {
    --amp;
  }
  if (amp > 0 && line[amp - 1] == '&') {
    std::string_view fragment = line.substr(amp, cut - amp);
    bool plausible = fragment.empty();
    if (!plausible && fragment[0] == '#') {
      plausible = true;
      size_t i = 1;
      if (i < fragment.size() && (fragment[i] == 'x' || fragment[i] == 'X')) ++i;
      for (; i < fragment.size(); ++i) plausible = plausible && IsHexDigit(fragment[i]);
    } else if (!plausible) {
      plausible = true;
      for (char c : fragment) plausible = plausible && IsAsciiAlnum(c);
    }
    if (plausible) cut = amp - 1;
  }
  return cut;
}

}  // namespace

size_t TeaserTextLength(std::string_view line) {
  const std::string_view trimmed = TrimRight(line);
  const size_t length = TrimmedTeaserTextLength(trimmed);
  return length < trimmed.size() ? length : line.size();
}

Splitter::Splitter(const RuleEngine& engine, TextNormalizer* normalizer, RecordSink* sink,
                   SplitterOptions options)
    : engine_(engine), options_(options), normalizer_(normalizer), sink_(sink) {}

void Splitter::BeginSource(const std::string& source) {
  EndSource();
  pending_drops_.clear();
  source_ = source;
  first_line_seen_ = false;
  markdown_ = false;
  in_fence_ = false;
  region_ = Region::kNoPage;
  page_open_ = false;
  page_ = 0;
  next_index_ = 0;
}

void Splitter::EndSource() {
  if (page_open_) {
    // Resolving the tail may start one more page (one that began straight with its title).
    ResolveTail(TailEnd::kPageEnd);
    FinishArticle();
  }
  EndPage();
  page_open_ = false;
  region_ = Region::kNoPage;
}

Record Splitter::NewRecord(RecordKind kind) {
  Record record;
  ReuseRecord(kind, 0, &record);
  return record;
}

void Splitter::ReuseRecord(RecordKind kind, size_t body_lines, Record* record) {
  // Every field of Record and BodyLine, in their order: one left out here would carry over
  // from the record reused (splitter_test's ReusedEntriesCarryNothingOver catches that).
  record->source.assign(source_);
  record->page = page_;
  record->index = 0;
  record->kind = kind;
  record->title.clear();
  record->title_key.clear();
  record->title_line = 0;
  record->body.resize(body_lines);
  for (BodyLine& line : record->body) {
    line.text.clear();
    line.line = 0;
    line.is_code = false;
    line.key.clear();
  }
  record->truncated = false;
  record->rule_hits.clear();
  record->dropped_lines.clear();
  record->repairs = RepairCounts();
  record->code_damage.clear();
  record->width.clear();
  record->encoding.clear();
  record->dedup_key = Fingerprint();
}

void Splitter::StartPage() {
  if (page_open_) {
    // Resolving the tail may start one more page (one that began straight with its title).
    ResolveTail(TailEnd::kPageEnd);
    FinishArticle();
    EndPage();
    ++page_;
  }
  page_open_ = true;
  ++stats_.pages;
  next_index_ = 0;
  article_ = NewRecord(RecordKind::kArticle);
  // Sized like the last one: a body grown line by line would be reallocated several times.
  article_.body.reserve(last_body_lines_);
  article_open_ = true;
  article_drop_rule_.clear();
  article_bytes_ = 0;
  article_oversized_ = false;
  title_key_.clear();
  pending_blank_ = false;
  region_ = Region::kHead;
  // Chrome dropped before a source's first page goes with that page's article.
  TakePendingDrops(UINT64_MAX, &article_);
}

void Splitter::EndPage() {
  if (!pending_drops_.empty() && !held_open_) {
    // A page of nothing but chrome: an empty record holds its lines (the filter drops it).
    Record empty = NewRecord(RecordKind::kArticle);
    PushRecord(std::move(empty), "");
  }
  if (!held_open_) return;
  TakePendingDrops(UINT64_MAX, &Held());
  PushHeld();
}

void Splitter::PushHeld() {
  held_open_ = false;
  if (held_oversized_) {
    sink_->Reject(std::move(Held()), DropReason::kOversized, "");
  } else if (!held_drop_rule_.empty()) {
    sink_->Reject(std::move(Held()), DropReason::kRule, held_drop_rule_);
  } else {
    sink_->Accept(std::move(Held()));
  }
}

void Splitter::TakePendingDrops(uint64_t before_line, Record* record) {
  size_t kept = 0;
  for (DroppedLine& dropped : pending_drops_) {
    if (dropped.line < before_line) {
      ++record->rule_hits[dropped.reason];
      record->dropped_lines.push_back(std::move(dropped));
    } else {
      MoveToKept(&pending_drops_, &dropped, &kept);
    }
  }
  pending_drops_.resize(kept);
}

void Splitter::PushRecord(Record&& record, const std::string& drop_rule, bool oversized) {
  if (held_open_) PushHeld();
  Held() = std::move(record);
  Hold(drop_rule, oversized);
}

void Splitter::PushEntry(const std::string& drop_rule) {
  if (held_open_) PushHeld();
  held_slot_ = 1 - held_slot_;
  Hold(drop_rule, false);
}

void Splitter::Hold(const std::string& drop_rule, bool oversized) {
  Held().index = next_index_++;
  ++stats_.records;
  held_drop_rule_ = drop_rule;
  held_oversized_ = oversized;
  held_open_ = true;
}

void Splitter::FinishArticle() {
  if (!article_open_) return;
  article_open_ = false;
  while (!article_.body.empty() && article_.body.back().text.empty()) article_.body.pop_back();
  MarkCodeBlocks(body_shapes_, &article_.body);
  body_shapes_.clear();
  last_body_lines_ = article_.body.size();
  if (article_.title.empty() && article_.body.empty()) {
    // No article, only chrome: its dropped lines wait for the page's next record.
    for (DroppedLine& dropped : article_.dropped_lines) {
      pending_drops_.push_back(std::move(dropped));
    }
    return;
  }
  PushRecord(std::move(article_), article_drop_rule_, article_oversized_);
}

Record* Splitter::CurrentRecord() {
  if (region_ == Region::kTail || !article_open_) return nullptr;
  return &article_;
}

void Splitter::NoteDrop(Record* record, std::string_view text, uint64_t line_number,
                        const std::string& reason) {
  ++stats_.lines_dropped;
  if (record == nullptr) {
    // Chrome between related entries goes with the next entry; chrome after the last one,
    // or before a source's first page, with the page's last or first record.
    pending_drops_.push_back(DroppedLine{line_number, reason, std::string(text)});
    return;
  }
  if (record == &article_) {
    // Dropped text counts against the cap too (a title repeated a million times).
    article_bytes_ += text.size();
    if (article_bytes_ > options_.max_record_bytes) {
      article_oversized_ = true;
      text = std::string_view();
    }
  }
  record->dropped_lines.push_back(DroppedLine{line_number, reason, std::string(text)});
  ++record->rule_hits[reason];
}

void Splitter::TitleKey(std::string_view line, std::string* key) {
  normalizer_->MatchKey(line, key);
  if (const Rule* rule = engine_.Match(*key, RuleScope::kTitle)) {
    if (rule->action == RuleAction::kStripMatch) engine_.StripMatch(*rule, key);
  }
}

bool Splitter::IsTitleRepeat(std::string_view line) {
  TitleKey(line, &scratch_);
  if (scratch_ == title_key_) return true;
  // The same title in traditional characters (mirrors show both forms).
  if (!DiffersOnlyInHan(scratch_, title_key_)) return false;
  std::string simplified_line;
  std::string simplified_title;
  normalizer_->ToSimplified(scratch_, &simplified_line);
  normalizer_->ToSimplified(title_key_, &simplified_title);
  return simplified_line == simplified_title;
}

void Splitter::AddTitle(std::string_view line, uint64_t line_number) {
  article_.title = std::string(TrimSpace(line));
  article_.title_line = line_number;
  normalizer_->MatchKey(article_.title, &scratch_);
  if (const Rule* rule = engine_.Match(scratch_, RuleScope::kTitle)) {
    if (rule->action == RuleAction::kStripMatch) {
      std::string stripped = article_.title;
      if (engine_.StripMatch(*rule, &stripped) && !TrimSpace(stripped).empty()) {
        article_.title = std::string(TrimSpace(stripped));
        ++article_.rule_hits[rule->id];
      }
    }
  }
  TitleKey(article_.title, &title_key_);
}

void Splitter::AddBodyLine(std::string_view line, uint64_t line_number) {
  article_bytes_ += line.size();
  if (article_bytes_ > options_.max_record_bytes) {
    // Past the cap the text is not kept: the record will be dropped whole.
    article_oversized_ = true;
    NoteDrop(&article_, std::string_view(), line_number, "record.oversized");
    return;
  }
  if (pending_blank_ && !article_.body.empty()) {
    article_.body.push_back(BodyLine{});
    body_shapes_.push_back(BodyLineShape{});
  }
  pending_blank_ = false;
  // The text keeps its indentation until the whole body is known: then code keeps it
  // (dedented) and prose is trimmed.
  BodyLineShape shape;
  shape.indent = IndentColumns(line);
  shape.signal = ClassifyCodeLine(key_, shape.indent);
  shape.cjk_sentence = key_.find("。") != std::string::npos;
  BodyLine body_line;
  body_line.line = line_number;
  body_line.text = std::string(TrimRight(line));
  // Trimming and dedenting (MarkCodeBlocks) take only space the view drops anyway.
  if (options_.keep_match_keys) body_line.key = key_;
  article_.body.push_back(std::move(body_line));
  body_shapes_.push_back(shape);
}

bool Splitter::TocContinues(std::string_view key) {
  bool bulleted = false;
  std::string_view entry = StripListMarker(key, &bulleted);
  if (toc_entries_ == 0) {
    if (CountCodePoints(key) > 60 || EndsLikeSentence(key)) return false;
    toc_first_entry_ = std::string(entry);
    toc_bulleted_ = bulleted;
    ++toc_entries_;
    return true;
  }
  // The body's first heading repeats the first entry; bulleted entries end at a plain line.
  if (entry == toc_first_entry_ && (!bulleted || !toc_bulleted_)) return false;
  if (toc_bulleted_ && !bulleted) return false;
  if (CountCodePoints(key) > 60 || EndsLikeSentence(key) || toc_entries_ >= 200) return false;
  ++toc_entries_;
  return true;
}

namespace {

// `*s = value` for a string of a tail slot. The slots' strings change places with the
// entries' titles, keys and teasers (EmitEntry), and come back from the sink with them: one
// grown once to a teaser's usual size does for any of them from then on.
void AssignTailString(std::string_view value, std::string* s) {
  constexpr size_t kTailStringCapacity = 512;  // bytes: most teasers fit
  if (s->capacity() < value.size()) s->reserve(std::max(value.size(), kTailStringCapacity));
  // Cleared and appended, not assigned: assign's general replace costs several times more.
  s->clear();
  s->append(value);
}

}  // namespace

void Splitter::AddTailLine(std::string_view trimmed, uint64_t line_number, size_t teaser_length) {
  // ResolveTail leaves at most three lines held; every field of the reused slot is set.
  TailLine& tail_line = Tail(tail_count_++);
  AssignTailString(trimmed, &tail_line.text);  // indentation matters if it is body text
  tail_line.key.clear();
  tail_line.line = line_number;
  tail_line.teaser_length = teaser_length;
  tail_line.truncated = tail_line.teaser_length < trimmed.size();
  tail_line.teaser_like = false;
  tail_line.title_like = false;
  tail_line.blank_before = tail_blank_;
  tail_blank_ = false;
  // What a line looks like matters only for a whole one: a cut line is a teaser.
  if (!tail_line.truncated) {
    // Its code points are counted only when its bytes leave the answers open: a line has no
    // more code points than bytes.
    const bool sentence = EndsLikeSentence(key_);
    const bool short_line = key_.size() <= 100;
    const size_t length = sentence || !short_line ? CountCodePoints(key_) : 0;
    tail_line.teaser_like = sentence && length >= 10;
    tail_line.title_like = short_line || length <= 100;
    if (tail_line.title_like) AssignTailString(key_, &tail_line.key);
  }
  ResolveTail(TailEnd::kMore);
}

void Splitter::PopTail(size_t n) {
  tail_first_ = (tail_first_ + n) % kTailSlots;
  tail_count_ -= n;
}

// A related list is title/teaser pairs, teasers cut with a marker. A whole line where a teaser
// should be is either a teaser the site did not need to cut, or the first body line of a page
// that started straight with its title. Up to four lines are held to tell them apart: a cut
// teaser soon after, or a pattern of title/teaser pairs, means entries; body text means a page.
void Splitter::ResolveTail(TailEnd end) {
  while (tail_count_ > 0) {
    if (Tail(0).truncated) {  // a teaser whose title line is missing
      EmitEntry(nullptr, &Tail(0));
      PopTail(1);
      continue;
    }
    if (tail_count_ == 1) {
      if (end == TailEnd::kMore) return;
      EmitEntry(&Tail(0), nullptr);  // a title without teaser
      PopTail(1);
      continue;
    }
    if (Tail(1).truncated) {
      EmitEntry(&Tail(0), &Tail(1));
      PopTail(2);
      continue;
    }
    if (tail_count_ == 2) {
      if (end == TailEnd::kMore) return;
      // Text followed by a new related list is an article; at a page's end, an entry.
      if (end == TailEnd::kNewList) {
        StartPageFromTail();
        return;
      }
      EmitEntry(&Tail(0), &Tail(1));
      PopTail(2);
      continue;
    }
    if (Tail(2).truncated) {  // Tail(1) is Tail(2)'s title, so Tail(0) had no teaser
      EmitEntry(&Tail(0), nullptr);
      PopTail(1);
      continue;
    }
    if (tail_count_ == 3) {
      if (end == TailEnd::kMore) return;
      StartPageFromTail();
      return;
    }
    if (Tail(3).truncated ||
        (Tail(1).teaser_like && Tail(2).title_like && Tail(3).teaser_like)) {
      EmitEntry(&Tail(0), &Tail(1));
      PopTail(2);
      continue;
    }
    StartPageFromTail();
    return;
  }
}

namespace {

// Makes `*to` the first `length` bytes of `*from` without the spaces TrimSpace drops, and
// `*from` what `*to` held: the strings change places instead of being copied, and both keep
// their capacity for the next entry and the next tail line.
void TakeTrimmed(std::string* from, size_t length, std::string* to) {
  to->swap(*from);
  const std::string_view kept = TrimSpace(std::string_view(*to).substr(0, length));
  const size_t start = static_cast<size_t>(kept.data() - to->data());
  to->erase(start + kept.size());
  if (start > 0) to->erase(0, start);
}

}  // namespace

void Splitter::EmitEntry(TailLine* title, TailLine* teaser) {
  Record& entry = Entry();
  ReuseRecord(RecordKind::kRelated, teaser != nullptr ? 1 : 0, &entry);
  if (title != nullptr) {
    TakeTrimmed(&title->text, title->text.size(), &entry.title);
    entry.title_key.swap(title->key);  // trimming takes only space the view drops
    entry.title_line = title->line;
  }
  if (teaser != nullptr) {
    BodyLine& body_line = entry.body[0];
    body_line.line = teaser->line;
    TakeTrimmed(&teaser->text, teaser->teaser_length, &body_line.text);
    entry.truncated = teaser->truncated;
  }
  const uint64_t last_line = teaser != nullptr ? teaser->line : title->line;
  TakePendingDrops(last_line, &entry);
  PushEntry(entry_drop_rule_);
  entry_drop_rule_.clear();
}

void Splitter::StartPageFromTail() {
  // Copied out: reading them again may hold tail lines anew.
  std::vector<TailLine> lines;
  for (size_t i = 0; i < tail_count_; ++i) lines.push_back(Tail(i));
  PopTail(tail_count_);
  // Chrome dropped before the title line ends the previous page; after it, it belongs to
  // this page's article.
  std::vector<DroppedLine> later;
  size_t kept = 0;
  for (DroppedLine& dropped : pending_drops_) {
    if (dropped.line > lines[0].line) {
      later.push_back(std::move(dropped));
    } else {
      MoveToKept(&pending_drops_, &dropped, &kept);
    }
  }
  pending_drops_.resize(kept);
  StartPage();
  AddTitle(lines[0].text, lines[0].line);
  for (DroppedLine& dropped : later) {
    ++article_.rule_hits[dropped.reason];
    article_.dropped_lines.push_back(std::move(dropped));
  }
  // The rest is read again as the lines after that page's title: meta lines are dropped,
  // the first other line starts the body.
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].blank_before) AddLine("", lines[i].line - 1);
    AddLine(lines[i].text, lines[i].line);
  }
}

bool Splitter::AddMarkdownLine(std::string_view line, uint64_t line_number) {
  const std::string_view trimmed = TrimSpace(line);
  if (trimmed.substr(0, 3) == "```") {
    in_fence_ = !in_fence_;
    NoteDrop(CurrentRecord(), line, line_number, "markdown.fence");
    return true;
  }
  if (in_fence_) {
    if (region_ != Region::kBody) return false;  // a fence outside a body is not code
    AddBodyLine(line, line_number);
    body_shapes_.back().fenced = true;
    return true;
  }
  if (trimmed == "---") {
    NoteDrop(CurrentRecord(), line, line_number, "markdown.separator");
    if (page_open_) {
      FinishArticle();
      EndPage();
      ++page_;
      page_open_ = false;
    }
    region_ = Region::kNoPage;
    return true;
  }
  if (trimmed.substr(0, 2) == "# " && (region_ == Region::kNoPage || article_.title.empty())) {
    if (region_ == Region::kNoPage) StartPage();
    AddTitle(trimmed.substr(2), line_number);
    region_ = Region::kBody;
    return true;
  }
  return false;
}

bool Splitter::CutTeaserMayEndTail(std::string_view line) {
  CharacterwiseKey view;
  return !options_.skip_unneeded_views || !normalizer_->KeyIsCharacterwise(line, &view) ||
         engine_.BoundaryMayMatch(view.start, line, view.folded, RuleScope::kTail);
}

void Splitter::AddLine(std::string_view line, uint64_t line_number) {
  // In a related list a line cut with a truncation marker is a teaser, dropped whole with its
  // entry (or kept whole, with --keep-teasers): only a rule that ends the list can change
  // what becomes of it. Most lines of a dump are such teasers, and for most of them no such
  // rule can match, which is told without making their match view. (What the view decides
  // before the rules, a blank line or the source's first, cannot apply to them: they are
  // not blank, and the list follows a page's first line. In Markdown every line is viewed.)
  size_t teaser_length = 0;
  bool cut_teaser = false;
  std::string_view trimmed;
  if (region_ == Region::kTail) {
    trimmed = TrimRight(line);
    teaser_length = TrimmedTeaserTextLength(trimmed);
    cut_teaser = teaser_length < trimmed.size();
    if (cut_teaser && first_line_seen_ && !markdown_ && !CutTeaserMayEndTail(line)) {
      AddTailLine(trimmed, line_number, teaser_length);
      return;
    }
  }
  normalizer_->MatchKey(line, &key_);
  if (key_.empty()) {
    if (region_ == Region::kBody) pending_blank_ = true;
    if (region_ == Region::kTail) tail_blank_ = true;
    return;
  }
  if (!first_line_seen_) {
    first_line_seen_ = true;
    markdown_ = TrimSpace(line).substr(0, 2) == "# ";
  }
  if (markdown_ && AddMarkdownLine(line, line_number)) return;
  RuleScope scope = RuleScope::kHead;
  if (region_ == Region::kBody || region_ == Region::kToc) scope = RuleScope::kBody;
  if (region_ == Region::kTail) scope = RuleScope::kTail;
  const Rule* rule =
      cut_teaser ? engine_.MatchBoundary(key_, scope) : engine_.Match(key_, scope);
  if (rule != nullptr) {
    switch (rule->action) {
      case RuleAction::kStartPage:
        StartPage();
        NoteDrop(&article_, line, line_number, rule->id);
        return;
      case RuleAction::kStartTail:
      case RuleAction::kEndBody:
        if (region_ == Region::kNoPage) StartPage();
        if (region_ == Region::kTail) ResolveTail(TailEnd::kNewList);
        NoteDrop(CurrentRecord(), line, line_number, rule->id);
        FinishArticle();
        region_ = Region::kTail;
        return;
      case RuleAction::kDropBlock:
        NoteDrop(CurrentRecord(), line, line_number, rule->id);
        if (region_ == Region::kHead || region_ == Region::kBody) {
          region_ = Region::kToc;
          toc_rule_ = rule->id;
          toc_first_entry_.clear();
          toc_entries_ = 0;
          toc_bulleted_ = false;
        }
        return;
      case RuleAction::kDropRecord:
        if (region_ == Region::kNoPage) StartPage();
        NoteDrop(CurrentRecord(), line, line_number, rule->id);
        if (region_ == Region::kTail) {
          entry_drop_rule_ = rule->id;
        } else {
          article_drop_rule_ = rule->id;
        }
        return;
      case RuleAction::kDropLine:
      case RuleAction::kStripMatch:
        NoteDrop(CurrentRecord(), line, line_number, rule->id);
        return;
    }
  }
  switch (region_) {
    case Region::kNoPage:
      StartPage();
      AddTitle(line, line_number);
      return;
    case Region::kHead:
      if (article_.title.empty()) {
        AddTitle(line, line_number);
        return;
      }
      if (IsTitleRepeat(line)) {
        NoteDrop(&article_, line, line_number, "title.repeat");
        return;
      }
      region_ = Region::kBody;
      AddBodyLine(line, line_number);
      return;
    case Region::kToc:
      if (TocContinues(key_)) {
        NoteDrop(&article_, line, line_number, toc_rule_);
        return;
      }
      region_ = Region::kBody;
      AddBodyLine(line, line_number);
      return;
    case Region::kBody:
      AddBodyLine(line, line_number);
      return;
    case Region::kTail:
      AddTailLine(trimmed, line_number, teaser_length);
      return;
  }
}

}  // namespace winnow

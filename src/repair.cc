#include "winnow/repair.h"

#include "winnow/code_damage.h"

#include <utility>

namespace winnow {
namespace {

// Decodes one UTF-8 code point at s[i]; the reader guarantees valid UTF-8.
char32_t DecodeAt(std::string_view s, size_t i, size_t* length) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *length = 1;
    return c;
  }
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  if (i + n > s.size()) {
    *length = 1;
    return 0xFFFD;
  }
  char32_t cp = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  *length = n;
  return cp;
}

bool IsFoldablePunct(char32_t c) {
  switch (c) {
    case ',': case ':': case ';': case '(': case ')': case '!': case '?':
      return true;
    default:
      return false;
  }
}

bool IsFullWidthPunct(char32_t c) {
  switch (c) {
    case 0xFF0C: case 0xFF1A: case 0xFF1B: case 0xFF08: case 0xFF09: case 0xFF01: case 0xFF1F:
      return true;
    default:
      return false;
  }
}

// Full-width forms of ASCII punctuation (not letters or digits), U+FF01..U+FF5E.
bool IsFullWidthAsciiPunct(char32_t c) {
  if (c < 0xFF01 || c > 0xFF5E) return false;
  const char32_t ascii = c - 0xFEE0;
  const bool alnum = (ascii >= '0' && ascii <= '9') || (ascii >= 'A' && ascii <= 'Z') ||
                     (ascii >= 'a' && ascii <= 'z');
  return !alnum;
}

uint64_t CountReplacementChars(std::string_view s) {
  uint64_t n = 0;
  for (size_t pos = s.find("\xEF\xBF\xBD"); pos != std::string_view::npos;
       pos = s.find("\xEF\xBF\xBD", pos + 3)) {
    ++n;
  }
  return n;
}

}  // namespace

bool ParseWidthPolicy(std::string_view name, WidthPolicy* policy) {
  if (name == "auto") *policy = WidthPolicy::kAuto;
  else if (name == "keep") *policy = WidthPolicy::kKeep;
  else if (name == "fold") *policy = WidthPolicy::kFold;
  else return false;
  return true;
}

bool ParseNormalForm(std::string_view name, NormalForm* form) {
  if (name == "nfc") *form = NormalForm::kNfc;
  else if (name == "nfkc") *form = NormalForm::kNfkc;
  else if (name == "none") *form = NormalForm::kNone;
  else return false;
  return true;
}

void WidthEvidence::Add(std::string_view raw) {
  bool previous_cjk = false;
  bool pending_punct = false;  // ASCII punctuation after non-CJK text: counts if CJK follows
  for (size_t i = 0; i < raw.size();) {
    size_t length = 0;
    const char32_t c = DecodeAt(raw, i, &length);
    i += length;
    if (IsFullWidthPunct(c)) {
      ++full;
      previous_cjk = false;
      pending_punct = false;
      continue;
    }
    const bool cjk = c >= 0x80 && IsCjkCodePoint(c);
    if (IsFoldablePunct(c)) {
      if (previous_cjk) {
        ++folded;
      } else {
        // A `;` after ASCII ends a reference (`&#xff0c;中`) or a statement, not a clause.
        pending_punct = c != ';';
      }
    } else {
      if (cjk && pending_punct) ++folded;
      pending_punct = false;
    }
    previous_cjk = cjk;
  }
}

TextRepairer::TextRepairer(const RepairOptions& options, TextNormalizer* normalizer)
    : options_(options), normalizer_(normalizer) {}

void TextRepairer::Repair(std::string_view text, bool fold_decoded, bool about_escaping,
                          std::string* out, RepairCounts* counts, bool strip_layer) {
  bool reshaped = RepairOnce(text, fold_decoded, about_escaping, strip_layer, out, counts);
  // Removing a control or a zero-width character, turning an NBSP into a space, NFKC, width
  // folding and mojibake repair can each bring together a reference or a mojibake run that
  // was not one before (`&not_x000D_` is `&not` once `_x000D_` is gone): repeat until a round
  // only decodes references, so that repairing the output again changes nothing. The
  // scraper's layer came off in the first round and comes off only once.
  for (int round = 0; reshaped && round < 4; ++round) {
    round_input_.swap(*out);
    reshaped = RepairOnce(round_input_, fold_decoded, about_escaping, /*strip_layer=*/false, out,
                          counts);
  }
  counts->invalid_bytes += CountReplacementChars(*out);
}

bool TextRepairer::RepairOnce(std::string_view text, bool fold_decoded, bool about_escaping,
                              bool strip_layer, std::string* out, RepairCounts* counts) {
  const bool html5 = options_.entities == EntityMode::kHtml5;
  if (html5) fold_decoded = false;  // a browser's reading has no width policy
  std::string_view decoded = text;
  if (options_.entities != EntityMode::kNone && MayContainEntity(text)) {
    EntityDecodeOptions decode_options;
    decode_options.mode = options_.entities;
    decode_options.fold_decoded_fullwidth = fold_decoded;
    decode_options.text_about_escaping = about_escaping;
    decode_options.strip_escaping_layer = about_escaping && strip_layer;
    decoded_.clear();
    const size_t n = DecodeEntities(text, decode_options, &decoded_);
    counts->entities += n;
    decoded = decoded_;
  }
  out->clear();
  if (html5) {
    // A browser's reading of the references and nothing else: no mojibake, space or control
    // repair, only the normal form (which leaves every html5lib vector as it is).
    if (normalizer_->Normalize(decoded, options_.form, out)) ++counts->normalized;
    return false;
  }
  // Mojibake before the space and control repair: `Ã` + NBSP is `à`, `â€` + a C1 control is
  // a quote.
  size_t mojibake = 0;
  if (options_.mojibake && mojibake_.MayContainMojibake(decoded)) {
    mojibake = mojibake_.Repair(decoded, &unmangled_);
    if (mojibake > 0) decoded = unmangled_;
  }
  SpaceRepairCounts space_counts;
  normalizer_->Repair(decoded, options_.form, out, &space_counts);
  counts->mojibake += mojibake;
  counts->odd_spaces += space_counts.odd_spaces;
  counts->zero_width += space_counts.zero_width;
  counts->controls += space_counts.controls;
  counts->normalized += space_counts.normalized;
  size_t folded = 0;
  if (options_.width == WidthPolicy::kFold) {
    folded_.clear();
    for (size_t i = 0; i < out->size();) {
      size_t length = 0;
      const char32_t c = DecodeAt(*out, i, &length);
      if (IsFullWidthAsciiPunct(c)) {
        folded_.push_back(static_cast<char>(c - 0xFEE0));
        ++folded;
      } else {
        folded_.append(*out, i, length);
      }
      i += length;
    }
    out->swap(folded_);
    counts->width_folded += folded;
  }
  return mojibake > 0 || space_counts.odd_spaces > 0 || space_counts.zero_width > 0 ||
         space_counts.controls > 0 || space_counts.normalized > 0 || folded > 0;
}

PlainTextRepairer::PlainTextRepairer(const RepairOptions& options, TextNormalizer* normalizer)
    : repairer_(options, normalizer) {}

void PlainTextRepairer::BeginDocument(const WidthEvidence* evidence) {
  evidence_given_ = evidence != nullptr;
  evidence_ = evidence_given_ ? *evidence : WidthEvidence();
}

void PlainTextRepairer::RepairLine(std::string_view line, std::string* out) {
  if (!evidence_given_ && repairer_.options().width == WidthPolicy::kAuto) evidence_.Add(line);
  bool fold_decoded = false;
  switch (repairer_.options().width) {
    case WidthPolicy::kAuto: fold_decoded = evidence_.PrefersFolded(); break;
    case WidthPolicy::kKeep: fold_decoded = false; break;
    case WidthPolicy::kFold: fold_decoded = true; break;
  }
  const bool scrape = repairer_.options().entities == EntityMode::kScrape;
  bool about_escaping = scrape && LooksAboutEscaping(line);
  bool strip_layer = about_escaping && CarriesEscapingLayer(line);
  repairer_.Repair(line, fold_decoded, about_escaping, out, &counts_, strip_layer);
  // The decisions are the input's; when the output no longer reads the same way (a removed
  // zero-width character joined `&amp;` and `lt;`), repair it again as it reads now, so that
  // repairing the output again changes nothing.
  for (int round = 0; scrape && round < 3; ++round) {
    const bool about_now = LooksAboutEscaping(*out);
    const bool strip_now = about_now && CarriesEscapingLayer(*out);
    if (about_now == about_escaping && !strip_now) break;
    about_escaping = about_now;
    strip_layer = strip_now;
    again_.swap(*out);
    repairer_.Repair(again_, fold_decoded, about_escaping, out, &counts_, strip_layer);
  }
}

RepairStage::RepairStage(const RepairOptions& options, TextNormalizer* normalizer,
                         RecordSink* next)
    : repairer_(options, normalizer), next_(next) {}

void RepairStage::NotePage(const Record& record) {
  if (record.page == page_ && record.source == page_source_) return;
  page_ = record.page;
  page_source_ = record.source;
  evidence_ = WidthEvidence();
  unweighed_.clear();
}

void RepairStage::AddEvidence(const Record& record) {
  NotePage(record);
  size_t start = 0;
  for (size_t end; (end = unweighed_.find('\n', start)) != std::string::npos; start = end + 1) {
    evidence_.Add(std::string_view(unweighed_).substr(start, end - start));
  }
  unweighed_.clear();
  evidence_.Add(record.title);
  for (const BodyLine& line : record.body) evidence_.Add(line.text);
}

void RepairStage::Accept(Record&& record) {
  AddEvidence(record);

  bool fold_decoded = false;
  switch (repairer_.options().width) {
    case WidthPolicy::kAuto: fold_decoded = evidence_.PrefersFolded(); break;
    case WidthPolicy::kKeep: fold_decoded = false; break;
    case WidthPolicy::kFold: fold_decoded = true; break;
  }
  record.width = fold_decoded ? "folded" : "full";

  std::string text = record.Text();
  bool about_escaping = LooksAboutEscaping(text);
  bool strip_layer = about_escaping && CarriesEscapingLayer(text);
  RepairText(&record, fold_decoded, about_escaping, strip_layer);
  // As in PlainTextRepairer::RepairLine: repair again while the repaired record reads
  // differently from the one the decisions were made on.
  const bool scrape = repairer_.options().entities == EntityMode::kScrape;
  for (int round = 0; scrape && round < 3; ++round) {
    text = record.Text();
    const bool about_now = LooksAboutEscaping(text);
    const bool strip_now = about_now && CarriesEscapingLayer(text);
    if (about_now == about_escaping && !strip_now) break;
    about_escaping = about_now;
    strip_layer = strip_now;
    RepairText(&record, fold_decoded, about_escaping, strip_layer);
  }

  std::vector<BodyLine> repaired;
  repaired.reserve(record.body.size());
  for (BodyLine& line : record.body) {
    FindCodeDamage(line.text, &damage_);
    for (const char* signal : damage_) record.code_damage.push_back(CodeDamage{line.line, signal});
    // A line that held only spaces or zero-width characters is now a paragraph break.
    if (!line.is_code) {
      const size_t start = line.text.find_first_not_of(" \t");
      if (start == std::string::npos) {
        line.text.clear();
      } else if (start > 0) {
        line.text.erase(0, start);
      }
      const size_t last = line.text.find_last_not_of(" \t");
      if (last != std::string::npos) line.text.erase(last + 1);
    }
    if (line.text.empty() && (repaired.empty() || repaired.back().text.empty())) continue;
    repaired.push_back(std::move(line));
  }
  while (!repaired.empty() && repaired.back().text.empty()) repaired.pop_back();
  record.body.swap(repaired);
  next_->Accept(std::move(record));
}

void RepairStage::RepairText(Record* record, bool fold_decoded, bool about_escaping,
                             bool strip_layer) {
  repairer_.Repair(record->title, fold_decoded, about_escaping, &scratch_, &record->repairs,
                   strip_layer);
  record->title.swap(scratch_);
  for (BodyLine& line : record->body) {
    repairer_.Repair(line.text, fold_decoded, about_escaping, &scratch_, &record->repairs,
                     strip_layer);
    line.text.swap(scratch_);
  }
}

void RepairStage::Reject(Record&& record, DropReason reason, const std::string& detail) {
  // A teaser dropped before repair still shows how the page writes its punctuation; it is
  // weighed only if a later record of the page is repaired.
  if (reason == DropReason::kTruncatedTeaser && repairer_.options().width == WidthPolicy::kAuto) {
    NotePage(record);
    unweighed_ += record.title;
    unweighed_.push_back('\n');
    for (const BodyLine& line : record.body) {
      unweighed_ += line.text;
      unweighed_.push_back('\n');
    }
  }
  next_->Reject(std::move(record), reason, detail);
}

}  // namespace winnow

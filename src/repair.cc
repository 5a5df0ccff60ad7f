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
  } else {
    // Mojibake before the space and control repair: `Ã` + NBSP is `à`, `â€` + a C1 control
    // is a quote.
    if (options_.mojibake && mojibake_.MayContainMojibake(decoded)) {
      const size_t n = mojibake_.Repair(decoded, &unmangled_);
      if (n > 0) {
        counts->mojibake += n;
        decoded = unmangled_;
      }
    }
    SpaceRepairCounts space_counts;
    normalizer_->Repair(decoded, options_.form, out, &space_counts);
    // NFKC can uncover mojibake the first look could not read (`Ã…` becomes `Ã...`); repair
    // until nothing changes, so that repairing the output again changes nothing.
    for (int round = 0; options_.mojibake && round < 4 && mojibake_.MayContainMojibake(*out);
         ++round) {
      const size_t n = mojibake_.Repair(*out, &unmangled_);
      if (n == 0) break;
      counts->mojibake += n;
      normalizer_->Repair(unmangled_, options_.form, out, &space_counts);
    }
    counts->odd_spaces += space_counts.odd_spaces;
    counts->zero_width += space_counts.zero_width;
    counts->controls += space_counts.controls;
    counts->normalized += space_counts.normalized;
  }
  counts->invalid_bytes += CountReplacementChars(*out);
  if (options_.width == WidthPolicy::kFold && !html5) {
    folded_.clear();
    for (size_t i = 0; i < out->size();) {
      size_t length = 0;
      const char32_t c = DecodeAt(*out, i, &length);
      if (IsFullWidthAsciiPunct(c)) {
        folded_.push_back(static_cast<char>(c - 0xFEE0));
        ++counts->width_folded;
      } else {
        folded_.append(*out, i, length);
      }
      i += length;
    }
    out->swap(folded_);
  }
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
  const bool about_escaping =
      repairer_.options().entities == EntityMode::kScrape && LooksAboutEscaping(line);
  const bool strip_layer = about_escaping && CarriesEscapingLayer(line);
  repairer_.Repair(line, fold_decoded, about_escaping, out, &counts_, strip_layer);
}

RepairStage::RepairStage(const RepairOptions& options, TextNormalizer* normalizer,
                         RecordSink* next)
    : repairer_(options, normalizer), next_(next) {}

void RepairStage::Accept(Record&& record) {
  if (record.page != page_ || record.source != page_source_) {
    page_ = record.page;
    page_source_ = record.source;
    evidence_ = WidthEvidence();
  }
  evidence_.Add(record.title);
  for (const BodyLine& line : record.body) evidence_.Add(line.text);

  bool fold_decoded = false;
  switch (repairer_.options().width) {
    case WidthPolicy::kAuto: fold_decoded = evidence_.PrefersFolded(); break;
    case WidthPolicy::kKeep: fold_decoded = false; break;
    case WidthPolicy::kFold: fold_decoded = true; break;
  }
  record.width = fold_decoded ? "folded" : "full";

  std::string raw_text = record.Text();
  const bool about_escaping = LooksAboutEscaping(raw_text);
  const bool strip_layer = about_escaping && CarriesEscapingLayer(raw_text);

  repairer_.Repair(record.title, fold_decoded, about_escaping, &scratch_, &record.repairs,
                   strip_layer);
  record.title.swap(scratch_);
  std::vector<BodyLine> repaired;
  repaired.reserve(record.body.size());
  for (BodyLine& line : record.body) {
    repairer_.Repair(line.text, fold_decoded, about_escaping, &scratch_, &record.repairs,
                     strip_layer);
    line.text.swap(scratch_);
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

void RepairStage::Reject(Record&& record, DropReason reason, const std::string& detail) {
  next_->Reject(std::move(record), reason, detail);
}

}  // namespace winnow

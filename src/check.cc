#include "winnow/check.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <utility>

#include "winnow/code_block.h"
#include "winnow/entity_decoder.h"
#include "winnow/literal_prefilter.h"
#include "winnow/record_filter.h"
#include "winnow/repair.h"
#include "winnow/rule_file.h"
#include "winnow/splitter.h"

namespace winnow {
namespace {

constexpr std::array<CheckRuleInfo, kCheckRuleCount> kCatalog = {{
    {CheckRule::kEntityLeft, "entity-left", Severity::kError,
     "Character reference left in the text",
     "The text holds an HTML character reference (&#xff1a;, &nbsp;, &amp;lt;, #xff1a;) that "
     "`winnow clean` decodes under its scrape policy. Articles about HTML escaping keep the "
     "references they are about and are not flagged for them."},
    {CheckRule::kChromeLine, "chrome-line", Severity::kError,
     "Chrome line (navigation, notice, related-list header, ad)",
     "A line that a rule of the rule engine marks as page chrome: the same built-in and "
     "--rules rules `winnow clean` drops lines with. The finding names the rule; switch a "
     "rule off with --disable ID."},
    {CheckRule::kTeaserMarker, "teaser-marker", Severity::kError,
     "Truncated teaser",
     "A related-list teaser the site cut off: the record is marked \"truncated\": true, or "
     "its text ends in a truncation marker (…..., or a reference cut in half before the "
     "marker). A teaser is no article."},
    {CheckRule::kReplacementChar, "replacement-char", Severity::kError,
     "U+FFFD replacement character",
     "Text was lost when bytes were decoded with the wrong encoding or were not text."},
    {CheckRule::kControlChar, "control-char", Severity::kError, "Control character",
     "A C0 or C1 control character, DEL, or the literal _x000D_ left by a spreadsheet "
     "export; tab and line feed are allowed."},
    {CheckRule::kInvisibleChar, "invisible-char", Severity::kError,
     "Zero-width character or odd space",
     "A zero-width character (U+200B, U+200C, U+2060, U+FEFF) or an odd space (NBSP, "
     "U+2000..U+200A, U+202F, U+205F) that `winnow clean` removes or makes a plain space. "
     "U+200D is allowed: it joins emoji."},
    {CheckRule::kInvalidUtf8, "invalid-utf8", Severity::kError, "Invalid UTF-8",
     "The input holds bytes that are not UTF-8; they were read as U+FFFD."},
    {CheckRule::kDuplicateRecord, "duplicate-record", Severity::kError, "Duplicate record",
     "The record repeats an earlier one of the run after normalization (the match view of "
     "each line, spaces removed), the test `winnow clean` drops duplicates with."},
    {CheckRule::kEmptyRecord, "empty-record", Severity::kError, "Empty record",
     "The record has no text."},
    {CheckRule::kEmptyTitle, "empty-title", Severity::kError, "Empty title",
     "The record's title field is present but empty."},
    {CheckRule::kInvalidJson, "invalid-json", Severity::kError, "Invalid JSON",
     "A JSONL line or a JSON document that does not parse."},
    {CheckRule::kMissingField, "missing-field", Severity::kError, "Missing text field",
     "The record has no text field (\"text\", or the one --field names)."},
    {CheckRule::kWrongType, "wrong-type", Severity::kError, "Field of the wrong type",
     "A record that is not a JSON object, or a field of winnow's schema with the wrong JSON "
     "type (text and title must be strings, page and record integers, truncated a boolean, "
     "metadata an object)."},
    {CheckRule::kCodeDamage, "code-damage", Severity::kWarning,
     "Code damaged by scraping",
     "Code that lost characters a scraper dropped: `let sum 0;`, `for (var i 0; i < n; i)`, "
     "`import Vue from vue`. Cleaning cannot undo this; the record is only reported."},
    {CheckRule::kMixedWidth, "mixed-width", Severity::kWarning,
     "Mixed punctuation width in one record",
     "The record writes punctuation beside CJK text both in ASCII (, : ( )) and in full "
     "width (，：（）). Cleaning keeps literal punctuation as it is; the record is only "
     "reported."},
}};

// Code that lost `=`, `++` or quotes: each pattern is a damage shape of its own, matched on
// the raw line. The first capture group is what the finding points at.
struct CodeDamagePattern {
  const char* pattern;
  const char* message;
};
constexpr CodeDamagePattern kCodeDamagePatterns[] = {
    {R"(\b(for\s*\(\s*(?:var|let|int|auto|size_t|long|unsigned)?\s*[A-Za-z_$][\w$]*\s+-?\d+\s*;))",
     "for loop initialiser without '=' (lost in scraping?)"},
    {R"(\b(for\s*\([^;()]*;[^;()]*;\s*[A-Za-z_$][\w$]*\s*\)))",
     "for loop step without '++' or '--' (lost in scraping?)"},
    {R"(^\s*((?:let|var|const)\s+[A-Za-z_$][\w$]*\s+(?:-?\d[\w.]*|"[^"]*"|'[^']*'|\[|\{|new\s|true\b|false\b|null\b|[A-Za-z_$][\w$.]*\()[^=;]*;)\s*$)",
     "declaration without '=' (lost in scraping?)"},
    {R"(^\s*((?:int|long|float|double|char|bool|auto|size_t)\s+[A-Za-z_]\w*\s+-?\d[\w.]*\s*;))",
     "declaration without '=' (lost in scraping?)"},
    {R"(^\s*(import\s+[\w$*{}, ]+\s+from\s+[A-Za-z@.][\w@./-]*\s*;?)\s*$)",
     "import source without quotes (lost in scraping?)"},
};

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// At most `max_bytes` of `s` from `begin`, cut at a character boundary.
std::string Excerpt(std::string_view s, size_t begin, size_t max_bytes = 80) {
  if (begin > s.size()) begin = s.size();
  size_t end = std::min(s.size(), begin + max_bytes);
  while (end < s.size() && end > begin && IsContinuation(s[end])) --end;
  return std::string(s.substr(begin, end - begin));
}

// The line without its leading and trailing ASCII whitespace.
std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string CodePointName(char32_t c) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string name = "U+";
  for (int shift = 12; shift >= 0; shift -= 4) name.push_back(kHex[(c >> shift) & 0xF]);
  return name;
}

// Where `line` first holds punctuation of the given width beside CJK text (as WidthEvidence
// counts it), or npos.
size_t FindWidthMark(std::string_view line, bool full_width) {
  char32_t previous = 0;
  size_t pending = std::string_view::npos;  // ASCII punctuation after non-CJK text
  for (size_t i = 0; i < line.size();) {
    size_t length = 0;
    const char32_t c = DecodeCodePointAt(line, i, &length);
    if (full_width) {
      if (IsFullWidthPunct(c)) return i;
    } else if (IsFoldablePunct(c)) {
      if (previous >= 0x80 && IsCjkCodePoint(previous)) return i;
      if (pending == std::string_view::npos) pending = i;
    } else {
      if (c >= 0x80 && IsCjkCodePoint(c) && pending != std::string_view::npos) return pending;
      pending = std::string_view::npos;
    }
    previous = c;
    i += length;
  }
  return std::string_view::npos;
}

// What one pass over a line's bytes found, so each detector runs only where it can match.
struct LineScan {
  static constexpr size_t kNone = std::string_view::npos;
  bool entity_start = false;  // '&' or '#'
  bool semicolon = false;
  size_t control = kNone;  // first C0/C1 control or DEL
  char32_t control_cp = 0;
  size_t artefact = kNone;  // first `_x000D_`
  size_t replacement = kNone;  // first U+FFFD
  size_t replacements = 0;
  size_t invisible = kNone;  // first zero-width character or odd space
  char32_t invisible_cp = 0;
};

// The bytes ScanLine looks at: C0 controls but tab, DEL, `&` `#` `;` `_` (0x26 0x23 0x3B
// 0x5F), and the lead bytes of the characters it looks for (U+0080..U+00A0,
// U+2000..U+2060, U+FEFF, U+FFFD).
constexpr std::array<bool, 256> MakeScannedBytes() {
  std::array<bool, 256> scanned{};
  for (unsigned b = 0; b < 0x20; ++b) scanned[b] = b != '\t';
  for (unsigned b : {0x7Fu, 0x26u, 0x23u, 0x3Bu, 0x5Fu, 0xC2u, 0xE2u, 0xEFu}) scanned[b] = true;
  return scanned;
}
constexpr std::array<bool, 256> kScannedBytes = MakeScannedBytes();

LineScan ScanLine(std::string_view line) {
  LineScan scan;
  const size_t n = line.size();
  auto byte = [&](size_t i) { return i < n ? static_cast<unsigned char>(line[i]) : 0u; };
  auto invisible = [&](size_t i, char32_t cp) {
    if (scan.invisible == LineScan::kNone) {
      scan.invisible = i;
      scan.invisible_cp = cp;
    }
  };
  const auto* bytes = reinterpret_cast<const unsigned char*>(line.data());
  for (size_t i = 0; i < n; ++i) {
    // Most bytes are text no detector looks at: skip them on a table lookup each.
    while (i < n && !kScannedBytes[bytes[i]]) ++i;
    if (i == n) break;
    const unsigned c = byte(i);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        if (scan.control == LineScan::kNone) {
          scan.control = i;
          scan.control_cp = c;
        }
      } else if (c == '&' || c == '#') {
        scan.entity_start = true;
      } else if (c == ';') {
        scan.semicolon = true;
      } else if (c == '_' && scan.artefact == LineScan::kNone && line.substr(i, 7) == "_x000D_") {
        scan.artefact = i;
      }
      continue;
    }
    const unsigned c1 = byte(i + 1);
    if (c == 0xC2) {
      if (c1 >= 0x80 && c1 <= 0x9F && scan.control == LineScan::kNone) {
        scan.control = i;
        scan.control_cp = c1;
      } else if (c1 == 0xA0) {
        invisible(i, 0xA0);
      }
    } else if (c == 0xE2) {
      const unsigned c2 = byte(i + 2);
      const char32_t cp = ((c1 & 0x3F) << 6 | (c2 & 0x3F)) + 0x2000;
      if (c1 == 0x80 && (c2 <= 0x8C || c2 == 0xAF)) invisible(i, cp);  // U+2000..200C, 202F
      if (c1 == 0x81 && (c2 == 0x9F || c2 == 0xA0)) invisible(i, cp);  // U+205F, U+2060
    } else if (c == 0xEF) {
      const unsigned c2 = byte(i + 2);
      if (c1 == 0xBB && c2 == 0xBF) invisible(i, 0xFEFF);
      if (c1 == 0xBF && c2 == 0xBD) {
        if (scan.replacement == LineScan::kNone) scan.replacement = i;
        ++scan.replacements;
      }
    }
  }
  return scan;
}

}  // namespace

const std::array<CheckRuleInfo, kCheckRuleCount>& CheckRuleCatalog() { return kCatalog; }

const CheckRuleInfo& GetCheckRuleInfo(CheckRule rule) {
  return kCatalog[static_cast<size_t>(rule)];
}

const char* CheckRuleId(CheckRule rule) { return GetCheckRuleInfo(rule).id; }

bool ParseCheckRuleId(std::string_view id, CheckRule* rule) {
  for (const CheckRuleInfo& info : kCatalog) {
    if (id == info.id) {
      *rule = info.rule;
      return true;
    }
  }
  return false;
}

bool ParseCheckRuleIds(const char* flag, const std::vector<std::string>& ids,
                       std::vector<CheckRule>* rules, std::string* error) {
  for (const std::string& id : ids) {
    CheckRule rule;
    if (ParseCheckRuleId(id, &rule)) {
      rules->push_back(rule);
      continue;
    }
    std::vector<std::string> known;
    for (const CheckRuleInfo& info : kCatalog) known.push_back(info.id);
    *error = std::string(flag) + ": unknown check rule '" + id + "'";
    const std::string closest = ClosestName(id, known);
    if (!closest.empty()) *error += "; did you mean '" + closest + "'?";
    return false;
  }
  return true;
}

// What the detectors know about one line of a record's text.
struct RecordChecker::LineInfo {
  std::string_view text;
  TextPlace place;
  // The match view: the record's own (CheckRecord::keys) or one made here. An accessor, not a
  // stored view: the vector of LineInfo grows, and a moved short own_key moves its bytes.
  std::string_view key() const { return has_given_key ? given_key : std::string_view(own_key); }
  std::string_view given_key;
  bool has_given_key = false;
  std::string own_key;
  bool is_code = false;
  bool blank = false;
};

// The code-damage patterns, each alone (to find where it matches) and all in one set (to
// tell in one pass whether any does, and which), behind the literal words one of them needs
// (`for`, `let`, `int`...), which prose with a character reference seldom holds.
struct RecordChecker::CodeDamagePatterns {
  CodeDamagePatterns() : set(re2::RE2::DefaultOptions, re2::RE2::UNANCHORED) {
    std::vector<std::string> atoms;
    bool gated = true;
    for (const CodeDamagePattern& pattern : kCodeDamagePatterns) {
      each.push_back(std::make_unique<re2::RE2>(pattern.pattern));
      set.Add(pattern.pattern, nullptr);
      std::vector<std::string> needed;
      gated = gated && FindRequiredAtoms(pattern.pattern, re2::RE2::DefaultOptions, &needed);
      atoms.insert(atoms.end(), needed.begin(), needed.end());
    }
    set.Compile();
    if (gated) words = LiteralPrefilter(atoms);
  }
  // False only when no pattern can match `line`.
  bool MayMatch(std::string_view line) const { return words.empty() || words.ContainsAny(line); }

  std::vector<std::unique_ptr<re2::RE2>> each;
  re2::RE2::Set set;
  LiteralPrefilter words;  // empty: some pattern needs no literal, so no gate
};

struct RecordChecker::LineSpan {
  const LineInfo* data;
  size_t size;
  const LineInfo* begin() const { return data; }
  const LineInfo* end() const { return data + size; }
};

RecordChecker::RecordChecker(const RuleEngine& engine, TextNormalizer* normalizer,
                             FindingSink* sink)
    : engine_(engine),
      normalizer_(normalizer),
      sink_(sink),
      code_damage_(std::make_unique<CodeDamagePatterns>()),
      lines_(std::make_unique<std::vector<LineInfo>>()) {}

RecordChecker::~RecordChecker() = default;

void RecordChecker::Report(CheckRule rule, const std::string& file, uint64_t line,
                           uint64_t column, std::string message, std::string_view text,
                           std::string detail) {
  Finding finding;
  finding.rule = rule;
  finding.severity = GetCheckRuleInfo(rule).severity;
  finding.file = file;
  finding.line = line;
  finding.column = column;
  finding.message = std::move(message);
  finding.text = std::string(text);
  finding.detail = std::move(detail);
  sink_->Report(std::move(finding));
}

uint64_t RecordChecker::ColumnOf(const LineInfo& info, std::string_view line,
                                 size_t byte) const {
  return info.place.column_base + CountCodePoints(line.substr(0, byte)) + 1;
}

std::string RecordChecker::DedupKey(std::string_view title_key,
                                    const std::vector<std::string>& text_keys) {
  std::string key;
  AppendWithoutSpaces(title_key, &key);
  key.push_back('\x1f');
  for (const std::string& line_key : text_keys) AppendWithoutSpaces(line_key, &key);
  return key;
}

void RecordChecker::Check(const CheckRecord& record) {
  // As in `clean`, the text decides whether the record is about escaping, for its title too.
  const bool about_escaping = record.has_text && record.text.find('&') != std::string::npos &&
                              LooksAboutEscaping(record.text);
  if (record.has_title) CheckTitle(record, about_escaping);
  if (!record.has_text) return;
  if (record.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    Report(CheckRule::kEmptyRecord, record.file, record.line, 0, "record has no text", "");
    return;
  }

  // Split the text into lines and place each one. The LineInfo entries are reused from
  // record to record, so their keys allocate only when a longer line comes.
  std::vector<LineInfo>& lines = *lines_;
  size_t count = 0;
  uint64_t offset = 0;  // code points from the start of the text
  uint64_t offset_at_place = 0;
  TextPlace last_place = record.places.empty() ? TextPlace{record.line, 0} : record.places[0];
  size_t start = 0;
  for (size_t i = 0; start <= record.text.size(); ++i) {
    size_t end = record.text.find('\n', start);
    if (end == std::string::npos) end = record.text.size();
    if (count == lines.size()) lines.emplace_back();
    LineInfo& info = lines[count++];
    info.text = std::string_view(record.text).substr(start, end - start);
    if (i < record.places.size()) {
      info.place = record.places[i];
      last_place = info.place;
      offset_at_place = offset;
    } else {
      info.place = last_place;
      info.place.column_base += offset - offset_at_place;
    }
    info.has_given_key = i < record.keys.size();
    if (info.has_given_key) {
      info.given_key = record.keys[i];
    } else {
      normalizer_->MatchKey(info.text, &info.own_key);
    }
    info.blank = info.key().empty();
    if (i < record.is_code.size()) {
      info.is_code = record.is_code[i];
    } else {
      info.is_code = ClassifyCodeLine(info.key(), IndentColumns(info.text)) == CodeSignal::kStrong;
    }
    // Only a field placed as a whole (JSON) needs the code points of the lines before.
    if (record.places.size() <= 1) offset += CountCodePoints(info.text) + 1;
    start = end + 1;
  }
  const LineSpan span{lines.data(), count};

  bool first_content = true;
  for (const LineInfo& info : span) {
    if (info.blank) continue;
    CheckLine(record, info.text, info, about_escaping);
    if (record.match_rules) {
      // Scopes as the splitter saw the line: a related entry's lines in the tail, an
      // article's first body line in the head, the others in the body.
      RuleScope scope = first_content ? RuleScope::kHead : RuleScope::kBody;
      if (record.kind_known && record.kind == RecordKind::kRelated) scope = RuleScope::kTail;
      if (const Rule* rule = engine_.Match(info.key(), scope)) {
        Report(CheckRule::kChromeLine, record.file, info.place.line, ColumnOf(info, info.text, 0),
               "chrome line (rule " + rule->id + ")", Excerpt(TrimAscii(info.text), 0),
               rule->id);
      }
    }
    first_content = false;
  }
  CheckTeaser(record, span);
  CheckWidth(record, span);
  CheckDuplicate(record, span);
}

void RecordChecker::CheckTitle(const CheckRecord& record, bool about_escaping) {
  LineInfo info;
  info.text = record.title;
  info.place = record.title_place;
  if (TrimAscii(record.title).empty()) {
    Report(CheckRule::kEmptyTitle, record.file, record.title_place.line, 0, "empty title", "");
    return;
  }
  CheckLine(record, record.title, info, about_escaping);
  if (!record.match_rules) return;
  normalizer_->MatchKey(record.title, &key_);
  const Rule* rule = engine_.Match(key_, RuleScope::kTitle);
  if (rule == nullptr || rule->action != RuleAction::kStripMatch) return;
  // `clean` strips the match unless nothing would be left of the title.
  std::string stripped = record.title;
  if (engine_.StripMatch(*rule, &stripped) && !TrimAscii(stripped).empty()) {
    Report(CheckRule::kChromeLine, record.file, record.title_place.line,
           record.title_place.column_base + 1, "title carries site chrome (rule " + rule->id + ")",
           Excerpt(record.title, 0), rule->id);
  }
}

void RecordChecker::CheckLine(const CheckRecord& record, std::string_view line,
                              const LineInfo& info, bool about_escaping) {
  const std::string& file = record.file;
  const uint64_t line_number = info.place.line;
  const LineScan scan = ScanLine(line);

  if (scan.entity_start && MayContainEntity(line)) {
    EntityDecodeOptions options;
    options.mode = EntityMode::kScrape;
    options.text_about_escaping = about_escaping;
    decoded_.clear();
    const size_t n = DecodeEntities(line, options, &decoded_);
    if (n > 0) {
      // The decoded line equals the line up to the first reference it decoded.
      size_t at = 0;
      while (at < line.size() && at < decoded_.size() && line[at] == decoded_[at]) ++at;
      if (at >= line.size() || (line[at] != '&' && line[at] != '#')) {
        size_t back = at;
        while (back > 0 && at - back < 12 && line[back] != '&') --back;
        if (line[back] == '&') at = back;
      }
      if (at >= line.size()) at = line.size() - 1;
      size_t end = line.find(';', at);
      end = end == std::string_view::npos || end - at > 32 ? std::min(line.size(), at + 12)
                                                           : end + 1;
      const std::string reference = Excerpt(line, at, end - at);
      std::string message = "character reference left in the text: " + reference;
      if (n > 1) message += " (" + std::to_string(n) + " on this line)";
      Report(CheckRule::kEntityLeft, file, line_number, ColumnOf(info, line, at),
             std::move(message), reference);
    }
  }

  if (scan.replacement != std::string_view::npos) {
    size_t from = scan.replacement;
    for (int k = 0; k < 8 && from > 0; ++k) {
      do {
        --from;
      } while (from > 0 && IsContinuation(line[from]));
    }
    std::string message = "U+FFFD replacement character: text lost to a bad decode";
    if (scan.replacements > 1) message += " (" + std::to_string(scan.replacements) + " on this line)";
    Report(CheckRule::kReplacementChar, file, line_number, ColumnOf(info, line, scan.replacement),
           std::move(message), Excerpt(line, from, 48));
  }

  if (scan.artefact < scan.control) {
    Report(CheckRule::kControlChar, file, line_number, ColumnOf(info, line, scan.artefact),
           "escaped carriage return _x000D_ (a spreadsheet export artefact)", "_x000D_");
  } else if (scan.control != std::string_view::npos) {
    Report(CheckRule::kControlChar, file, line_number, ColumnOf(info, line, scan.control),
           "control character " + CodePointName(scan.control_cp), CodePointName(scan.control_cp));
  }

  if (scan.invisible != std::string_view::npos) {
    const char32_t cp = scan.invisible_cp;
    const bool zero_width = cp == 0x200B || cp == 0x200C || cp == 0x2060 || cp == 0xFEFF;
    Report(CheckRule::kInvisibleChar, file, line_number, ColumnOf(info, line, scan.invisible),
           std::string(zero_width ? "zero-width character " : "odd space ") + CodePointName(cp),
           CodePointName(cp));
  }

  if (scan.semicolon || TrimAscii(line).substr(0, 7) == "import ") {
    // Most such lines are prose with a character reference: the set rules them out in one
    // pass, and names the first pattern that matches; only that one is run again, for the
    // place. Should the set's DFA run out of memory, every pattern is tried in turn.
    const re2::StringPiece text(line.data(), line.size());
    thread_local std::vector<int> hits;
    re2::RE2::Set::ErrorInfo error{re2::RE2::Set::kNoError};
    size_t first = 0;
    if (!code_damage_->MayMatch(line)) return;
    if (code_damage_->set.Match(text, &hits, &error)) {
      first = static_cast<size_t>(*std::min_element(hits.begin(), hits.end()));
    } else if (error.kind == re2::RE2::Set::kNoError) {
      return;
    }
    for (size_t k = first; k < code_damage_->each.size(); ++k) {
      re2::StringPiece match;
      if (!re2::RE2::PartialMatch(text, *code_damage_->each[k], &match)) continue;
      const size_t at = static_cast<size_t>(match.data() - line.data());
      Report(CheckRule::kCodeDamage, file, line_number, ColumnOf(info, line, at),
             kCodeDamagePatterns[k].message, Excerpt(line, at));
      break;
    }
  }
}

void RecordChecker::CheckTeaser(const CheckRecord& record, const LineSpan& lines) {
  const LineInfo* last = nullptr;
  for (const LineInfo& info : lines) {
    if (!info.blank) last = &info;
  }
  if (last == nullptr) return;
  const std::string_view line = last->text;
  const size_t cut = TeaserTextLength(line);
  if (record.truncated) {
    Report(CheckRule::kTeaserMarker, record.file, record.line, 0,
           "record is a truncated teaser (\"truncated\": true)", Excerpt(TrimAscii(line), 0));
    return;
  }
  if (cut >= line.size()) return;
  // `…` or `...` alone end prose and titles too; the aggregator's own marker mixes them
  // (`…...`), or follows a reference cut in half. A related entry's marker always counts.
  const std::string_view marker = TrimAscii(line.substr(cut));
  const bool mixed = marker.find("…") != std::string_view::npos &&
                     marker.find('.') != std::string_view::npos;
  const bool cut_reference = line[cut] == '&';
  const bool related = record.kind_known && record.kind == RecordKind::kRelated;
  if (!mixed && !cut_reference && !related) return;
  Report(CheckRule::kTeaserMarker, record.file, last->place.line, ColumnOf(*last, line, cut),
         "text ends with a teaser truncation marker: " + std::string(marker),
         std::string(marker));
}

void RecordChecker::CheckWidth(const CheckRecord& record, const LineSpan& lines) {
  uint64_t folded = 0;
  uint64_t full = 0;
  const LineInfo* first_folded = nullptr;
  const LineInfo* first_full = nullptr;
  for (const LineInfo& info : lines) {
    if (info.blank || info.is_code) continue;
    WidthEvidence evidence;
    evidence.Add(info.text);
    if (evidence.folded > 0 && first_folded == nullptr) first_folded = &info;
    if (evidence.full > 0 && first_full == nullptr) first_full = &info;
    folded += evidence.folded;
    full += evidence.full;
  }
  if (folded == 0 || full == 0) return;
  // Point at the first mark of the form the record uses less.
  const bool point_full = full <= folded;
  const LineInfo* where = point_full ? first_full : first_folded;
  size_t at = FindWidthMark(where->text, point_full);
  if (at == std::string_view::npos) at = 0;
  size_t length = 0;
  DecodeCodePointAt(where->text, at, &length);
  Report(CheckRule::kMixedWidth, record.file, where->place.line,
         ColumnOf(*where, where->text, at),
         "mixed punctuation width: " + std::to_string(full) + " full-width and " +
             std::to_string(folded) + " ASCII marks beside CJK text in one record; first " +
             (point_full ? "full-width" : "ASCII") + " one here",
         std::string(where->text.substr(at, length)));
}

void RecordChecker::CheckDuplicate(const CheckRecord& record, const LineSpan& lines) {
  key_.clear();
  if (record.has_title) normalizer_->MatchKey(record.title, &key_);
  dedup_.clear();
  AppendWithoutSpaces(key_, &dedup_);
  dedup_.push_back('\x1f');
  for (const LineInfo& info : lines) AppendWithoutSpaces(info.key(), &dedup_);
  const Fingerprint fingerprint = Fingerprint128(dedup_);
  if (files_.empty() || files_.back() != record.file) files_.push_back(record.file);
  auto [it, inserted] = seen_.emplace(fingerprint, FirstSeen{files_.size() - 1, record.line});
  if (inserted) return;
  Report(CheckRule::kDuplicateRecord, record.file, record.line, 0,
         "record repeats the one at " + files_[it->second.file] + ":" +
             std::to_string(it->second.line),
         Excerpt(record.has_title ? record.title : record.text, 0));
}

FindingFilter::FindingFilter(const std::vector<CheckRule>& select,
                             const std::vector<CheckRule>& ignore, FindingSink* next)
    : next_(next) {
  wanted_.fill(select.empty());
  for (CheckRule rule : select) wanted_[static_cast<size_t>(rule)] = true;
  for (CheckRule rule : ignore) wanted_[static_cast<size_t>(rule)] = false;
}

void FindingFilter::Report(Finding&& finding) {
  const size_t index = static_cast<size_t>(finding.rule);
  if (!wanted_[index]) return;
  ++by_rule_[index];
  if (finding.severity == Severity::kError) {
    ++errors_;
  } else if (finding.severity == Severity::kWarning) {
    ++warnings_;
  }
  next_->Report(std::move(finding));
}

}  // namespace winnow

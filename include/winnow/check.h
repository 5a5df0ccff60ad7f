// `winnow check`: proves that a corpus is clean. The detectors here look at one record at a
// time (its title and its text lines, each placed at file:line:column) and report findings
// with a stable rule id and a severity. Input readers (check_input.h) turn files into
// records; reports (check_report.h, sarif_report.h) turn findings into text, JSON, GitHub
// annotations or SARIF.
#ifndef WINNOW_CHECK_H_
#define WINNOW_CHECK_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "winnow/diagnostic.h"
#include "winnow/fingerprint.h"
#include "winnow/record.h"
#include "winnow/rule_engine.h"
#include "winnow/text_normalize.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace winnow {

/// What a finding is about. The ids (CheckRuleId) are stable: CI configurations and SARIF
/// baselines name them.
enum class CheckRule {
  kEntityLeft,       ///< "entity-left": a character reference clean would decode
  kChromeLine,       ///< "chrome-line": a line a rule (built-in or --rules) marks as chrome
  kTeaserMarker,     ///< "teaser-marker": a truncated teaser, or its `…...` marker
  kReplacementChar,  ///< "replacement-char": U+FFFD, text lost to a bad decode
  kControlChar,      ///< "control-char": C0/C1 controls, DEL, the `_x000D_` artefact
  kInvisibleChar,    ///< "invisible-char": zero-width characters, NBSP and other odd spaces
  kInvalidUtf8,      ///< "invalid-utf8": bytes of the input that are not UTF-8
  kDuplicateRecord,  ///< "duplicate-record": repeats an earlier record of the run
  kEmptyRecord,      ///< "empty-record": no text
  kEmptyTitle,       ///< "empty-title": a title field that is empty
  kInvalidJson,      ///< "invalid-json": a JSONL line or JSON document that does not parse
  kMissingField,     ///< "missing-field": the text field is absent
  kWrongType,        ///< "wrong-type": a record or a known field of the wrong JSON type
  kCodeDamage,       ///< "code-damage": code that lost `=`, `++` or quotes (warning)
  kMixedWidth,       ///< "mixed-width": ASCII and full-width punctuation in one record
};

constexpr size_t kCheckRuleCount = 15;

/// The catalog entry of a check rule: for --help, --list-rules and SARIF's rule list.
struct CheckRuleInfo {
  CheckRule rule;
  const char* id;
  Severity severity;
  const char* summary;      ///< one line, e.g. "Character reference left in the text"
  const char* description;  ///< what it means and what to do about it
};

/// Every check rule, in CheckRule order.
const std::array<CheckRuleInfo, kCheckRuleCount>& CheckRuleCatalog();
const CheckRuleInfo& GetCheckRuleInfo(CheckRule rule);
/// The stable id of `rule`, e.g. "entity-left".
const char* CheckRuleId(CheckRule rule);
/// Looks up a rule by id. Returns false for an unknown id.
bool ParseCheckRuleId(std::string_view id, CheckRule* rule);

/// One problem at one place. Lines and columns are 1-based; a column counts Unicode code
/// points (for JSON input: inside the field's decoded string), 0 when not tied to a column.
struct Finding {
  CheckRule rule = CheckRule::kEntityLeft;
  Severity severity = Severity::kError;
  std::string file;  ///< the path as given ("-" for standard input)
  uint64_t line = 0;
  uint64_t column = 0;
  std::string message;
  std::string text;    ///< the offending text (an excerpt of at most about 80 bytes)
  std::string detail;  ///< chrome-line: the rule engine's rule id; else empty
};

/// Receives findings as they are made.
class FindingSink {
 public:
  virtual ~FindingSink() = default;
  virtual void Report(Finding&& finding) = 0;
};

/// Where a piece of record text starts in the input: its file line, and the number of code
/// points before it on that line (or, for JSON input, before it inside the field's string).
struct TextPlace {
  uint64_t line = 0;
  uint64_t column_base = 0;
};

/// A record as the detectors see it, whatever the input format.
struct CheckRecord {
  std::string file;
  uint64_t line = 0;  ///< where the record starts (the JSONL line, the title line)
  bool has_title = false;
  std::string title;
  TextPlace title_place;
  bool has_text = false;  ///< false when the text field is missing or mistyped
  std::string text;       ///< lines joined with '\n'
  /// One place per '\n'-separated line of `text` (raw pages, Markdown), or a single one
  /// for the whole field (JSON input): then each line's column_base adds the code points
  /// of the lines before it.
  std::vector<TextPlace> places;
  /// Per line of `text`, whether it is code, when the reader knows (raw pages, fenced
  /// Markdown); empty means unknown, and lines are classified from their text.
  std::vector<bool> is_code;
  /// Per line of `text`, its match view when the reader has it already (raw pages: the
  /// splitter's); lines past its end are viewed here. The views must outlive Check().
  std::vector<std::string_view> keys;
  bool kind_known = false;
  RecordKind kind = RecordKind::kArticle;
  bool truncated = false;  ///< marked truncated by its writer ("truncated": true)
  /// False when the reader already reported chrome (raw pages run the splitter itself).
  bool match_rules = true;
};


/// Runs every detector on each record handed to it. Duplicates are looked for across all
/// the records one checker sees, as `clean` drops them across its whole run.
class RecordChecker {
 public:
  /// `engine`, `normalizer` and `sink` must outlive the checker.
  RecordChecker(const RuleEngine& engine, TextNormalizer* normalizer, FindingSink* sink);
  ~RecordChecker();
  RecordChecker(const RecordChecker&) = delete;
  RecordChecker& operator=(const RecordChecker&) = delete;

  void Check(const CheckRecord& record);

  /// Reports a finding of `rule` with the rule's own severity.
  void Report(CheckRule rule, const std::string& file, uint64_t line, uint64_t column,
              std::string message, std::string_view text, std::string detail = "");

  /// The duplicate-detection key of a record, as RecordFilter builds it for `clean`: the
  /// title's match view, U+001F, then the match views of the text's lines (`text_keys`)
  /// one after another, all with their spaces removed.
  static std::string DedupKey(std::string_view title_key,
                              const std::vector<std::string>& text_keys);

 private:
  struct LineInfo;
  struct LineSpan;
  void CheckTitle(const CheckRecord& record, bool about_escaping);
  void CheckLine(const CheckRecord& record, std::string_view line, const LineInfo& info,
                 bool about_escaping);
  void CheckTeaser(const CheckRecord& record, const LineSpan& lines);
  void CheckWidth(const CheckRecord& record, const LineSpan& lines);
  void CheckDuplicate(const CheckRecord& record, const LineSpan& lines);
  uint64_t ColumnOf(const LineInfo& info, std::string_view line, size_t byte) const;

  const RuleEngine& engine_;
  TextNormalizer* normalizer_;
  FindingSink* sink_;
  struct CodeDamagePatterns;
  std::unique_ptr<const CodeDamagePatterns> code_damage_;
  // Where each record was first seen; file names are kept once, not per record.
  struct FirstSeen {
    size_t file = 0;  // index into files_
    uint64_t line = 0;
  };
  std::unordered_map<Fingerprint, FirstSeen, FingerprintHash> seen_;
  std::vector<std::string> files_;
  std::unique_ptr<std::vector<LineInfo>> lines_;  // scratch, reused across records
  std::string key_;
  std::string decoded_;
  std::string dedup_;
};

/// Keeps the findings a run asked for (--select, --ignore) and counts them.
class FindingFilter : public FindingSink {
 public:
  /// `next` must outlive the filter. An empty `select` selects every rule.
  FindingFilter(const std::vector<CheckRule>& select, const std::vector<CheckRule>& ignore,
                FindingSink* next);
  void Report(Finding&& finding) override;

  uint64_t errors() const { return errors_; }
  uint64_t warnings() const { return warnings_; }
  const std::array<uint64_t, kCheckRuleCount>& by_rule() const { return by_rule_; }

 private:
  std::array<bool, kCheckRuleCount> wanted_{};
  FindingSink* next_;
  uint64_t errors_ = 0;
  uint64_t warnings_ = 0;
  std::array<uint64_t, kCheckRuleCount> by_rule_{};
};

/// Parses a list of rule ids into `*rules`. On an unknown id returns false and
/// sets `*error` ("--select: unknown check rule 'entity'; did you mean 'entity-left'?").
bool ParseCheckRuleIds(const char* flag, const std::vector<std::string>& ids,
                       std::vector<CheckRule>* rules, std::string* error);

}  // namespace winnow

#endif  // WINNOW_CHECK_H_

// The output side of `winnow check`: findings become a report on an OutputStream, in one of
// four formats: text (one `file:line:col: severity: message [rule]` line each), JSON, GitHub
// Actions workflow commands, or SARIF 2.1.0 (sarif_report.h). Reports stream: each finding
// is written when it is made.
#ifndef WINNOW_CHECK_REPORT_H_
#define WINNOW_CHECK_REPORT_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/check.h"
#include "winnow/output_file.h"

namespace winnow {

enum class ReportFormat { kText, kJson, kGithub, kSarif };

/// Parses "text", "json", "github" or "sarif".
bool ParseReportFormat(std::string_view name, ReportFormat* format);

struct ReportOptions {
  /// Findings after this many are counted but not written; 0 means no limit.
  uint64_t max_findings = 0;
  std::string tool_version = "0.1.0";
};

/// What a run found, for the summary line and the report's closing part.
struct ReportTotals {
  uint64_t files = 0;
  uint64_t files_failed = 0;
  uint64_t records = 0;
  uint64_t errors = 0;
  uint64_t warnings = 0;
  uint64_t shown = 0;  ///< findings written (fewer than errors + warnings under --max-findings)
  std::array<uint64_t, kCheckRuleCount> by_rule{};
  /// Errors that kept inputs from being read ("dumps/x.jsonl: No such file or directory"),
  /// for SARIF's toolExecutionNotifications.
  std::vector<std::string> input_errors;

  /// "2 files, 31 records: 3 errors, 1 warning (chrome-line 2, entity-left 1, mixed-width 1)",
  /// then "; 2 shown (--max-findings)" and "; 1 input not read" when they apply.
  std::string Format() const;
};

/// A report is the last FindingSink of the chain.
class FindingReport : public FindingSink {
 public:
  /// `out` must outlive the report.
  FindingReport(OutputStream* out, const ReportOptions& options)
      : out_(out), options_(options) {}
  /// Writes `finding` unless --max-findings findings were written already.
  void Report(Finding&& finding) final;
  /// Writes whatever closes the report (JSON's summary, SARIF's invocation).
  virtual void Finish(const ReportTotals& totals) { (void)totals; }
  uint64_t shown() const { return shown_; }

 protected:
  virtual void Write(const Finding& finding) = 0;

  OutputStream* out_;
  ReportOptions options_;

 private:
  uint64_t shown_ = 0;
};

/// Makes the report for `format`.
std::unique_ptr<FindingReport> MakeFindingReport(ReportFormat format, OutputStream* out,
                                                 const ReportOptions& options);

/// `message`, followed by `: "text"` unless the text is empty or already in the message.
std::string MessageWithText(const Finding& finding);
/// MessageWithText appended to `*out`.
void AppendMessageWithText(const Finding& finding, std::string* out);

}  // namespace winnow

#endif  // WINNOW_CHECK_REPORT_H_

// SARIF 2.1.0 for `winnow check --format sarif`: the format code-scanning services read
// (GitHub's upload-sarif action). One run; the tool's rule list is the check rule catalog,
// with descriptions and default levels; each result has its ruleId, ruleIndex, level,
// location (columns in Unicode code points) and a partialFingerprints entry that follows
// the finding, not its line number, so a finding keeps its identity when lines move.
#ifndef WINNOW_SARIF_REPORT_H_
#define WINNOW_SARIF_REPORT_H_

#include <memory>
#include <string>
#include <string_view>

#include "winnow/check_report.h"

namespace winnow {

/// Makes the SARIF report (see check_report.h).
std::unique_ptr<FindingReport> MakeSarifReport(OutputStream* out, const ReportOptions& options);

/// A path as a SARIF artifact URI: a relative path stays relative, with bytes outside
/// RFC 3986's unreserved set and `/` percent-encoded; an absolute one becomes `file://`;
/// standard input ("-") is "stdin".
std::string ArtifactUri(std::string_view path);

}  // namespace winnow

#endif  // WINNOW_SARIF_REPORT_H_

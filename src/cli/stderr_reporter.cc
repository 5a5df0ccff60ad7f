#include "cli/stderr_reporter.h"

#include <cstdio>
#include <string>

namespace winnow {
namespace cli {

void StderrReporter::Report(const Diagnostic& diagnostic) {
  if (diagnostic.severity == Severity::kError) {
    ++errors_;
  } else if (diagnostic.severity == Severity::kWarning) {
    ++warnings_;
  }
  if (quiet_ && diagnostic.severity != Severity::kError) return;
  const std::string line = "winnow: " + FormatDiagnostic(diagnostic) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

void StderrReporter::Summary(const std::string& text) {
  if (quiet_) return;
  std::fprintf(stderr, "winnow: %s\n", text.c_str());
}

}  // namespace cli
}  // namespace winnow

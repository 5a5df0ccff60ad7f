// Prints diagnostics and the run summary to standard error, prefixed "winnow: ".
#ifndef WINNOW_CLI_STDERR_REPORTER_H_
#define WINNOW_CLI_STDERR_REPORTER_H_

#include <cstdint>

#include "winnow/diagnostic.h"

namespace winnow {
namespace cli {

class StderrReporter : public DiagnosticSink {
 public:
  /// `quiet` silences notes and warnings; errors are always printed.
  explicit StderrReporter(bool quiet) : quiet_(quiet) {}
  void Report(const Diagnostic& diagnostic) override;
  /// Prints "winnow: TEXT" unless quiet.
  void Summary(const std::string& text);

  uint64_t errors() const { return errors_; }
  uint64_t warnings() const { return warnings_; }

 private:
  bool quiet_;
  uint64_t errors_ = 0;
  uint64_t warnings_ = 0;
};

}  // namespace cli
}  // namespace winnow

#endif  // WINNOW_CLI_STDERR_REPORTER_H_

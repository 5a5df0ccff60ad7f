// The progress display of long runs: a line on standard error, redrawn in place, only when
// standard error is a terminal (and not with -q). The pipeline reports RunProgress; a Status
// decides whether and how to show it.
#ifndef WINNOW_CLI_STATUS_H_
#define WINNOW_CLI_STATUS_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "winnow/diagnostic.h"
#include "winnow/pipeline.h"

namespace winnow {
namespace cli {

class Status {
 public:
  virtual ~Status() = default;
  /// Called often; shows `progress` if it is time to.
  virtual void Update(const RunProgress& progress) = 0;
  /// Removes the line (before a message is printed, and at the end).
  virtual void Clear() = 0;
};

/// Shows nothing: stderr is not a terminal, or -q.
class NullStatus : public Status {
 public:
  void Update(const RunProgress&) override {}
  void Clear() override {}
};

/// "winnow: 12/40 files, 350.2 MB, 61.3 MB/s, ETA 0:14" drawn at the first update, then
/// redrawn with '\r' at most 10 times a second; `total_bytes` (0 if unknown) is what the ETA is measured against.
class TerminalStatus : public Status {
 public:
  explicit TerminalStatus(uint64_t total_bytes);
  ~TerminalStatus() override;
  void Update(const RunProgress& progress) override;
  void Clear() override;

  /// The line for `progress` after `seconds` (for tests).
  static std::string FormatLine(const RunProgress& progress, uint64_t total_bytes,
                                double seconds);

 private:
  uint64_t total_bytes_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
  bool shown_ = false;
};

/// A TerminalStatus when standard error is a terminal and not `quiet`, else a NullStatus.
std::unique_ptr<Status> MakeStatus(bool quiet, uint64_t total_bytes);

/// Clears the status line before each diagnostic it forwards, so messages never land on top
/// of the progress line.
class StatusAwareDiagnostics : public DiagnosticSink {
 public:
  StatusAwareDiagnostics(Status* status, DiagnosticSink* next) : status_(status), next_(next) {}
  void Report(const Diagnostic& diagnostic) override {
    status_->Clear();
    next_->Report(diagnostic);
  }

 private:
  Status* status_;
  DiagnosticSink* next_;
};

}  // namespace cli
}  // namespace winnow

#endif  // WINNOW_CLI_STATUS_H_

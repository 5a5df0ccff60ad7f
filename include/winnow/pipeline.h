// The one place that wires the stages: reader -> splitter (with the rule engine) -> repair ->
// filter -> tally -> writer. Nothing else knows more than its neighbours.
#ifndef WINNOW_PIPELINE_H_
#define WINNOW_PIPELINE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <string>

#include "winnow/diagnostic.h"
#include "winnow/reader.h"
#include "winnow/record_filter.h"
#include "winnow/record_sink.h"
#include "winnow/repair.h"
#include "winnow/rule_engine.h"
#include "winnow/splitter.h"
#include "winnow/text_normalize.h"

namespace winnow {

struct CleanOptions {
  ReaderOptions reader;
  SplitterOptions splitter;
  RepairOptions repair;
  FilterOptions filter;
  /// Polled between lines; returning true stops the run early (closed output, SIGINT).
  std::function<bool()> should_stop;
};

/// What a run did, for the summary line and for tests.
struct RunSummary {
  uint64_t files = 0;         ///< inputs read (fully or until stopped)
  uint64_t files_failed = 0;  ///< inputs that could not be opened or read
  uint64_t bytes = 0;
  uint64_t lines = 0;
  uint64_t invalid_bytes = 0;
  uint64_t records = 0;  ///< records found: emitted + dropped
  uint64_t emitted = 0;
  std::array<uint64_t, kDropReasonCount> dropped{};  ///< indexed by DropReason
  uint64_t lines_dropped = 0;

  /// "1 file, 31 records: 1 emitted, 29 truncated teasers, 1 duplicate".
  std::string Format() const;
};

class CleanPipeline {
 public:
  /// `engine`, `output` and `diagnostics` must outlive the pipeline. `output` receives
  /// emitted records; dropped ones go to `rejects` when it is not null.
  CleanPipeline(const RuleEngine& engine, const CleanOptions& options, RecordSink* output,
                DiagnosticSink* diagnostics, RecordSink* rejects = nullptr);
  ~CleanPipeline();

  /// Cleans the input at `path` ("-" is standard input). A file that cannot be opened or
  /// read is reported to the diagnostics sink and counted; returns false then.
  bool CleanPath(const std::string& path);
  /// Cleans one already opened source named `name`.
  bool CleanSource(const std::string& name, ByteSource* source);

  const RunSummary& summary() const { return summary_; }
  bool stopped() const { return stopped_; }

 private:
  class Tally;

  CleanOptions options_;
  DiagnosticSink* diagnostics_;
  TextNormalizer normalizer_;
  std::unique_ptr<Tally> tally_;
  RecordFilter filter_;
  RepairStage repair_;
  Splitter splitter_;
  RunSummary summary_;
  bool stopped_ = false;
};

}  // namespace winnow

#endif  // WINNOW_PIPELINE_H_

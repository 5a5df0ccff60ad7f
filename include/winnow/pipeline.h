// The one place that wires the stages: input -> decompression -> encoding -> reader ->
// splitter (with the rule engine) -> repair -> filter -> run-wide dedup -> tally -> writer.
// Inputs may be cleaned on several threads; everything after the per-input filter runs in
// input order, one thread at a time, so the output does not depend on the thread count.
#ifndef WINNOW_PIPELINE_H_
#define WINNOW_PIPELINE_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "winnow/diagnostic.h"
#include "winnow/encoding.h"
#include "winnow/input_list.h"
#include "winnow/reader.h"
#include "winnow/record_filter.h"
#include "winnow/record_sink.h"
#include "winnow/repair.h"
#include "winnow/rule_engine.h"
#include "winnow/splitter.h"

namespace winnow {

/// Where a run is, for a progress display.
struct RunProgress {
  uint64_t files_done = 0;
  uint64_t files_total = 0;
  uint64_t input_bytes = 0;  ///< bytes read from the inputs so far, before decompression
};

struct CleanOptions {
  ReaderOptions reader;
  SplitterOptions splitter;
  RepairOptions repair;
  FilterOptions filter;
  EncodingOptions encoding;
  /// Threads that clean inputs; 1 cleans on the calling thread. With more, one more thread
  /// cuts the inputs into segments; the thread of the oldest segment not yet merged merges
  /// (dedup, tally, writer), and the calling thread reports diagnostics and progress.
  unsigned threads = 1;
  /// Engines compiled from the same rules as the pipeline's, for the cleaning threads after
  /// the first, one each as far as they go; the rest share the pipeline's. Threads that
  /// share an engine share its RE2 DFAs and their lock: with an engine each, two threads'
  /// cleaning took about 1.5% less CPU (see README, issue 6). Must outlive the pipeline.
  std::vector<const RuleEngine*> thread_engines;
  /// With several threads, inputs longer than this are cut into segments of about this
  /// size (before a page start) that are cleaned in parallel.
  size_t segment_bytes = 1024 * 1024;
  /// What a segment's thread may queue (records and their text, in bytes) before its segment
  /// is the oldest and it merges them: a few segments' worth, so threads rarely wait, while
  /// an input streamed whole behind a slow one cannot fill memory.
  size_t max_buffered_bytes = 4 * 1024 * 1024;
  /// Polled now and then; returning true stops the run early (closed output, SIGINT).
  /// Called by the thread that merges at the time (the one that writes the output), one
  /// thread at a time.
  std::function<bool()> should_stop;
  /// Called on the calling thread now and then while the run goes on.
  std::function<void(const RunProgress&)> progress;
  /// Called, in input order, for each input skipped as binary (a hook for a rejects list), by
  /// the thread that merges at the time.
  std::function<void(const std::string& path, const std::string& reason)> skipped_input;
};

/// What a run did, for the summary line, --stats and tests.
struct RunSummary {
  uint64_t files = 0;         ///< inputs read (fully or until stopped)
  uint64_t files_failed = 0;  ///< inputs that could not be opened or read
  uint64_t files_binary = 0;  ///< inputs skipped as binary
  uint64_t input_bytes = 0;   ///< bytes read from the inputs, before decompression
  uint64_t bytes = 0;         ///< bytes of text read (after decompression and conversion)
  uint64_t lines = 0;
  uint64_t invalid_bytes = 0;
  uint64_t records = 0;  ///< records found: emitted + dropped
  uint64_t emitted = 0;
  std::array<uint64_t, kDropReasonCount> dropped{};  ///< indexed by DropReason
  uint64_t lines_dropped = 0;
  std::map<std::string, uint64_t> encodings;  ///< inputs read per encoding
  std::map<std::string, uint64_t> rule_hits;  ///< lines each rule dropped, all records
  RepairCounts repairs;                       ///< summed over the emitted records

  /// "1 file, 31 records: 1 emitted, 29 truncated teasers, 1 duplicate".
  std::string Format() const;
};

/// Builds the tables the stages after the splitter make on first use (ICU code point sets,
/// the GBK mojibake tables: about 2 ms) by cleaning a record of one line with them. A run on
/// several threads calls it on one core while the rules compile on the other; otherwise the
/// cleaning threads would build the tables after the rules, with the second core idle.
/// Thread-safe.
void PrepareCleaningTables(const CleanOptions& options);

class CleanPipeline {
 public:
  /// `engine`, `output` and `diagnostics` must outlive the pipeline. `output` receives
  /// emitted records; dropped ones go to `rejects` when it is not null. Both are called in
  /// input order, one thread at a time, but with several threads not always the same one;
  /// `diagnostics` is called on the calling thread only.
  CleanPipeline(const RuleEngine& engine, const CleanOptions& options, RecordSink* output,
                DiagnosticSink* diagnostics, RecordSink* rejects = nullptr);
  ~CleanPipeline();

  /// Cleans `inputs` in order on options.threads threads. Records, diagnostics and the
  /// summary come out exactly as a one-thread run gives them. Returns false when any input
  /// could not be read.
  bool CleanInputs(const std::vector<InputFile>& inputs);
  /// Cleans the input at `path` ("-" is standard input). A file that cannot be opened or
  /// read is reported to the diagnostics sink and counted; returns false then.
  bool CleanPath(const std::string& path);
  /// Cleans one already opened source named `name`.
  bool CleanSource(const std::string& name, ByteSource* source);

  const RunSummary& summary() const { return summary_; }
  bool stopped() const { return stopped_; }

 private:
  class Merge;
  class FileCleaner;

  void ReportProgress();

  const RuleEngine& engine_;
  CleanOptions options_;
  bool keep_rejected_;
  std::unique_ptr<Merge> merge_;
  std::unique_ptr<FileCleaner> cleaner_;  // the calling thread's, made on first use
  std::atomic<uint64_t> input_bytes_{0};
  uint64_t files_total_ = 0;
  RunSummary summary_;
  bool stopped_ = false;
};

}  // namespace winnow

#endif  // WINNOW_PIPELINE_H_

#include "winnow/pipeline.h"

#include <utility>

namespace winnow {

// Counts every record by fate and hands it on: emitted ones to the output, dropped ones to
// the rejects sink.
class CleanPipeline::Tally : public RecordSink {
 public:
  Tally(RunSummary* summary, RecordSink* output, RecordSink* rejects)
      : summary_(summary), output_(output), rejects_(rejects) {}

  void Accept(Record&& record) override {
    ++summary_->records;
    ++summary_->emitted;
    output_->Accept(std::move(record));
  }

  void Reject(Record&& record, DropReason reason, const std::string& detail) override {
    ++summary_->records;
    ++summary_->dropped[static_cast<size_t>(reason)];
    if (rejects_ != nullptr) rejects_->Reject(std::move(record), reason, detail);
  }

 private:
  RunSummary* summary_;
  RecordSink* output_;
  RecordSink* rejects_;
};

namespace {

std::string Plural(uint64_t n, const std::string& noun) {
  std::string text = std::to_string(n) + " " + noun;
  if (n != 1) text += noun.back() == 's' ? "es" : "s";
  return text;
}

}  // namespace

std::string RunSummary::Format() const {
  std::string text = Plural(files, "file") + ", " + Plural(records, "record") + ": " +
                     std::to_string(emitted) + " emitted";
  for (size_t i = 0; i < dropped.size(); ++i) {
    if (dropped[i] == 0) continue;
    text += ", " + Plural(dropped[i], DropReasonName(static_cast<DropReason>(i)));
  }
  if (files_failed > 0) text += "; " + Plural(files_failed, "input") + " not read";
  return text;
}

CleanPipeline::CleanPipeline(const RuleEngine& engine, const CleanOptions& options,
                             RecordSink* output, DiagnosticSink* diagnostics,
                             RecordSink* rejects)
    : options_(options),
      diagnostics_(diagnostics),
      tally_(std::make_unique<Tally>(&summary_, output, rejects)),
      filter_(options.filter, &normalizer_, tally_.get()),
      repair_(options.repair, &normalizer_, &filter_),
      splitter_(engine, &normalizer_, &repair_, options.splitter) {}

CleanPipeline::~CleanPipeline() = default;

bool CleanPipeline::CleanPath(const std::string& path) {
  std::unique_ptr<ByteSource> source;
  if (path == "-") {
    source = OpenStdinSource();
  } else {
    std::string error;
    source = OpenFileSource(path, &error);
    if (source == nullptr) {
      ++summary_.files_failed;
      diagnostics_->Report(Diagnostic{Severity::kError, path, 0, 0, false, error});
      return false;
    }
  }
  return CleanSource(path, source.get());
}

bool CleanPipeline::CleanSource(const std::string& name, ByteSource* source) {
  LineReader reader(source, options_.reader);
  splitter_.BeginSource(name);
  std::string_view line;
  uint64_t line_number = 0;
  uint64_t since_poll = 0;
  while (reader.Next(&line, &line_number)) {
    splitter_.AddLine(line, line_number);
    if (options_.should_stop && ++since_poll >= 256) {
      since_poll = 0;
      if (options_.should_stop()) {
        stopped_ = true;
        break;
      }
    }
  }
  splitter_.EndSource();
  const ReaderStats& stats = reader.stats();
  summary_.bytes += stats.bytes;
  summary_.lines += stats.lines;
  summary_.invalid_bytes += stats.invalid_bytes;
  summary_.lines_dropped = splitter_.stats().lines_dropped;
  if (stats.has_invalid) {
    diagnostics_->Report(Diagnostic{
        Severity::kWarning, name, stats.first_invalid_line, stats.first_invalid_offset, true,
        "invalid UTF-8; " + std::to_string(stats.invalid_bytes) +
            (stats.invalid_bytes == 1 ? " sequence" : " sequences") +
            " replaced with U+FFFD"});
  }
  // An empty file is no error, but in a corpus it is usually a failed download.
  if (reader.ok() && stats.bytes == 0) {
    diagnostics_->Report(Diagnostic{Severity::kWarning, name, 0, 0, false, "empty input"});
  }
  if (stats.lines_cut > 0) {
    diagnostics_->Report(Diagnostic{
        Severity::kWarning, name, 0, 0, false,
        std::to_string(stats.lines_cut) + " overlong line" + (stats.lines_cut == 1 ? "" : "s") +
            " cut at " + std::to_string(options_.reader.max_line_bytes) + " bytes"});
  }
  if (!reader.ok()) {
    ++summary_.files_failed;
    diagnostics_->Report(Diagnostic{Severity::kError, name, 0, 0, false, reader.error()});
    return false;
  }
  ++summary_.files;
  return true;
}

}  // namespace winnow

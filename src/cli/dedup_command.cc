#include "cli/dedup_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command_output.h"
#include "cli/exit_codes.h"
#include "cli/interrupt.h"
#include "cli/stderr_reporter.h"
#include "winnow/fingerprint.h"
#include "winnow/input_list.h"
#include "winnow/output_file.h"
#include "winnow/reader.h"
#include "winnow/record_filter.h"
#include "winnow/text_normalize.h"

namespace winnow {
namespace cli {
namespace {

// Drops nothing; RecordFilter needs a next stage even when only its DedupView is used.
class NoSink : public RecordSink {
 public:
  void Accept(Record&&) override {}
  void Reject(Record&&, DropReason, const std::string&) override {}
};

// One JSONL input, read a record at a time.
class JsonlStream {
 public:
  JsonlStream(std::string name, std::unique_ptr<ByteSource> source)
      : name_(std::move(name)), source_(std::move(source)), reader_(source_.get(), Options()) {}

  /// Reads the next record. Returns false at the end, or on an error (then error() is set).
  bool Next() {
    std::string_view line;
    uint64_t number = 0;
    while (reader_.Next(&line, &number)) {
      if (line.empty()) continue;
      line_.assign(line);
      const nlohmann::json record = nlohmann::json::parse(line_, nullptr, false);
      if (record.is_discarded() || !record.is_object() || !record.contains("source") ||
          !record["source"].is_string() || !record.contains("title") ||
          !record.contains("text") || !record["page"].is_number_unsigned() ||
          !record["record"].is_number_unsigned()) {
        error_ = Diagnostic{Severity::kError, name_, number, 0, false,
                            "not a record of winnow clean's JSONL output"};
        return false;
      }
      source_path_ = record["source"].get<std::string>();
      page_ = record["page"].get<uint64_t>();
      index_ = record["record"].get<uint64_t>();
      title_ = record["title"].is_string() ? record["title"].get<std::string>() : "";
      text_ = record["text"].is_string() ? record["text"].get<std::string>() : "";
      return true;
    }
    if (!reader_.ok()) error_ = Diagnostic{Severity::kError, name_, 0, 0, false, reader_.error()};
    return false;
  }

  /// True when this stream's record comes before `other`'s in a single run's output.
  bool Before(const JsonlStream& other) const {
    if (source_path_ != other.source_path_) {
      return WalkOrderLess(source_path_, other.source_path_);
    }
    if (page_ != other.page_) return page_ < other.page_;
    return index_ < other.index_;
  }

  const std::string& line() const { return line_; }
  const std::string& title() const { return title_; }
  const std::string& text() const { return text_; }
  const Diagnostic* error() const { return error_.message.empty() ? nullptr : &error_; }

 private:
  static ReaderOptions Options() {
    ReaderOptions options;
    options.max_line_bytes = SIZE_MAX;  // a record is one line, however long
    return options;
  }

  std::string name_;
  std::unique_ptr<ByteSource> source_;
  LineReader reader_;
  std::string line_;
  std::string source_path_;
  uint64_t page_ = 0;
  uint64_t index_ = 0;
  std::string title_;
  std::string text_;
  Diagnostic error_;
};

}  // namespace

CLI::App* AddDedupCommand(CLI::App* app, DedupCommandOptions* options) {
  CLI::App* dedup = app->add_subcommand(
      "dedup",
      "Merge JSONL outputs of 'winnow clean' (e.g. of --shard jobs) in input order, dropping "
      "records that repeat an earlier one, as a single run would.");
  dedup->add_option("inputs", options->inputs, "JSONL files; '-' or none reads standard input");
  dedup->add_option("-o,--output", options->output,
                    "Write to FILE (via a temporary file renamed at the end)");
  dedup->add_flag("-q,--quiet", options->quiet, "No summary line");
  dedup->footer(
      "Examples:\n"
      "  winnow dedup shard-*.jsonl > corpus.jsonl\n"
      "  cat old.jsonl new.jsonl | winnow dedup - > corpus.jsonl\n");
  return dedup;
}

int RunDedupCommand(const DedupCommandOptions& options) {
  StderrReporter reporter(options.quiet);
  std::vector<std::string> inputs = options.inputs;
  if (inputs.empty()) inputs.push_back("-");
  std::vector<std::unique_ptr<JsonlStream>> streams;
  for (const std::string& input : inputs) {
    std::unique_ptr<ByteSource> source;
    std::string error;
    source = input == "-" ? OpenStdinSource() : OpenFileSource(input, &error);
    if (source == nullptr) {
      reporter.Report(Diagnostic{Severity::kError, input, 0, 0, false, error});
      return kExitError;
    }
    streams.push_back(std::make_unique<JsonlStream>(input, std::move(source)));
  }

  std::unique_ptr<CommandOutput> output = CommandOutput::Open(options.output, "output", &reporter);
  if (output == nullptr) return kExitError;
  OutputStream* out = output->stream();
  InstallInterruptHandler();

  std::vector<JsonlStream*> live;
  for (auto& stream : streams) {
    if (stream->Next()) {
      live.push_back(stream.get());
    } else if (stream->error() != nullptr) {
      reporter.Report(*stream->error());
      return kExitError;
    }
  }
  TextNormalizer normalizer;
  NoSink no_sink;
  RecordFilter views(FilterOptions(), &normalizer, &no_sink);
  FingerprintSet seen;
  std::string title_view;
  std::string text_view;
  uint64_t records = 0;
  uint64_t duplicates = 0;
  while (!live.empty() && out->ok() && !InterruptRequested()) {
    size_t first = 0;
    for (size_t i = 1; i < live.size(); ++i) {
      if (live[i]->Before(*live[first])) first = i;
    }
    JsonlStream* stream = live[first];
    // The same key as the run-wide dedup of `winnow clean` (RecordFilter and
    // RunDeduplicator): the dedup views of title and text.
    views.DedupView(stream->title(), &title_view);
    views.DedupView(stream->text(), &text_view);
    title_view.push_back('\x1f');
    title_view += text_view;
    ++records;
    if (seen.Insert(Fingerprint128(title_view))) {
      out->Write(stream->line());
      out->Write("\n");
    } else {
      ++duplicates;
    }
    if (!stream->Next()) {
      if (stream->error() != nullptr) {
        reporter.Report(*stream->error());
        return kExitError;
      }
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(first));
    }
  }
  if (InterruptRequested()) {
    output->Abort();
    reporter.Report(Diagnostic{Severity::kError, "", 0, 0, false, "interrupted"});
    return kExitInterrupted;
  }
  if (out->closed()) return kExitOk;
  if (!output->Finish(&reporter)) return kExitError;
  if (out->closed()) return kExitOk;
  reporter.Summary(std::to_string(records) + " records: " +
                   std::to_string(records - duplicates) + " kept, " +
                   std::to_string(duplicates) + (duplicates == 1 ? " duplicate" : " duplicates"));
  return kExitOk;
}

}  // namespace cli
}  // namespace winnow

#include "winnow/pipeline.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "winnow/compressed_source.h"
#include "winnow/splitter.h"
#include "winnow/text_normalize.h"

namespace winnow {
namespace {

/// What became of one input, handed to the merge after its last record.
struct InputOutcome {
  bool failed = false;
  bool binary = false;
  bool stopped = false;
  std::string encoding;
  uint64_t bytes = 0;
  uint64_t lines = 0;
  uint64_t invalid_bytes = 0;
  uint64_t lines_dropped = 0;
};

/// One unit of a cleaned input on its way from the input's thread to the in-order merge.
struct CleanedItem {
  enum class Kind { kAccept, kReject, kDiagnostic, kSkipped, kEnd };
  Kind kind = Kind::kEnd;
  Record record;
  DropReason reason = DropReason::kEmpty;
  std::string detail;
  Diagnostic diagnostic;
  InputOutcome outcome;
};

class ItemSink {
 public:
  virtual ~ItemSink() = default;
  virtual void Push(CleanedItem&& item) = 0;
};

// Counts the raw bytes read from an input, for the progress display.
class CountingSource : public ByteSource {
 public:
  CountingSource(std::unique_ptr<ByteSource> inner, std::atomic<uint64_t>* counter)
      : inner_(std::move(inner)), counter_(counter) {}
  long Read(char* buffer, size_t size) override {
    const long n = inner_->Read(buffer, size);
    if (n > 0) counter_->fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
    return n;
  }
  std::string error() const override { return inner_->error(); }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::atomic<uint64_t>* counter_;
};

// Does not own the source it reads from (CleanSource's caller keeps it).
class BorrowedSource : public ByteSource {
 public:
  explicit BorrowedSource(ByteSource* inner) : inner_(inner) {}
  long Read(char* buffer, size_t size) override { return inner_->Read(buffer, size); }
  std::string error() const override { return inner_->error(); }

 private:
  ByteSource* inner_;
};

std::string Plural(uint64_t n, const std::string& noun) {
  std::string text = std::to_string(n) + " " + noun;
  if (n != 1) text += noun.back() == 's' ? "es" : "s";
  return text;
}

void AddRepairs(const RepairCounts& from, RepairCounts* to) {
  to->entities += from.entities;
  to->odd_spaces += from.odd_spaces;
  to->zero_width += from.zero_width;
  to->controls += from.controls;
  to->normalized += from.normalized;
  to->width_folded += from.width_folded;
  to->invalid_bytes += from.invalid_bytes;
}

}  // namespace

// Everything after the per-input filter, on the calling thread, in input order: run-wide
// dedup, the tally of fates, the writer, diagnostics.
class CleanPipeline::Merge : public ItemSink, private RecordSink {
 public:
  Merge(const CleanOptions& options, RecordSink* output, DiagnosticSink* diagnostics,
        RecordSink* rejects, RunSummary* summary)
      : options_(options),
        output_(output),
        diagnostics_(diagnostics),
        rejects_(rejects),
        summary_(summary),
        dedup_(options.filter, this) {}

  void Push(CleanedItem&& item) override {
    switch (item.kind) {
      case CleanedItem::Kind::kAccept:
        dedup_.Accept(std::move(item.record));
        break;
      case CleanedItem::Kind::kReject:
        Reject(std::move(item.record), item.reason, item.detail);
        break;
      case CleanedItem::Kind::kDiagnostic:
        diagnostics_->Report(item.diagnostic);
        break;
      case CleanedItem::Kind::kSkipped:
        if (options_.skipped_input) options_.skipped_input(item.diagnostic.file, item.detail);
        break;
      case CleanedItem::Kind::kEnd:
        End(item.outcome);
        break;
    }
  }

  bool stopped() const { return stopped_; }
  uint64_t inputs_done() const { return inputs_done_; }

 private:
  void Accept(Record&& record) override {
    Count(record);
    ++summary_->emitted;
    output_->Accept(std::move(record));
  }

  void Reject(Record&& record, DropReason reason, const std::string& detail) override {
    Count(record);
    ++summary_->dropped[static_cast<size_t>(reason)];
    if (rejects_ != nullptr) rejects_->Reject(std::move(record), reason, detail);
  }

  void Count(const Record& record) {
    ++summary_->records;
    for (const auto& [id, hits] : record.rule_hits) summary_->rule_hits[id] += hits;
    AddRepairs(record.repairs, &summary_->repairs);
  }

  void End(const InputOutcome& outcome) {
    ++inputs_done_;
    summary_->bytes += outcome.bytes;
    summary_->lines += outcome.lines;
    summary_->invalid_bytes += outcome.invalid_bytes;
    summary_->lines_dropped += outcome.lines_dropped;
    if (outcome.stopped) stopped_ = true;
    if (outcome.failed) {
      ++summary_->files_failed;
    } else if (outcome.binary) {
      ++summary_->files_binary;
    } else {
      ++summary_->files;
      ++summary_->encodings[outcome.encoding];
    }
  }

  const CleanOptions& options_;
  RecordSink* output_;
  DiagnosticSink* diagnostics_;
  RecordSink* rejects_;
  RunSummary* summary_;
  RunDeduplicator dedup_;
  bool stopped_ = false;
  uint64_t inputs_done_ = 0;
};

// Reads and cleans one input at a time, up to the per-input filter, and pushes what it
// finds into an ItemSink. One per thread: it owns the stages' scratch state.
class CleanPipeline::FileCleaner : private RecordSink, private DiagnosticSink {
 public:
  FileCleaner(const RuleEngine& engine, const CleanOptions& options,
              std::atomic<uint64_t>* input_bytes, std::function<bool()> should_stop)
      : options_(options),
        input_bytes_(input_bytes),
        should_stop_(std::move(should_stop)),
        filter_(options.filter, &normalizer_, this),
        repair_(options.repair, &normalizer_, &filter_),
        splitter_(engine, &normalizer_, &repair_) {}

  void CleanInput(const InputFile& input, ItemSink* out) {
    std::unique_ptr<ByteSource> source;
    if (input.path == "-") {
      source = OpenStdinSource();
    } else {
      std::string error;
      source = OpenFileSource(input.path, &error);
      if (source == nullptr) {
        Fail(input.path, error, out);
        return;
      }
    }
    source = std::make_unique<CountingSource>(std::move(source), input_bytes_);
    CleanOpened(input.path, std::move(source), input.named, out);
  }

  void CleanOpened(const std::string& name, std::unique_ptr<ByteSource> source, bool named,
                   ItemSink* out) {
    out_ = out;
    std::string error;
    source = OpenDecompressingSource(std::move(source), nullptr, &error);
    if (source == nullptr) {
      Fail(name, error, out);
      return;
    }
    std::unique_ptr<TextSource> text = TextSource::Open(std::move(source), options_.encoding,
                                                        &error);
    if (text == nullptr) {
      Fail(name, error, out);
      return;
    }
    const EncodingGuess& guess = text->guess();
    InputOutcome outcome;
    if (guess.binary && !(options_.encoding.binary == BinaryPolicy::kText && named)) {
      const std::string reason = "binary file (NUL bytes or control characters)";
      Report(Diagnostic{Severity::kWarning, name, 0, 0, false,
                        reason + "; skipped (--binary=text reads it when named)"});
      CleanedItem skipped;
      skipped.kind = CleanedItem::Kind::kSkipped;
      skipped.diagnostic.file = name;
      skipped.detail = reason;
      out->Push(std::move(skipped));
      outcome.binary = true;
      End(std::move(outcome), out);
      return;
    }
    if (guess.basis == EncodingBasis::kFallback) {
      Report(Diagnostic{Severity::kWarning, name, 0, 0, false,
                        "encoding not recognised (not UTF-8, UTF-16, GB18030 or Big5); read "
                        "as UTF-8 (--encoding NAME says what it is)"});
    }
    encoding_ = guess.encoding;
    ReadLines(name, text.get(), &outcome);
    if (text->replacements() > 0) {
      outcome.invalid_bytes += text->replacements();
      Report(Diagnostic{Severity::kWarning, name, 0, 0, false,
                        std::to_string(text->replacements()) +
                            (text->replacements() == 1 ? " sequence" : " sequences") +
                            " not valid " + guess.encoding + " replaced with U+FFFD"});
    }
    outcome.encoding = guess.encoding;
    End(std::move(outcome), out);
  }

 private:
  void ReadLines(const std::string& name, ByteSource* source, InputOutcome* outcome) {
    LineReader reader(source, options_.reader);
    const uint64_t dropped_before = splitter_.stats().lines_dropped;
    splitter_.BeginSource(name);
    std::string_view line;
    uint64_t line_number = 0;
    uint64_t since_poll = 0;
    while (reader.Next(&line, &line_number)) {
      splitter_.AddLine(line, line_number);
      if (should_stop_ && ++since_poll >= 256) {
        since_poll = 0;
        if (should_stop_()) {
          outcome->stopped = true;
          break;
        }
      }
    }
    splitter_.EndSource();
    const ReaderStats& stats = reader.stats();
    outcome->bytes = stats.bytes;
    outcome->lines = stats.lines;
    outcome->invalid_bytes = stats.invalid_bytes;
    outcome->lines_dropped = splitter_.stats().lines_dropped - dropped_before;
    if (stats.has_invalid) {
      Report(Diagnostic{
          Severity::kWarning, name, stats.first_invalid_line, stats.first_invalid_offset, true,
          "invalid UTF-8; " + std::to_string(stats.invalid_bytes) +
              (stats.invalid_bytes == 1 ? " sequence" : " sequences") +
              " replaced with U+FFFD"});
    }
    if (stats.lines_cut > 0) {
      Report(Diagnostic{Severity::kWarning, name, 0, 0, false,
                        std::to_string(stats.lines_cut) + " overlong line" +
                            (stats.lines_cut == 1 ? "" : "s") + " cut at " +
                            std::to_string(options_.reader.max_line_bytes) + " bytes"});
    }
    if (!reader.ok()) {
      outcome->failed = true;
      Report(Diagnostic{Severity::kError, name, 0, 0, false, reader.error()});
    }
  }

  void Fail(const std::string& name, const std::string& error, ItemSink* out) {
    out_ = out;
    Report(Diagnostic{Severity::kError, name, 0, 0, false, error});
    InputOutcome outcome;
    outcome.failed = true;
    End(std::move(outcome), out);
  }

  void End(InputOutcome&& outcome, ItemSink* out) {
    CleanedItem item;
    item.kind = CleanedItem::Kind::kEnd;
    item.outcome = std::move(outcome);
    out->Push(std::move(item));
  }

  void Accept(Record&& record) override {
    CleanedItem item;
    item.kind = CleanedItem::Kind::kAccept;
    item.record = std::move(record);
    item.record.encoding = encoding_;
    out_->Push(std::move(item));
  }

  void Reject(Record&& record, DropReason reason, const std::string& detail) override {
    CleanedItem item;
    item.kind = CleanedItem::Kind::kReject;
    item.record = std::move(record);
    item.record.encoding = encoding_;
    item.reason = reason;
    item.detail = detail;
    out_->Push(std::move(item));
  }

  void Report(const Diagnostic& diagnostic) override {
    CleanedItem item;
    item.kind = CleanedItem::Kind::kDiagnostic;
    item.diagnostic = diagnostic;
    out_->Push(std::move(item));
  }

  const CleanOptions& options_;
  std::atomic<uint64_t>* input_bytes_;
  std::function<bool()> should_stop_;
  TextNormalizer normalizer_;
  RecordFilter filter_;
  RepairStage repair_;
  Splitter splitter_;
  ItemSink* out_ = nullptr;
  std::string encoding_;
};

namespace {

// The items of one input, from its thread to the merge. The thread waits while more than
// `max_bytes` of text are queued, so a long input behind a slow one cannot fill memory.
class InputQueue : public ItemSink {
 public:
  InputQueue(size_t max_bytes, const std::atomic<bool>* cancel)
      : max_bytes_(max_bytes), cancel_(cancel) {}

  void Push(CleanedItem&& item) override {
    size_t size = item.record.title.size() + 64;
    for (const BodyLine& line : item.record.body) size += line.text.size() + 16;
    std::unique_lock<std::mutex> lock(mutex_);
    if (item.kind == CleanedItem::Kind::kEnd) done_ = true;
    items_.push_back(std::move(item));
    bytes_ += size;
    changed_.notify_all();
    changed_.wait(lock, [this] { return bytes_ <= max_bytes_ || cancel_->load(); });
  }

  /// Moves the queued items into `*items`, waiting up to `timeout` for some. Returns true
  /// when the input's last item has been taken.
  bool Take(std::deque<CleanedItem>* items, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, timeout, [this] { return !items_.empty(); });
    items->swap(items_);
    items_.clear();
    bytes_ = 0;
    const bool finished = done_;  // the end item is the last one an input pushes
    changed_.notify_all();
    return finished;
  }

  void Wake() {
    std::lock_guard<std::mutex> lock(mutex_);
    changed_.notify_all();
  }

 private:
  const size_t max_bytes_;
  const std::atomic<bool>* cancel_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<CleanedItem> items_;
  size_t bytes_ = 0;
  bool done_ = false;
};

}  // namespace

std::string RunSummary::Format() const {
  std::string text = Plural(files, "file") + ", " + Plural(records, "record") + ": " +
                     std::to_string(emitted) + " emitted";
  for (size_t i = 0; i < dropped.size(); ++i) {
    if (dropped[i] == 0) continue;
    text += ", " + Plural(dropped[i], DropReasonName(static_cast<DropReason>(i)));
  }
  if (files_binary > 0) text += "; " + Plural(files_binary, "binary file") + " skipped";
  if (files_failed > 0) text += "; " + Plural(files_failed, "input") + " not read";
  return text;
}

CleanPipeline::CleanPipeline(const RuleEngine& engine, const CleanOptions& options,
                             RecordSink* output, DiagnosticSink* diagnostics,
                             RecordSink* rejects)
    : engine_(engine),
      options_(options),
      merge_(std::make_unique<Merge>(options_, output, diagnostics, rejects, &summary_)) {}

CleanPipeline::~CleanPipeline() = default;

bool CleanPipeline::CleanInputs(const std::vector<InputFile>& inputs) {
  const uint64_t failed_before = summary_.files_failed;
  files_total_ += inputs.size();
  const auto report_progress = [this] { ReportProgress(); };
  if (options_.threads <= 1 || inputs.size() <= 1) {
    if (cleaner_ == nullptr) {
      std::function<bool()> poll = [this, report_progress] {
        report_progress();
        return options_.should_stop && options_.should_stop();
      };
      cleaner_ = std::make_unique<FileCleaner>(engine_, options_, &input_bytes_, poll);
    }
    for (const InputFile& input : inputs) {
      cleaner_->CleanInput(input, merge_.get());
      report_progress();
      if (merge_->stopped()) break;
    }
    stopped_ = merge_->stopped();
    summary_.input_bytes = input_bytes_.load();
    return summary_.files_failed == failed_before;
  }

  std::atomic<bool> cancel{false};
  std::atomic<size_t> next{0};
  std::vector<std::unique_ptr<InputQueue>> queues;
  for (size_t i = 0; i < inputs.size(); ++i) {
    queues.push_back(std::make_unique<InputQueue>(options_.max_buffered_bytes, &cancel));
  }
  std::vector<std::thread> threads;
  const unsigned count =
      static_cast<unsigned>(std::min<size_t>(options_.threads, inputs.size()));
  for (unsigned t = 0; t < count; ++t) {
    threads.emplace_back([&] {
      FileCleaner cleaner(engine_, options_, &input_bytes_, [&cancel] { return cancel.load(); });
      for (size_t i = next++; i < inputs.size() && !cancel.load(); i = next++) {
        cleaner.CleanInput(inputs[i], queues[i].get());
      }
    });
  }
  std::deque<CleanedItem> items;
  for (size_t i = 0; i < inputs.size() && !cancel.load(); ++i) {
    bool finished = false;
    while (!finished) {
      finished = queues[i]->Take(&items, std::chrono::milliseconds(100));
      for (CleanedItem& item : items) merge_->Push(std::move(item));
      items.clear();
      report_progress();
      if (merge_->stopped() || (options_.should_stop && options_.should_stop())) {
        stopped_ = true;
        cancel = true;
        break;
      }
    }
  }
  cancel = true;
  for (auto& queue : queues) queue->Wake();
  for (std::thread& thread : threads) thread.join();
  summary_.input_bytes = input_bytes_.load();
  return summary_.files_failed == failed_before;
}

void CleanPipeline::ReportProgress() {
  if (!options_.progress) return;
  RunProgress progress;
  progress.files_done = merge_->inputs_done();
  progress.files_total = files_total_;
  progress.input_bytes = input_bytes_.load(std::memory_order_relaxed);
  options_.progress(progress);
}

bool CleanPipeline::CleanPath(const std::string& path) {
  return CleanInputs({InputFile{path, true}});
}

bool CleanPipeline::CleanSource(const std::string& name, ByteSource* source) {
  const uint64_t failed_before = summary_.files_failed;
  if (cleaner_ == nullptr) {
    cleaner_ = std::make_unique<FileCleaner>(engine_, options_, &input_bytes_,
                                             options_.should_stop);
  }
  cleaner_->CleanOpened(name, std::make_unique<BorrowedSource>(source), true, merge_.get());
  stopped_ = merge_->stopped();
  return summary_.files_failed == failed_before;
}

}  // namespace winnow

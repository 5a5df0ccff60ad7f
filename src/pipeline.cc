#include "winnow/pipeline.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "winnow/compressed_source.h"
#include "winnow/splitter.h"
#include "winnow/text_normalize.h"

namespace winnow {
namespace {

/// What became of one input, or of one segment of it, handed to the merge after its last
/// record. The merge adds up an input's segments and reports the sums at its last one, so
/// the messages do not depend on how the input was cut.
struct InputOutcome {
  std::string name;  ///< the input's path
  bool last = true;  ///< the input's last (or only) segment
  bool failed = false;
  bool binary = false;
  bool stopped = false;
  std::string encoding;
  std::string read_error;
  uint64_t bytes = 0;
  uint64_t lines = 0;
  uint64_t pages = 0;
  uint64_t invalid_utf8 = 0;  ///< U+FFFD the reader put in
  bool has_invalid = false;
  uint64_t first_invalid_line = 0;
  uint64_t first_invalid_offset = 0;
  uint64_t lines_cut = 0;
  uint64_t long_lines = 0;
  uint64_t replacements = 0;  ///< U+FFFD the encoding converter put in
  uint64_t lines_dropped = 0;

  /// Whole lines in the segments added so far: the line numbers of the next segment,
  /// which its thread counted from its own start, go on from there.
  uint64_t whole_lines() const { return lines - lines_cut; }

  /// Adds a later segment's counts.
  void Add(const InputOutcome& later) {
    failed = failed || later.failed;
    stopped = stopped || later.stopped;
    if (read_error.empty()) read_error = later.read_error;
    if (!has_invalid && later.has_invalid) {
      has_invalid = true;
      first_invalid_line = whole_lines() + later.first_invalid_line;
      first_invalid_offset = later.first_invalid_offset;
    }
    bytes += later.bytes;
    lines += later.lines;
    pages += later.pages;
    invalid_utf8 += later.invalid_utf8;
    lines_cut += later.lines_cut;
    long_lines += later.long_lines;
    replacements += later.replacements;
    lines_dropped += later.lines_dropped;
  }
};

/// What the run's summary counts of dropped records no one keeps, summed on the cleaning
/// thread: sums do not depend on order, and most records of a dump are dropped teasers.
struct DropTally {
  uint64_t records = 0;
  std::array<uint64_t, kDropReasonCount> dropped{};
  std::map<std::string, uint64_t> rule_hits;
};

/// One unit of a cleaned input on its way from the input's thread to the in-order merge.
struct CleanedItem {
  enum class Kind { kAccept, kReject, kDropTally, kDiagnostic, kSkipped, kEnd };
  Kind kind = Kind::kEnd;
  Record record;
  std::unique_ptr<DropTally> tally;  // kDropTally
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

// Counts the raw bytes read from an input, for the progress display and the summary, but
// not the first `uncounted` bytes: another source already counted them.
class CountingSource : public ByteSource {
 public:
  CountingSource(std::unique_ptr<ByteSource> inner, std::atomic<uint64_t>* counter,
                 uint64_t uncounted = 0)
      : inner_(std::move(inner)), counter_(counter), uncounted_(uncounted) {}
  long Read(char* buffer, size_t size) override {
    const long n = inner_->Read(buffer, size);
    if (n > 0) {
      const uint64_t skipped = std::min<uint64_t>(uncounted_, static_cast<uint64_t>(n));
      uncounted_ -= skipped;
      counted_ += static_cast<uint64_t>(n) - skipped;
      counter_->fetch_add(static_cast<uint64_t>(n) - skipped, std::memory_order_relaxed);
    }
    return n;
  }
  std::string error() const override { return inner_->error(); }
  /// The bytes this source counted.
  uint64_t counted() const { return counted_; }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::atomic<uint64_t>* counter_;
  uint64_t uncounted_;
  uint64_t counted_ = 0;
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

// Everything after the per-input filter, in input order, one thread at a time (the calling
// thread, or with several threads the one holding the turn): run-wide dedup, the tally of
// fates, the writer, diagnostics. Records of a segment of an input get
// back their page and line numbers within the whole input (their thread gave them the
// input's name).
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

  /// The items that follow belong to a segment of an input (false: a whole input, whose
  /// records need no renumbering).
  void BeginSegment(bool segment) { in_segment_ = segment; }

  void Push(CleanedItem&& item) override {
    switch (item.kind) {
      case CleanedItem::Kind::kAccept:
        Place(&item.record);
        dedup_.Accept(std::move(item.record));
        break;
      case CleanedItem::Kind::kReject:
        if (rejects_ != nullptr) Place(&item.record);
        Reject(std::move(item.record), item.reason, item.detail);
        break;
      case CleanedItem::Kind::kDropTally:
        AddTally(*item.tally);
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
  /// Read by the calling thread while another merges.
  uint64_t inputs_done() const { return inputs_done_.load(std::memory_order_relaxed); }
  DiagnosticSink* diagnostics() const { return diagnostics_; }
  /// Where diagnostics go from now on.
  void set_diagnostics(DiagnosticSink* diagnostics) { diagnostics_ = diagnostics; }

 private:
  void Place(Record* record) {
    if (!in_segment_ || !in_input_) return;
    // The segment's thread numbered pages and lines from the segment's start.
    record->page += input_.pages;
    const uint64_t lines = input_.whole_lines();
    const auto shift = [lines](uint64_t* line) {
      if (*line != 0) *line += lines;
    };
    shift(&record->title_line);
    for (BodyLine& line : record->body) shift(&line.line);
    for (DroppedLine& line : record->dropped_lines) shift(&line.line);
    for (CodeDamage& damage : record->code_damage) shift(&damage.line);
  }

  void Accept(Record&& record) override {
    Count(record);
    // What the output carries: dropped teasers may not have been repaired at all.
    AddRepairs(record.repairs, &summary_->repairs);
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
  }

  void AddTally(const DropTally& tally) {
    summary_->records += tally.records;
    for (size_t i = 0; i < tally.dropped.size(); ++i) summary_->dropped[i] += tally.dropped[i];
    for (const auto& [id, hits] : tally.rule_hits) summary_->rule_hits[id] += hits;
  }

  void End(const InputOutcome& outcome) {
    if (outcome.stopped) stopped_ = true;
    if (!in_input_) {
      input_ = outcome;
      in_input_ = true;
    } else {
      input_.Add(outcome);
    }
    if (!outcome.last) return;
    in_input_ = false;
    inputs_done_.fetch_add(1, std::memory_order_relaxed);
    const InputOutcome& in = input_;
    const std::string& name = in.name;
    summary_->bytes += in.bytes;
    summary_->lines += in.lines;
    summary_->invalid_bytes += in.invalid_utf8 + in.replacements;
    summary_->lines_dropped += in.lines_dropped;
    if (in.has_invalid) {
      diagnostics_->Report(Diagnostic{
          Severity::kWarning, name, in.first_invalid_line, in.first_invalid_offset, true,
          "invalid UTF-8; " + std::to_string(in.invalid_utf8) +
              (in.invalid_utf8 == 1 ? " sequence" : " sequences") + " replaced with U+FFFD"});
    }
    // An empty file is no error, but in a corpus it is usually a failed download.
    if (in.bytes == 0 && !in.failed && !in.binary && in.read_error.empty()) {
      diagnostics_->Report(Diagnostic{Severity::kWarning, name, 0, 0, false, "empty input"});
    }
    if (in.lines_cut > 0) {
      diagnostics_->Report(
          Diagnostic{Severity::kWarning, name, 0, 0, false,
                     DescribeCutLines(in.long_lines, in.lines_cut, options_.reader.max_line_bytes)});
    }
    if (in.replacements > 0) {
      diagnostics_->Report(Diagnostic{
          Severity::kWarning, name, 0, 0, false,
          std::to_string(in.replacements) +
              (in.replacements == 1 ? " sequence" : " sequences") + " not valid " +
              in.encoding + " replaced with U+FFFD"});
    }
    if (!in.read_error.empty()) {
      diagnostics_->Report(Diagnostic{Severity::kError, name, 0, 0, false, in.read_error});
    }
    if (in.failed) {
      ++summary_->files_failed;
    } else if (in.binary) {
      ++summary_->files_binary;
    } else {
      ++summary_->files;
      ++summary_->encodings[in.encoding];
    }
  }

  const CleanOptions& options_;
  RecordSink* output_;
  DiagnosticSink* diagnostics_;
  RecordSink* rejects_;
  RunSummary* summary_;
  RunDeduplicator dedup_;
  bool in_segment_ = false;
  InputOutcome input_;  // the sums of the current input's segments so far
  bool in_input_ = false;
  bool stopped_ = false;
  std::atomic<uint64_t> inputs_done_{0};
};

namespace {

/// Opens `input` up to UTF-8 text: file, decompression, encoding. Returns null when the run
/// must not read it (it failed to open, or is binary); then `*notes` say why and `*outcome`
/// is its final outcome. Warnings about a readable input (an unrecognised encoding) go to
/// `*notes` too. `*compression` (may be null) is set to the input's compression.
std::unique_ptr<TextSource> OpenText(const InputFile& input, const EncodingOptions& encoding,
                                     std::atomic<uint64_t>* input_bytes,
                                     std::unique_ptr<ByteSource> opened,
                                     std::vector<CleanedItem>* notes, InputOutcome* outcome,
                                     Compression* compression = nullptr) {
  const std::string& name = input.path;
  outcome->name = name;
  const auto note = [notes, &name](Severity severity, const std::string& message) {
    CleanedItem item;
    item.kind = CleanedItem::Kind::kDiagnostic;
    item.diagnostic = Diagnostic{severity, name, 0, 0, false, message};
    notes->push_back(std::move(item));
  };
  std::string error;
  std::unique_ptr<ByteSource> source = std::move(opened);
  if (source == nullptr) {
    if (name == "-") {
      source = OpenStdinSource();
    } else {
      source = OpenFileSource(name, &error);
    }
    if (source != nullptr) {
      source = std::make_unique<CountingSource>(std::move(source), input_bytes);
    }
  }
  if (source != nullptr) {
    source = OpenDecompressingSource(std::move(source), compression, &error);
  }
  std::unique_ptr<TextSource> text;
  if (source != nullptr) text = TextSource::Open(std::move(source), encoding, &error);
  if (text == nullptr) {
    note(Severity::kError, error);
    outcome->failed = true;
    return nullptr;
  }
  const EncodingGuess& guess = text->guess();
  outcome->encoding = guess.encoding;
  if (guess.binary && !(encoding.binary == BinaryPolicy::kText && input.named)) {
    const std::string reason = "binary file (NUL bytes or control characters)";
    note(Severity::kWarning, reason + "; skipped (--binary=text reads it when named)");
    CleanedItem skipped;
    skipped.kind = CleanedItem::Kind::kSkipped;
    skipped.diagnostic.file = name;
    skipped.detail = reason;
    notes->push_back(std::move(skipped));
    outcome->binary = true;
    return nullptr;
  }
  if (guess.basis == EncodingBasis::kFallback) {
    note(Severity::kWarning,
         "encoding not recognised (not UTF-8, UTF-16, GB18030 or Big5); read as UTF-8 "
         "(--encoding NAME says what it is)");
  }
  return text;
}

}  // namespace

// Reads and cleans one input, or one segment of one, at a time, up to the per-input filter,
// and pushes what it finds into an ItemSink. One per thread: it owns the stages' scratch
// state.
class CleanPipeline::FileCleaner : private RecordSink {
 public:
  /// `keep_rejected`: dropped records go on whole (a rejects sink wants them); otherwise
  /// only what the tally counts is kept, and the rest is freed on this thread.
  FileCleaner(const RuleEngine& engine, const CleanOptions& options, bool keep_rejected,
              std::atomic<uint64_t>* input_bytes, std::function<bool()> should_stop)
      : options_(options),
        keep_rejected_(keep_rejected),
        input_bytes_(input_bytes),
        should_stop_(std::move(should_stop)),
        filter_(options.filter, &normalizer_, this),
        repair_(options.repair, &normalizer_, &filter_),
        teasers_(options.filter, &normalizer_, &repair_),
        splitter_(engine, &normalizer_, keep_rejected ? static_cast<RecordSink*>(&repair_)
                                                      : &teasers_,
                  KeepingMatchKeys(options.splitter)) {}

  // The dedup filter views each kept line again; the splitter's view of a line that repair
  // leaves alone is the same, so it is kept rather than made twice.
  static SplitterOptions KeepingMatchKeys(SplitterOptions options) {
    options.keep_match_keys = true;
    return options;
  }

  /// Cleans the whole of `input`; `opened` (may be null) is its already opened source.
  void CleanInput(const InputFile& input, std::unique_ptr<ByteSource> opened, ItemSink* out) {
    out_ = out;
    std::vector<CleanedItem> notes;
    InputOutcome outcome;
    std::unique_ptr<TextSource> text =
        OpenText(input, options_.encoding, input_bytes_, std::move(opened), &notes, &outcome);
    for (CleanedItem& note : notes) out->Push(std::move(note));
    if (text != nullptr) {
      encoding_ = outcome.encoding;
      ReadLines(input.path, text.get(), 0, &outcome);
      outcome.replacements = text->replacements();
    }
    End(std::move(outcome), out);
  }

  /// Cleans one segment of an input: `source` gives its text, which starts at a line start,
  /// at byte `byte_offset` of the input's text. Its pages and lines are numbered from the
  /// segment's start (the merge adds the earlier segments').
  /// `converter` (may be null) is the input's TextSource when `source` reads the rest of it;
  /// `read_error` is an error met while the segment was read ahead.
  void CleanSegment(ByteSource* source, uint64_t byte_offset, const TextSource* converter,
                    const std::string& read_error, InputOutcome* outcome, ItemSink* out) {
    out_ = out;
    encoding_ = outcome->encoding;
    ReadLines(outcome->name, source, byte_offset, outcome);
    if (converter != nullptr) outcome->replacements = converter->replacements();
    if (!read_error.empty() && outcome->read_error.empty()) {
      outcome->failed = true;
      outcome->read_error = read_error;
    }
    End(std::move(*outcome), out);
  }

 private:
  void ReadLines(const std::string& name, ByteSource* source, uint64_t byte_offset,
                 InputOutcome* outcome) {
    LineReader reader(source, options_.reader);
    const SplitterStats before = splitter_.stats();
    // The stages tell pages apart by source and page number, and a page number comes again
    // when an input is named twice or this thread cleans two segments of it: each read gets
    // a label of its own, and its records get the name back.
    source_name_ = name;
    label_.assign(name).push_back('\x1f');
    label_ += std::to_string(++reads_);
    splitter_.BeginSource(label_);
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
    outcome->pages = splitter_.stats().pages - before.pages;
    outcome->lines_dropped = splitter_.stats().lines_dropped - before.lines_dropped;
    outcome->invalid_utf8 = stats.invalid_bytes;
    outcome->has_invalid = stats.has_invalid;
    outcome->first_invalid_line = stats.first_invalid_line;
    outcome->first_invalid_offset = stats.first_invalid_offset + byte_offset;
    outcome->lines_cut = stats.lines_cut;
    outcome->long_lines = stats.long_lines;
    if (!reader.ok()) {
      outcome->failed = true;
      outcome->read_error = reader.error();
    }
  }

  void End(InputOutcome&& outcome, ItemSink* out) {
    PushTally();
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
    item.record.source = source_name_;
    out_->Push(std::move(item));
  }

  void Reject(Record&& record, DropReason reason, const std::string& detail) override {
    if (!keep_rejected_) {
      // Nine in ten records of a dump are dropped teasers, and no one wants them again: only
      // the summary's counts go on, summed here and handed over now and then.
      if (tally_ == nullptr) tally_ = std::make_unique<DropTally>();
      ++tally_->records;
      ++tally_->dropped[static_cast<size_t>(reason)];
      for (const auto& [id, hits] : record.rule_hits) tally_->rule_hits[id] += hits;
      if (tally_->records >= kTallyRecords) PushTally();
      return;
    }
    CleanedItem item;
    item.kind = CleanedItem::Kind::kReject;
    item.record = std::move(record);
    item.record.encoding = encoding_;
    item.record.source = source_name_;
    item.reason = reason;
    item.detail = detail;
    out_->Push(std::move(item));
  }

  const CleanOptions& options_;
  const bool keep_rejected_;
  std::atomic<uint64_t>* input_bytes_;
  std::function<bool()> should_stop_;
  TextNormalizer normalizer_;
  RecordFilter filter_;
  RepairStage repair_;
  // Skipped when dropped records are kept: a rejects file shows their repaired text.
  TeaserFilter teasers_;
  Splitter splitter_;
  ItemSink* out_ = nullptr;
  std::string encoding_;
  // The input's name, for the records of the read under way, whose splitter source is
  // label_. Set here, not in the merge, so that the string is freed where it was made.
  std::string source_name_;
  std::string label_;
  uint64_t reads_ = 0;
  std::unique_ptr<DropTally> tally_;  // dropped records not yet handed over
  static constexpr uint64_t kTallyRecords = 4096;

  void PushTally() {
    if (tally_ == nullptr) return;
    CleanedItem item;
    item.kind = CleanedItem::Kind::kDropTally;
    item.tally = std::move(tally_);
    out_->Push(std::move(item));
  }
};

namespace {

using ItemBatch = std::vector<CleanedItem>;

/// Batches whose items have been merged, on their way back to the cleaning thread that filled
/// them, which frees what they hold in step with the items it makes: glibc frees another
/// thread's memory slowly, under its arena's lock, and the merging thread is the one the others
/// wait for.
class BatchReturns {
 public:
  /// Called by the thread that merged the batch's items.
  void Give(ItemBatch&& batch) {
    std::lock_guard<std::mutex> lock(mutex_);
    batches_.push_back(std::move(batch));
    given_.store(true, std::memory_order_release);
  }

  /// Called by the cleaning thread once per item it makes: frees up to `count` items that
  /// came back. Memory is given back in step with new records being made, as in a
  /// one-thread run, so that malloc finds the chunks it has just got back; a whole batch
  /// freed at once left hundreds of chunks for it to sort first (malloc took twice the
  /// instructions per call).
  void FreeSome(size_t count) {
    for (; count > 0; --count) {
      while (draining_.empty()) {
        if (!NextToDrain()) return;
      }
      draining_.pop_back();  // in any order: only destroyed, not replaced by an empty item
    }
  }

  /// Called by the cleaning thread: an empty batch, with the capacity of one that came back
  /// when there is one.
  ItemBatch TakeSpare() { return std::move(spare_); }

 private:
  // Done with draining_: keeps it as the spare, and takes the next batch that came back.
  // False when none has.
  bool NextToDrain() {
    if (draining_.capacity() != 0 && spare_.capacity() == 0) spare_ = std::move(draining_);
    draining_ = ItemBatch();
    if (!given_.load(std::memory_order_acquire)) return false;
    std::lock_guard<std::mutex> lock(mutex_);
    draining_ = std::move(batches_.back());
    batches_.pop_back();
    given_.store(!batches_.empty(), std::memory_order_relaxed);
    return true;
  }

  std::mutex mutex_;
  std::vector<ItemBatch> batches_;
  std::atomic<bool> given_{false};  // batches_ is not empty; read without the lock
  // The cleaning thread's: the batch being freed from its end, and an emptied batch kept for
  // its capacity.
  ItemBatch draining_;
  ItemBatch spare_;
};

/// The merge as the queues see it. It runs on whichever cleaning thread holds the turn: the
/// thread of the oldest unit not yet merged (see UnitQueue).
class MergeTurn {
 public:
  virtual ~MergeTurn() = default;
  /// Merges `item`, or drops it once the run is cancelled; called only by the thread that
  /// holds the turn.
  virtual void MergeItem(CleanedItem&& item) = 0;
};

// The items of one unit, from its cleaning thread to the merge. The merge has no thread of its
// own: the thread of the oldest unit not yet merged holds the turn and pushes its items
// straight into the merge, as a one-thread run does, so a record is written and freed by the
// core that made it while it is still in that core's cache. The thread of a later unit queues
// its items in batches until its unit has the turn, and then merges them itself. It waits
// once more than `max_bytes` of text are queued, so a long unit behind a slow one cannot fill
// memory. The thread that merges a unit's last item hands the turn on to the next unit
// (GiveTurn); when that unit has ended already, it merges that unit's batches too.
class UnitQueue : public ItemSink {
 public:
  UnitQueue(size_t max_bytes, MergeTurn* merge, const std::atomic<bool>* cancel)
      : max_bytes_(max_bytes), merge_(merge), cancel_(cancel) {}

  /// Says where batches another thread merged go back to; called by the cleaning thread
  /// before its first Push.
  void set_returns(BatchReturns* returns) { returns_ = returns; }

  /// Called by the one thread that cleans the unit.
  void Push(CleanedItem&& item) override {
    const bool end = item.kind == CleanedItem::Kind::kEnd;
    if (!has_turn_ && turn_given_.load(std::memory_order_acquire)) TakeTurn();
    if (has_turn_) {
      merge_->MergeItem(std::move(item));
      if (end) merged_end_ = true;
      returns_->FreeSome(2);
      return;
    }
    pending_bytes_ += sizeof(CleanedItem) + item.record.title.size();
    for (const BodyLine& line : item.record.body) {
      pending_bytes_ += sizeof(BodyLine) + line.text.size();
    }
    pending_.push_back(std::move(item));
    // Two for each one made, so that what came back is freed before it piles up.
    if (!end) returns_->FreeSome(2);
    if (!end && pending_.size() < kBatchItems && pending_bytes_ < kBatchBytes) return;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!turn_given_.load(std::memory_order_relaxed)) {
        batches_.push_back(std::move(pending_));
        pending_ = end ? ItemBatch() : returns_->TakeSpare();
        bytes_ += pending_bytes_;
        pending_bytes_ = 0;
        // After its last item the unit belongs to the thread that hands the turn on.
        if (end) {
          ended_ = true;
          return;
        }
        changed_.wait(lock, [this] {
          return bytes_ <= max_bytes_ || turn_given_.load(std::memory_order_relaxed) ||
                 cancel_->load();
        });
        if (!turn_given_.load(std::memory_order_relaxed)) return;
      }
    }
    TakeTurn();
  }

  /// True when this unit's thread merged its last item itself: it then hands the turn on.
  bool merged_end() const { return merged_end_; }

  /// Gives the turn to this unit, the oldest not yet merged. When the unit has ended already,
  /// merges its items here and returns true (the caller hands the turn on); otherwise returns
  /// false, and the unit's thread, now or once one takes the unit, merges them.
  bool GiveTurn() {
    std::vector<ItemBatch> batches;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!ended_) {
        turn_given_.store(true, std::memory_order_release);
        changed_.notify_all();
        return false;
      }
      batches.swap(batches_);
    }
    MergeBatches(&batches);
    return true;
  }

  void Wake() {
    std::lock_guard<std::mutex> lock(mutex_);
    changed_.notify_all();
  }

 private:
  // The unit has the turn: merges what was queued, in order, and pushes the rest straight on.
  void TakeTurn() {
    std::vector<ItemBatch> batches;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      batches.swap(batches_);
      bytes_ = 0;
    }
    has_turn_ = true;
    batches.push_back(std::move(pending_));
    pending_bytes_ = 0;
    if (MergeBatches(&batches)) merged_end_ = true;
  }

  // Merges `batches` in order and hands them back to the unit's thread, which frees them in
  // step with the items it makes. True when the unit's last item was among them.
  bool MergeBatches(std::vector<ItemBatch>* batches) {
    bool end = false;
    for (ItemBatch& batch : *batches) {
      for (CleanedItem& item : batch) {
        end = end || item.kind == CleanedItem::Kind::kEnd;
        // The writers only read the records moved to them, so the batch still owns them.
        merge_->MergeItem(std::move(item));
      }
      returns_->Give(std::move(batch));
    }
    return end;
  }

  const size_t max_bytes_;
  MergeTurn* const merge_;
  const std::atomic<bool>* cancel_;
  BatchReturns* returns_ = nullptr;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<ItemBatch> batches_;  // queued before the unit had the turn
  size_t bytes_ = 0;
  bool ended_ = false;                    // the last item is in batches_
  std::atomic<bool> turn_given_{false};  // GiveTurn found the unit going on
  static constexpr size_t kBatchItems = 256;
  static constexpr size_t kBatchBytes = 64 * 1024;
  // The cleaning thread's:
  bool has_turn_ = false;  // it has seen turn_given_ and merged what it had queued
  bool merged_end_ = false;
  ItemBatch pending_;  // not yet queued
  size_t pending_bytes_ = 0;
};

/// Diagnostics the merging threads report, kept for the calling thread, which passes them on
/// in order: a diagnostics sink (a terminal's progress line among them) sees one thread only.
class DiagnosticOutbox : public DiagnosticSink {
 public:
  void Report(const Diagnostic& diagnostic) override {
    std::lock_guard<std::mutex> lock(mutex_);
    held_.push_back(diagnostic);
  }
  /// Passes what was reported so far on to `sink`.
  void Forward(DiagnosticSink* sink) {
    std::vector<Diagnostic> held;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      held.swap(held_);
    }
    for (const Diagnostic& diagnostic : held) sink->Report(diagnostic);
  }

 private:
  std::mutex mutex_;
  std::vector<Diagnostic> held_;
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
      keep_rejected_(rejects != nullptr),
      merge_(std::make_unique<Merge>(options_, output, diagnostics, rejects, &summary_)) {}

CleanPipeline::~CleanPipeline() = default;

namespace {

/// A segment's text, read straight into place: unlike a std::string it grows without first
/// zero-filling the room a read is about to fill.
class SegmentText {
 public:
  /// Makes room for at least `count` more bytes past the text and returns where they go;
  /// Extend(n) then takes n of them into the text.
  char* Room(size_t count) {
    if (capacity_ - size_ < count) Reserve(std::max(size_ + count, 2 * capacity_));
    return bytes_.get() + size_;
  }
  void Extend(size_t count) { size_ += count; }
  /// Makes the capacity at least `capacity`.
  void Reserve(size_t capacity) {
    if (capacity <= capacity_) return;
    std::unique_ptr<char[]> bytes(new char[capacity]);
    if (size_ > 0) std::memcpy(bytes.get(), bytes_.get(), size_);
    bytes_ = std::move(bytes);
    capacity_ = capacity;
  }
  /// Moves the text from `from` on into the empty `*rest` and cuts it off here.
  void MoveTail(size_t from, SegmentText* rest) {
    std::memcpy(rest->Room(size_ - from), bytes_.get() + from, size_ - from);
    rest->Extend(size_ - from);
    size_ = from;
  }
  /// Empties the text, keeping the room.
  void Clear() { size_ = 0; }
  std::string_view view() const { return std::string_view(bytes_.get(), size_); }
  size_t size() const { return size_; }

 private:
  std::unique_ptr<char[]> bytes_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

/// A segment for its cleaning thread: lends the segment's text to the reader in one piece,
/// then reads on from the rest of the input when the segment takes that too.
class SegmentSource : public ByteSource {
 public:
  SegmentSource(SegmentText text, std::unique_ptr<ByteSource> rest)
      : text_(std::move(text)), rest_(std::move(rest)) {}

  long Read(char* buffer, size_t size) override {
    if (offset_ < text_.size()) {
      const size_t count = std::min(size, text_.size() - offset_);
      std::memcpy(buffer, text_.view().data() + offset_, count);
      offset_ += count;
      return static_cast<long>(count);
    }
    return rest_ == nullptr ? 0 : rest_->Read(buffer, size);
  }

  size_t Lend(const char** data) override {
    if (offset_ < text_.size()) {
      *data = text_.view().data() + offset_;
      const size_t count = text_.size() - offset_;
      offset_ = text_.size();
      return count;
    }
    return rest_ == nullptr ? 0 : rest_->Lend(data);
  }

  std::string error() const override { return rest_ == nullptr ? "" : rest_->error(); }

  /// Gives up the segment's buffer once the reader is done with it.
  SegmentText ReleaseText() { return std::move(text_); }

 private:
  SegmentText text_;
  size_t offset_ = 0;
  std::unique_ptr<ByteSource> rest_;
};

/// The buffers of segments their threads are done with, for the segmenter to read later
/// segments into: a new buffer of a megabyte is fresh pages that the kernel faults in and
/// zeroes one at a time, which cost about as much as the read into them.
class SegmentBuffers {
 public:
  explicit SegmentBuffers(size_t max_kept) : max_kept_(max_kept) {}

  /// An empty buffer, with room when one came back.
  SegmentText Take() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (kept_.empty()) return SegmentText();
    SegmentText text = std::move(kept_.back());
    kept_.pop_back();
    return text;
  }

  void Give(SegmentText text) {
    text.Clear();
    std::lock_guard<std::mutex> lock(mutex_);
    if (kept_.size() < max_kept_) kept_.push_back(std::move(text));
  }

 private:
  const size_t max_kept_;
  std::mutex mutex_;
  std::vector<SegmentText> kept_;
};

// With several threads, an input is cut into segments that are cleaned in parallel. A cut
// goes only before a line that every scope's rules see as a page start (a breadcrumb): the
// splitter starts a new page there whatever it was doing, so a segment cleaned on its own
// gives exactly the records the whole input gives, once the merge renumbers their pages and
// lines.
//
// A regular file that needs no decompression or conversion is read in place: the segmenter
// reads only around each cut, and each segment's thread reads its part of the file itself,
// on its own core. Any other input is read ahead by the segmenter into the segments' text.
struct WorkUnit {
  size_t input = 0;
  std::vector<CleanedItem> notes;  // pushed before the unit's records
  bool readable = true;            // false: notes and the outcome are all there is
  InputOutcome outcome;            // the final outcome when !readable; else name, encoding
  uint64_t byte_offset = 0;        // where the segment starts in the input's text
  // Read in place: the segment is the file's bytes [byte_offset, end), of which those
  // before `uncounted_before` were counted already, when the input's encoding was sniffed.
  std::shared_ptr<const SharedFile> file;
  uint64_t end = UINT64_MAX;
  uint64_t uncounted_before = 0;
  // Read ahead otherwise:
  SegmentText text;                  // the segment's text
  std::unique_ptr<TextSource> rest;  // read after `text` when not null
  std::string read_error;
  std::unique_ptr<UnitQueue> queue;
};

class Segmenter {
 public:
  Segmenter(const RuleEngine& engine, const CleanOptions& options) : engine_(engine) {
    min_bytes_ = options.segment_bytes;
    max_bytes_ = options.segment_bytes * 4;
  }

  /// True when a cut may go before `line`.
  bool IsPageStart(std::string_view line) {
    if (line.empty() || line.size() > 4096 || line.find('\r') != std::string_view::npos ||
        line.compare(0, 3, "\xEF\xBB\xBF") == 0) {
      return false;
    }
    scratch_.clear();
    size_t first_bad = 0;
    if (AppendValidUtf8(line, &scratch_, &first_bad) != 0) return false;
    normalizer_.MatchKey(line, &key_);
    if (key_.empty()) return false;
    for (RuleScope scope : {RuleScope::kHead, RuleScope::kBody, RuleScope::kTail}) {
      const Rule* rule = engine_.Match(key_, scope);
      if (rule == nullptr || rule->action != RuleAction::kStartPage) return false;
    }
    return true;
  }

  /// The offset in `file` of the first cut at least min_bytes past `begin`, or UINT64_MAX
  /// when the file ends, or max_bytes pass, before one (or a read fails: the segment then
  /// takes the rest of the input, and its reader meets the error).
  uint64_t FindFileCut(const SharedFile& file, uint64_t begin) {
    // A cut may go just after a '\n' at min_bytes - 1 or later, as in a read-ahead segment.
    const uint64_t from = begin + min_bytes_ - 1;
    window_.clear();
    size_t scan_from = 0;
    std::string error;
    while (min_bytes_ - 1 + window_.size() < max_bytes_) {
      const size_t size = window_.size();
      window_.resize(size + kCutReadBytes);
      const long n = file.ReadAt(window_.data() + size, kCutReadBytes, from + size, &error);
      window_.resize(size + static_cast<size_t>(std::max<long>(n, 0)));
      if (n <= 0) break;
      const size_t cut = FindCut(window_, &scan_from);
      if (cut != std::string::npos) return from + cut;
    }
    return UINT64_MAX;
  }

  /// The offset of a line start at or after `*from` in `text` where a cut may go, or npos
  /// when none is there yet; `*from` moves on past the lines already looked at.
  size_t FindCut(std::string_view text, size_t* from) {
    while (true) {
      const size_t newline = text.find('\n', *from);
      if (newline == std::string_view::npos) return std::string_view::npos;
      const size_t start = newline + 1;
      const size_t end = text.find('\n', start);
      if (end == std::string_view::npos) return std::string_view::npos;
      if (IsPageStart(text.substr(start, end - start))) return start;
      *from = end;
    }
  }

  size_t min_bytes() const { return min_bytes_; }
  size_t max_bytes() const { return max_bytes_; }

 private:
  // What FindFileCut reads at a time: a page or so, as a cut is usually that near.
  static constexpr size_t kCutReadBytes = 16 * 1024;

  const RuleEngine& engine_;
  TextNormalizer normalizer_;
  std::string key_;
  std::string scratch_;
  std::string window_;  // FindFileCut's bytes from the first place a cut may go
  size_t min_bytes_;
  size_t max_bytes_;
};

/// What the segmenter asks of an input per read.
constexpr size_t kSegmentReadBytes = 64 * 1024;

class DiscardingSink : public RecordSink {
 public:
  void Accept(Record&&) override {}
  void Reject(Record&&, DropReason, const std::string&) override {}
};

}  // namespace

void PrepareCleaningTables(const CleanOptions& options) {
  TextNormalizer normalizer;
  DiscardingSink discard;
  RecordFilter filter(options.filter, &normalizer, &discard);
  RepairStage repair(options.repair, &normalizer, &filter);
  Record record;
  record.title = "表";
  record.body.push_back(BodyLine{});
  record.body.back().text = "中文，&amp; 日本語。";
  repair.Accept(std::move(record));
}

bool CleanPipeline::CleanInputs(const std::vector<InputFile>& inputs) {
  const uint64_t failed_before = summary_.files_failed;
  files_total_ += inputs.size();
  if (options_.threads <= 1) {
    if (cleaner_ == nullptr) {
      std::function<bool()> poll = [this] {
        ReportProgress();
        return options_.should_stop && options_.should_stop();
      };
      cleaner_ = std::make_unique<FileCleaner>(engine_, options_, keep_rejected_,
                                               &input_bytes_, poll);
    }
    for (const InputFile& input : inputs) {
      merge_->BeginSegment(false);
      cleaner_->CleanInput(input, nullptr, merge_.get());
      ReportProgress();
      if (merge_->stopped()) break;
    }
    stopped_ = merge_->stopped();
    summary_.input_bytes = input_bytes_.load();
    return summary_.files_failed == failed_before;
  }

  std::atomic<bool> cancel{false};
  std::atomic<bool> stop_requested{false};
  std::mutex mutex;  // guards units, units_done and next_unit
  // Each waiting thread has its own, so that none is woken for nothing: on a VM a wake-up
  // costs the core it lands on tens of microseconds.
  std::condition_variable unit_added;  // cleaning threads wait for a unit
  std::condition_variable room;        // the segmenter waits for room for more
  std::condition_variable run_over;    // the calling thread waits for the end
  // From the oldest not yet merged. A cleaning thread holds its unit too, so that the unit
  // outlives its last item, which another thread may merge and then drop the unit.
  std::deque<std::shared_ptr<WorkUnit>> units;
  size_t units_base = 0;                       // index of units.front()
  bool units_done = false;
  size_t next_unit = 0;  // the next unit a cleaning thread takes
  // Units not yet merged, the one being merged included. The merge takes them in order, so
  // a thread that is done with its unit while the oldest is still being cleaned needs a
  // later one to go on with: with one unit to spare per thread, the faster thread waited
  // for the slower one every few segments (segments differ in cost).
  const size_t max_units = 2 * options_.threads + 2;
  // Once the segmenter has to wait, it is woken when this many units have been merged, and
  // adds as many in one go.
  const size_t refill = options_.threads;
  // As many as can be in use at once: the queued units', the threads' and the segmenter's.
  SegmentBuffers segment_buffers(max_units + options_.threads + 1);

  const auto cancel_run = [&] {
    std::lock_guard<std::mutex> lock(mutex);
    cancel = true;
    for (auto& unit : units) unit->queue->Wake();
    unit_added.notify_all();
    room.notify_all();
    run_over.notify_all();
  };
  // The merge, on the thread that holds the turn. It looks for a reason to stop after each
  // item (a unit of a megabyte gives one at least, its end), as a one-thread run does
  // between lines; should_stop reads the output's state, so only the writing thread may.
  class TurnMerge : public MergeTurn {
   public:
    TurnMerge(CleanPipeline::Merge* merge, const std::atomic<bool>* cancel,
              const std::function<bool()>& should_stop, std::function<void()> stop)
        : merge_(merge), cancel_(cancel), should_stop_(should_stop), stop_(std::move(stop)) {}
    void MergeItem(CleanedItem&& item) override {
      if (cancel_->load(std::memory_order_relaxed)) return;
      merge_->Push(std::move(item));
      if (merge_->stopped() || (should_stop_ && should_stop_())) stop_();
    }

   private:
    CleanPipeline::Merge* merge_;
    const std::atomic<bool>* cancel_;
    const std::function<bool()>& should_stop_;
    std::function<void()> stop_;
  };
  TurnMerge turn(merge_.get(), &cancel, options_.should_stop, [&] {
    stop_requested = true;
    cancel_run();
  });
  DiagnosticOutbox outbox;  // what the merging threads report, for the calling thread
  DiagnosticSink* const diagnostics = merge_->diagnostics();
  merge_->set_diagnostics(&outbox);
  merge_->BeginSegment(true);

  // Opens the inputs in order, cuts them into units, and queues them (a bounded number ahead
  // of the merge, which bounds memory). A unit that is the oldest when it comes has the turn.
  const auto add_unit = [&](std::unique_ptr<WorkUnit> unit) {
    unit->queue = std::make_unique<UnitQueue>(options_.max_buffered_bytes, &turn, &cancel);
    std::unique_lock<std::mutex> lock(mutex);
    if (units.size() >= max_units) {
      room.wait(lock, [&] { return units.size() + refill <= max_units || cancel.load(); });
    }
    if (units.empty()) unit->queue->GiveTurn();
    units.push_back(std::move(unit));
    unit_added.notify_one();
  };
  // Called by the thread that merged the last item of the oldest unit: drops that unit and
  // gives the turn to the next; a next unit that has ended already is merged on this thread.
  const auto pass_turn = [&] {
    while (true) {
      std::shared_ptr<WorkUnit> next;
      {
        std::lock_guard<std::mutex> lock(mutex);
        units.pop_front();
        ++units_base;
        if (units.size() + refill == max_units) room.notify_one();
        if (units.empty()) {
          if (units_done) run_over.notify_all();
          return;  // add_unit gives the next one the turn
        }
        next = units.front();
      }
      if (!next->queue->GiveTurn()) return;
    }
  };
  std::thread segmenter_thread([&] {
    Segmenter segmenter(engine_, options_);
    // The usual segment: the bytes up to the first page start past min_bytes.
    const size_t usual_bytes = segmenter.min_bytes() + 2 * kSegmentReadBytes;
    for (size_t i = 0; i < inputs.size() && !cancel.load(); ++i) {
      auto first = std::make_unique<WorkUnit>();
      first->input = i;
      std::shared_ptr<const SharedFile> file;
      if (inputs[i].path != "-") file = SharedFile::Open(inputs[i].path);
      std::unique_ptr<ByteSource> opened;
      CountingSource* sniffed = nullptr;  // what the encoding sniff read of `file`
      if (file != nullptr) {
        auto counting = std::make_unique<CountingSource>(
            OpenFileRangeSource(file, 0, UINT64_MAX), &input_bytes_);
        sniffed = counting.get();
        opened = std::move(counting);
      }
      Compression compression = Compression::kNone;
      std::unique_ptr<TextSource> text =
          OpenText(inputs[i], options_.encoding, &input_bytes_, std::move(opened),
                   &first->notes, &first->outcome, &compression);
      if (text == nullptr) {
        first->readable = false;
        add_unit(std::move(first));
        continue;
      }
      if (file != nullptr && compression == Compression::kNone && !text->converts()) {
        const uint64_t counted = sniffed->counted();
        const std::string encoding = text->guess().encoding;
        text.reset();
        std::unique_ptr<WorkUnit> unit = std::move(first);
        uint64_t begin = 0;
        while (!cancel.load()) {
          const uint64_t cut = segmenter.FindFileCut(*file, begin);
          unit->outcome.name = inputs[i].path;
          unit->outcome.encoding = encoding;
          unit->outcome.last = cut == UINT64_MAX;
          unit->byte_offset = begin;
          unit->file = file;
          unit->end = cut;
          unit->uncounted_before = counted;
          add_unit(std::move(unit));
          if (cut == UINT64_MAX) break;
          begin = cut;
          unit = std::make_unique<WorkUnit>();
          unit->input = i;
        }
        continue;
      }
      std::unique_ptr<WorkUnit> unit = std::move(first);
      SegmentText buffer = segment_buffers.Take();
      size_t scan_from = 0;
      uint64_t byte_offset = 0;
      bool eof = false;
      std::string read_error;
      while (!cancel.load()) {
        size_t cut = std::string::npos;
        while (true) {
          if (buffer.size() >= segmenter.min_bytes()) {
            scan_from = std::max(scan_from, segmenter.min_bytes() - 1);
            cut = segmenter.FindCut(buffer.view(), &scan_from);
            if (cut != std::string::npos) break;
          }
          if (eof || !read_error.empty() || buffer.size() >= segmenter.max_bytes()) break;
          // Room for a small input first; once it is more than one read, for the usual segment.
          buffer.Reserve(buffer.size() == 0 ? kSegmentReadBytes : usual_bytes);
          const long n = text->Read(buffer.Room(kSegmentReadBytes), kSegmentReadBytes);
          if (n < 0) {
            read_error = text->error();
          } else if (n == 0) {
            eof = true;
          } else {
            buffer.Extend(static_cast<size_t>(n));
          }
        }
        unit->input = i;
        unit->outcome.name = inputs[i].path;
        unit->outcome.encoding = text->guess().encoding;
        unit->byte_offset = byte_offset;
        if (cut != std::string::npos) {
          // The segment keeps the buffer, and only the few bytes past the cut are copied.
          SegmentText after = segment_buffers.Take();
          after.Reserve(usual_bytes);
          buffer.MoveTail(cut, &after);
          unit->text = std::move(buffer);
          buffer = std::move(after);
          unit->outcome.last = false;
          byte_offset += cut;
          scan_from = 0;
          add_unit(std::move(unit));
          unit = std::make_unique<WorkUnit>();
          continue;
        }
        // The end of the input, a read error, or no page start in max_bytes: this unit
        // takes the rest of the input.
        unit->text = std::move(buffer);
        unit->read_error = read_error;
        if (eof || !read_error.empty()) {
          unit->outcome.replacements = text->replacements();
        } else {
          unit->rest = std::move(text);
        }
        add_unit(std::move(unit));
        break;
      }
    }
    std::lock_guard<std::mutex> lock(mutex);
    units_done = true;
    unit_added.notify_all();
    run_over.notify_all();
  });

  // One per cleaning thread; outlives the threads, as the merge may give back its last
  // batches after its thread has ended (those are freed here, at the end of the run).
  std::vector<BatchReturns> returns(options_.threads);
  // The first thread to take a unit matches with the pipeline's engine, the next ones with
  // the thread engines, as far as they go.
  std::atomic<size_t> engines_taken{0};
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < options_.threads; ++t) {
    threads.emplace_back([&, t] {
      std::unique_ptr<FileCleaner> cleaner;  // made with the first unit
      while (true) {
        std::shared_ptr<WorkUnit> unit;
        {
          std::unique_lock<std::mutex> lock(mutex);
          unit_added.wait(lock, [&] {
            return cancel.load() || next_unit < units_base + units.size() || units_done;
          });
          if (cancel.load() || next_unit >= units_base + units.size()) return;
          unit = units[next_unit - units_base];
          ++next_unit;
        }
        if (cleaner == nullptr) {
          const size_t taken = engines_taken.fetch_add(1);
          const RuleEngine* engine = &engine_;
          if (taken > 0 && taken <= options_.thread_engines.size()) {
            engine = options_.thread_engines[taken - 1];
          }
          cleaner = std::make_unique<FileCleaner>(*engine, options_, keep_rejected_,
                                                  &input_bytes_,
                                                  [&cancel] { return cancel.load(); });
        }
        UnitQueue* queue = unit->queue.get();
        queue->set_returns(&returns[t]);
        for (CleanedItem& note : unit->notes) queue->Push(std::move(note));
        if (!unit->readable) {
          CleanedItem end;
          end.kind = CleanedItem::Kind::kEnd;
          end.outcome = std::move(unit->outcome);
          queue->Push(std::move(end));
        } else if (unit->file != nullptr) {
          const uint64_t begin = unit->byte_offset;
          CountingSource source(OpenFileRangeSource(std::move(unit->file), begin, unit->end),
                                &input_bytes_,
                                unit->uncounted_before > begin ? unit->uncounted_before - begin
                                                               : 0);
          cleaner->CleanSegment(&source, begin, nullptr, "", &unit->outcome, queue);
        } else {
          TextSource* rest = unit->rest.get();
          SegmentSource source(std::move(unit->text), std::move(unit->rest));
          cleaner->CleanSegment(&source, unit->byte_offset, rest, unit->read_error,
                                &unit->outcome, queue);
          segment_buffers.Give(source.ReleaseText());
        }
        if (queue->merged_end()) pass_turn();
      }
    });
  }

  // The calling thread passes diagnostics on and reports progress until every unit is merged.
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (!(units_done && units.empty()) && !cancel.load()) {
      run_over.wait_for(lock, std::chrono::milliseconds(100));
      lock.unlock();
      outbox.Forward(diagnostics);
      ReportProgress();
      lock.lock();
    }
  }
  cancel_run();
  segmenter_thread.join();
  for (std::thread& thread : threads) thread.join();
  outbox.Forward(diagnostics);
  merge_->set_diagnostics(diagnostics);
  stopped_ = stop_requested.load();
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
    cleaner_ = std::make_unique<FileCleaner>(engine_, options_, keep_rejected_, &input_bytes_,
                                             options_.should_stop);
  }
  merge_->BeginSegment(false);
  cleaner_->CleanInput(InputFile{name, true}, std::make_unique<BorrowedSource>(source),
                       merge_.get());
  stopped_ = merge_->stopped();
  return summary_.files_failed == failed_before;
}

}  // namespace winnow

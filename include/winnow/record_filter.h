// Stage 5 of the pipeline: decides which records are emitted. Drops related entries whose
// teaser the site truncated before they are repaired (TeaserFilter: nine in ten records of a
// dump are such teasers, and nothing of theirs is emitted); after repair, teasers that repeat
// their own page's article and empty records (RecordFilter, one per input); then records that
// repeat one already emitted in the run (RunDeduplicator, one per run, fed in input order so
// the first occurrence wins whatever the number of threads). Every drop goes down the sink
// chain with its reason.
#ifndef WINNOW_RECORD_FILTER_H_
#define WINNOW_RECORD_FILTER_H_

#include <string>
#include <vector>

#include "winnow/fingerprint.h"
#include "winnow/record_sink.h"
#include "winnow/text_normalize.h"

namespace winnow {

struct FilterOptions {
  bool keep_teasers = false;     ///< emit truncated teasers (marked "truncated": true)
  bool keep_duplicates = false;  ///< emit records that repeat an earlier one
};

/// Appends the match key `key` without its spaces: the dedup view of one line.
void AppendWithoutSpaces(std::string_view key, std::string* view);

/// The dedup view of `text` into `*view`: the rules' match view of each line with all
/// whitespace removed, so reflowed or re-indented copies compare equal. `*line_key` is
/// scratch space.
void MakeDedupView(TextNormalizer* normalizer, std::string_view text, std::string* line_key,
                   std::string* view);

/// Placed before the repair stage: drops a truncated teaser at once, unrepaired, when the full
/// filter would surely drop it as a truncated teaser: its text is not empty (a CJK character
/// or an ASCII letter or digit outside any reference; repair never removes those) and its
/// title is not its page's article's title (compared as dedup views of the text as scraped).
/// Everything else goes on unchanged, so RecordFilter still decides empty records and
/// teasers that may repeat their article. Passes all records on when teasers are kept.
class TeaserFilter : public RecordSink {
 public:
  /// `normalizer` and `next` must outlive the filter.
  TeaserFilter(const FilterOptions& options, TextNormalizer* normalizer, RecordSink* next);

  void Accept(Record&& record) override;
  void Reject(Record&& record, DropReason reason, const std::string& detail) override;

 private:
  FilterOptions options_;
  TextNormalizer* normalizer_;
  RecordSink* next_;
  std::string article_source_;
  uint64_t article_page_ = UINT64_MAX;
  std::string article_title_view_;
  std::string title_view_;
  std::string line_key_;
};

/// The per-input part of the filter after repair. Sets each passed record's dedup_key.
class RecordFilter : public RecordSink {
 public:
  /// `normalizer` and `next` must outlive the filter.
  RecordFilter(const FilterOptions& options, TextNormalizer* normalizer, RecordSink* next);

  void Accept(Record&& record) override;
  void Reject(Record&& record, DropReason reason, const std::string& detail) override;

  /// MakeDedupView with this filter's normalizer.
  void DedupView(std::string_view text, std::string* view);

 private:
  /// True when a teaser's dedup view occurs in the current page's article.
  bool RepeatsArticle(const std::string& teaser_view) const;

  FilterOptions options_;
  TextNormalizer* normalizer_;
  RecordSink* next_;
  // The current page's article, for teasers that repeat it (the first related entry often
  // links back to the page itself).
  std::string article_source_;
  uint64_t article_page_ = UINT64_MAX;
  std::string article_title_view_;
  std::string article_text_view_;
  std::string title_view_;
  std::string text_view_;
  std::string line_key_;
};

/// A set of fingerprints in one flat open-addressing table: 16 bytes a slot, at most 3/4
/// full, so a run's dedup memory is about 16-32 bytes per distinct record kept.
class FingerprintSet {
 public:
  /// Adds `f`. Returns false when it was already there.
  bool Insert(const Fingerprint& f);
  size_t size() const { return size_; }
  /// Bytes held by the table.
  size_t memory() const { return slots_.size() * sizeof(Fingerprint); }

 private:
  void Grow();

  std::vector<Fingerprint> slots_;  // {0, 0} marks an empty slot
  size_t size_ = 0;
  bool has_zero_ = false;  // the fingerprint {0, 0} itself, kept out of the table
};

/// The run-wide part: drops a record whose dedup_key an earlier passed record had.
class RunDeduplicator : public RecordSink {
 public:
  /// `next` must outlive the deduplicator.
  RunDeduplicator(const FilterOptions& options, RecordSink* next)
      : options_(options), next_(next) {}

  void Accept(Record&& record) override;
  void Reject(Record&& record, DropReason reason, const std::string& detail) override;

  /// Fingerprints kept: 16 bytes each plus the hash table's overhead.
  size_t size() const { return seen_.size(); }

 private:
  FilterOptions options_;
  RecordSink* next_;
  FingerprintSet seen_;
};

}  // namespace winnow

#endif  // WINNOW_RECORD_FILTER_H_

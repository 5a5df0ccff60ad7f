// Stage 5 of the pipeline: decides which repaired records are emitted. Drops related entries
// whose teaser the site truncated, records that repeat one already emitted in the run, and
// empty records; every drop goes down the sink chain with its reason.
#ifndef WINNOW_RECORD_FILTER_H_
#define WINNOW_RECORD_FILTER_H_

#include <string>
#include <unordered_set>

#include "winnow/fingerprint.h"
#include "winnow/record_sink.h"
#include "winnow/text_normalize.h"

namespace winnow {

struct FilterOptions {
  bool keep_teasers = false;     ///< emit truncated teasers (marked "truncated": true)
  bool keep_duplicates = false;  ///< emit records that repeat an earlier one
};

class RecordFilter : public RecordSink {
 public:
  /// `normalizer` and `next` must outlive the filter.
  RecordFilter(const FilterOptions& options, TextNormalizer* normalizer, RecordSink* next);

  void Accept(Record&& record) override;
  void Reject(Record&& record, DropReason reason, const std::string& detail) override;

  /// The dedup view of `text`: the rules' match view of each line with all whitespace
  /// removed, so reflowed or re-indented copies compare equal.
  void DedupView(std::string_view text, std::string* view);

 private:
  /// True when a teaser's dedup view occurs in the current page's article.
  bool RepeatsArticle(const std::string& teaser_view) const;

  FilterOptions options_;
  TextNormalizer* normalizer_;
  RecordSink* next_;
  std::unordered_set<Fingerprint, FingerprintHash> seen_;
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

}  // namespace winnow

#endif  // WINNOW_RECORD_FILTER_H_

// The seam between stages: each stage pushes records into the next one's RecordSink, and a
// record a stage drops goes down the same chain with its reason, so nothing vanishes
// unaccounted. Writers are sinks that know only the Record type.
#ifndef WINNOW_RECORD_SINK_H_
#define WINNOW_RECORD_SINK_H_

#include <cstddef>
#include <string>

#include "winnow/record.h"

namespace winnow {

enum class DropReason {
  kTruncatedTeaser,  ///< a related entry whose teaser the site cut off
  kDuplicate,        ///< repeats a record already emitted in this run
  kEmpty,            ///< no text (a lost body, or a related entry without teaser)
  kRule,             ///< a drop-record rule matched one of its lines
  kOversized,        ///< its text passed the record size cap (SplitterOptions)
};
/// The number of DropReason values, for per-reason counts.
constexpr size_t kDropReasonCount = 5;

/// Singular noun phrase for summaries: "truncated teaser", "duplicate", "empty record",
/// "rule drop", "oversized record".
const char* DropReasonName(DropReason reason);
/// Stable identifier for machine-readable output: "truncated-teaser", "duplicate", "empty",
/// "rule", "oversized".
const char* DropReasonId(DropReason reason);

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  /// Takes a record that passed every stage so far.
  virtual void Accept(Record&& record) = 0;
  /// Takes a record a stage dropped. `detail` is the rule id for kRule, else empty.
  virtual void Reject(Record&& record, DropReason reason, const std::string& detail) = 0;
};

}  // namespace winnow

#endif  // WINNOW_RECORD_SINK_H_

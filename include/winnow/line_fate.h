// The audit of a run: what became of each input line. It is read off the records at the end
// of the sink chain, emitted or dropped, because every record carries the lines it holds and
// the lines dropped from it; no stage reports back. `winnow explain` and `--rejects` use it.
#ifndef WINNOW_LINE_FATE_H_
#define WINNOW_LINE_FATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "winnow/record.h"
#include "winnow/record_sink.h"

namespace winnow {

enum class LineRole {
  kTitle,    ///< the record's title
  kBody,     ///< a line of an article's body
  kTeaser,   ///< a related entry's teaser
  kDropped,  ///< dropped from the record by a rule or by structure (LineFate::rule says which)
};

/// "title", "body", "teaser", "dropped".
const char* LineRoleName(LineRole role);

/// What became of one input line, and of the record it belonged to.
struct LineFate {
  uint64_t line = 0;  ///< 1-based input line
  LineRole role = LineRole::kBody;
  std::string rule;   ///< kDropped: the rule id, or a structural reason such as "title.repeat"
  uint64_t page = 0;  ///< the record's page and index within it
  uint64_t index = 0;
  RecordKind kind = RecordKind::kArticle;
  bool emitted = false;           ///< the record was emitted
  uint64_t emitted_number = 0;    ///< 1-based among the run's emitted records; 0 if dropped
  DropReason drop = DropReason::kEmpty;  ///< why the record was dropped, when not emitted
  std::string drop_detail;               ///< the rule id for DropReason::kRule
};

/// Appends the fate of every line `record` accounts for: its title line, its body lines
/// (teaser lines for a related entry) and the lines dropped from it. `emitted_number` is the
/// record's 1-based number among emitted records, or 0 when it was dropped for `drop`
/// (`detail` as RecordSink::Reject gives it).
void AppendLineFates(const Record& record, uint64_t emitted_number, DropReason drop,
                     const std::string& detail, std::vector<LineFate>* fates);

/// A RecordSink at the end of the chain that collects the fate of every line, numbering
/// emitted records as they arrive. Give it as both the output and the rejects sink.
class LineFateCollector : public RecordSink {
 public:
  void Accept(Record&& record) override;
  void Reject(Record&& record, DropReason reason, const std::string& detail) override;

  /// The fates collected since the last Take(), sorted by line (a line's fates in the order
  /// they came); clears them. Call it after each source.
  std::vector<LineFate> Take();

 private:
  std::vector<LineFate> fates_;
  uint64_t emitted_ = 0;
};

}  // namespace winnow

#endif  // WINNOW_LINE_FATE_H_

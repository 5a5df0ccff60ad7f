// The removal audit (`clean --rejects FILE`): every dropped record and every dropped line as
// JSON Lines, with its reason and location, so that input = emitted + rejected can be checked.
// It sits at the end of the sink chain, in front of the output writer, and passes emitted
// records on.
#ifndef WINNOW_REJECTS_WRITER_H_
#define WINNOW_REJECTS_WRITER_H_

#include <string>

#include "winnow/output_file.h"
#include "winnow/record_sink.h"

namespace winnow {

/// Writes one object per line:
///   {"drop":"line","source":S,"line":N,"reason":RULE_ID,"page":P,"record":I,"record_id":ID,
///    "text":T}
/// for a line dropped from a record (the rule id, or a structural reason such as
/// "title.repeat"), and
///   {"drop":"record","source":S,"line":N,"reason":R,["rule":RULE_ID,]"page":P,"record":I,
///    "record_id":ID,"kind":K,"lines":[N,...],"title":T,"text":X}
/// for a dropped record, R one of DropReasonId()'s ids, "lines" every input line it held, and
///   {"drop":"input","source":S,"reason":R}
/// for an input skipped whole (R: "binary").
class RejectsWriter : public RecordSink {
 public:
  /// `out` and `next` must outlive the writer; `next` receives every record after it.
  RejectsWriter(OutputStream* out, RecordSink* next) : out_(out), next_(next) {}

  /// Writes the lines dropped from `record`, then passes it on.
  void Accept(Record&& record) override;
  /// Writes `record` and the lines dropped from it, then passes it on.
  void Reject(Record&& record, DropReason reason, const std::string& detail) override;
  /// Writes an input that was skipped whole, with no record read from it.
  void SkippedInput(const std::string& source, const std::string& reason);

 private:
  void AppendDroppedLines(const Record& record, const std::string& record_id);

  OutputStream* out_;
  RecordSink* next_;
  std::string text_;
};

}  // namespace winnow

#endif  // WINNOW_REJECTS_WRITER_H_

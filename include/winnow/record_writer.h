// Stage 6 of the pipeline: writers turn emitted records into bytes on an OutputStream.
// A writer is the last RecordSink of the chain; it knows only the Record type.
#ifndef WINNOW_RECORD_WRITER_H_
#define WINNOW_RECORD_WRITER_H_

#include <memory>
#include <string>
#include <string_view>

#include "winnow/output_file.h"
#include "winnow/record_sink.h"

namespace winnow {

enum class OutputFormat { kJsonl, kJson, kMarkdown };

/// Parses "jsonl", "json" or "md" (also "markdown").
bool ParseOutputFormat(std::string_view name, OutputFormat* format);

class RecordWriter : public RecordSink {
 public:
  /// `out` must outlive the writer.
  explicit RecordWriter(OutputStream* out) : out_(out) {}
  /// Dropped records are accounted for upstream; a writer writes only emitted records.
  void Reject(Record&&, DropReason, const std::string&) override {}
  /// Writes whatever closes the document (the JSON array's bracket).
  virtual void Finish() {}

 protected:
  OutputStream* out_;
};

/// The record's stable id: 16 hex digits from its source, page and index.
std::string RecordId(const Record& record);

/// Makes the writer for `format`.
std::unique_ptr<RecordWriter> MakeRecordWriter(OutputFormat format, OutputStream* out);

}  // namespace winnow

#endif  // WINNOW_RECORD_WRITER_H_

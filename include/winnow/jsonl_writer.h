// JSON Lines output: one object per record,
// {"id","source","page","record","title","text","truncated","metadata"}.
#ifndef WINNOW_JSONL_WRITER_H_
#define WINNOW_JSONL_WRITER_H_

#include <string>

#include "winnow/record_writer.h"

namespace winnow {

/// Appends `record` as one JSON object (no newline) to `*out`. Shared by the JSON writers.
void AppendRecordJson(const Record& record, std::string* out);

class JsonlWriter : public RecordWriter {
 public:
  using RecordWriter::RecordWriter;
  void Accept(Record&& record) override;

 private:
  std::string line_;
};

}  // namespace winnow

#endif  // WINNOW_JSONL_WRITER_H_

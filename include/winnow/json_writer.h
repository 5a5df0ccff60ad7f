// JSON output: one array holding every emitted record, in the JSONL writer's object form.
#ifndef WINNOW_JSON_WRITER_H_
#define WINNOW_JSON_WRITER_H_

#include <string>

#include "winnow/record_writer.h"

namespace winnow {

class JsonWriter : public RecordWriter {
 public:
  using RecordWriter::RecordWriter;
  void Accept(Record&& record) override;
  void Finish() override;

 private:
  bool first_ = true;
  std::string item_;
};

}  // namespace winnow

#endif  // WINNOW_JSON_WRITER_H_

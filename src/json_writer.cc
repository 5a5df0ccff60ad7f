#include "winnow/json_writer.h"

#include "winnow/jsonl_writer.h"

namespace winnow {

void JsonWriter::Accept(Record&& record) {
  item_.assign(first_ ? "[\n" : ",\n");
  first_ = false;
  AppendRecordJson(record, &item_);
  out_->Write(item_);
}

void JsonWriter::Finish() {
  out_->Write(first_ ? "[]\n" : "\n]\n");
  first_ = true;
}

}  // namespace winnow

#include "winnow/rejects_writer.h"

#include <utility>

#include "winnow/json_text.h"
#include "winnow/record_writer.h"

namespace winnow {
namespace {

void AppendNumber(const char* key, uint64_t value, std::string* out) {
  out->append(",\"");
  out->append(key);
  out->append("\":");
  AppendDecimal(value, out);
}

void AppendString(const char* key, const std::string& value, std::string* out) {
  out->append(",\"");
  out->append(key);
  out->append("\":");
  AppendJsonString(value, out);
}

// The fields both kinds of line share, after "drop".
void AppendLocation(const Record& record, uint64_t line, std::string* out) {
  AppendString("source", record.source, out);
  AppendNumber("line", line, out);
}

void AppendOwner(const Record& record, const std::string& record_id, std::string* out) {
  AppendNumber("page", record.page, out);
  AppendNumber("record", record.index, out);
  AppendString("record_id", record_id, out);
}

}  // namespace

void RejectsWriter::AppendDroppedLines(const Record& record, const std::string& record_id) {
  for (const DroppedLine& dropped : record.dropped_lines) {
    text_.append("{\"drop\":\"line\"");
    AppendLocation(record, dropped.line, &text_);
    AppendString("reason", dropped.reason, &text_);
    AppendOwner(record, record_id, &text_);
    AppendString("text", dropped.text, &text_);
    text_.append("}\n");
  }
}

void RejectsWriter::Accept(Record&& record) {
  if (!record.dropped_lines.empty()) {
    text_.clear();
    AppendDroppedLines(record, RecordId(record));
    out_->Write(text_);
  }
  next_->Accept(std::move(record));
}

void RejectsWriter::Reject(Record&& record, DropReason reason, const std::string& detail) {
  const std::string record_id = RecordId(record);
  text_.clear();
  text_.append("{\"drop\":\"record\"");
  uint64_t first = record.title_line;
  std::string lines = "[";
  auto add_line = [&](uint64_t line) {
    if (lines.size() > 1) lines.push_back(',');
    lines += std::to_string(line);
    if (first == 0) first = line;
  };
  if (record.title_line != 0) add_line(record.title_line);
  for (const BodyLine& line : record.body) {
    if (line.line != 0) add_line(line.line);
  }
  lines.push_back(']');
  // A record of nothing but chrome is found where its first dropped line was.
  const bool holds_lines = first != 0;
  for (const DroppedLine& dropped : record.dropped_lines) {
    if (!holds_lines && (first == 0 || dropped.line < first)) first = dropped.line;
  }
  AppendLocation(record, first, &text_);
  AppendString("reason", DropReasonId(reason), &text_);
  if (reason == DropReason::kRule) AppendString("rule", detail, &text_);
  AppendOwner(record, record_id, &text_);
  AppendString("kind", RecordKindName(record.kind), &text_);
  text_.append(",\"lines\":");
  text_.append(lines);
  AppendString("title", record.title, &text_);
  AppendString("text", record.Text(), &text_);
  text_.append("}\n");
  AppendDroppedLines(record, record_id);
  out_->Write(text_);
  next_->Reject(std::move(record), reason, detail);
}

void RejectsWriter::SkippedInput(const std::string& source, const std::string& reason) {
  text_.clear();
  text_.append("{\"drop\":\"input\"");
  AppendString("source", source, &text_);
  AppendString("reason", reason, &text_);
  text_.append("}\n");
  out_->Write(text_);
}

}  // namespace winnow

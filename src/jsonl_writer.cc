#include "winnow/jsonl_writer.h"

#include <utility>

#include "winnow/fingerprint.h"
#include "winnow/json_text.h"
#include "winnow/json_writer.h"
#include "winnow/markdown_writer.h"

namespace winnow {
namespace {

void AppendKey(const char* key, std::string* out) {
  out->push_back('"');
  out->append(key);
  out->append("\":");
}

void AppendCount(const char* key, uint64_t value, bool comma, std::string* out) {
  if (comma) out->push_back(',');
  AppendKey(key, out);
  out->append(std::to_string(value));
}

}  // namespace

bool ParseOutputFormat(std::string_view name, OutputFormat* format) {
  if (name == "jsonl") *format = OutputFormat::kJsonl;
  else if (name == "json") *format = OutputFormat::kJson;
  else if (name == "md" || name == "markdown") *format = OutputFormat::kMarkdown;
  else return false;
  return true;
}

std::string RecordId(const Record& record) {
  std::string key = record.source;
  key.push_back('\0');
  key += std::to_string(record.page);
  key.push_back('\0');
  key += std::to_string(record.index);
  const uint64_t h = Hash64(key);
  static const char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 0; i < 16; ++i) id[i] = kHex[(h >> (60 - 4 * i)) & 0xF];
  return id;
}

std::unique_ptr<RecordWriter> MakeRecordWriter(OutputFormat format, OutputStream* out) {
  switch (format) {
    case OutputFormat::kJsonl: return std::make_unique<JsonlWriter>(out);
    case OutputFormat::kJson: return std::make_unique<JsonWriter>(out);
    case OutputFormat::kMarkdown: return std::make_unique<MarkdownWriter>(out);
  }
  return nullptr;
}

void AppendRecordJson(const Record& record, std::string* out) {
  out->append("{\"id\":\"");
  out->append(RecordId(record));
  out->append("\",");
  AppendKey("source", out);
  AppendJsonString(record.source, out);
  AppendCount("page", record.page, true, out);
  AppendCount("record", record.index, true, out);
  out->push_back(',');
  AppendKey("title", out);
  AppendJsonString(record.title, out);
  out->push_back(',');
  AppendKey("text", out);
  out->push_back('"');
  for (size_t i = 0; i < record.body.size(); ++i) {
    if (i > 0) out->append("\\n");
    AppendJsonEscaped(record.body[i].text, out);
  }
  out->push_back('"');
  out->push_back(',');
  AppendKey("truncated", out);
  out->append(record.truncated ? "true" : "false");
  out->push_back(',');
  AppendKey("metadata", out);
  out->push_back('{');
  AppendKey("kind", out);
  AppendJsonString(RecordKindName(record.kind), out);
  out->push_back(',');
  AppendKey("lines", out);
  uint64_t first = record.title_line;
  uint64_t last = record.title_line;
  for (const BodyLine& line : record.body) {
    if (line.line == 0) continue;
    if (first == 0 || line.line < first) first = line.line;
    if (line.line > last) last = line.line;
  }
  out->append("[" + std::to_string(first) + "," + std::to_string(last) + "]");
  if (!record.encoding.empty()) {
    out->push_back(',');
    AppendKey("encoding", out);
    AppendJsonString(record.encoding, out);
  }
  if (!record.width.empty()) {
    out->push_back(',');
    AppendKey("width", out);
    AppendJsonString(record.width, out);
  }
  out->push_back(',');
  AppendKey("repairs", out);
  const RepairCounts& r = record.repairs;
  out->push_back('{');
  AppendCount("entities", r.entities, false, out);
  AppendCount("mojibake", r.mojibake, true, out);
  AppendCount("odd_spaces", r.odd_spaces, true, out);
  AppendCount("zero_width", r.zero_width, true, out);
  AppendCount("controls", r.controls, true, out);
  AppendCount("normalized", r.normalized, true, out);
  AppendCount("width_folded", r.width_folded, true, out);
  AppendCount("invalid_bytes", r.invalid_bytes, true, out);
  out->append("},");
  AppendKey("code_damage", out);
  out->push_back('[');
  for (size_t i = 0; i < record.code_damage.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->append("{\"line\":" + std::to_string(record.code_damage[i].line) + ",\"signal\":");
    AppendJsonString(record.code_damage[i].signal, out);
    out->push_back('}');
  }
  out->append("],");
  AppendKey("rules", out);
  out->push_back('{');
  bool comma = false;
  for (const auto& [id, hits] : record.rule_hits) {
    if (comma) out->push_back(',');
    comma = true;
    AppendJsonString(id, out);
    out->push_back(':');
    out->append(std::to_string(hits));
  }
  out->append("}}}");
}

void JsonlWriter::Accept(Record&& record) {
  line_.clear();
  AppendRecordJson(record, &line_);
  line_.push_back('\n');
  out_->Write(line_);
}

}  // namespace winnow

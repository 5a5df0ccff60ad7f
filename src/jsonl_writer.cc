#include "winnow/jsonl_writer.h"

#include <cstdint>
#include <utility>

#include "winnow/fingerprint.h"
#include "winnow/json_text.h"
#include "winnow/json_writer.h"
#include "winnow/markdown_writer.h"

namespace winnow {
namespace {

// Appends a string literal, whose length the compiler knows. The record's fixed parts are
// written as few such literals as the format allows, one append each.
template <size_t N>
void AppendLiteral(const char (&literal)[N], std::string* out) {
  out->append(literal, N - 1);
}

// The record's id (see RecordId) as 16 hex digits in `id`.
void FormatRecordId(const Record& record, char (&id)[16]) {
  std::string key;
  key.reserve(record.source.size() + 42);
  key.append(record.source);
  key.push_back('\0');
  AppendDecimal(record.page, &key);
  key.push_back('\0');
  AppendDecimal(record.index, &key);
  const uint64_t h = Hash64(key);
  static const char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) id[i] = kHex[(h >> (60 - 4 * i)) & 0xF];
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
  char id[16];
  FormatRecordId(record, id);
  return std::string(id, sizeof id);
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
  char record_id[16];
  FormatRecordId(record, record_id);
  AppendLiteral("{\"id\":\"", out);
  out->append(record_id, sizeof record_id);
  AppendLiteral("\",\"source\":", out);
  AppendJsonString(record.source, out);
  AppendLiteral(",\"page\":", out);
  AppendDecimal(record.page, out);
  AppendLiteral(",\"record\":", out);
  AppendDecimal(record.index, out);
  AppendLiteral(",\"title\":", out);
  AppendJsonString(record.title, out);
  AppendLiteral(",\"text\":\"", out);
  for (size_t i = 0; i < record.body.size(); ++i) {
    if (i > 0) AppendLiteral("\\n", out);
    AppendJsonEscaped(record.body[i].text, out);
  }
  if (record.truncated) {
    AppendLiteral("\",\"truncated\":true,\"metadata\":{\"kind\":", out);
  } else {
    AppendLiteral("\",\"truncated\":false,\"metadata\":{\"kind\":", out);
  }
  AppendJsonString(RecordKindName(record.kind), out);
  uint64_t first = record.title_line;
  uint64_t last = record.title_line;
  for (const BodyLine& line : record.body) {
    if (line.line == 0) continue;
    if (first == 0 || line.line < first) first = line.line;
    if (line.line > last) last = line.line;
  }
  AppendLiteral(",\"lines\":[", out);
  AppendDecimal(first, out);
  out->push_back(',');
  AppendDecimal(last, out);
  out->push_back(']');
  if (!record.encoding.empty()) {
    AppendLiteral(",\"encoding\":", out);
    AppendJsonString(record.encoding, out);
  }
  if (!record.width.empty()) {
    AppendLiteral(",\"width\":", out);
    AppendJsonString(record.width, out);
  }
  const RepairCounts& r = record.repairs;
  AppendLiteral(",\"repairs\":{\"entities\":", out);
  AppendDecimal(r.entities, out);
  AppendLiteral(",\"mojibake\":", out);
  AppendDecimal(r.mojibake, out);
  AppendLiteral(",\"odd_spaces\":", out);
  AppendDecimal(r.odd_spaces, out);
  AppendLiteral(",\"zero_width\":", out);
  AppendDecimal(r.zero_width, out);
  AppendLiteral(",\"controls\":", out);
  AppendDecimal(r.controls, out);
  AppendLiteral(",\"normalized\":", out);
  AppendDecimal(r.normalized, out);
  AppendLiteral(",\"width_folded\":", out);
  AppendDecimal(r.width_folded, out);
  AppendLiteral(",\"invalid_bytes\":", out);
  AppendDecimal(r.invalid_bytes, out);
  AppendLiteral("},\"code_damage\":[", out);
  for (size_t i = 0; i < record.code_damage.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendLiteral("{\"line\":", out);
    AppendDecimal(record.code_damage[i].line, out);
    AppendLiteral(",\"signal\":", out);
    AppendJsonString(record.code_damage[i].signal, out);
    out->push_back('}');
  }
  AppendLiteral("],\"rules\":{", out);
  bool comma = false;
  for (const auto& [id, hits] : record.rule_hits) {
    if (comma) out->push_back(',');
    comma = true;
    AppendJsonString(id, out);
    out->push_back(':');
    AppendDecimal(hits, out);
  }
  AppendLiteral("}}}", out);
}

void JsonlWriter::Accept(Record&& record) {
  line_.clear();
  AppendRecordJson(record, &line_);
  line_.push_back('\n');
  out_->Write(line_);
}

}  // namespace winnow

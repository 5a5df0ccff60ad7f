#include "winnow/record.h"

#include "winnow/record_sink.h"

namespace winnow {

const char* RecordKindName(RecordKind kind) {
  return kind == RecordKind::kArticle ? "article" : "related";
}

std::string Record::Text() const {
  std::string text;
  size_t size = body.size();
  for (const BodyLine& line : body) size += line.text.size();
  text.reserve(size);
  for (size_t i = 0; i < body.size(); ++i) {
    if (i > 0) text.push_back('\n');
    text += body[i].text;
  }
  return text;
}

const char* DropReasonName(DropReason reason) {
  switch (reason) {
    case DropReason::kTruncatedTeaser: return "truncated teaser";
    case DropReason::kDuplicate: return "duplicate";
    case DropReason::kEmpty: return "empty record";
    case DropReason::kRule: return "rule drop";
    case DropReason::kOversized: return "oversized record";
  }
  return "dropped";
}

const char* DropReasonId(DropReason reason) {
  switch (reason) {
    case DropReason::kTruncatedTeaser: return "truncated-teaser";
    case DropReason::kDuplicate: return "duplicate";
    case DropReason::kEmpty: return "empty";
    case DropReason::kRule: return "rule";
    case DropReason::kOversized: return "oversized";
  }
  return "dropped";
}

}  // namespace winnow

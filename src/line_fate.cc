#include "winnow/line_fate.h"

#include <algorithm>
#include <utility>

namespace winnow {

const char* LineRoleName(LineRole role) {
  switch (role) {
    case LineRole::kTitle: return "title";
    case LineRole::kBody: return "body";
    case LineRole::kTeaser: return "teaser";
    case LineRole::kDropped: return "dropped";
  }
  return "unknown";
}

void AppendLineFates(const Record& record, uint64_t emitted_number, DropReason drop,
                     const std::string& detail, std::vector<LineFate>* fates) {
  LineFate base;
  base.page = record.page;
  base.index = record.index;
  base.kind = record.kind;
  base.emitted = emitted_number > 0;
  base.emitted_number = emitted_number;
  if (!base.emitted) {
    base.drop = drop;
    base.drop_detail = detail;
  }
  auto add = [&](uint64_t line, LineRole role, const std::string& rule) {
    LineFate fate = base;
    fate.line = line;
    fate.role = role;
    fate.rule = rule;
    fates->push_back(std::move(fate));
  };
  if (record.title_line != 0) add(record.title_line, LineRole::kTitle, "");
  const LineRole body_role =
      record.kind == RecordKind::kArticle ? LineRole::kBody : LineRole::kTeaser;
  for (const BodyLine& line : record.body) {
    if (line.line != 0) add(line.line, body_role, "");  // 0: a paragraph break
  }
  for (const DroppedLine& dropped : record.dropped_lines) {
    add(dropped.line, LineRole::kDropped, dropped.reason);
  }
}

void LineFateCollector::Accept(Record&& record) {
  AppendLineFates(record, ++emitted_, DropReason::kEmpty, "", &fates_);
}

void LineFateCollector::Reject(Record&& record, DropReason reason, const std::string& detail) {
  AppendLineFates(record, 0, reason, detail, &fates_);
}

std::vector<LineFate> LineFateCollector::Take() {
  std::vector<LineFate> fates;
  fates.swap(fates_);
  std::stable_sort(fates.begin(), fates.end(),
                   [](const LineFate& a, const LineFate& b) { return a.line < b.line; });
  return fates;
}

}  // namespace winnow

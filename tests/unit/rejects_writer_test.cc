// The removal audit's JSONL: one object per dropped line and per dropped record, and every
// record passed on to the next sink.
#include "winnow/rejects_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "winnow/record_writer.h"

namespace winnow {
namespace {

class CountingSink : public RecordSink {
 public:
  void Accept(Record&&) override { ++accepted; }
  void Reject(Record&&, DropReason reason, const std::string&) override {
    reasons.push_back(reason);
  }
  int accepted = 0;
  std::vector<DropReason> reasons;
};

Record Article() {
  Record record;
  record.source = "page.txt";
  record.title = "标题";
  record.title_line = 3;
  record.body = {BodyLine{"正文。", 5, false, {}}, BodyLine{}, BodyLine{"第二段 \"引号\"", 7, false, {}}};
  record.dropped_lines = {DroppedLine{1, "nav.breadcrumb", "当前位置: 首页"},
                         DroppedLine{6, "ad.learn-now", "立即学习"}};
  return record;
}

TEST(RejectsWriter, WritesTheDroppedLinesOfAnEmittedRecordAndPassesItOn) {
  StringOutput out;
  CountingSink next;
  RejectsWriter writer(&out, &next);
  Record record = Article();
  const std::string id = RecordId(record);
  writer.Accept(std::move(record));
  EXPECT_EQ(next.accepted, 1);
  EXPECT_EQ(out.text(),
            "{\"drop\":\"line\",\"source\":\"page.txt\",\"line\":1,\"reason\":\"nav.breadcrumb\","
            "\"page\":0,\"record\":0,\"record_id\":\"" + id + "\",\"text\":\"当前位置: 首页\"}\n"
            "{\"drop\":\"line\",\"source\":\"page.txt\",\"line\":6,\"reason\":\"ad.learn-now\","
            "\"page\":0,\"record\":0,\"record_id\":\"" + id + "\",\"text\":\"立即学习\"}\n");
}

TEST(RejectsWriter, WritesADroppedRecordWithEveryLineItHeldThenItsDroppedLines) {
  StringOutput out;
  CountingSink next;
  RejectsWriter writer(&out, &next);
  Record record = Article();
  record.page = 2;
  record.index = 4;
  record.kind = RecordKind::kRelated;
  record.dropped_lines.resize(1);
  const std::string id = RecordId(record);
  writer.Reject(std::move(record), DropReason::kRule, "record.not-found");
  EXPECT_EQ(next.reasons, (std::vector<DropReason>{DropReason::kRule}));
  EXPECT_EQ(out.text(),
            "{\"drop\":\"record\",\"source\":\"page.txt\",\"line\":3,\"reason\":\"rule\","
            "\"rule\":\"record.not-found\",\"page\":2,\"record\":4,\"record_id\":\"" + id +
            "\",\"kind\":\"related\",\"lines\":[3,5,7],\"title\":\"标题\","
            "\"text\":\"正文。\\n\\n第二段 \\\"引号\\\"\"}\n"
            "{\"drop\":\"line\",\"source\":\"page.txt\",\"line\":1,\"reason\":\"nav.breadcrumb\","
            "\"page\":2,\"record\":4,\"record_id\":\"" + id + "\",\"text\":\"当前位置: 首页\"}\n");
}

TEST(RejectsWriter, ARecordWithoutLinesStartsAtItsFirstDroppedOne) {
  StringOutput out;
  CountingSink next;
  RejectsWriter writer(&out, &next);
  Record record;
  record.source = "page.txt";
  record.dropped_lines = {DroppedLine{2, "nav.breadcrumb", "首页 > 编程"},
                         DroppedLine{1, "nav.skip-link", "Skip to content"}};
  writer.Reject(std::move(record), DropReason::kEmpty, "");
  const std::string text = out.text();
  EXPECT_NE(text.find("{\"drop\":\"record\",\"source\":\"page.txt\",\"line\":1,\"reason\":\"empty\","),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\"lines\":[],"), std::string::npos) << text;
}

}  // namespace
}  // namespace winnow

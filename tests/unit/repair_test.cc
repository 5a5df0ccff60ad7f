#include "winnow/repair.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace winnow {
namespace {

class CollectingSink : public RecordSink {
 public:
  void Accept(Record&& record) override { records.push_back(std::move(record)); }
  void Reject(Record&&, DropReason, const std::string&) override { ++rejected; }
  std::vector<Record> records;
  int rejected = 0;
};

Record MakeRecord(uint64_t page, std::string title, std::vector<std::string> lines) {
  Record record;
  record.source = "page.txt";
  record.page = page;
  record.title = std::move(title);
  for (std::string& line : lines) {
    BodyLine body_line;
    body_line.text = std::move(line);
    record.body.push_back(std::move(body_line));
  }
  return record;
}

TEST(WidthEvidence, CountsAsciiPunctuationBesideCjkAsFolded) {
  WidthEvidence evidence;
  evidence.Add("本文接着上一篇,基于开源代码(GitHub):分析。");
  EXPECT_EQ(evidence.folded, 3u);  // "篇,"  "码("  "):分" counts once for ':'
  EXPECT_EQ(evidence.full, 0u);
  EXPECT_TRUE(evidence.PrefersFolded());
}

TEST(WidthEvidence, CountsLiteralFullWidthPunctuation) {
  WidthEvidence evidence;
  evidence.Add("这是，全角：标点（例子）");
  EXPECT_EQ(evidence.full, 4u);
  EXPECT_FALSE(evidence.PrefersFolded());
}

TEST(WidthEvidence, IgnoresPunctuationBetweenAsciiWords) {
  WidthEvidence evidence;
  evidence.Add("f(a, b); x: y");
  EXPECT_EQ(evidence.folded, 0u);
}

TEST(RepairStage, FoldsDecodedPunctuationInAFoldedPage) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairStage stage(RepairOptions(), &normalizer, &sink);
  stage.Accept(MakeRecord(0, "标题", {"作者写的是半角,冒号:括号(如此)。"}));
  stage.Accept(MakeRecord(0, "条目", {"解码后&#xff0c;应与页面一致&#xff1a;是"}));
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.records[1].Text(), "解码后,应与页面一致:是");
  EXPECT_EQ(sink.records[1].width, "folded");
  EXPECT_EQ(sink.records[1].repairs.entities, 2u);
}

TEST(RepairStage, KeepsFullWidthInAFullWidthPage) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairStage stage(RepairOptions(), &normalizer, &sink);
  stage.Accept(MakeRecord(0, "标题", {"作者写的是全角，冒号：括号（如此）。"}));
  stage.Accept(MakeRecord(0, "条目", {"解码后&#xff0c;保持全角"}));
  EXPECT_EQ(sink.records[1].Text(), "解码后，保持全角");
  EXPECT_EQ(sink.records[1].width, "full");
}

TEST(RepairStage, EvidenceStartsAgainOnEachPage) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairStage stage(RepairOptions(), &normalizer, &sink);
  stage.Accept(MakeRecord(0, "标题", {"半角,冒号:括号(如此)。"}));
  stage.Accept(MakeRecord(1, "下一页", {"全角，冒号：后面&#xff0c;解码"}));
  EXPECT_EQ(sink.records[1].Text(), "全角，冒号：后面，解码");
}

TEST(RepairStage, KeepPolicyNeverFolds) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairOptions options;
  options.width = WidthPolicy::kKeep;
  RepairStage stage(options, &normalizer, &sink);
  stage.Accept(MakeRecord(0, "标题", {"半角,冒号:括号(如此)。&#xff0c;"}));
  EXPECT_EQ(sink.records[0].Text(), "半角,冒号:括号(如此)。，");
}

TEST(RepairStage, FoldPolicyFoldsLiteralPunctuationToo) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairOptions options;
  options.width = WidthPolicy::kFold;
  RepairStage stage(options, &normalizer, &sink);
  stage.Accept(MakeRecord(0, "标题", {"全角，冒号：保留句号。"}));
  EXPECT_EQ(sink.records[0].Text(), "全角,冒号:保留句号。");
  EXPECT_EQ(sink.records[0].repairs.width_folded, 2u);
}

TEST(RepairStage, RepairsSpacesAndDropsLinesThatBecomeEmpty) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairStage stage(RepairOptions(), &normalizer, &sink);
  stage.Accept(MakeRecord(0, "标题", {"第一段\u00a0有\u200b空格", "", "\u00a0", "", "第二段"}));
  EXPECT_EQ(sink.records[0].Text(), "第一段 有空格\n\n第二段");
  EXPECT_EQ(sink.records[0].repairs.odd_spaces, 2u);
  EXPECT_EQ(sink.records[0].repairs.zero_width, 1u);
}

TEST(RepairStage, PassesRejectedRecordsOnUnchanged) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairStage stage(RepairOptions(), &normalizer, &sink);
  stage.Reject(MakeRecord(0, "标题", {"&#xff0c;"}), DropReason::kRule, "x.y");
  EXPECT_EQ(sink.rejected, 1);
}

TEST(TextRepairer, DecodesCodeReferences) {
  TextNormalizer normalizer;
  TextRepairer repairer(RepairOptions(), &normalizer);
  std::string out;
  RepairCounts counts;
  repairer.Repair("import x from &#39;vue&#39;; if (a &lt; b)", false, false, &out, &counts);
  EXPECT_EQ(out, "import x from 'vue'; if (a < b)");
  EXPECT_EQ(counts.entities, 3u);
}

}  // namespace
}  // namespace winnow

namespace winnow {
namespace {

TEST(RepairStage, ListsDamagedCodeLinesAndKeepsTheirText) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairStage stage(RepairOptions(), &normalizer, &sink);
  Record record = MakeRecord(0, "标题", {"let sum 0;", "let ok &#61; 1;", "在 C98 里"});
  for (size_t i = 0; i < record.body.size(); ++i) record.body[i].line = 10 + i;
  stage.Accept(std::move(record));
  const Record& out = sink.records[0];
  EXPECT_EQ(out.Text(), "let sum 0;\nlet ok = 1;\n在 C98 里");
  ASSERT_EQ(out.code_damage.size(), 2u);
  EXPECT_EQ(out.code_damage[0].line, 10u);
  EXPECT_EQ(out.code_damage[0].signal, "declaration-lost-=");
  EXPECT_EQ(out.code_damage[1].line, 12u);
  EXPECT_EQ(out.code_damage[1].signal, "c++-version-lost-+");
}

TEST(RepairStage, CountsMojibakeRepairs) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairStage stage(RepairOptions(), &normalizer, &sink);
  stage.Accept(MakeRecord(0, "标题", {"It doesnâ€™t work", "请检查鍙傛暟璁剧疆"}));
  EXPECT_EQ(sink.records[0].Text(), "It doesn’t work\n请检查参数设置");
  EXPECT_EQ(sink.records[0].repairs.mojibake, 2u);
}

}  // namespace
}  // namespace winnow

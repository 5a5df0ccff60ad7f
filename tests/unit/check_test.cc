#include "winnow/check.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "winnow/record_filter.h"
#include "winnow/rule_file.h"

namespace winnow {
namespace {

class CollectingFindings : public FindingSink {
 public:
  void Report(Finding&& finding) override { findings.push_back(std::move(finding)); }
  std::vector<Finding> findings;
};

std::unique_ptr<RuleEngine> BuiltinEngine() {
  std::vector<Rule> rules;
  std::string error;
  EXPECT_TRUE(LoadBuiltinRules(&rules, &error)) << error;
  return RuleEngine::Compile(std::move(rules), &error);
}

// A JSONL-style record: everything on line 1, columns inside the text.
CheckRecord JsonRecord(std::string title, std::string text) {
  CheckRecord record;
  record.file = "corpus.jsonl";
  record.line = 1;
  record.has_title = true;
  record.title = std::move(title);
  record.title_place = TextPlace{1, 0};
  record.has_text = true;
  record.text = std::move(text);
  record.places.push_back(TextPlace{1, 0});
  return record;
}

class CheckTest : public ::testing::Test {
 protected:
  CheckTest() : checker_(Engine(), &normalizer_, &sink_) {}

  // Compiled once for all tests of the fixture.
  static const RuleEngine& Engine() {
    static const std::unique_ptr<RuleEngine> engine = BuiltinEngine();
    return *engine;
  }

  std::vector<Finding> Check(const CheckRecord& record) {
    sink_.findings.clear();
    checker_.Check(record);
    return sink_.findings;
  }
  std::vector<Finding> CheckText(const std::string& text) {
    return Check(JsonRecord("标题", text));
  }
  static std::vector<std::string> Ids(const std::vector<Finding>& findings) {
    std::vector<std::string> ids;
    for (const Finding& f : findings) ids.push_back(CheckRuleId(f.rule));
    return ids;
  }

  TextNormalizer normalizer_;
  CollectingFindings sink_;
  RecordChecker checker_;
};

using IdList = std::vector<std::string>;

TEST(CheckRuleCatalog, IdsAreStableAndInEnumOrder) {
  const auto& catalog = CheckRuleCatalog();
  for (size_t i = 0; i < catalog.size(); ++i) {
    EXPECT_EQ(static_cast<size_t>(catalog[i].rule), i);
    CheckRule parsed;
    ASSERT_TRUE(ParseCheckRuleId(catalog[i].id, &parsed));
    EXPECT_EQ(parsed, catalog[i].rule);
  }
  EXPECT_STREQ(CheckRuleId(CheckRule::kEntityLeft), "entity-left");
  EXPECT_STREQ(CheckRuleId(CheckRule::kChromeLine), "chrome-line");
  EXPECT_EQ(GetCheckRuleInfo(CheckRule::kCodeDamage).severity, Severity::kWarning);
  EXPECT_EQ(GetCheckRuleInfo(CheckRule::kMixedWidth).severity, Severity::kWarning);
  EXPECT_EQ(GetCheckRuleInfo(CheckRule::kDuplicateRecord).severity, Severity::kError);
}

TEST(CheckRuleCatalog, UnknownIdSuggestsTheClosest) {
  std::vector<CheckRule> rules;
  std::string error;
  EXPECT_FALSE(ParseCheckRuleIds("--select", {"entity-lft"}, &rules, &error));
  EXPECT_EQ(error, "--select: unknown check rule 'entity-lft'; did you mean 'entity-left'?");
  EXPECT_TRUE(ParseCheckRuleIds("--ignore", {"mixed-width", "code-damage"}, &rules, &error));
  EXPECT_EQ(rules.size(), 2u);
}

TEST_F(CheckTest, CleanTextHasNoFindings) {
  EXPECT_TRUE(CheckText("第一段,这是正文。\n\n第二段:也是正文。").empty());
}

TEST_F(CheckTest, EntityLeftIsPlacedInsideTheText) {
  const auto findings = CheckText("正文&#xff1a;内容");
  ASSERT_EQ(Ids(findings), IdList{"entity-left"});
  EXPECT_EQ(findings[0].line, 1u);
  EXPECT_EQ(findings[0].column, 3u);
  EXPECT_EQ(findings[0].text, "&#xff1a;");
  EXPECT_EQ(findings[0].severity, Severity::kError);
}

TEST_F(CheckTest, EntityWithoutAmpersandAndDoubleEscapesAreFound) {
  auto findings = CheckText("说明#xff1a;这里");
  ASSERT_EQ(Ids(findings), IdList{"entity-left"});
  EXPECT_EQ(findings[0].column, 3u);
  findings = CheckText("比较 a &amp;lt; b");
  ASSERT_EQ(Ids(findings), IdList{"entity-left"});
  EXPECT_EQ(findings[0].column, 6u);
}

TEST_F(CheckTest, EntitiesInArticlesAboutEscapingAreContent) {
  EXPECT_TRUE(CheckText("HTML 转义:&lt; 写成 &#60; 的原因,以及 &gt; 和 &quot; 的写法。").empty());
}

TEST_F(CheckTest, UrlQueriesAndCodeAmpersandsAreNotEntities) {
  EXPECT_TRUE(CheckText("访问 https://a.com/?a=1&copy=2 即可\n    make & make install").empty());
}

TEST_F(CheckTest, ColumnsOfLaterLinesCountFromTheStartOfTheField) {
  const auto findings = CheckText("第一行\n第二行&nbsp;");
  ASSERT_EQ(Ids(findings), IdList{"entity-left"});
  EXPECT_EQ(findings[0].column, 8u);  // 3 + newline + 3 code points before it
}

TEST_F(CheckTest, ChromeLineNamesTheEngineRule) {
  const auto findings = CheckText("正文在这里。\n相关文章:");
  ASSERT_EQ(Ids(findings), IdList{"chrome-line"});
  EXPECT_EQ(findings[0].detail, "tail.related-header");
  EXPECT_EQ(findings[0].column, 8u);
  EXPECT_EQ(findings[0].text, "相关文章:");
}

TEST_F(CheckTest, ProseMentioningRelatedArticlesIsNotChrome) {
  EXPECT_TRUE(CheckText("相关概念\n如果觉得有用请在评论区讨论相关文章的写法。").empty());
}

TEST_F(CheckTest, HeadRulesApplyOnlyToTheFirstLine) {
  // A head rule (preamble.intro) on the first line is chrome the splitter would drop.
  auto findings = CheckText("本文主要是介绍Git 技巧,希望对大家解决编程问题提供一定的参考价值\n正文。");
  ASSERT_EQ(Ids(findings), IdList{"chrome-line"});
  EXPECT_EQ(findings[0].detail, "preamble.intro");
  findings = CheckText("正文。\n本文主要是介绍Git 技巧,希望对大家解决编程问题提供一定的参考价值");
  EXPECT_TRUE(findings.empty());
}

TEST_F(CheckTest, TitleWithSiteSuffixIsChrome) {
  const auto findings = Check(JsonRecord("Git 技巧 - CSDN博客", "正文。"));
  ASSERT_EQ(Ids(findings), IdList{"chrome-line"});
  EXPECT_EQ(findings[0].detail, "title.csdn-suffix");
}

TEST_F(CheckTest, RuleEngineWithoutRulesFindsNoChrome) {
  std::string error;
  auto empty = RuleEngine::Compile({}, &error);
  CollectingFindings sink;
  RecordChecker checker(*empty, &normalizer_, &sink);
  checker.Check(JsonRecord("标题", "相关文章:"));
  EXPECT_TRUE(sink.findings.empty());
}

TEST_F(CheckTest, TeaserMarkers) {
  auto findings = CheckText("这是一段被截断的摘要…...");
  ASSERT_EQ(Ids(findings), IdList{"teaser-marker"});
  EXPECT_EQ(findings[0].column, 11u);
  EXPECT_EQ(Ids(CheckText("摘要停在一个引用中间&#xff0…...")), IdList{"teaser-marker"});
  // `……` and `...` end prose too; only related entries' markers count.
  EXPECT_TRUE(CheckText("他想了想,说……").empty());
  EXPECT_TRUE(CheckText("function f(...args) {}\n未完待续...").empty());
  CheckRecord related = JsonRecord("条目", "一段摘要...");
  related.kind_known = true;
  related.kind = RecordKind::kRelated;
  EXPECT_EQ(Ids(Check(related)), IdList{"teaser-marker"});
  CheckRecord truncated = JsonRecord("条目", "一段摘要");
  truncated.truncated = true;
  EXPECT_EQ(Ids(Check(truncated)), IdList{"teaser-marker"});
}

TEST_F(CheckTest, ReplacementControlAndInvisibleCharacters) {
  auto findings = CheckText("乱码\xEF\xBF\xBD\xEF\xBF\xBD这里");
  ASSERT_EQ(Ids(findings), IdList{"replacement-char"});
  EXPECT_EQ(findings[0].column, 3u);
  findings = CheckText("响铃\x07字符\r");
  ASSERT_EQ(Ids(findings), IdList{"control-char"});
  EXPECT_EQ(findings[0].text, "U+0007");
  EXPECT_EQ(Ids(CheckText("行尾_x000D_")), IdList{"control-char"});
  EXPECT_EQ(Ids(CheckText("C1\xC2\x85控制")), IdList{"control-char"});
  EXPECT_EQ(Ids(CheckText("全表\xE2\x80\x8B扫描")), IdList{"invisible-char"});
  EXPECT_EQ(Ids(CheckText("链接\xC2\xA0这里")), IdList{"invisible-char"});
  // Tabs are text; a zero-width joiner joins emoji.
  EXPECT_TRUE(CheckText("a\tb 👨\xE2\x80\x8D💻").empty());
}

TEST_F(CheckTest, CodeDamageIsAWarning) {
  const auto findings = CheckText("代码如下:\n  let sum 0;\n  for (var i 0; i < n; i) {\n  }");
  ASSERT_EQ(Ids(findings), (IdList{"code-damage", "code-damage"}));
  EXPECT_EQ(findings[0].severity, Severity::kWarning);
  EXPECT_EQ(findings[0].text, "let sum 0;");
  EXPECT_EQ(Ids(CheckText("import Vue from vue")), IdList{"code-damage"});
  EXPECT_EQ(Ids(CheckText("for (let i = 0; i < n; i)")), IdList{"code-damage"});
}

TEST_F(CheckTest, IntactCodeIsNotDamage) {
  EXPECT_TRUE(CheckText("let sum = 0;\nfor (var i = 0; i < n; i++) {\n}\n"
                        "import Vue from 'vue'\nfor (auto& x : v) {}\nfrom os import path\n"
                        "int main() {\nconst app = express();")
                  .empty());
}

TEST_F(CheckTest, MixedWidthPointsAtTheRarerForm) {
  const auto findings = CheckText("第一句,第二句,第三句。\n然后，这里。");
  ASSERT_EQ(Ids(findings), IdList{"mixed-width"});
  EXPECT_EQ(findings[0].severity, Severity::kWarning);
  EXPECT_EQ(findings[0].column, 16u);
  EXPECT_EQ(findings[0].text, "，");
  EXPECT_TRUE(CheckText("全部折叠,没有问题:好的。").empty());
  EXPECT_TRUE(CheckText("全部全角，没有问题：好的。").empty());
}

TEST_F(CheckTest, DuplicatesNameTheFirstRecord) {
  CheckRecord first = JsonRecord("标题", "同一段正文。");
  CheckRecord second = JsonRecord("标题", "同一段  正文。");  // reflowed copy
  second.line = 7;
  EXPECT_TRUE(Check(first).empty());
  const auto findings = Check(second);
  ASSERT_EQ(Ids(findings), IdList{"duplicate-record"});
  EXPECT_EQ(findings[0].line, 7u);
  EXPECT_EQ(findings[0].message, "record repeats the one at corpus.jsonl:1");
  EXPECT_TRUE(Check(JsonRecord("别的标题", "同一段正文。")).empty());
}

TEST_F(CheckTest, DuplicatesAcrossFilesNameTheFirstFile) {
  CheckRecord first = JsonRecord("标题", "正文。");
  first.file = "a.jsonl";
  CheckRecord other = JsonRecord("别的", "别的正文。");
  other.file = "b.jsonl";
  CheckRecord again = JsonRecord("标题", "正文。");
  again.file = "b.jsonl";
  again.line = 2;
  EXPECT_TRUE(Check(first).empty());
  EXPECT_TRUE(Check(other).empty());
  const auto findings = Check(again);
  ASSERT_EQ(Ids(findings), IdList{"duplicate-record"});
  EXPECT_EQ(findings[0].file, "b.jsonl");
  EXPECT_EQ(findings[0].message, "record repeats the one at a.jsonl:1");
}

TEST_F(CheckTest, DedupKeyAgreesWithTheFilter) {
  // `clean` drops duplicates by RecordFilter's view; check must see the same records as equal.
  RecordFilter filter(FilterOptions(), &normalizer_, nullptr);
  for (const std::string& text :
       {std::string("第一行\n  第二行 &#xff0c; 有空格\n\n第三行"), std::string("a b\tc")}) {
    std::string title_view, text_view;
    filter.DedupView("标题 一", &title_view);
    filter.DedupView(text, &text_view);
    std::vector<std::string> keys;
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string key;
      normalizer_.MatchKey(text.substr(start, end - start), &key);
      keys.push_back(key);
      start = end + 1;
    }
    std::string title_key;
    normalizer_.MatchKey("标题 一", &title_key);
    EXPECT_EQ(RecordChecker::DedupKey(title_key, keys), title_view + "\x1f" + text_view);
  }
}

TEST_F(CheckTest, EmptyRecordAndTitle) {
  EXPECT_EQ(Ids(Check(JsonRecord("标题", ""))), IdList{"empty-record"});
  EXPECT_EQ(Ids(Check(JsonRecord("", "有正文。"))), IdList{"empty-title"});
}

TEST_F(CheckTest, ReportedChromeIsNotMatchedAgain) {
  CheckRecord record = JsonRecord("标题", "相关文章:");
  record.match_rules = false;
  EXPECT_TRUE(Check(record).empty());
}

TEST(FindingFilter, SelectsIgnoresAndCounts) {
  CollectingFindings sink;
  FindingFilter filter({CheckRule::kEntityLeft, CheckRule::kCodeDamage}, {CheckRule::kCodeDamage},
                       &sink);
  for (CheckRule rule : {CheckRule::kEntityLeft, CheckRule::kCodeDamage, CheckRule::kChromeLine}) {
    Finding finding;
    finding.rule = rule;
    finding.severity = GetCheckRuleInfo(rule).severity;
    filter.Report(std::move(finding));
  }
  ASSERT_EQ(sink.findings.size(), 1u);
  EXPECT_EQ(sink.findings[0].rule, CheckRule::kEntityLeft);
  EXPECT_EQ(filter.errors(), 1u);
  EXPECT_EQ(filter.warnings(), 0u);
  EXPECT_EQ(filter.by_rule()[static_cast<size_t>(CheckRule::kEntityLeft)], 1u);
}

}  // namespace
}  // namespace winnow

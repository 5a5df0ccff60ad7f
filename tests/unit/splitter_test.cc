#include "winnow/splitter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "winnow/rule_file.h"

namespace winnow {
namespace {

// A small rule set of our own, so these tests pin the splitter, not the built-in rules.
constexpr char kRules[] = R"({"rules": [
  {"id": "t.breadcrumb", "scope": "any", "action": "start-page", "pattern": "^当前位置"},
  {"id": "t.related", "scope": "any", "action": "start-tail", "pattern": "^相关文章:?$"},
  {"id": "t.toc", "scope": "any", "action": "drop-block", "pattern": "^文章目录$"},
  {"id": "t.meta", "scope": "head", "action": "drop-line", "pattern": "^发布时间:"},
  {"id": "t.copy", "scope": "any", "action": "drop-line", "pattern": "^复制代码$"},
  {"id": "t.notice", "scope": "any", "action": "drop-line", "pattern": "^版权声明:"},
  {"id": "t.gone", "scope": "any", "action": "drop-record", "pattern": "^该文章已被删除$"},
  {"id": "t.suffix", "scope": "title", "action": "strip-match", "pattern": "\\s*-\\s*CSDN博客$"}
]})";

struct Pushed {
  Record record;
  bool accepted;
  DropReason reason;
  std::string detail;
};

class CollectingSink : public RecordSink {
 public:
  void Accept(Record&& record) override {
    pushed.push_back(Pushed{std::move(record), true, DropReason::kEmpty, ""});
  }
  void Reject(Record&& record, DropReason reason, const std::string& detail) override {
    pushed.push_back(Pushed{std::move(record), false, reason, detail});
  }
  std::vector<Pushed> pushed;
};

class SplitterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Rule> rules;
    std::string error;
    ASSERT_TRUE(ParseRuleFile(kRules, "test", &rules, &error)) << error;
    engine_ = RuleEngine::Compile(std::move(rules), &error);
    ASSERT_NE(engine_, nullptr) << error;
  }

  std::vector<Pushed> Split(const std::vector<std::string>& lines,
                            SplitterOptions options = SplitterOptions()) {
    sink_.pushed.clear();
    Splitter splitter(*engine_, &normalizer_, &sink_, options);
    splitter.BeginSource("page.txt");
    uint64_t n = 0;
    for (const std::string& line : lines) splitter.AddLine(line, ++n);
    splitter.EndSource();
    return std::move(sink_.pushed);
  }

  std::unique_ptr<RuleEngine> engine_;
  TextNormalizer normalizer_;
  CollectingSink sink_;
};

TEST_F(SplitterTest, KeptMatchKeysAreTheViewsOfTheTextTheArticleKeeps) {
  SplitterOptions options;
  options.keep_match_keys = true;
  // Trailing space, a non-breaking and an ideographic space in front, an indented code block
  // (dedented when the body is done), a width fold and a reference: the view is the same.
  auto out = Split({"当前位置: 首页 > news >正文", "标题", "第一段，正文。  ", "\u00a0\u3000缩进的段落&#xff0c;完。",
                    "", "    int main() {", "        return 0;", "    }", "", "相关文章:", "条目",
                    "摘要被截断…..."},
                   options);
  ASSERT_FALSE(out.empty());
  const Record& article = out[0].record;
  ASSERT_GE(article.body.size(), 5u);
  for (const BodyLine& line : article.body) {
    std::string view;
    normalizer_.MatchKey(line.text, &view);
    EXPECT_EQ(line.key, view) << line.text;
    EXPECT_EQ(line.key.empty(), line.text.empty()) << line.text;
  }
  // Without the option nothing is kept.
  out = Split({"标题", "正文。"});
  ASSERT_FALSE(out.empty());
  for (const BodyLine& line : out[0].record.body) EXPECT_TRUE(line.key.empty());
}

// The same on every test page, with the built-in rules.
TEST(SplitterKeys, KeptMatchKeysHoldOnEveryTestPage) {
  std::vector<Rule> rules;
  std::string error;
  ASSERT_TRUE(LoadBuiltinRules(&rules, &error)) << error;
  std::unique_ptr<RuleEngine> engine = RuleEngine::Compile(std::move(rules), &error);
  ASSERT_NE(engine, nullptr) << error;
  TextNormalizer normalizer;
  CollectingSink sink;
  SplitterOptions options;
  options.keep_match_keys = true;
  size_t pages = 0;
  size_t lines_checked = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(WINNOW_SOURCE_DIR "/testdata/pages")) {
    std::ifstream in(entry.path() / "input.txt");
    if (!in) continue;
    ++pages;
    Splitter splitter(*engine, &normalizer, &sink, options);
    splitter.BeginSource("input.txt");
    std::string line;
    uint64_t n = 0;
    while (std::getline(in, line)) splitter.AddLine(line, ++n);
    splitter.EndSource();
  }
  for (const Pushed& pushed : sink.pushed) {
    if (pushed.record.kind != RecordKind::kArticle) continue;
    for (const BodyLine& line : pushed.record.body) {
      std::string view;
      normalizer.MatchKey(line.text, &view);
      EXPECT_EQ(line.key, view) << line.text;
      ++lines_checked;
    }
  }
  EXPECT_GE(pages, 16u);
  EXPECT_GE(lines_checked, 200u);
}

TEST_F(SplitterTest, ArticlePastTheRecordCapIsDroppedWholeWithoutKeepingItsText) {
  SplitterOptions options;
  options.max_record_bytes = 100;
  const std::string piece(40, 'x');
  auto out = Split({"当前位置: 首页 > news >正文", "标题", piece, piece, piece, "", "相关文章:", "条目",
                    "摘要被截断…..."},
                   options);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_FALSE(out[0].accepted);
  EXPECT_EQ(out[0].reason, DropReason::kOversized);
  EXPECT_EQ(out[0].record.Text(), piece);  // nothing past the cap is held
  EXPECT_EQ(out[0].record.rule_hits["record.oversized"], 2u);
  EXPECT_EQ(out[1].record.title, "条目");  // the page goes on as usual
  // A title repeated past the cap is not held either.
  auto repeats = Split({"当前位置: 首页", piece, piece, piece, piece}, options);
  ASSERT_EQ(repeats.size(), 1u);
  EXPECT_EQ(repeats[0].reason, DropReason::kOversized);
  size_t held = 0;
  for (const DroppedLine& dropped : repeats[0].record.dropped_lines) held += dropped.text.size();
  EXPECT_LE(held, 100u);
}

// Issue 8: cleaning winnow's own Markdown output gives the same records again.
TEST_F(SplitterTest, ReadsWinnowsOwnMarkdown) {
  auto out = Split({"# 标题一", "", "第一段。", "", "```", "int main() {", "", "  return 0;", "}",
                    "```", "", "---", "", "# 标题二", "", "第二篇的正文。"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].record.title, "标题一");
  EXPECT_EQ(out[0].record.Text(), "第一段。\n\nint main() {\n\n  return 0;\n}");
  EXPECT_TRUE(out[0].record.body[2].is_code);
  EXPECT_TRUE(out[0].record.body[4].is_code);  // fenced: code whatever it looks like
  EXPECT_EQ(out[0].record.rule_hits["markdown.fence"], 2u);
  EXPECT_EQ(out[1].record.title, "标题二");
  EXPECT_EQ(out[1].record.page, 1u);
  EXPECT_EQ(out[1].record.Text(), "第二篇的正文。");
  // A page that does not start with a heading is no Markdown: `---` and `#` are text.
  auto raw = Split({"当前位置: 首页", "标题", "正文。", "---", "# 不是标题"});
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(raw[0].record.Text(), "正文。\n---\n# 不是标题");
}

TEST_F(SplitterTest, SplitsArticleAndRelatedEntries) {
  auto out = Split({"当前位置: 首页 > news >正文", "", "标题", "", "第一段。", "", "第二段。", "",
                    "相关文章:", "", "别的文章", "", "它的开头被截断了…...", "", "第三篇",
                    "", "也被截断...", ""});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].record.kind, RecordKind::kArticle);
  EXPECT_EQ(out[0].record.title, "标题");
  EXPECT_EQ(out[0].record.Text(), "第一段。\n\n第二段。");
  EXPECT_EQ(out[0].record.index, 0u);
  EXPECT_EQ(out[0].record.rule_hits.at("t.breadcrumb"), 1u);
  EXPECT_EQ(out[0].record.rule_hits.at("t.related"), 1u);
  EXPECT_EQ(out[1].record.kind, RecordKind::kRelated);
  EXPECT_EQ(out[1].record.title, "别的文章");
  EXPECT_EQ(out[1].record.Text(), "它的开头被截断了");
  EXPECT_TRUE(out[1].record.truncated);
  EXPECT_EQ(out[1].record.index, 1u);
  EXPECT_EQ(out[2].record.Text(), "也被截断");
  EXPECT_EQ(out[2].record.index, 2u);
}

TEST_F(SplitterTest, ACutTeaserIsAskedOnlyAboutTheEndOfItsList) {
  // A cut teaser that reads like a notice stays its entry's teaser (the filter drops it
  // whole); a whole line that does is dropped as chrome, as anywhere.
  auto out = Split({"标题", "正文。", "相关文章:", "甲文", "版权声明:本文为原创…...", "乙文",
                    "版权声明:本文为原创", "丙文", "摘要…..."});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[1].record.title, "甲文");
  EXPECT_EQ(out[1].record.Text(), "版权声明:本文为原创");
  EXPECT_TRUE(out[1].record.truncated);
  EXPECT_TRUE(out[1].record.rule_hits.empty());
  EXPECT_EQ(out[2].record.title, "乙文");
  EXPECT_EQ(out[2].record.Text(), "");
  EXPECT_EQ(out[3].record.rule_hits.at("t.notice"), 1u);  // chrome goes with the next entry
  // A cut line that starts a page still does.
  out = Split({"标题", "正文。", "相关文章:", "甲文", "摘要…...", "当前位置: 首页 > 被截断的…",
               "乙", "正文乙。"});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[2].record.kind, RecordKind::kArticle);
  EXPECT_EQ(out[2].record.title, "乙");
  EXPECT_EQ(out[2].record.page, 1u);
}

TEST_F(SplitterTest, EachBreadcrumbStartsANewPage) {
  auto out = Split({"当前位置: 首页", "甲", "正文甲。", "当前位置: 首页", "乙", "正文乙。"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].record.page, 0u);
  EXPECT_EQ(out[0].record.title, "甲");
  EXPECT_EQ(out[1].record.page, 1u);
  EXPECT_EQ(out[1].record.title, "乙");
  EXPECT_EQ(out[1].record.index, 0u);
}

TEST_F(SplitterTest, WholeTextAfterARelatedTitleStartsTheNextPage) {
  auto out = Split({"当前位置: 首页", "甲", "正文甲。", "相关文章:", "条目", "截断…...",
                    "乙的标题", "", "乙的正文完整结束。", "", "更多正文。"});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].record.title, "条目");
  EXPECT_EQ(out[2].record.kind, RecordKind::kArticle);
  EXPECT_EQ(out[2].record.page, 1u);
  EXPECT_EQ(out[2].record.title, "乙的标题");
  EXPECT_EQ(out[2].record.Text(), "乙的正文完整结束。\n\n更多正文。");
}

TEST_F(SplitterTest, WholeTeaserAmongCutOnesIsAnEntry) {
  auto out = Split({"当前位置: 首页", "甲", "正文甲。", "相关文章:", "条目一", "",
                    "这个简介很短所以没有被截断。", "", "条目二", "", "被截断的简介…...", "",
                    "条目三", "", "也很短的简介没有截断。", "", "条目四", "", "又一个截断…"});
  ASSERT_EQ(out.size(), 5u);
  for (size_t i = 1; i < out.size(); ++i) {
    EXPECT_EQ(out[i].record.kind, RecordKind::kRelated) << i;
    EXPECT_EQ(out[i].record.page, 0u) << i;
  }
  EXPECT_EQ(out[1].record.title, "条目一");
  EXPECT_EQ(out[1].record.Text(), "这个简介很短所以没有被截断。");
  EXPECT_FALSE(out[1].record.truncated);
  EXPECT_EQ(out[3].record.Text(), "也很短的简介没有截断。");
}

// Whole teasers are told from the body of a page that starts straight with its title by
// how they end: like a sentence (in the match view, where full-width forms are folded).
TEST_F(SplitterTest, WholeTeasersEndLikeSentencesAndOtherTextStartsAPage) {
  auto split = [this](const std::string& end) {
    return Split({"当前位置: 首页", "甲", "正文甲。", "相关文章:", "条目一",
                  "第一篇的简介写得完整而且足够长" + end, "条目二",
                  "第二篇的简介写得完整而且足够长" + end, "条目三",
                  "第三篇的简介写得完整而且足够长" + end});
  };
  for (const std::string end : {"。", ".", "!", "?", ";", "！", "？", "；", "」", "”"}) {
    const auto out = split(end);
    ASSERT_EQ(out.size(), 4u) << end;
    for (size_t i = 1; i < out.size(); ++i) {
      EXPECT_EQ(out[i].record.kind, RecordKind::kRelated) << end;
      EXPECT_EQ(out[i].record.page, 0u) << end;
    }
  }
  for (const std::string end : {"，", ":", "a", "“", "』", "、", "…x", "。a", "\xE3\x80\x83"}) {
    const auto out = split(end);
    ASSERT_GE(out.size(), 2u) << end;
    EXPECT_EQ(out.back().record.page, 1u) << end;  // 条目一 starts a page of its own
  }
}

TEST_F(SplitterTest, WholeLastTeaserBeforeTheNextBreadcrumbIsAnEntry) {
  auto out = Split({"当前位置: 首页", "甲", "正文甲。", "相关文章:", "条目", "",
                    "没有截断的简介。", "", "当前位置: 首页", "乙", "正文乙。"});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].record.kind, RecordKind::kRelated);
  EXPECT_EQ(out[1].record.Text(), "没有截断的简介。");
  EXPECT_EQ(out[2].record.title, "乙");
  EXPECT_EQ(out[2].record.page, 1u);
}

TEST_F(SplitterTest, PageStartingStraightWithTitleBeforeItsOwnRelatedList) {
  auto out = Split({"当前位置: 首页", "甲", "正文甲。", "相关文章:", "条目", "截断…...",
                    "乙的标题", "", "引言", "", "乙的正文。", "相关文章:", "条目二", "截断…"});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[2].record.kind, RecordKind::kArticle);
  EXPECT_EQ(out[2].record.title, "乙的标题");
  EXPECT_EQ(out[2].record.Text(), "引言\n\n乙的正文。");
  EXPECT_EQ(out[3].record.page, 1u);
  EXPECT_EQ(out[3].record.index, 1u);
}

TEST_F(SplitterTest, DropsHeadRulesOnlyInTheHead) {
  auto out = Split({"当前位置: 首页", "标题", "发布时间: 2024-01-01", "正文。",
                    "发布时间: 这一行在正文里"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].record.Text(), "正文。\n发布时间: 这一行在正文里");
  EXPECT_EQ(out[0].record.rule_hits.at("t.meta"), 1u);
}

TEST_F(SplitterTest, DropsTheTitleRepeatedInTraditionalCharacters) {
  auto out = Split({"当前位置: 首页", "「学习」记录: 内存管理", "“學習”記錄: 內存管理",
                    "“學習”記錄: 內存管理器", "正文。"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].record.Text(), "“學習”記錄: 內存管理器\n正文。");  // a character more
  EXPECT_EQ(out[0].record.rule_hits.at("title.repeat"), 1u);
  // Not the same text in other characters: a difference outside the Han characters.
  out = Split({"当前位置: 首页", "「学习」记录: 内存管理", "“學習”記錄; 內存管理", "正文。"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].record.Text(), "“學習”記錄; 內存管理\n正文。");
}

TEST_F(SplitterTest, DropsRepeatedTitleLines) {
  auto out = Split({"当前位置: 首页", "重复的标题", "重复的标题", "  重复的标题 ", "正文。"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].record.Text(), "正文。");
  EXPECT_EQ(out[0].record.rule_hits.at("title.repeat"), 2u);
}

TEST_F(SplitterTest, StripsTitleSuffixAndDropsItsRepeat) {
  auto out = Split({"当前位置: 首页", "Vue 路由 - CSDN博客", "Vue 路由", "正文。"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].record.title, "Vue 路由");
  EXPECT_EQ(out[0].record.Text(), "正文。");
}

TEST_F(SplitterTest, DropsTableOfContentsUntilTheFirstHeadingRepeats) {
  auto out = Split({"当前位置: 首页", "标题", "文章目录", "  • 前言", "  • 安装", "  • 总结", "",
                    "前言", "", "这是前言的正文。"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].record.Text(), "前言\n\n这是前言的正文。");
  EXPECT_EQ(out[0].record.rule_hits.at("t.toc"), 4u);
}

TEST_F(SplitterTest, TableOfContentsEndsAtASentence) {
  auto out = Split({"当前位置: 首页", "标题", "文章目录", "前言", "安装",
                    "这是一段完整的正文,它以句号结束。"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].record.Text(), "这是一段完整的正文,它以句号结束。");
}

TEST_F(SplitterTest, DropRecordRuleRejectsTheRecordWithItsId) {
  auto out = Split({"当前位置: 首页", "标题", "该文章已被删除"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].accepted);
  EXPECT_EQ(out[0].reason, DropReason::kRule);
  EXPECT_EQ(out[0].detail, "t.gone");
}

// Issue 5: every dropped line ends up in a record, of its own page, so the audit can account
// for it.
std::vector<uint64_t> DroppedLineNumbers(const Record& record) {
  std::vector<uint64_t> lines;
  for (const DroppedLine& dropped : record.dropped_lines) lines.push_back(dropped.line);
  return lines;
}

TEST_F(SplitterTest, ChromeBeforeTheFirstPageJoinsItsArticle) {
  auto out = Split({"复制代码", "当前位置: 首页", "标题", "正文。"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(DroppedLineNumbers(out[0].record), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(out[0].record.rule_hits.at("t.copy"), 1u);
}

TEST_F(SplitterTest, ChromeBetweenEntriesGoesWithTheNextAndAfterTheLastWithTheLast) {
  auto out = Split({"当前位置: 首页", "标题", "正文。", "相关文章:", "条目一", "截断一…...",
                    "复制代码", "条目二", "截断二…...", "复制代码", "当前位置: 首页", "乙",
                    "正文乙。"});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(DroppedLineNumbers(out[0].record), (std::vector<uint64_t>{1, 4}));
  EXPECT_TRUE(DroppedLineNumbers(out[1].record).empty());
  EXPECT_EQ(out[2].record.title, "条目二");
  EXPECT_EQ(DroppedLineNumbers(out[2].record), (std::vector<uint64_t>{7, 10}));
  EXPECT_EQ(out[2].record.rule_hits.at("t.copy"), 2u);
  EXPECT_EQ(out[3].record.page, 1u);
  EXPECT_EQ(DroppedLineNumbers(out[3].record), (std::vector<uint64_t>{11}));
}

TEST_F(SplitterTest, ChromeHeldPastAnEntryKeepsItsReasonAndText) {
  // The first entry has no teaser, so the chrome after it waits for the next one: it must
  // come out with its rule and its text, as it went in.
  auto out = Split({"标题", "正文。", "相关文章:", "条目一", "复制代码", "条目二", "截断二…..."});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].record.title, "条目一");
  EXPECT_TRUE(out[1].record.dropped_lines.empty());
  const Record& next = out[2].record;
  EXPECT_EQ(next.title, "条目二");
  ASSERT_EQ(next.dropped_lines.size(), 1u);
  EXPECT_EQ(next.dropped_lines[0].line, 5u);
  EXPECT_EQ(next.dropped_lines[0].reason, "t.copy");
  EXPECT_EQ(next.dropped_lines[0].text, "复制代码");
  EXPECT_EQ(next.rule_hits.count(""), 0u);
  EXPECT_EQ(next.rule_hits.at("t.copy"), 1u);
}

TEST_F(SplitterTest, APageOfOnlyChromeIsAnEmptyRecordHoldingItsLines) {
  auto out = Split({"当前位置: 首页", "发布时间:2024-01-01", "当前位置: 首页", "乙", "正文乙。"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].record.page, 0u);
  EXPECT_EQ(out[0].record.title, "");
  EXPECT_TRUE(out[0].record.body.empty());
  EXPECT_EQ(DroppedLineNumbers(out[0].record), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(out[1].record.page, 1u);
  EXPECT_EQ(out[1].record.title, "乙");

  out = Split({"复制代码"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(DroppedLineNumbers(out[0].record), (std::vector<uint64_t>{1}));
}

TEST_F(SplitterTest, ChromeOnlyHeadBeforeARelatedListGoesToTheFirstEntry) {
  auto out = Split({"当前位置: 首页", "相关文章:", "条目", "截断…..."});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].record.kind, RecordKind::kRelated);
  EXPECT_EQ(out[0].record.index, 0u);
  EXPECT_EQ(DroppedLineNumbers(out[0].record), (std::vector<uint64_t>{1, 2}));
}

TEST_F(SplitterTest, KeepsCodeIndentationAndMarksCode) {
  auto out = Split({"当前位置: 首页", "标题", "    缩进的段落。", "", "int main() {",
                    "    return 0;", "}", "复制代码"});
  ASSERT_EQ(out.size(), 1u);
  const auto& body = out[0].record.body;
  ASSERT_EQ(body.size(), 5u);
  EXPECT_EQ(body[0].text, "缩进的段落。");
  EXPECT_FALSE(body[0].is_code);
  EXPECT_TRUE(body[2].is_code);
  EXPECT_EQ(body[3].text, "    return 0;");
  EXPECT_TRUE(body[3].is_code);
  EXPECT_TRUE(body[4].is_code);
  EXPECT_EQ(out[0].record.rule_hits.at("t.copy"), 1u);
}

TEST_F(SplitterTest, PageWithoutBreadcrumbStartsAtItsTitle) {
  auto out = Split({"", "标题", "", "正文。"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].record.title, "标题");
  EXPECT_EQ(out[0].record.title_line, 2u);
  EXPECT_EQ(out[0].record.body[0].line, 4u);
}

TEST_F(SplitterTest, ProseMentioningTheHeaderIsNotAHeader) {
  auto out = Split({"当前位置: 首页", "标题", "请在评论区讨论相关文章:怎么写。", "正文。"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].record.Text(), "请在评论区讨论相关文章:怎么写。\n正文。");
}

// Every field of a record and of its lines, so records compare whole. A new field of Record
// or BodyLine belongs here and in Scribble.
std::string Describe(const Record& r) {
  std::string d = r.source + "|" + std::to_string(r.page) + "|" + std::to_string(r.index) + "|" +
                  RecordKindName(r.kind) + "|" + r.title + "|" + r.title_key + "|" +
                  std::to_string(r.title_line) + "|body:";
  for (const BodyLine& line : r.body) {
    d += "[" + line.text + "," + std::to_string(line.line) + "," + (line.is_code ? "code" : "") +
         "," + line.key + "]";
  }
  d += r.truncated ? "|truncated|hits:" : "|whole|hits:";
  for (const auto& [id, hits] : r.rule_hits) d += id + "=" + std::to_string(hits) + ",";
  d += "|dropped:";
  for (const DroppedLine& line : r.dropped_lines) {
    d += std::to_string(line.line) + "," + line.reason + "," + line.text + ";";
  }
  const RepairCounts& c = r.repairs;
  for (uint64_t n : {c.entities, c.mojibake, c.odd_spaces, c.zero_width, c.controls,
                     c.normalized, c.width_folded, c.invalid_bytes}) {
    d += "|" + std::to_string(n);
  }
  d += "|damage:";
  for (const CodeDamage& damage : r.code_damage) {
    d += std::to_string(damage.line) + "," + damage.signal + ";";
  }
  d += "|" + r.width + "|" + r.encoding + "|" + std::to_string(r.dedup_key.high) + "," +
       std::to_string(r.dedup_key.low);
  return d;
}

// Sets every field of `*record` to what no splitter makes.
void Scribble(Record* r) {
  r->source = "scribbled source, longer than a short string";
  r->page = 99;
  r->index = 99;
  r->kind = RecordKind::kArticle;
  r->title = "scribbled title";
  r->title_key = "scribbled title key";
  r->title_line = 99;
  r->body.assign(2, BodyLine{"scribbled text", 99, true, "scribbled key"});
  r->truncated = true;
  r->rule_hits["scribbled"] = 99;
  r->dropped_lines.push_back(DroppedLine{99, "scribbled", "scribbled line"});
  r->repairs = RepairCounts{1, 2, 3, 4, 5, 6, 7, 8};
  r->code_damage.push_back(CodeDamage{99, "scribbled"});
  r->width = "scribbled";
  r->encoding = "scribbled";
  r->dedup_key = Fingerprint{99, 99};
}

// Describes each record it is given, then leaves it in place: fresh, or scribbled over (as a
// sink that only counts the records it drops may leave them, all but their text).
class DescribingSink : public RecordSink {
 public:
  explicit DescribingSink(bool scribble) : scribble_(scribble) {}
  void Accept(Record&& record) override { Take(&record, "accepted"); }
  void Reject(Record&& record, DropReason reason, const std::string& detail) override {
    Take(&record, std::string(DropReasonId(reason)) + " " + detail);
  }
  std::vector<std::string> described;

 private:
  void Take(Record* record, const std::string& fate) {
    described.push_back(fate + ": " + Describe(*record));
    if (scribble_) {
      Scribble(record);
    } else {
      *record = Record();
    }
  }
  bool scribble_;
};

// The splitter makes each related entry in what the sink left of an earlier record: nothing of
// that may show in the entry, whatever the sink left there.
TEST_F(SplitterTest, ReusedEntriesCarryNothingOver) {
  const std::vector<std::string> lines = {
      "当前位置: 首页", "标题", "正文。", "相关文章:",
      "条目一", "截断一…...", "复制代码",          // chrome goes with the next entry
      "条目二", "截断二…...", "截断三…...",        // a teaser without title
      "条目四", "条目五", "截断五…...",            // a title without teaser
      "条目六", "这个简介很短所以没有被截断。",    // a whole teaser
      "条目七", "截断七…...", "条目八", "该文章已被删除", "截断八…...",  // a dropped entry
      "当前位置: 首页", "乙", "正文乙。", "相关文章:", "条目九", "截断九…..."};
  const auto split = [&](bool scribble) {
    DescribingSink sink(scribble);
    Splitter splitter(*engine_, &normalizer_, &sink);
    splitter.BeginSource("page.txt");
    uint64_t n = 0;
    for (const std::string& line : lines) splitter.AddLine(line, ++n);
    splitter.EndSource();
    return sink.described;
  };
  const std::vector<std::string> fresh = split(false);
  ASSERT_EQ(fresh.size(), 11u);
  EXPECT_EQ(split(true), fresh);
}

// The splitter makes no match view for a related list's cut teaser when no rule that ends
// the list can match it (SplitterOptions::skip_unneeded_views): the records must be those
// made with every line viewed.
class SkippedViewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Rule> rules;
    std::string error;
    ASSERT_TRUE(LoadBuiltinRules(&rules, &error)) << error;
    engine_ = RuleEngine::Compile(std::move(rules), &error);
    ASSERT_NE(engine_, nullptr) << error;
  }

  std::vector<std::string> Split(const std::vector<std::string>& lines, bool skip_views,
                                 bool keep_match_keys = false) {
    DescribingSink sink(/*scribble=*/false);
    SplitterOptions options;
    options.skip_unneeded_views = skip_views;
    options.keep_match_keys = keep_match_keys;
    Splitter splitter(*engine_, &normalizer_, &sink, options);
    splitter.BeginSource("page.txt");
    uint64_t n = 0;
    for (const std::string& line : lines) splitter.AddLine(line, ++n);
    splitter.EndSource();
    return sink.described;
  }

  // Whether the splitter takes its shortcut for `line` in a related list.
  bool Skipped(const std::string& line) {
    CharacterwiseKey view;
    return normalizer_.KeyIsCharacterwise(line, &view) &&
           !engine_->BoundaryMayMatch(view.start, line, view.folded, RuleScope::kTail);
  }

  std::unique_ptr<RuleEngine> engine_;
  TextNormalizer normalizer_;
};

TEST_F(SkippedViewsTest, CutLinesThatEndARegionStillDo) {
  const std::vector<std::string> teasers = {
      "不同项目依赖的第三方库版本经常冲突&#xff0c;比如 A 项目要 Django 3.2…...",
      "都能装包，但 conda 和 pip 各自维护依赖信息：混用时最常见的问题是…",
      "  缩进的摘要、带“引号”和（括号）的也一样…..."};
  for (const std::string& teaser : teasers) EXPECT_TRUE(Skipped(teaser)) << teaser;
  const std::vector<std::string> lines = {
      "当前位置: 首页 > news >正文", "第一篇", "正文。", "", "相关文章:", "", "条目一",
      teasers[0], "条目二", teasers[1],
      // A breadcrumb cut like a teaser starts the next page.
      "当前位置: 首页 > 编程 > 一篇很长的文章标题…", "第二篇", "第二篇的正文。", "相关文章:",
      "条目三", teasers[2], "京ICP备12345678号-1…...", "条目四", teasers[0],
      "公网安备 11010802012345号…", "条目五", teasers[1], "© 2023 某某网 example.com 版权所有…",
      "条目六", teasers[2], "ＩＣＰ备12345678号…", "条目七", teasers[0]};
  for (size_t line : {10, 16, 19, 22, 25}) EXPECT_FALSE(Skipped(lines[line])) << lines[line];
  const std::vector<std::string> viewed = Split(lines, /*skip_views=*/false);
  EXPECT_EQ(Split(lines, /*skip_views=*/true), viewed);
  EXPECT_EQ(Split(lines, /*skip_views=*/true, /*keep_match_keys=*/true),
            Split(lines, /*skip_views=*/false, /*keep_match_keys=*/true));
  // What the cut lines did: the second page, and footers ending the lists.
  size_t second_page = 0;
  size_t footers = 0;
  for (const std::string& record : viewed) {
    second_page += record.find("page.txt|1|0|article|第二篇|") != std::string::npos;
    footers += record.find("footer.icp=") != std::string::npos ||
               record.find("footer.copyright-site=") != std::string::npos;
  }
  EXPECT_EQ(second_page, 1u);
  EXPECT_GE(footers, 2u);
}

TEST_F(SkippedViewsTest, EveryTestPageSplitsAsWithEveryLineViewed) {
  size_t pages = 0;
  size_t skipped = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(WINNOW_SOURCE_DIR "/testdata/pages")) {
    std::ifstream in(entry.path() / "input.txt");
    if (!in) continue;
    ++pages;
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
      skipped += TeaserTextLength(line) < line.size() && Skipped(line);
      lines.push_back(line);
    }
    EXPECT_EQ(Split(lines, /*skip_views=*/true), Split(lines, /*skip_views=*/false))
        << entry.path();
  }
  EXPECT_GE(pages, 16u);
  EXPECT_GE(skipped, 20u);  // the shortcut is taken on the pages' teasers
}

TEST(TeaserTextLength, FindsEveryMarker) {
  const std::string_view cases[][2] = {
      {"开头…...", "开头"},   {"开头...", "开头"},    {"开头....", "开头"},
      {"开头……", "开头"},     {"开头…", "开头"},      {"开头&#xff0…...", "开头"},
      {"开头&#…...", "开头"}, {"开头&a…...", "开头"}, {"开头&…", "开头"},
      {"开头&#xff0c;…...", "开头&#xff0c;"},        {"开头…...  ", "开头"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c[0].substr(0, TeaserTextLength(c[0])), c[1]) << c[0];
  }
}

TEST(TeaserTextLength, LeavesTextWithoutMarkerWhole) {
  for (std::string_view s : {"结尾。", "结尾。 \t", "两个点..", "a.b", "", "...args 在中间"}) {
    EXPECT_EQ(TeaserTextLength(s), s.size()) << s;
  }
}

}  // namespace
}  // namespace winnow

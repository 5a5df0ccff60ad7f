#include "winnow/check_input.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "winnow/rule_file.h"

namespace winnow {
namespace {

class CollectingFindings : public FindingSink {
 public:
  void Report(Finding&& finding) override { findings.push_back(std::move(finding)); }
  std::vector<Finding> findings;
};

class CollectingDiagnostics : public DiagnosticSink {
 public:
  void Report(const Diagnostic& diagnostic) override { diagnostics.push_back(diagnostic); }
  std::vector<Diagnostic> diagnostics;
};

const RuleEngine& Engine() {
  static const std::unique_ptr<RuleEngine> engine = [] {
    std::vector<Rule> rules;
    std::string error;
    LoadBuiltinRules(&rules, &error);
    return RuleEngine::Compile(std::move(rules), &error);
  }();
  return *engine;
}

// "line:column rule" for each finding, the shape the tests compare.
std::vector<std::string> Places(const std::vector<Finding>& findings) {
  std::vector<std::string> places;
  for (const Finding& f : findings) {
    places.push_back(std::to_string(f.line) + ":" + std::to_string(f.column) + " " +
                     CheckRuleId(f.rule));
  }
  return places;
}

using PlaceList = std::vector<std::string>;

class CheckInputTest : public ::testing::Test {
 protected:
  std::vector<Finding> Run(const std::string& name, const std::string& data,
                           CheckOptions options = CheckOptions()) {
    CollectingFindings findings;
    CorpusCheck check(Engine(), options, &findings, &diagnostics_);
    auto source = MakeStringSource(data, 7);  // small reads: lines span chunks
    EXPECT_TRUE(check.CheckSource(name, source.get()));
    summary_ = check.summary();
    return findings.findings;
  }

  CollectingDiagnostics diagnostics_;
  CheckSummary summary_;
};

TEST(InputFormat, FromExtensionAndSniffing) {
  EXPECT_EQ(FormatFromExtension("a/b.jsonl"), InputFormat::kJsonl);
  EXPECT_EQ(FormatFromExtension("b.ndjson"), InputFormat::kJsonl);
  EXPECT_EQ(FormatFromExtension("b.json"), InputFormat::kJson);
  EXPECT_EQ(FormatFromExtension("b.md"), InputFormat::kMarkdown);
  EXPECT_EQ(FormatFromExtension("b.txt"), InputFormat::kAuto);
  EXPECT_EQ(SniffFormat("{\"text\":1}"), InputFormat::kJsonl);
  EXPECT_EQ(SniffFormat("  ["), InputFormat::kJson);
  EXPECT_EQ(SniffFormat("# 标题"), InputFormat::kMarkdown);
  EXPECT_EQ(SniffFormat("当前位置: 首页 > news >正文"), InputFormat::kRaw);
  InputFormat format;
  EXPECT_TRUE(ParseInputFormat("markdown", &format));
  EXPECT_EQ(format, InputFormat::kMarkdown);
  EXPECT_FALSE(ParseInputFormat("xml", &format));
}

TEST_F(CheckInputTest, JsonlFindingsForBothLines) {
  // The example: a reference and a related-list header on line 1, broken JSON on 2.
  const auto findings = Run("c.jsonl",
                            "{\"title\":\"示例\",\"text\":\"正文&#xff1a;内容\\n相关文章:\"}\n"
                            "{\"title\":\"坏的\", \"text\": \"没有结束\n");
  EXPECT_EQ(Places(findings), (PlaceList{"1:3 entity-left", "1:14 chrome-line",
                                         "2:29 invalid-json"}));
  EXPECT_EQ(findings[2].message, "invalid JSON: syntax error while parsing value - invalid "
                                 "string: missing closing quote");
  EXPECT_EQ(summary_.records, 1u);
}

// Found by check_input_fuzzer: nlohmann throws out_of_range, not parse_error, for 1E400.
TEST_F(CheckInputTest, NumberTooLargeIsInvalidJsonNotACrash) {
  const auto findings = Run("c.jsonl", "{\"text\":\"好的。\",\"n\":1E400}\n[1E400]\n");
  EXPECT_EQ(Places(findings), (PlaceList{"1:1 invalid-json", "2:1 invalid-json"}));
  EXPECT_EQ(findings[0].message, "invalid JSON: number overflow parsing '1E400'");
  const auto in_array = Run("c.json", "[{\"text\":\"好的。\",\"n\":-1E400}]\n");
  EXPECT_EQ(Places(in_array), (PlaceList{"1:1 invalid-json"}));
}

TEST_F(CheckInputTest, JsonlSchemaProblems) {
  const auto findings = Run("c.jsonl",
                            "{\"title\":\"无正文\"}\n"
                            "\n"
                            "{\"title\":\"错类型\",\"text\":3}\n"
                            "[1,2]\n"
                            "{\"text\":\"好的。\",\"page\":\"0\",\"truncated\":\"no\"}\n");
  EXPECT_EQ(Places(findings), (PlaceList{"1:0 missing-field", "3:0 wrong-type",
                                         "4:0 wrong-type", "5:0 wrong-type", "5:0 wrong-type"}));
  EXPECT_EQ(findings[1].message, "\"text\" is an integer, not a string");
  EXPECT_EQ(findings[2].message, "record is an array, not an object");
}

TEST_F(CheckInputTest, FieldOptionNamesTheTextField) {
  CheckOptions options;
  options.text_field = "content";
  auto findings = Run("c.jsonl", "{\"content\":\"正文&nbsp;\"}\n", options);
  EXPECT_EQ(Places(findings), PlaceList{"1:3 entity-left"});
  findings = Run("c.jsonl", "{\"text\":\"正文\"}\n", options);
  EXPECT_EQ(Places(findings), PlaceList{"1:0 missing-field"});
  EXPECT_EQ(findings[0].message, "no \"content\" field");
}

TEST_F(CheckInputTest, WinnowKindDecidesTheScope) {
  // A related entry's lines are matched in the tail, where footer.links applies.
  const auto findings = Run(
      "c.jsonl",
      "{\"title\":\"条目\",\"text\":\"一段摘要…...\",\"truncated\":false,"
      "\"metadata\":{\"kind\":\"related\"}}\n");
  EXPECT_EQ(Places(findings), PlaceList{"1:5 teaser-marker"});
}

TEST_F(CheckInputTest, JsonArrayPlacesEachRecordAtItsLine) {
  const auto findings = Run("c.json",
                            "[\n"
                            "  {\"title\": \"一\", \"text\": \"好的。\"},\n"
                            "  {\"title\": \"二\",\n"
                            "   \"text\": \"坏的&#xff0c;\"},\n"
                            "  {\"title\": \"三\", \"text\": \"好的 {not} \\\"]\\\" 也行。\"}\n"
                            "]\n");
  EXPECT_EQ(Places(findings), PlaceList{"3:3 entity-left"});
  EXPECT_EQ(summary_.records, 3u);
}

TEST_F(CheckInputTest, JsonArrayErrors) {
  EXPECT_EQ(Places(Run("c.json", "[{\"text\":\"a\"},\n")), PlaceList{"1:0 invalid-json"});
  EXPECT_EQ(Places(Run("c.json", "{\"text\":\"a\"}")), PlaceList{"1:1 invalid-json"});
  EXPECT_EQ(Places(Run("c.json", "[{\"text\":\"a\"}] x")), PlaceList{"1:16 invalid-json"});
  EXPECT_EQ(Places(Run("c.json", "[\n{\"text\": tru}\n]")), PlaceList{"2:13 invalid-json"});
  EXPECT_EQ(Places(Run("c.json", "[\"just text\"]")), PlaceList{"1:0 wrong-type"});
}

TEST_F(CheckInputTest, MarkdownRecordsAndFences) {
  const auto findings = Run("c.md",
                            "# 第一篇\n"
                            "\n"
                            "正文&#xff0c;这里。\n"
                            "```\n"
                            "let sum 0;\n"
                            "---\n"
                            "```\n"
                            "\n"
                            "---\n"
                            "\n"
                            "#  \n"
                            "\n"
                            "第二篇的正文。\n");
  EXPECT_EQ(Places(findings), (PlaceList{"3:3 entity-left", "5:1 code-damage",
                                         "11:0 empty-title"}));
  EXPECT_EQ(summary_.records, 2u);
}

// Found by check_input_fuzzer: a page of nothing but chrome gave an empty-record finding on
// line 0 besides its chrome-line finding.
TEST_F(CheckInputTest, RawPageOfOnlyChromeGivesOnlyItsChromeLine) {
  CheckOptions options;
  options.format = InputFormat::kRaw;
  const auto findings = Run("p.txt", "当前位置: 首页 > news >正文\n", options);
  EXPECT_EQ(Places(findings), (PlaceList{"1:1 chrome-line"}));
}

TEST_F(CheckInputTest, RawPageGoesThroughTheSplitter) {
  const auto findings = Run("page.txt",
                            "当前位置: 首页 > news >正文\n"
                            "\n"
                            "示例标题\n"
                            "\n"
                            "    正文&#xff0c;有一个引用。\n"
                            "\n"
                            "相关文章:\n"
                            "\n"
                            "另一篇\n"
                            "\n"
                            "这是一段被截断的摘要…...\n");
  EXPECT_EQ(Places(findings), (PlaceList{"1:1 chrome-line", "5:7 entity-left",
                                         "7:1 chrome-line", "11:11 teaser-marker"}));
  EXPECT_EQ(findings[0].detail, "nav.breadcrumb");
  EXPECT_EQ(findings[0].text, "当前位置: 首页 > news >正文");
  EXPECT_EQ(findings[3].text, "…...");
}

TEST_F(CheckInputTest, RawPagesKeepExcerptsAcrossManyPages) {
  // Raw lines are dropped once the records that use them are out; later pages still find
  // theirs, and every finding comes out in line order.
  std::string data;
  for (int page = 0; page < 300; ++page) {
    data += "当前位置: 首页 > news >正文\n\n标题" + std::to_string(page) + "\n\n正文" +
            std::to_string(page) + "&#xff0c;有引用。\n\n相关文章:\n\n条目\n\n被截断的摘要…...\n";
  }
  const auto findings = Run("pages.txt", data);
  ASSERT_EQ(findings.size(), 300u * 4);
  for (size_t i = 0; i < findings.size(); ++i) {
    const uint64_t first_line = (i / 4) * 11 + 1;
    EXPECT_EQ(findings[i].line, first_line + (i % 4 == 0 ? 0 : i % 4 == 1 ? 4 : i % 4 == 2 ? 6 : 10))
        << i;
    if (i % 4 == 1) {
      EXPECT_EQ(findings[i].text, "&#xff0c;") << i;
    }
    if (i % 4 == 3) {
      EXPECT_EQ(findings[i].text, "…...") << i;
    }
  }
}

TEST_F(CheckInputTest, RawLinesCutAtTheLimitArePlacedOnTheirLine) {
  CheckOptions options;
  options.reader.max_line_bytes = 1024;
  const std::string body = std::string(1500, 'a') + "&lt;b";
  const auto findings = Run("page.txt", "标题\n\n" + body + "\n", options);
  EXPECT_EQ(Places(findings), PlaceList{"3:1501 entity-left"});
}

TEST_F(CheckInputTest, SniffsAfterLeadingBlankLines) {
  CheckOptions options;
  EXPECT_EQ(Places(Run("-", "\n\n{\"text\":\"&lt;\"}\n", options)), PlaceList{"3:1 entity-left"});
  options.format = InputFormat::kRaw;
  // Forced raw: the JSON line is a page's title, its text nothing.
  EXPECT_EQ(Places(Run("-", "{\"text\":\"正文\"}\n", options)), PlaceList{"1:0 empty-record"});
}

TEST_F(CheckInputTest, InvalidUtf8IsAFinding) {
  const auto findings = Run("c.jsonl", "{\"text\":\"好\xff的\"}\n");
  EXPECT_EQ(Places(findings), (PlaceList{"1:0 invalid-utf8", "1:2 replacement-char"}));
}

TEST_F(CheckInputTest, MissingFileIsReportedAndCounted) {
  CollectingFindings findings;
  CorpusCheck check(Engine(), CheckOptions(), &findings, &diagnostics_);
  EXPECT_FALSE(check.CheckPath("/nonexistent/winnow-check.jsonl"));
  ASSERT_EQ(diagnostics_.diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics_.diagnostics[0].message, "No such file or directory");
  EXPECT_EQ(check.summary().files_failed, 1u);
}

TEST_F(CheckInputTest, DirectoryIsWalkedInPathOrderSkippingHiddenAndOtherFiles) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "winnow-check-dir";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "sub");
  std::filesystem::create_directories(dir / ".git");
  auto write = [](const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path) << text;
  };
  write(dir / "b.jsonl", "{\"text\":\"&lt;b\"}\n");
  write(dir / "sub" / "a.md", "# 标题\n\n&lt;a\n");
  write(dir / "a.jsonl", "{\"text\":\"&lt;a\"}\n");
  write(dir / ".git" / "x.jsonl", "{\"text\":\"&lt;hidden\"}\n");
  write(dir / "notes.csv", "&lt;csv\n");
  CollectingFindings findings;
  CorpusCheck check(Engine(), CheckOptions(), &findings, &diagnostics_);
  EXPECT_TRUE(check.CheckPath(dir.string()));
  std::vector<std::string> files;
  for (const Finding& f : findings.findings) {
    files.push_back(std::filesystem::path(f.file).lexically_relative(dir).string());
  }
  EXPECT_EQ(files, (std::vector<std::string>{"a.jsonl", "b.jsonl", "sub/a.md"}));
  EXPECT_EQ(check.summary().files, 3u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace winnow

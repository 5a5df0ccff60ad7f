#include "winnow/check_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "winnow/sarif_report.h"

namespace winnow {
namespace {

Finding MakeFinding(CheckRule rule, uint64_t line, uint64_t column, std::string message,
                    std::string text, std::string detail = "") {
  Finding finding;
  finding.rule = rule;
  finding.severity = GetCheckRuleInfo(rule).severity;
  finding.file = "data/c.jsonl";
  finding.line = line;
  finding.column = column;
  finding.message = std::move(message);
  finding.text = std::move(text);
  finding.detail = std::move(detail);
  return finding;
}

// Runs two findings (an error and a warning) through a report of `format`.
std::string Render(ReportFormat format, uint64_t max_findings = 0) {
  StringOutput out;
  ReportOptions options;
  options.max_findings = max_findings;
  auto report = MakeFindingReport(format, &out, options);
  report->Report(MakeFinding(CheckRule::kChromeLine, 1, 14, "chrome line (rule tail.related-header)",
                             "相关文章:", "tail.related-header"));
  report->Report(MakeFinding(CheckRule::kCodeDamage, 2, 3, "declaration without '='",
                             "let sum 0;"));
  ReportTotals totals;
  totals.files = 1;
  totals.records = 2;
  totals.errors = 1;
  totals.warnings = 1;
  totals.shown = report->shown();
  totals.by_rule[static_cast<size_t>(CheckRule::kChromeLine)] = 1;
  totals.by_rule[static_cast<size_t>(CheckRule::kCodeDamage)] = 1;
  report->Finish(totals);
  return out.text();
}

TEST(CheckReport, ParsesFormatNames) {
  ReportFormat format;
  EXPECT_TRUE(ParseReportFormat("sarif", &format));
  EXPECT_EQ(format, ReportFormat::kSarif);
  EXPECT_FALSE(ParseReportFormat("xml", &format));
}

TEST(CheckReport, TextIsOneCompilerStyleLineEach) {
  EXPECT_EQ(Render(ReportFormat::kText),
            "data/c.jsonl:1:14: error: chrome line (rule tail.related-header): \"相关文章:\" "
            "[chrome-line]\n"
            "data/c.jsonl:2:3: warning: declaration without '=': \"let sum 0;\" [code-damage]\n");
}

TEST(CheckReport, TextLeavesOutUnknownLineAndColumn) {
  StringOutput out;
  auto report = MakeFindingReport(ReportFormat::kText, &out, ReportOptions());
  report->Report(MakeFinding(CheckRule::kEmptyRecord, 4, 0, "record has no text", ""));
  Finding whole_file = MakeFinding(CheckRule::kInvalidUtf8, 0, 0, "invalid UTF-8", "");
  report->Report(std::move(whole_file));
  EXPECT_EQ(out.text(),
            "data/c.jsonl:4: error: record has no text [empty-record]\n"
            "data/c.jsonl: error: invalid UTF-8 [invalid-utf8]\n");
}

TEST(CheckReport, MaxFindingsWritesOnlyTheFirst) {
  const std::string text = Render(ReportFormat::kText, 1);
  EXPECT_NE(text.find("[chrome-line]"), std::string::npos);
  EXPECT_EQ(text.find("[code-damage]"), std::string::npos);
}

TEST(CheckReport, JsonHoldsFindingsAndSummary) {
  const auto json = nlohmann::json::parse(Render(ReportFormat::kJson));
  ASSERT_EQ(json["findings"].size(), 2u);
  const auto& first = json["findings"][0];
  EXPECT_EQ(first["file"], "data/c.jsonl");
  EXPECT_EQ(first["line"], 1);
  EXPECT_EQ(first["column"], 14);
  EXPECT_EQ(first["rule"], "chrome-line");
  EXPECT_EQ(first["severity"], "error");
  EXPECT_EQ(first["text"], "相关文章:");
  EXPECT_EQ(first["engine_rule"], "tail.related-header");
  EXPECT_EQ(json["findings"][1]["severity"], "warning");
  EXPECT_EQ(json["summary"]["errors"], 1);
  EXPECT_EQ(json["summary"]["by_rule"]["code-damage"], 1);
}

TEST(CheckReport, JsonWithoutFindingsIsValid) {
  StringOutput out;
  auto report = MakeFindingReport(ReportFormat::kJson, &out, ReportOptions());
  report->Finish(ReportTotals());
  const auto json = nlohmann::json::parse(out.text());
  EXPECT_TRUE(json["findings"].empty());
}

TEST(CheckReport, GithubAnnotations) {
  EXPECT_EQ(Render(ReportFormat::kGithub),
            "::error file=data/c.jsonl,line=1,col=14,title=chrome-line::chrome line (rule "
            "tail.related-header): \"相关文章:\"\n"
            "::warning file=data/c.jsonl,line=2,col=3,title=code-damage::declaration without "
            "'=': \"let sum 0;\"\n");
}

TEST(CheckReport, GithubEscapesCommandCharacters) {
  StringOutput out;
  auto report = MakeFindingReport(ReportFormat::kGithub, &out, ReportOptions());
  Finding finding = MakeFinding(CheckRule::kEntityLeft, 1, 1, "100% a\nb", "");
  finding.file = "a,b:c.jsonl";
  report->Report(std::move(finding));
  EXPECT_EQ(out.text(), "::error file=a%2Cb%3Ac.jsonl,line=1,col=1,title=entity-left::100%25 a%0Ab\n");
}

TEST(CheckReport, SarifIsVersion210WithRulesAndFingerprints) {
  const auto sarif = nlohmann::json::parse(Render(ReportFormat::kSarif));
  EXPECT_EQ(sarif["version"], "2.1.0");
  EXPECT_EQ(sarif["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  const auto& run = sarif["runs"][0];
  const auto& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), kCheckRuleCount);
  EXPECT_EQ(rules[1]["id"], "chrome-line");
  EXPECT_FALSE(rules[1]["shortDescription"]["text"].get<std::string>().empty());
  EXPECT_FALSE(rules[1]["fullDescription"]["text"].get<std::string>().empty());
  EXPECT_EQ(rules[static_cast<size_t>(CheckRule::kCodeDamage)]["defaultConfiguration"]["level"],
            "warning");
  EXPECT_EQ(run["columnKind"], "unicodeCodePoints");
  ASSERT_EQ(run["results"].size(), 2u);
  const auto& result = run["results"][0];
  EXPECT_EQ(result["ruleId"], "chrome-line");
  EXPECT_EQ(result["ruleIndex"], 1);
  EXPECT_EQ(rules[result["ruleIndex"].get<size_t>()]["id"], result["ruleId"]);
  EXPECT_EQ(result["level"], "error");
  const auto& location = result["locations"][0]["physicalLocation"];
  EXPECT_EQ(location["artifactLocation"]["uri"], "data/c.jsonl");
  EXPECT_EQ(location["region"]["startLine"], 1);
  EXPECT_EQ(location["region"]["startColumn"], 14);
  EXPECT_EQ(location["region"]["snippet"]["text"], "相关文章:");
  EXPECT_FALSE(result["partialFingerprints"]["primaryLocationLineHash"].get<std::string>().empty());
  EXPECT_EQ(result["properties"]["engineRule"], "tail.related-header");
  EXPECT_EQ(run["results"][1]["level"], "warning");
  EXPECT_EQ(run["invocations"][0]["executionSuccessful"], true);
}

TEST(CheckReport, SarifFingerprintsIgnoreLineNumbersButCountRepeats) {
  auto fingerprints = [](uint64_t first_line) {
    StringOutput out;
    auto report = MakeSarifReport(&out, ReportOptions());
    report->Report(MakeFinding(CheckRule::kEntityLeft, first_line, 3, "m", "&lt;"));
    report->Report(MakeFinding(CheckRule::kEntityLeft, first_line + 5, 3, "m", "&lt;"));
    report->Finish(ReportTotals());
    const auto sarif = nlohmann::json::parse(out.text());
    std::vector<std::string> values;
    for (const auto& result : sarif["runs"][0]["results"]) {
      values.push_back(result["partialFingerprints"]["primaryLocationLineHash"]);
    }
    return values;
  };
  const auto before = fingerprints(1);
  const auto after = fingerprints(10);  // the same findings, moved down by an edit
  EXPECT_EQ(before, after);
  ASSERT_EQ(before.size(), 2u);
  EXPECT_NE(before[0], before[1]);
}

TEST(CheckReport, SarifNotesInputsThatWereNotRead) {
  StringOutput out;
  auto report = MakeSarifReport(&out, ReportOptions());
  ReportTotals totals;
  totals.files_failed = 1;
  totals.input_errors.push_back("x.jsonl: error: No such file or directory");
  report->Finish(totals);
  const auto invocation = nlohmann::json::parse(out.text())["runs"][0]["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  EXPECT_EQ(invocation["toolExecutionNotifications"][0]["level"], "error");
  EXPECT_EQ(invocation["toolExecutionNotifications"][0]["message"]["text"],
            "x.jsonl: error: No such file or directory");
}

TEST(CheckReport, ArtifactUris) {
  EXPECT_EQ(ArtifactUri("data/c.jsonl"), "data/c.jsonl");
  EXPECT_EQ(ArtifactUri("my corpus/语料.jsonl"), "my%20corpus/%E8%AF%AD%E6%96%99.jsonl");
  EXPECT_EQ(ArtifactUri("/tmp/c.jsonl"), "file:///tmp/c.jsonl");
  EXPECT_EQ(ArtifactUri("-"), "stdin");
}

TEST(CheckReport, SummaryLine) {
  ReportTotals totals;
  totals.files = 2;
  totals.records = 31;
  totals.errors = 3;
  totals.warnings = 1;
  totals.shown = 2;
  totals.files_failed = 1;
  totals.by_rule[static_cast<size_t>(CheckRule::kChromeLine)] = 2;
  totals.by_rule[static_cast<size_t>(CheckRule::kEntityLeft)] = 1;
  totals.by_rule[static_cast<size_t>(CheckRule::kMixedWidth)] = 1;
  EXPECT_EQ(totals.Format(),
            "2 files, 31 records: 3 errors, 1 warning (entity-left 1, chrome-line 2, "
            "mixed-width 1); 2 shown (--max-findings); 1 input not read");
}

}  // namespace
}  // namespace winnow

// Rule examples run as tests: what counts as a failure, and how it is reported.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "winnow/rule_examples.h"
#include "winnow/rule_file.h"

namespace winnow {
namespace {

std::unique_ptr<RuleEngine> Engine(const std::string& json) {
  std::vector<Rule> rules;
  std::string error;
  EXPECT_TRUE(ParseRuleFile(json, "user.json", &rules, &error)) << error;
  std::unique_ptr<RuleEngine> engine = RuleEngine::Compile(std::move(rules), &error);
  EXPECT_NE(engine, nullptr) << error;
  return engine;
}

std::vector<std::string> Messages(const ExampleReport& report) {
  std::vector<std::string> messages;
  for (const ExampleFailure& failure : report.failures) {
    messages.push_back(FormatExampleFailure(failure));
  }
  return messages;
}

TEST(CheckRuleExamples, PassingExamplesGiveNoFailures) {
  auto engine = Engine(R"({"rules": [{"id": "ad.x", "action": "drop-line", "pattern": "^广告:",
      "examples": {"match": ["广告：特价"], "keep": ["这不是广告:"]}}]})");
  TextNormalizer normalizer;
  ExampleReport report = CheckRuleExamples(*engine, &normalizer);
  EXPECT_EQ(report.rules, 1u);
  EXPECT_EQ(report.examples, 2u);
  EXPECT_TRUE(report.failures.empty());
}

TEST(CheckRuleExamples, ReportsMissedMatchesAndMatchedKeeps) {
  auto engine = Engine(R"({"rules": [{"id": "ad.x", "action": "drop-line", "pattern": "^广告:",
      "examples": {"match": ["广告 特价"], "keep": ["广告:保留"]}}]})");
  TextNormalizer normalizer;
  EXPECT_EQ(Messages(CheckRuleExamples(*engine, &normalizer)),
            (std::vector<std::string>{
                "user.json: rule 'ad.x': match example '广告 特价' does not match (match view "
                "'广告 特价')",
                "user.json: rule 'ad.x': keep example '广告:保留' matches"}));
}

TEST(CheckRuleExamples, ReportsAnEarlierRuleWithAnotherAction) {
  auto engine = Engine(R"({"rules": [
      {"id": "a.tail", "scope": "body", "action": "start-tail", "pattern": "^相关"},
      {"id": "a.line", "action": "drop-line", "pattern": "^相关文章", "examples":
          {"match": ["相关文章"]}}]})");
  TextNormalizer normalizer;
  EXPECT_EQ(Messages(CheckRuleExamples(*engine, &normalizer)),
            (std::vector<std::string>{"user.json: rule 'a.line': match example '相关文章' is "
                                      "taken in body by 'a.tail' (start-tail)"}));
}

TEST(CheckRuleExamples, DisabledRulesCheckTheirPatternOnly) {
  auto engine = Engine(R"({"rules": [
      {"id": "a.tail", "scope": "body", "action": "start-tail", "pattern": "^相关"},
      {"id": "a.off", "action": "drop-line", "pattern": "^相关文章", "enabled": false,
       "examples": {"match": ["相关文章", "其他"]}}]})");
  TextNormalizer normalizer;
  EXPECT_EQ(Messages(CheckRuleExamples(*engine, &normalizer)),
            (std::vector<std::string>{"user.json: rule 'a.off': match example '其他' does not "
                                      "match (match view '其他')"}));
}

}  // namespace
}  // namespace winnow

// Rule files: what a valid file gives, and the exact text of every kind of error.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "winnow/rule.h"
#include "winnow/rule_file.h"

namespace winnow {
namespace {

// Parses `text` as "user.json"; returns the error, or "" when it parsed.
std::string ParseError(const std::string& text, std::vector<Rule>* rules = nullptr) {
  std::vector<Rule> local;
  std::string error;
  bool ok = ParseRuleFile(text, "user.json", rules != nullptr ? rules : &local, &error);
  EXPECT_EQ(ok, error.empty()) << error;
  return error;
}

// One rule object with `fields` (a JSON object body) wrapped into a file.
std::string OneRule(const std::string& fields) { return "{\"rules\": [{" + fields + "}]}"; }

TEST(RuleNames, RoundTripEveryScopeAndAction) {
  for (RuleScope scope : {RuleScope::kHead, RuleScope::kBody, RuleScope::kTail,
                          RuleScope::kTitle, RuleScope::kAny}) {
    RuleScope parsed = RuleScope::kAny;
    ASSERT_TRUE(ParseRuleScope(RuleScopeName(scope), &parsed)) << RuleScopeName(scope);
    EXPECT_EQ(parsed, scope);
  }
  for (RuleAction action :
       {RuleAction::kDropLine, RuleAction::kDropBlock, RuleAction::kStartTail,
        RuleAction::kEndBody, RuleAction::kStartPage, RuleAction::kDropRecord,
        RuleAction::kStripMatch}) {
    RuleAction parsed = RuleAction::kDropLine;
    ASSERT_TRUE(ParseRuleAction(RuleActionName(action), &parsed)) << RuleActionName(action);
    EXPECT_EQ(parsed, action);
  }
  RuleScope scope = RuleScope::kHead;
  EXPECT_FALSE(ParseRuleScope("Head", &scope));
  EXPECT_EQ(scope, RuleScope::kHead);
  RuleAction action = RuleAction::kEndBody;
  EXPECT_FALSE(ParseRuleAction("drop_line", &action));
  EXPECT_EQ(action, RuleAction::kEndBody);
  EXPECT_STREQ(RuleScopeName(RuleScope::kTitle), "title");
  EXPECT_STREQ(RuleActionName(RuleAction::kStripMatch), "strip-match");
}

TEST(ParseRuleFile, ReadsEveryField) {
  const std::string text = R"({
  "rules": [
    {
      "id": "nav.breadcrumb",
      "scope": "head",
      "action": "start-page",
      "pattern": "^当前位置\\s*:",
      "description": "Breadcrumb.",
      "examples": {"match": ["当前位置: 首页"], "keep": ["当前位置", "位置"]}
    },
    {"id": "title.csdn-suffix", "scope": "title", "action": "strip-match", "pattern": "-CSDN博客$"}
  ]
})";
  std::vector<Rule> rules;
  ASSERT_EQ(ParseError(text, &rules), "");
  ASSERT_EQ(rules.size(), 2u);
  const Rule& first = rules[0];
  EXPECT_EQ(first.id, "nav.breadcrumb");
  EXPECT_EQ(first.scope, RuleScope::kHead);
  EXPECT_EQ(first.action, RuleAction::kStartPage);
  EXPECT_EQ(first.pattern, "^当前位置\\s*:");
  EXPECT_EQ(first.description, "Breadcrumb.");
  EXPECT_EQ(first.examples.match, std::vector<std::string>({"当前位置: 首页"}));
  EXPECT_EQ(first.examples.keep, std::vector<std::string>({"当前位置", "位置"}));
  EXPECT_EQ(first.origin, "user.json");
  EXPECT_EQ(rules[1].scope, RuleScope::kTitle);
  EXPECT_EQ(rules[1].action, RuleAction::kStripMatch);
}

TEST(ParseRuleFile, ScopeDefaultsToAnyAndOptionalFieldsToEmpty) {
  std::vector<Rule> rules;
  ASSERT_EQ(ParseError(OneRule(R"("id": "ad.x", "action": "drop-line", "pattern": "x")"), &rules),
            "");
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].scope, RuleScope::kAny);
  EXPECT_TRUE(rules[0].description.empty());
  EXPECT_TRUE(rules[0].examples.match.empty());
  EXPECT_TRUE(rules[0].examples.keep.empty());
}

TEST(ParseRuleFile, AppendsAfterRulesOfEarlierFiles) {
  std::vector<Rule> rules(1);
  rules[0].id = "earlier.rule";
  ASSERT_EQ(ParseError(OneRule(R"("id": "ad.x", "action": "drop-line", "pattern": "x")"), &rules),
            "");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].id, "earlier.rule");
  EXPECT_EQ(rules[1].id, "ad.x");
}

TEST(ParseRuleFile, AcceptsAnEmptyRuleListAndALeadingBom) {
  EXPECT_EQ(ParseError(R"({"rules": []})"), "");
  std::vector<Rule> rules;
  EXPECT_EQ(ParseError("\xEF\xBB\xBF" + OneRule(R"("id": "a.b", "action": "drop-line",
                                                   "pattern": "x")"), &rules), "");
  EXPECT_EQ(rules.size(), 1u);
}

TEST(ParseRuleFile, ErrorLeavesTheRulesUntouched) {
  std::vector<Rule> rules(1);
  std::string error;
  const std::string text = R"({"rules": [{"id": "a.b", "action": "drop-line", "pattern": "x"},
                                          {"id": "a.c", "action": "nope", "pattern": "x"}]})";
  EXPECT_FALSE(ParseRuleFile(text, "user.json", &rules, &error));
  EXPECT_EQ(rules.size(), 1u);
}

// --- syntax errors: origin:line:column, the column counted in characters --------------------

TEST(ParseRuleFile, SyntaxErrorNamesLineAndColumn) {
  EXPECT_EQ(ParseError("{\n  \"rules\": [\n    {\"id\": \"a.b\",}\n  ]\n}\n"),
            "user.json:3:18: syntax error while parsing object key - unexpected '}'; "
            "expected string literal");
}

TEST(ParseRuleFile, SyntaxErrorColumnCountsCharactersNotBytes) {
  // The error is at the closing quote of "x", column 60; in bytes it would be column 68.
  EXPECT_EQ(ParseError("{\"rules\": [\n  {\"id\": \"a.b\", \"action\": \"drop-line\", "
                       "\"pattern\": \"相关文章\" \"x\"}\n]}"),
            "user.json:2:60: syntax error while parsing object - unexpected string literal; "
            "expected '}'");
}

TEST(ParseRuleFile, SyntaxErrorAtEndOfInputPointsPastTheLastCharacter) {
  EXPECT_EQ(ParseError("{\"rules\": ["),
            "user.json:1:12: syntax error while parsing value - unexpected end of input; "
            "expected '[', '{', or a literal");
  EXPECT_EQ(ParseError(""),
            "user.json:1:1: syntax error while parsing value - unexpected end of input; "
            "expected '[', '{', or a literal");
}

TEST(ParseRuleFile, BadEscapeIsASyntaxError) {
  // A regex backslash must be doubled in JSON.
  EXPECT_EQ(ParseError(R"({"rules": [{"id": "a.b", "pattern": "\q"}]})"),
            "user.json:1:39: syntax error while parsing value - invalid string: forbidden "
            "character after backslash; last read: '\"\\q'");
}

// --- the file's shape -----------------------------------------------------------------------

TEST(ParseRuleFile, RootMustBeAnObjectWithRules) {
  EXPECT_EQ(ParseError("[1]"), "user.json: expected an object with a \"rules\" array, not array");
  EXPECT_EQ(ParseError("{}"), "user.json: missing required key \"rules\"");
  EXPECT_EQ(ParseError(R"({"rules": {}})"), "user.json: \"rules\" must be an array, not object");
}

TEST(ParseRuleFile, UnknownTopLevelKeyIsAnError) {
  EXPECT_EQ(ParseError(R"({"rule": []})"),
            "user.json: unknown key 'rule'; did you mean 'rules'? valid keys: rules");
}

// --- bad rules: origin: rule 'id' (or rule #n before the id is known) -----------------------

TEST(ParseRuleFile, RuleMustBeAnObject) {
  EXPECT_EQ(ParseError(R"({"rules": ["x"]})"),
            "user.json: rule #1: expected an object, not string");
}

TEST(ParseRuleFile, MissingIdNamesTheRuleByNumber) {
  EXPECT_EQ(ParseError(R"({"rules": [{"id": "a.b", "action": "drop-line", "pattern": "x"},
                                     {"action": "drop-line", "pattern": "y"}]})"),
            "user.json: rule #2: missing required key \"id\"");
}

TEST(ParseRuleFile, IdMustBeADottedLowercaseName) {
  const std::string expected_tail =
      "': ids are dotted lowercase names such as 'nav.breadcrumb'";
  for (const char* id : {"breadcrumb", "Nav.breadcrumb", "nav_x.y", "nav.", ".nav", "nav..x",
                         "nav.x.", "-nav.x", "导航.x"}) {
    EXPECT_EQ(ParseError(OneRule(std::string("\"id\": \"") + id +
                                 "\", \"action\": \"drop-line\", \"pattern\": \"x\"")),
              std::string("user.json: rule #1: invalid id '") + id + expected_tail);
  }
  for (const char* id : {"nav.x", "a1.b-2.c", "404.not-found", "x.-"}) {
    EXPECT_EQ(ParseError(OneRule(std::string("\"id\": \"") + id +
                                 "\", \"action\": \"drop-line\", \"pattern\": \"x\"")),
              "")
        << id;
  }
  EXPECT_EQ(ParseError(OneRule(R"("id": 7, "action": "drop-line", "pattern": "x")")),
            "user.json: rule #1: \"id\" must be a string, not number");
}

TEST(ParseRuleFile, UnknownKeySuggestsTheClosestName) {
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "action": "drop-line", "patern": "x")")),
            "user.json: rule 'a.b': unknown key 'patern'; did you mean 'pattern'? valid keys: "
            "id, scope, action, pattern, description, examples, enabled");
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "action": "drop-line", "pattern": "x",
                                  "priority": 1)")),
            "user.json: rule 'a.b': unknown key 'priority'; valid keys: "
            "id, scope, action, pattern, description, examples, enabled");
}

TEST(ParseRuleFile, MisspeltIdIsAnUnknownKey) {
  EXPECT_EQ(ParseError(OneRule(R"("Id": "a.b", "action": "drop-line", "pattern": "x")")),
            "user.json: rule #1: unknown key 'Id'; did you mean 'id'? valid keys: "
            "id, scope, action, pattern, description, examples, enabled");
}

TEST(ParseRuleFile, RequiredFieldsAreReported) {
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "pattern": "x")")),
            "user.json: rule 'a.b': missing required key \"action\"");
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "action": "drop-line")")),
            "user.json: rule 'a.b': missing required key \"pattern\"");
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "action": "drop-line", "pattern": "")")),
            "user.json: rule 'a.b': \"pattern\" must not be empty");
}

TEST(ParseRuleFile, FieldTypesAreChecked) {
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "action": "drop-line", "pattern": ["x"])")),
            "user.json: rule 'a.b': \"pattern\" must be a string, not array");
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "action": true, "pattern": "x")")),
            "user.json: rule 'a.b': \"action\" must be a string, not boolean");
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "scope": null, "action": "drop-line",
                                  "pattern": "x")")),
            "user.json: rule 'a.b': \"scope\" must be a string, not null");
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "action": "drop-line", "pattern": "x",
                                  "description": 3)")),
            "user.json: rule 'a.b': \"description\" must be a string, not number");
}

TEST(ParseRuleFile, UnknownActionListsTheValidNames) {
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "action": "drop_line", "pattern": "x")")),
            "user.json: rule 'a.b': unknown action 'drop_line'; did you mean 'drop-line'? "
            "valid actions: drop-line, drop-block, start-tail, end-body, start-page, "
            "drop-record, strip-match");
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "action": "delete", "pattern": "x")")),
            "user.json: rule 'a.b': unknown action 'delete'; valid actions: drop-line, "
            "drop-block, start-tail, end-body, start-page, drop-record, strip-match");
}

TEST(ParseRuleFile, UnknownScopeListsTheValidNames) {
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "scope": "haed", "action": "drop-line",
                                  "pattern": "x")")),
            "user.json: rule 'a.b': unknown scope 'haed'; did you mean 'head'? "
            "valid scopes: head, body, tail, title, any");
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "scope": "footer", "action": "drop-line",
                                  "pattern": "x")")),
            "user.json: rule 'a.b': unknown scope 'footer'; valid scopes: head, body, tail, "
            "title, any");
}

TEST(ParseRuleFile, StripMatchAndTitleGoTogether) {
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "action": "strip-match", "pattern": "x")")),
            "user.json: rule 'a.b': action 'strip-match' needs scope 'title'");
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "scope": "title", "action": "drop-line",
                                  "pattern": "x")")),
            "user.json: rule 'a.b': scope 'title' takes only action 'strip-match'");
}

TEST(ParseRuleFile, ExamplesAreChecked) {
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "action": "drop-line", "pattern": "x",
                                  "examples": ["x"])")),
            "user.json: rule 'a.b': \"examples\" must be an object, not array");
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "action": "drop-line", "pattern": "x",
                                  "examples": {"matches": ["x"]})")),
            "user.json: rule 'a.b': unknown example key 'matches'; did you mean 'match'? "
            "valid example keys: match, keep");
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "action": "drop-line", "pattern": "x",
                                  "examples": {"keep": ["y", 2]})")),
            "user.json: rule 'a.b': \"examples.keep\" must be an array of strings");
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "action": "drop-line", "pattern": "x",
                                  "examples": {"match": "x"})")),
            "user.json: rule 'a.b': \"examples.match\" must be an array of strings");
}

TEST(ParseRuleFile, DuplicateIdsNameBothRules) {
  EXPECT_EQ(ParseError(R"({"rules": [
      {"id": "a.b", "action": "drop-line", "pattern": "x"},
      {"id": "a.c", "action": "drop-line", "pattern": "y"},
      {"id": "a.b", "action": "drop-block", "pattern": "z"}]})"),
            "user.json: rule 'a.b': duplicate id, rules #1 and #3");
}

TEST(ParseRuleFile, DoesNotCompilePatterns) {
  EXPECT_EQ(ParseError(OneRule(R"("id": "a.b", "action": "drop-line", "pattern": "(")")), "");
}

TEST(BuiltinRuleText, ParsesAsBuiltin) {
  std::vector<Rule> rules;
  std::string error;
  ASSERT_TRUE(LoadBuiltinRules(&rules, &error)) << error;
  ASSERT_FALSE(rules.empty());
  EXPECT_EQ(rules.front().origin, "builtin");
  EXPECT_EQ(BuiltinRuleText().back(), '\n');
}

// Found by rule_file_fuzzer: nlohmann throws out_of_range, not parse_error, for this.
TEST(ParseRuleFile, NumberTooLargeIsAnErrorNotACrash) {
  EXPECT_EQ(ParseError("33333333E330 }"),
            "user.json: number overflow parsing '33333333E330'");
  EXPECT_EQ(ParseError(R"({"rules": [1E400]})"), "user.json: number overflow parsing '1E400'");
}

}  // namespace
}  // namespace winnow

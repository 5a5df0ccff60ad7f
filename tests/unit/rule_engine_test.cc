// The rule engine: which rules a line of each scope sees, priority by order, compile errors,
// stripping, and matching from many threads.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "winnow/rule_engine.h"

namespace winnow {
namespace {

Rule MakeRule(const std::string& id, RuleScope scope, RuleAction action,
              const std::string& pattern, const std::string& origin = "test.json") {
  Rule rule;
  rule.id = id;
  rule.scope = scope;
  rule.action = action;
  rule.pattern = pattern;
  rule.origin = origin;
  return rule;
}

std::unique_ptr<RuleEngine> MustCompile(std::vector<Rule> rules) {
  std::string error;
  std::unique_ptr<RuleEngine> engine = RuleEngine::Compile(std::move(rules), &error);
  EXPECT_NE(engine, nullptr) << error;
  EXPECT_EQ(error, "");
  return engine;
}

// The id of the rule matching `key` in `scope`, or "" when none does.
std::string MatchedId(const RuleEngine& engine, const std::string& key, RuleScope scope) {
  const Rule* rule = engine.Match(key, scope);
  return rule != nullptr ? rule->id : "";
}

class RuleEngineScopes : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = MustCompile({
        MakeRule("s.head", RuleScope::kHead, RuleAction::kDropLine, "^head$"),
        MakeRule("s.body", RuleScope::kBody, RuleAction::kDropLine, "^body$"),
        MakeRule("s.tail", RuleScope::kTail, RuleAction::kDropLine, "^tail$"),
        MakeRule("s.any", RuleScope::kAny, RuleAction::kDropLine, "^any$"),
        MakeRule("s.title", RuleScope::kTitle, RuleAction::kStripMatch, "^title$"),
    });
    ASSERT_NE(engine_, nullptr);
  }

  std::unique_ptr<RuleEngine> engine_;
};

TEST_F(RuleEngineScopes, ALineSeesOnlyTheRulesOfItsScope) {
  EXPECT_EQ(MatchedId(*engine_, "head", RuleScope::kHead), "s.head");
  EXPECT_EQ(MatchedId(*engine_, "head", RuleScope::kBody), "");
  EXPECT_EQ(MatchedId(*engine_, "head", RuleScope::kTail), "");
  EXPECT_EQ(MatchedId(*engine_, "body", RuleScope::kBody), "s.body");
  EXPECT_EQ(MatchedId(*engine_, "body", RuleScope::kHead), "");
  EXPECT_EQ(MatchedId(*engine_, "tail", RuleScope::kTail), "s.tail");
  EXPECT_EQ(MatchedId(*engine_, "tail", RuleScope::kBody), "");
}

TEST_F(RuleEngineScopes, AnyRulesApplyInHeadBodyAndTailButNotTitle) {
  EXPECT_EQ(MatchedId(*engine_, "any", RuleScope::kHead), "s.any");
  EXPECT_EQ(MatchedId(*engine_, "any", RuleScope::kBody), "s.any");
  EXPECT_EQ(MatchedId(*engine_, "any", RuleScope::kTail), "s.any");
  EXPECT_EQ(MatchedId(*engine_, "any", RuleScope::kTitle), "");
}

TEST_F(RuleEngineScopes, TitleRulesApplyOnlyToTitles) {
  EXPECT_EQ(MatchedId(*engine_, "title", RuleScope::kTitle), "s.title");
  EXPECT_EQ(MatchedId(*engine_, "title", RuleScope::kHead), "");
  EXPECT_EQ(MatchedId(*engine_, "title", RuleScope::kBody), "");
  EXPECT_EQ(MatchedId(*engine_, "title", RuleScope::kTail), "");
}

TEST_F(RuleEngineScopes, AnAnyQueryTriesEveryRuleButTitleOnes) {
  EXPECT_EQ(MatchedId(*engine_, "head", RuleScope::kAny), "s.head");
  EXPECT_EQ(MatchedId(*engine_, "tail", RuleScope::kAny), "s.tail");
  EXPECT_EQ(MatchedId(*engine_, "title", RuleScope::kAny), "");
}

TEST_F(RuleEngineScopes, NoMatchGivesNull) {
  EXPECT_EQ(engine_->Match("nothing", RuleScope::kBody), nullptr);
  EXPECT_EQ(engine_->Match("", RuleScope::kHead), nullptr);
}

TEST(RuleEngine, FirstRuleInOrderWins) {
  std::vector<Rule> rules = {
      MakeRule("p.specific", RuleScope::kBody, RuleAction::kStartTail, "^相关文章:?$"),
      MakeRule("p.general", RuleScope::kAny, RuleAction::kDropLine, "相关"),
  };
  auto engine = MustCompile(rules);
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(MatchedId(*engine, "相关文章:", RuleScope::kBody), "p.specific");
  EXPECT_EQ(MatchedId(*engine, "相关文章:", RuleScope::kHead), "p.general");
  EXPECT_EQ(MatchedId(*engine, "相关概念", RuleScope::kBody), "p.general");

  std::swap(rules[0], rules[1]);
  engine = MustCompile(rules);
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(MatchedId(*engine, "相关文章:", RuleScope::kBody), "p.general");
}

TEST(RuleEngine, PriorityHoldsAcrossManyMatchingRules) {
  std::vector<Rule> rules;
  for (int i = 0; i < 40; ++i) {
    rules.push_back(MakeRule("many.r" + std::to_string(i), RuleScope::kAny,
                             RuleAction::kDropLine, i < 20 ? "z" : "x"));
  }
  auto engine = MustCompile(rules);
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(MatchedId(*engine, "x", RuleScope::kBody), "many.r20");
  EXPECT_EQ(MatchedId(*engine, "xz", RuleScope::kBody), "many.r0");
}

TEST(RuleEngine, PatternsAreUnanchoredUnlessTheySayOtherwise) {
  auto engine = MustCompile({
      MakeRule("u.word", RuleScope::kBody, RuleAction::kDropLine, "ICP备"),
      MakeRule("u.line", RuleScope::kBody, RuleAction::kDropLine, "^图片$"),
  });
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(MatchedId(*engine, "京ICP备12345678号", RuleScope::kBody), "u.word");
  EXPECT_EQ(MatchedId(*engine, "图片", RuleScope::kBody), "u.line");
  EXPECT_EQ(MatchedId(*engine, "图片压缩", RuleScope::kBody), "");
}

TEST(RuleEngine, MatchesUtf8Characters) {
  auto engine = MustCompile({
      MakeRule("u.three", RuleScope::kBody, RuleAction::kDropLine, "^.{3}$"),
      MakeRule("u.han", RuleScope::kBody, RuleAction::kDropLine, "^\\p{Han}+$"),
  });
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(MatchedId(*engine, "点赞了", RuleScope::kBody), "u.three");
  EXPECT_EQ(MatchedId(*engine, "点赞", RuleScope::kBody), "u.han");
  EXPECT_EQ(MatchedId(*engine, "ab", RuleScope::kBody), "");
}

TEST(RuleEngine, EmptyScopesMatchNothing) {
  auto none = MustCompile({});
  ASSERT_NE(none, nullptr);
  for (RuleScope scope : {RuleScope::kHead, RuleScope::kBody, RuleScope::kTail,
                          RuleScope::kTitle, RuleScope::kAny}) {
    EXPECT_EQ(none->Match("x", scope), nullptr);
  }

  auto titles_only = MustCompile(
      {MakeRule("t.x", RuleScope::kTitle, RuleAction::kStripMatch, "x")});
  ASSERT_NE(titles_only, nullptr);
  EXPECT_EQ(MatchedId(*titles_only, "x", RuleScope::kTitle), "t.x");
  EXPECT_EQ(MatchedId(*titles_only, "x", RuleScope::kHead), "");
  EXPECT_EQ(MatchedId(*titles_only, "x", RuleScope::kBody), "");
}

TEST(RuleEngine, BadPatternNamesOriginRuleAndRe2Message) {
  std::string error;
  auto engine = RuleEngine::Compile(
      {MakeRule("ok.one", RuleScope::kAny, RuleAction::kDropLine, "x"),
       MakeRule("bad.one", RuleScope::kBody, RuleAction::kDropLine, "(abc", "user.json")},
      &error);
  EXPECT_EQ(engine, nullptr);
  EXPECT_EQ(error, "user.json: rule 'bad.one': invalid pattern: missing ): (abc");

  engine = RuleEngine::Compile(
      {MakeRule("bad.two", RuleScope::kBody, RuleAction::kDropLine, "a**", "user.json")},
      &error);
  EXPECT_EQ(engine, nullptr);
  EXPECT_EQ(error, "user.json: rule 'bad.two': invalid pattern: bad repetition operator: **");

  engine = RuleEngine::Compile(
      {MakeRule("bad.three", RuleScope::kBody, RuleAction::kDropLine, "(?=x)", "user.json")},
      &error);
  EXPECT_EQ(engine, nullptr);
  EXPECT_EQ(error, "user.json: rule 'bad.three': invalid pattern: invalid perl operator: (?=");
}

TEST(RuleEngine, DuplicateIdAcrossFilesNamesBothOrigins) {
  std::string error;
  auto engine = RuleEngine::Compile(
      {MakeRule("nav.breadcrumb", RuleScope::kAny, RuleAction::kStartPage, "x", "builtin"),
       MakeRule("nav.breadcrumb", RuleScope::kHead, RuleAction::kDropLine, "y", "user.json")},
      &error);
  EXPECT_EQ(engine, nullptr);
  EXPECT_EQ(error, "user.json: rule 'nav.breadcrumb': duplicate id, already defined in builtin");
}

// Issue 5: a rule that is off is still validated (a broken pattern or a repeated id in it
// stops the run), but it never matches, and later rules take its lines.
TEST(RuleEngine, DisabledRulesAreCheckedButNeverMatch) {
  Rule off = MakeRule("off.bad", RuleScope::kBody, RuleAction::kDropLine, "(abc", "user.json");
  off.enabled = false;
  std::string error;
  EXPECT_EQ(RuleEngine::Compile({off}, &error), nullptr);
  EXPECT_EQ(error, "user.json: rule 'off.bad': invalid pattern: missing ): (abc");

  Rule repeat = MakeRule("nav.breadcrumb", RuleScope::kHead, RuleAction::kDropLine, "y",
                         "user.json");
  repeat.enabled = false;
  EXPECT_EQ(RuleEngine::Compile({MakeRule("nav.breadcrumb", RuleScope::kAny,
                                          RuleAction::kStartPage, "x", "builtin"),
                                 repeat},
                                &error),
            nullptr);
  EXPECT_EQ(error, "user.json: rule 'nav.breadcrumb': duplicate id, already defined in builtin");

  Rule first = MakeRule("a.first", RuleScope::kAny, RuleAction::kDropLine, "^x$");
  first.enabled = false;
  Rule title = MakeRule("a.title", RuleScope::kTitle, RuleAction::kStripMatch, "x");
  title.enabled = false;
  auto engine = MustCompile(
      {first, title, MakeRule("a.second", RuleScope::kBody, RuleAction::kDropLine, "x")});
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(MatchedId(*engine, "x", RuleScope::kBody), "a.second");
  EXPECT_EQ(MatchedId(*engine, "x", RuleScope::kHead), "");
  EXPECT_EQ(MatchedId(*engine, "x", RuleScope::kTitle), "");
  EXPECT_EQ(MatchedId(*engine, "x", RuleScope::kAny), "a.second");
  EXPECT_TRUE(engine->RuleMatches(engine->rules()[0], "x"));
}

TEST(RuleEngine, KeepsRulesInOrderAndKnowsTheirIndex) {
  auto engine = MustCompile({
      MakeRule("i.zero", RuleScope::kAny, RuleAction::kDropLine, "0"),
      MakeRule("i.one", RuleScope::kAny, RuleAction::kDropLine, "1"),
  });
  ASSERT_NE(engine, nullptr);
  ASSERT_EQ(engine->rules().size(), 2u);
  EXPECT_EQ(engine->rules()[1].id, "i.one");
  const Rule* rule = engine->Match("1", RuleScope::kTail);
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(engine->IndexOf(rule), 1u);
}

TEST(RuleEngine, StripMatchRemovesTheFirstMatchOnly) {
  auto engine = MustCompile({
      MakeRule("t.csdn", RuleScope::kTitle, RuleAction::kStripMatch, "\\s*-\\s*CSDN博客\\s*$"),
      MakeRule("t.dash", RuleScope::kTitle, RuleAction::kStripMatch, "-"),
  });
  ASSERT_NE(engine, nullptr);
  const Rule& csdn = engine->rules()[0];
  const Rule& dash = engine->rules()[1];

  std::string title = "Vue3 入门 - CSDN博客";
  EXPECT_TRUE(engine->StripMatch(csdn, &title));
  EXPECT_EQ(title, "Vue3 入门");

  title = "a-b-c";
  EXPECT_TRUE(engine->StripMatch(dash, &title));
  EXPECT_EQ(title, "ab-c");

  title = "没有后缀";
  EXPECT_FALSE(engine->StripMatch(csdn, &title));
  EXPECT_EQ(title, "没有后缀");
}

TEST(RuleEngine, RuleMatchesChecksOneRuleWhateverItsPriority) {
  auto engine = MustCompile({
      MakeRule("r.first", RuleScope::kAny, RuleAction::kDropLine, "a"),
      MakeRule("r.second", RuleScope::kHead, RuleAction::kDropLine, "^ab$"),
  });
  ASSERT_NE(engine, nullptr);
  EXPECT_TRUE(engine->RuleMatches(engine->rules()[1], "ab"));
  EXPECT_FALSE(engine->RuleMatches(engine->rules()[1], "abc"));
  EXPECT_EQ(MatchedId(*engine, "ab", RuleScope::kHead), "r.first");

  Rule stranger = MakeRule("r.first", RuleScope::kAny, RuleAction::kDropLine, "a");
  EXPECT_FALSE(engine->RuleMatches(stranger, "a"));
  std::string text = "a";
  EXPECT_FALSE(engine->StripMatch(stranger, &text));
  EXPECT_EQ(text, "a");
}

TEST(RuleEngine, MatchIsSafeFromManyThreads) {
  auto engine = MustCompile({
      MakeRule("m.even", RuleScope::kBody, RuleAction::kDropLine, "^[02468]+$"),
      MakeRule("m.odd", RuleScope::kBody, RuleAction::kDropLine, "^[13579]+$"),
      MakeRule("m.any", RuleScope::kAny, RuleAction::kDropLine, "^x"),
  });
  ASSERT_NE(engine, nullptr);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&engine, &wrong, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string key = std::to_string((t + i) % 2 == 0 ? 2468 : 1357);
        const Rule* rule = engine->Match(key, RuleScope::kBody);
        const char* expected = (t + i) % 2 == 0 ? "m.even" : "m.odd";
        if (rule == nullptr || rule->id != expected) ++wrong;
        if (engine->Match("x" + key, RuleScope::kTail) == nullptr) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace winnow

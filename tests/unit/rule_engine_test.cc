// The rule engine: which rules a line of each scope sees, priority by order, compile errors,
// stripping, matching from many threads, and (differential) the same answers as trying every
// rule in order, however the engine splits, prefilters and anchors its sets.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <re2/re2.h>

#include "winnow/literal_prefilter.h"
#include "winnow/rule_engine.h"
#include "winnow/rule_file.h"
#include "winnow/text_normalize.h"

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

TEST(RuleEngine, MatchBoundaryAsksOnlyTheRulesThatEndARegion) {
  auto engine = MustCompile({
      MakeRule("b.drop", RuleScope::kAny, RuleAction::kDropLine, "^当前"),
      MakeRule("b.record", RuleScope::kTail, RuleAction::kDropRecord, "删除"),
      MakeRule("b.page", RuleScope::kAny, RuleAction::kStartPage, "^当前位置"),
      MakeRule("b.tail", RuleScope::kBody, RuleAction::kStartTail, "^相关文章$"),
      MakeRule("b.footer", RuleScope::kTail, RuleAction::kEndBody, "ICP备\\d+"),
      MakeRule("b.suffix", RuleScope::kTitle, RuleAction::kStripMatch, "-CSDN$"),
  });
  ASSERT_NE(engine, nullptr);
  // Match gives the first rule in order; MatchBoundary passes over the others.
  EXPECT_EQ(MatchedId(*engine, "当前位置: 首页", RuleScope::kTail), "b.drop");
  const Rule* page = engine->MatchBoundary("当前位置: 首页", RuleScope::kTail);
  ASSERT_NE(page, nullptr);
  EXPECT_EQ(page->id, "b.page");
  // Scopes still apply, unanchored boundary rules are found anywhere, others never.
  EXPECT_EQ(engine->MatchBoundary("相关文章", RuleScope::kTail), nullptr);
  ASSERT_NE(engine->MatchBoundary("相关文章", RuleScope::kBody), nullptr);
  const Rule* footer = engine->MatchBoundary("本站 ICP备12345号", RuleScope::kTail);
  ASSERT_NE(footer, nullptr);
  EXPECT_EQ(footer->id, "b.footer");
  EXPECT_EQ(engine->MatchBoundary("已删除", RuleScope::kTail), nullptr);
  EXPECT_EQ(engine->MatchBoundary("x-CSDN", RuleScope::kTitle), nullptr);
  // Without any such rule there is nothing to find.
  auto none = MustCompile({MakeRule("n.drop", RuleScope::kAny, RuleAction::kDropLine, "^x$")});
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(none->MatchBoundary("x", RuleScope::kBody), nullptr);
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

// Each pattern is parsed once, in the set it is matched with (or one only parsed, when its
// rule is off); the first bad rule in rule order is still the one reported, whichever set
// (gated, always, title, off) holds it and whether its fault is its id or its pattern.
TEST(RuleEngine, ReportsTheFirstBadRuleInRuleOrder) {
  Rule off = MakeRule("off.bad", RuleScope::kBody, RuleAction::kDropLine, "^(x", "off.json");
  off.enabled = false;
  const Rule gated_bad =
      MakeRule("gated.bad", RuleScope::kBody, RuleAction::kDropLine, "icp备(", "gated.json");
  const Rule always_bad =
      MakeRule("always.bad", RuleScope::kAny, RuleAction::kDropLine, "^a**", "always.json");
  const Rule title_bad =
      MakeRule("title.bad", RuleScope::kTitle, RuleAction::kStripMatch, "-CSDN[", "title.json");
  const Rule good = MakeRule("ok.one", RuleScope::kAny, RuleAction::kDropLine, "^ok$");
  const Rule again = MakeRule("ok.one", RuleScope::kHead, RuleAction::kDropLine, "y", "again.json");
  const std::vector<std::pair<std::vector<Rule>, std::string>> cases = {
      {{good, off, gated_bad, always_bad, title_bad},
       "off.json: rule 'off.bad': invalid pattern: missing ): ^(x"},
      {{good, gated_bad, off, always_bad, title_bad},
       "gated.json: rule 'gated.bad': invalid pattern: missing ): icp备("},
      {{good, always_bad, gated_bad, off, title_bad},
       "always.json: rule 'always.bad': invalid pattern: bad repetition operator: **"},
      {{good, title_bad, always_bad, gated_bad, off},
       "title.json: rule 'title.bad': invalid pattern: missing ]: [" },
      {{good, again, title_bad}, "again.json: rule 'ok.one': duplicate id, already defined in test.json"},
      {{good, title_bad, again}, "title.json: rule 'title.bad': invalid pattern: missing ]: ["},
  };
  for (const auto& [rules, expected] : cases) {
    std::string error;
    EXPECT_EQ(RuleEngine::Compile(rules, &error), nullptr) << expected;
    EXPECT_EQ(error, expected);
  }
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

// --- differential: Match against a brute-force reference --------------------------------

// What Match must return: the first enabled rule, in rule order, that applies in `scope` and
// whose own pattern matches `key` anywhere.
const Rule* ReferenceMatch(const RuleEngine& engine, const std::vector<std::unique_ptr<RE2>>& regexes,
                           std::string_view key, RuleScope scope) {
  const std::vector<Rule>& rules = engine.rules();
  for (size_t i = 0; i < rules.size(); ++i) {
    const Rule& rule = rules[i];
    if (!rule.enabled) continue;
    const bool applies = scope == RuleScope::kAny
                             ? rule.scope != RuleScope::kTitle
                             : rule.scope == scope || (rule.scope == RuleScope::kAny &&
                                                       scope != RuleScope::kTitle);
    if (applies && RE2::PartialMatch(key, *regexes[i])) return &rule;
  }
  return nullptr;
}

class DifferentialMatch : public ::testing::Test {
 protected:
  static std::vector<Rule> BuiltinRules() {
    std::vector<Rule> rules;
    std::string error;
    EXPECT_TRUE(LoadBuiltinRules(&rules, &error)) << error;
    return rules;
  }

  // User rules the built-in ones do not have: unanchored, case-insensitive, without atoms,
  // with only one side of an alternation anchored, multi-line, with atoms that have case
  // outside ASCII or a letter the Kelvin sign or long s lowercases to, and off.
  static std::vector<Rule> UserRules(const std::string& prefix) {
    std::vector<Rule> rules = {
        MakeRule("unanchored", RuleScope::kBody, RuleAction::kDropLine, "ICP备"),
        MakeRule("unanchored-any", RuleScope::kAny, RuleAction::kDropLine, "如有侵权"),
        MakeRule("nocase", RuleScope::kAny, RuleAction::kDropLine, "(?i)home\\s*page"),
        MakeRule("nocase-copyright", RuleScope::kTail, RuleAction::kDropLine,
                 "(?i)^copyright\\s+\\d{4}"),
        MakeRule("no-atoms", RuleScope::kBody, RuleAction::kDropLine, "\\d{5}"),
        MakeRule("no-atoms-anchored", RuleScope::kHead, RuleAction::kDropLine, "^.{3}$"),
        MakeRule("one-side-anchored", RuleScope::kAny, RuleAction::kDropLine, "^a|b"),
        MakeRule("one-side-anchored-cjk", RuleScope::kAny, RuleAction::kDropLine,
                 "^广告|推广链接"),
        MakeRule("multi-line", RuleScope::kAny, RuleAction::kDropLine, "(?m)^second$"),
        MakeRule("case-outside-ascii", RuleScope::kAny, RuleAction::kDropLine, "(?i)straße"),
        MakeRule("case-outside-ascii-and", RuleScope::kBody, RuleAction::kDropLine,
                 "(?i)^café.*icp备"),
        MakeRule("kelvin", RuleScope::kAny, RuleAction::kDropLine, "(?i)^kelvin\\b"),
        MakeRule("long-s", RuleScope::kAny, RuleAction::kDropLine, "(?i)sponsored by"),
        MakeRule("title-unanchored", RuleScope::kTitle, RuleAction::kStripMatch, "(?i)\\s*-\\s*github$"),
        MakeRule("head-anchored", RuleScope::kHead, RuleAction::kDropLine, "^目录$"),
        MakeRule("bench-shape", RuleScope::kBody, RuleAction::kDropLine,
                 "(?i)^visit site7\\.example\\.(?:com|net) for more"),
    };
    Rule off = MakeRule("off", RuleScope::kAny, RuleAction::kDropLine, "^");
    off.enabled = false;
    rules.push_back(off);
    for (Rule& rule : rules) rule.id = prefix + rule.id;
    return rules;
  }

  static std::vector<std::string> TrickyKeys() {
    return {"", "a", "b", "ab", "xb", "HOME", "Home Page", "my homepage", "HOMEPAGE",
            "Copyright 2024 example.com", "COPYRIGHT 2024", "copyright2024", "© 2024 版权所有",
            "ICP备12345678号", "京ICP备12345678号", "京icp备12345678号", "ICP 备", "IC P备",
            "京ICP证 0001", "如有侵权请联系删除", "本站文章如有侵权", "如有 侵权", "如有侵",
            "广告", "推广链接在此", "这是推广链接", "first\nsecond", "second", "STRASSE", "Straße",
            "CAFÉ 京ICP备1", "café icp备", "CAFE ICP备", "kelvin", "KELVIN", "\u212Aelvin",
            "\u212AELVIN", "sponsored by", "\u017Fponsored by", "SPON\u017FORED BY",
            "skip to content", "\u017Fkip to content", "SKIP TO CONTENT", "back to top",
            "bac\u212A to top", "BACK TO TOP", "目录", "文章目录", "目录 ", "# 目录", "目 录",
            "第 3 张图片", "风景_第 3 张图片", "标题 - GitHub", "标题 - CSDN博客", "12345",
            "1234", "上一篇", "上一篇:文章标题", "阅读 1.2k", "\xE7\xAC", "\xFF\xFE目录",
            "visit SITE7.example.com for more", "相关文章", "相关文章:", "【相关推荐:js教程】"};
  }

  // Every line of every file under testdata/, as it is and as its match key.
  static std::vector<std::string> TestdataKeys() {
    std::vector<std::string> keys;
    TextNormalizer normalizer;
    std::string key;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(WINNOW_SOURCE_DIR "/testdata")) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      for (std::string line; std::getline(in, line);) {
        normalizer.MatchKey(line, &key);
        keys.push_back(line);
        keys.push_back(key);
      }
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
  }

  // Random strings made of pieces of the rules' own atoms, in changed case, with spaces,
  // hazards and CJK characters between them.
  static std::vector<std::string> RandomKeys(const std::vector<Rule>& rules, int count) {
    std::vector<std::string> pieces = {" ", "  ", "的", "第", "张", "图片", "1", "2024", ":",
                                       "。", "\u212A", "\u017F", "É", "é", "#", "【", "】", "-"};
    RE2::Options options;
    options.set_log_errors(false);
    for (const Rule& rule : rules) {
      std::vector<std::string> atoms;
      FindRequiredAtoms(rule.pattern, options, &atoms);
      pieces.insert(pieces.end(), atoms.begin(), atoms.end());
    }
    std::mt19937 random(5489);
    std::vector<std::string> keys;
    for (int n = 0; n < count; ++n) {
      std::string key;
      const int parts = static_cast<int>(random() % 6);
      for (int i = 0; i < parts; ++i) {
        std::string piece = pieces[random() % pieces.size()];
        if (random() % 3 == 0) {
          for (char& c : piece) {
            if (c >= 'a' && c <= 'z' && random() % 2 == 0) c = static_cast<char>(c - ('a' - 'A'));
          }
        }
        if (random() % 4 == 0 && piece.size() > 1) piece.insert(piece.size() / 2, " ");
        key += piece;
      }
      keys.push_back(key);
    }
    return keys;
  }

  // Each atom of the rules, whole, in capitals and without its last byte, after 0 to 9 bytes
  // of ASCII or CJK and before 0 or 7 of ASCII: the gate reads byte pairs every few bytes and
  // compares eight bytes at once, so where an atom falls against a pair and the line's end
  // matters.
  static std::vector<std::string> AtomsAtEveryOffset(const std::vector<Rule>& rules) {
    std::vector<std::string> atoms;
    RE2::Options options;
    options.set_log_errors(false);
    for (const Rule& rule : rules) {
      std::vector<std::string> found;
      FindRequiredAtoms(rule.pattern, options, &found);
      for (const std::string& atom : found) {
        std::string capitals = atom;
        for (char& c : capitals) {
          if (c >= 'a' && c <= 'z') c = static_cast<char>(c - ('a' - 'A'));
        }
        atoms.push_back(atom);
        atoms.push_back(capitals);
        atoms.push_back(atom.substr(0, atom.size() - 1));
      }
    }
    std::vector<std::string> keys;
    for (const std::string& atom : atoms) {
      for (const std::string pad : {"x", "目"}) {
        for (size_t before = 0; before < 10; ++before) {
          for (size_t after : {0, 7}) {
            std::string key;
            while (key.size() < before) key += pad;
            key += atom;
            for (size_t i = 0; i < after; ++i) key += "x";
            keys.push_back(key);
          }
        }
      }
    }
    return keys;
  }

  // Match in each scope against the reference, for every key; reports the first few misses.
  static void ExpectSameAsReference(const std::vector<Rule>& rules,
                                    const std::vector<std::string>& keys) {
    auto engine = MustCompile(rules);
    ASSERT_NE(engine, nullptr);
    std::vector<std::unique_ptr<RE2>> regexes;
    RE2::Options options;
    options.set_log_errors(false);
    for (const Rule& rule : engine->rules()) regexes.push_back(std::make_unique<RE2>(rule.pattern, options));
    int misses = 0;
    for (const std::string& key : keys) {
      for (RuleScope scope : {RuleScope::kHead, RuleScope::kBody, RuleScope::kTail,
                              RuleScope::kTitle, RuleScope::kAny}) {
        const Rule* expected = ReferenceMatch(*engine, regexes, key, scope);
        const Rule* got = engine->Match(key, scope);
        if (got == expected) continue;
        if (++misses <= 10) {
          ADD_FAILURE() << "scope " << RuleScopeName(scope) << ", key '" << key << "': expected "
                        << (expected ? expected->id : "no rule") << ", got "
                        << (got ? got->id : "no rule");
        }
      }
    }
    EXPECT_EQ(misses, 0);
  }
};

TEST_F(DifferentialMatch, BuiltinRulesOnTestdataAndTrickyKeys) {
  std::vector<std::string> keys = TestdataKeys();
  ASSERT_GT(keys.size(), 1000u);
  const std::vector<std::string> tricky = TrickyKeys();
  keys.insert(keys.end(), tricky.begin(), tricky.end());
  ExpectSameAsReference(BuiltinRules(), keys);
}

TEST_F(DifferentialMatch, UserRulesBeforeAndAfterTheBuiltinOnes) {
  std::vector<Rule> rules = UserRules("first.");
  for (const Rule& rule : BuiltinRules()) rules.push_back(rule);
  for (const Rule& rule : UserRules("last.")) rules.push_back(rule);
  std::vector<std::string> keys = TestdataKeys();
  const std::vector<std::string> tricky = TrickyKeys();
  const std::vector<std::string> random = RandomKeys(rules, 20000);
  keys.insert(keys.end(), tricky.begin(), tricky.end());
  keys.insert(keys.end(), random.begin(), random.end());
  ExpectSameAsReference(rules, keys);
}

TEST_F(DifferentialMatch, UserRulesAloneOnRandomKeys) {
  const std::vector<Rule> rules = UserRules("");
  std::vector<std::string> keys = TrickyKeys();
  const std::vector<std::string> random = RandomKeys(rules, 20000);
  keys.insert(keys.end(), random.begin(), random.end());
  ExpectSameAsReference(rules, keys);
}

TEST_F(DifferentialMatch, AtomsAtEveryOffsetNearLineEnds) {
  std::vector<Rule> rules = BuiltinRules();
  for (const Rule& rule : UserRules("user.")) rules.push_back(rule);
  ExpectSameAsReference(rules, AtomsAtEveryOffset(rules));
}

// User rules that are all anchored, so the always-matched set is anchored and skipped on
// lines that start with nothing its rules can start with: odd starts (classes of symbols,
// ranges of ideographs, runes that fold to ASCII, escapes, matches that may be empty), on
// keys that start with every ASCII byte and many other characters.
TEST_F(DifferentialMatch, AnchoredUserRulesOfOddStarts) {
  const std::vector<std::string> patterns = {
      "^[一-十]{2}测$", "(?i)^\\x{212A}m", "(?i)^\u017Ftop", "^\\p{So}*注意$", "^$|^\\$\\d+",
      "^\\x41\\x{42}[\\x{4E00}-\\x{4E05}]", "^(?i:ab)(?-i:C)|(?i)^é", "^[\\]\\-a]z",
      "^a{0}b", "^\\s?\\.", "^[\\x{4DB0}-\\x{4E10}]x", "^\\pP\\p{Zs}"};
  std::vector<Rule> rules;
  for (size_t i = 0; i < patterns.size(); ++i) {
    rules.push_back(MakeRule("odd." + std::to_string(i), i % 3 == 0 ? RuleScope::kHead : RuleScope::kAny,
                             RuleAction::kDropLine, patterns[i]));
  }
  std::vector<std::string> firsts;
  for (int c = 1; c < 128; ++c) firsts.push_back(std::string(1, static_cast<char>(c)));
  for (const char* rune : {"\u212A", "\u017F", "一", "十", "丁", "注", "测", "©", "【", "★", "\u0301",
                           "\u00AD", "\u4DC0", "\u4DBF", "\u4E05", "\u9FFF", "É", "é", "\xFF",
                           "\x80", "\xE4\xB8", "\u3000", "\U0001F600", "关注", "首页", "当前位置"}) {
    firsts.push_back(rune);
  }
  const std::vector<std::string> rests = {"", "m", "top", "注意", "十测", "B一", "z", "b", "C", "1",
                                          ".", "x", "2", " 首页", "关注公众号", "2024-01-02"};
  std::vector<std::string> keys;
  for (const std::string& first : firsts) {
    for (const std::string& rest : rests) keys.push_back(first + rest);
  }
  const std::vector<std::string> tricky = TrickyKeys();
  keys.insert(keys.end(), tricky.begin(), tricky.end());
  // Alone, where most ASCII letters start no rule, and before the built-in ones.
  ExpectSameAsReference(rules, keys);
  for (const Rule& rule : BuiltinRules()) rules.push_back(rule);
  ExpectSameAsReference(rules, keys);
}

// Gated rules whose atoms are all five bytes or more make the gate read every fourth pair.
TEST_F(DifferentialMatch, LongAtomsOnly) {
  const std::vector<Rule> rules = {
      MakeRule("long.cjk", RuleScope::kBody, RuleAction::kDropLine, "如有侵权"),
      MakeRule("long.nocase", RuleScope::kAny, RuleAction::kDropLine, "(?i)copyright notice"),
      MakeRule("long.scan", RuleScope::kTail, RuleAction::kEndBody, "^[^。]*转载请注明[^。]*$"),
      MakeRule("long.anchored", RuleScope::kAny, RuleAction::kDropLine, "^目录$"),
  };
  std::vector<std::string> keys = AtomsAtEveryOffset(rules);
  const std::vector<std::string> random = RandomKeys(rules, 5000);
  keys.insert(keys.end(), random.begin(), random.end());
  ExpectSameAsReference(rules, keys);
}

// --- BoundaryMayMatch ------------------------------------------------------------------
// The splitter skips the match view of a cut teaser when BoundaryMayMatch says no: it must
// never say no where MatchBoundary on the view would find a rule.

class BoundaryMayMatchTest : public DifferentialMatch {
 protected:
  // What BoundaryMayMatch says of `line` in `scope`; null when the line's view is not made of
  // its characters' images (the splitter then makes the view). Expects it not to say no where
  // MatchBoundary finds a rule in the view.
  static const bool* MayMatch(const RuleEngine& engine, TextNormalizer* normalizer,
                              const std::string& line, RuleScope scope) {
    static thread_local bool answer = false;
    CharacterwiseKey view;
    if (!normalizer->KeyIsCharacterwise(line, &view)) return nullptr;
    answer = engine.BoundaryMayMatch(view.start, line, view.folded, scope);
    std::string key;
    normalizer->MatchKey(line, &key);
    const Rule* rule = engine.MatchBoundary(key, scope);
    EXPECT_TRUE(answer || rule == nullptr)
        << "line '" << line << "' (view '" << key << "'), scope " << RuleScopeName(scope)
        << ": no, but " << rule->id << " matches";
    return &answer;
  }

  // `text` with its ASCII letters, digits and punctuation written full-width.
  static std::string FullWidth(const std::string& text) {
    std::string wide;
    for (const char c : text) {
      if (c <= ' ' || c > '~') {
        wide += c;
        continue;
      }
      const auto form = static_cast<char32_t>(c) + 0xFEE0;
      wide += static_cast<char>(0xE0 | (form >> 12));
      wide += static_cast<char>(0x80 | ((form >> 6) & 0x3F));
      wide += static_cast<char>(0x80 | (form & 0x3F));
    }
    return wide;
  }

  // Random teasers made of the rules' atoms (as they are, in capitals, full-width, with runs
  // of whitespace in them), references to full-width forms, odd spaces and CJK text, cut
  // with a marker.
  static std::vector<std::string> RandomTeasers(const std::vector<Rule>& rules, int count) {
    std::vector<std::string> pieces = {" ", "   ", "\t", "\u3000", "\u00A0", "的", "公网安备",
                                       "ICP", "icp", "备", "12345678", "号", "©", "2023",
                                       "版权所有", "&#xff0c;", "&#xFF29;", "&#65315;", "&",
                                       "#", "。", "，", "…", ".", "当前位置", ":", "：", ">",
                                       "首页", "相关文章", "Copyright", "example.com", "foo",
                                       "bar", "v1", "２"};
    RE2::Options options;
    options.set_log_errors(false);
    for (const Rule& rule : rules) {
      std::vector<std::string> atoms;
      FindRequiredAtoms(rule.pattern, options, &atoms);
      for (const std::string& atom : atoms) {
        pieces.push_back(atom);
        pieces.push_back(FullWidth(atom));
        std::string capitals = atom;
        for (char& c : capitals) {
          if (c >= 'a' && c <= 'z') c = static_cast<char>(c - ('a' - 'A'));
        }
        pieces.push_back(capitals);
        pieces.push_back(FullWidth(capitals));
      }
    }
    std::mt19937 random(20240602);
    std::vector<std::string> teasers;
    for (int n = 0; n < count; ++n) {
      std::string teaser;
      for (int parts = static_cast<int>(random() % 8); parts >= 0; --parts) {
        teaser += pieces[random() % pieces.size()];
      }
      teaser += random() % 2 == 0 ? "…" : "...";
      teasers.push_back(teaser);
    }
    return teasers;
  }

  // User boundary rules whose atoms the view can hold where the line does not: folded
  // full-width characters; an anchored rule that starts with one; and, `with_space`, the
  // space of a collapsed run (then the answer is always yes).
  static std::vector<Rule> FoldingBoundaryRules(bool with_space) {
    std::vector<Rule> rules = {
        MakeRule("u.dotted", RuleScope::kAny, RuleAction::kEndBody, "版本v1\\.2"),
        MakeRule("u.digit", RuleScope::kTail, RuleAction::kStartPage, "第2页"),
        MakeRule("u.anchored", RuleScope::kTail, RuleAction::kStartPage, "^Ab")};
    if (with_space) {
      rules.push_back(MakeRule("u.spaced", RuleScope::kTail, RuleAction::kStartTail, "foo bar"));
    }
    return rules;
  }

  // Asks MayMatch of every line in every line scope; returns how many said no.
  static size_t CountNo(const std::vector<Rule>& rules, const std::vector<std::string>& lines) {
    auto engine = MustCompile(rules);
    TextNormalizer normalizer;
    size_t no = 0;
    for (const std::string& line : lines) {
      for (RuleScope scope : {RuleScope::kHead, RuleScope::kBody, RuleScope::kTail}) {
        const bool* answer = MayMatch(*engine, &normalizer, line, scope);
        no += answer != nullptr && !*answer;
      }
    }
    return no;
  }
};

TEST_F(BoundaryMayMatchTest, SaysYesForCutLinesThatEndARegionToday) {
  std::vector<Rule> rules = BuiltinRules();
  for (const Rule& rule : FoldingBoundaryRules(/*with_space=*/true)) rules.push_back(rule);
  auto engine = MustCompile(rules);
  TextNormalizer normalizer;
  for (const std::string line :
       {"当前位置: 首页 > 编程 > 一篇很长的文章标题…", "  当前位置：首页 &gt; 编程…",
        "京ICP备12345678号-1…...", "公网安备 11010802012345号…", "© 2023 某某网 example.com…",
        "Copyright 2023 example.com 版权所有...", "ＩＣＰ备12345678号…", "京&#xff29;CP备12345678号…",
        "说明 foo   bar 在此…", "说明 foo\tbar…", "版本v1．2 的说明…",
        "第２页…", "Ａb 开头…"}) {
    std::string key;
    normalizer.MatchKey(line, &key);
    EXPECT_NE(engine->MatchBoundary(key, RuleScope::kTail), nullptr) << line << " | " << key;
    const bool* answer = MayMatch(*engine, &normalizer, line, RuleScope::kTail);
    if (answer != nullptr) {
      EXPECT_TRUE(*answer) << line;
    }
  }
  // A cut related-list header does not match the header rule, but may: it starts like one.
  const bool* header = MayMatch(*engine, &normalizer, "相关文章…", RuleScope::kTail);
  ASSERT_NE(header, nullptr);
  EXPECT_TRUE(*header);
}

TEST_F(BoundaryMayMatchTest, SaysNoForPlainTeasersAndOutsideLineScopes) {
  auto engine = MustCompile(BuiltinRules());
  TextNormalizer normalizer;
  for (const std::string line :
       {"Docker 是一种容器化技术&#xff0c;它通过利用 Linux 内核提供的虚拟化技术…...",
        "在线Linux命令查询工具 chown 用来变更文件或目录的拥有者或所属群组。…",
        "  缩进的摘要，带全角标点：以及（括号）…"}) {
    const bool* answer = MayMatch(*engine, &normalizer, line, RuleScope::kTail);
    ASSERT_NE(answer, nullptr) << line;
    EXPECT_FALSE(*answer) << line;
  }
  CharacterwiseKey view;
  ASSERT_TRUE(normalizer.KeyIsCharacterwise("当前位置: 首页…", &view));
  EXPECT_FALSE(engine->BoundaryMayMatch(view.start, "当前位置: 首页…", view.folded,
                                        RuleScope::kTitle));
  EXPECT_FALSE(engine->BoundaryMayMatch(view.start, "当前位置: 首页…", view.folded,
                                        RuleScope::kAny));
  EXPECT_TRUE(engine->BoundaryMayMatch("", "当前位置: 首页…", view.folded, RuleScope::kTail));
}

TEST_F(BoundaryMayMatchTest, NeverSaysNoWhereTheViewMatchesOnTestdataAndRandomTeasers) {
  std::vector<Rule> rules = BuiltinRules();
  for (const Rule& rule : FoldingBoundaryRules(/*with_space=*/false)) rules.push_back(rule);
  for (const Rule& rule : UserRules("user.")) rules.push_back(rule);
  std::vector<std::string> lines = TestdataKeys();
  const std::vector<std::string> teasers = RandomTeasers(rules, 30000);
  lines.insert(lines.end(), teasers.begin(), teasers.end());
  EXPECT_GT(CountNo(rules, lines), 10000u);  // and no is the usual answer
}

TEST_F(BoundaryMayMatchTest, NeverSaysNoWhereTheViewMatchesWithBoundaryRulesAlone) {
  std::vector<Rule> rules = FoldingBoundaryRules(/*with_space=*/false);
  EXPECT_GT(CountNo(rules, RandomTeasers(rules, 30000)), 1000u);
  rules = FoldingBoundaryRules(/*with_space=*/true);
  EXPECT_EQ(CountNo(rules, RandomTeasers(rules, 30000)), 0u);
}

}  // namespace
}  // namespace winnow

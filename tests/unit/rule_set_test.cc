// Which rules a run uses: built-in, then --rules files in order, then --enable/--disable.
#include "winnow/rule_set.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace winnow {
namespace {

class RuleSelectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One file per test: ctest runs the tests of this suite in parallel processes.
    path_ = ::testing::TempDir() + "rule_set_test_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".json";
    std::ofstream(path_) << R"({"rules": [
      {"id": "site.ad", "action": "drop-line", "pattern": "^广告"},
      {"id": "site.off", "action": "drop-line", "pattern": "^可选", "enabled": false}]})";
  }
  void TearDown() override { std::remove(path_.c_str()); }

  const Rule* Find(const std::vector<Rule>& rules, const std::string& id) {
    for (const Rule& rule : rules) {
      if (rule.id == id) return &rule;
    }
    return nullptr;
  }

  std::string path_;
};

TEST_F(RuleSelectionTest, BuiltinRulesComeFirstThenFilesInOrder) {
  RuleSelection selection;
  selection.files = {path_};
  std::vector<Rule> rules;
  std::string error;
  ASSERT_TRUE(LoadRuleSelection(selection, &rules, &error)) << error;
  ASSERT_GE(rules.size(), 3u);
  EXPECT_EQ(rules.front().origin, "builtin");
  EXPECT_EQ(rules[rules.size() - 2].id, "site.ad");
  EXPECT_EQ(rules.back().origin, path_);
  EXPECT_FALSE(rules.back().enabled);
}

TEST_F(RuleSelectionTest, NoBuiltinRulesLeavesOnlyTheFiles) {
  RuleSelection selection;
  selection.builtin = false;
  selection.files = {path_};
  std::vector<Rule> rules;
  std::string error;
  ASSERT_TRUE(LoadRuleSelection(selection, &rules, &error)) << error;
  EXPECT_EQ(rules.size(), 2u);
}

TEST_F(RuleSelectionTest, EnableAndDisableSwitchRulesByIdDisableLast) {
  RuleSelection selection;
  selection.files = {path_};
  selection.enable = {"site.off"};
  selection.disable = {"nav.breadcrumb", "site.ad"};
  std::vector<Rule> rules;
  std::string error;
  ASSERT_TRUE(LoadRuleSelection(selection, &rules, &error)) << error;
  EXPECT_TRUE(Find(rules, "site.off")->enabled);
  EXPECT_FALSE(Find(rules, "site.ad")->enabled);
  EXPECT_FALSE(Find(rules, "nav.breadcrumb")->enabled);

  selection.enable = {"site.ad"};
  ASSERT_TRUE(LoadRuleSelection(selection, &rules, &error)) << error;
  EXPECT_FALSE(Find(rules, "site.ad")->enabled);
}

TEST_F(RuleSelectionTest, EnabledRulesKeepsOnlyTheRulesThatAreOn) {
  RuleSelection selection;
  selection.builtin = false;
  selection.files = {path_};
  std::vector<Rule> rules;
  std::string error;
  ASSERT_TRUE(LoadRuleSelection(selection, &rules, &error)) << error;
  std::vector<Rule> enabled = EnabledRules(rules);
  ASSERT_EQ(enabled.size(), 1u);
  EXPECT_EQ(enabled[0].id, "site.ad");
}

TEST_F(RuleSelectionTest, UnknownIdSuggestsTheClosestRealOne) {
  RuleSelection selection;
  selection.files = {path_};
  selection.disable = {"site.adz"};
  std::vector<Rule> rules;
  std::string error;
  EXPECT_FALSE(LoadRuleSelection(selection, &rules, &error));
  EXPECT_EQ(error, "--disable: unknown rule id 'site.adz'; did you mean 'site.ad'?");

  selection.disable.clear();
  selection.enable = {"completely.different"};
  EXPECT_FALSE(LoadRuleSelection(selection, &rules, &error));
  EXPECT_EQ(error, "--enable: unknown rule id 'completely.different'");
}

TEST_F(RuleSelectionTest, AnUnreadableFileIsNamed) {
  RuleSelection selection;
  selection.files = {path_ + ".missing"};
  std::vector<Rule> rules;
  std::string error;
  EXPECT_FALSE(LoadRuleSelection(selection, &rules, &error));
  EXPECT_EQ(error, path_ + ".missing: cannot read rule file: No such file or directory");
}

}  // namespace
}  // namespace winnow

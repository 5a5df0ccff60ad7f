#include "winnow/rule_examples.h"

namespace winnow {
namespace {

std::vector<RuleScope> ScopesOf(const Rule& rule) {
  if (rule.scope == RuleScope::kAny) return {RuleScope::kHead, RuleScope::kBody, RuleScope::kTail};
  return {rule.scope};
}

}  // namespace

ExampleReport CheckRuleExamples(const RuleEngine& engine, TextNormalizer* normalizer) {
  ExampleReport report;
  std::string key;
  for (const Rule& rule : engine.rules()) {
    ++report.rules;
    for (const std::string& example : rule.examples.match) {
      ++report.examples;
      normalizer->MatchKey(example, &key);
      if (!engine.RuleMatches(rule, key)) {
        report.failures.push_back(
            {&rule, example,
             "match example '" + example + "' does not match (match view '" + key + "')"});
        continue;
      }
      if (!rule.enabled) continue;
      for (RuleScope scope : ScopesOf(rule)) {
        const Rule* first = engine.Match(key, scope);
        // The rule itself matches, so some enabled rule does.
        if (first == nullptr || first->action == rule.action) continue;
        report.failures.push_back({&rule, example,
                                   "match example '" + example + "' is taken in " +
                                       RuleScopeName(scope) + " by '" + first->id + "' (" +
                                       RuleActionName(first->action) + ")"});
        break;
      }
    }
    for (const std::string& example : rule.examples.keep) {
      ++report.examples;
      normalizer->MatchKey(example, &key);
      if (engine.RuleMatches(rule, key)) {
        report.failures.push_back({&rule, example, "keep example '" + example + "' matches"});
      }
    }
  }
  return report;
}

std::string FormatExampleFailure(const ExampleFailure& failure) {
  return failure.rule->origin + ": rule '" + failure.rule->id + "': " + failure.message;
}

}  // namespace winnow

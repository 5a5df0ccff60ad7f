#include "winnow/rule_engine.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <utility>

#include <re2/re2.h>
#include <re2/set.h>

namespace winnow {

namespace {

// The places a line can be in; each gets one RE2::Set. Indexes sets_ by the enum's value.
constexpr RuleScope kConcreteScopes[] = {RuleScope::kHead, RuleScope::kBody, RuleScope::kTail,
                                         RuleScope::kTitle};
static_assert(static_cast<int>(RuleScope::kHead) == 0 && static_cast<int>(RuleScope::kBody) == 1 &&
                  static_cast<int>(RuleScope::kTail) == 2 &&
                  static_cast<int>(RuleScope::kTitle) == 3,
              "sets_ is indexed by the concrete scopes' values");

bool AppliesIn(RuleScope rule_scope, RuleScope line_scope) {
  if (rule_scope == line_scope) return true;
  return rule_scope == RuleScope::kAny && line_scope != RuleScope::kTitle;
}

RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);
  return options;
}

}  // namespace

struct RuleEngine::ScopeSet {
  explicit ScopeSet(const RE2::Options& options) : set(options, RE2::UNANCHORED) {}

  RE2::Set set;
  std::vector<size_t> rule_index;  // the set's pattern index -> index in rules_
};

RuleEngine::~RuleEngine() = default;

std::unique_ptr<RuleEngine> RuleEngine::Compile(std::vector<Rule> rules, std::string* error) {
  std::unique_ptr<RuleEngine> engine(new RuleEngine);
  engine->rules_ = std::move(rules);
  const std::vector<Rule>& all = engine->rules_;

  RE2::Options options = PatternOptions();
  std::map<std::string, size_t> index_by_id;
  for (size_t i = 0; i < all.size(); ++i) {
    const Rule& rule = all[i];
    auto inserted = index_by_id.emplace(rule.id, i);
    if (!inserted.second) {
      *error = rule.origin + ": rule '" + rule.id + "': duplicate id, already defined in " +
               all[inserted.first->second].origin;
      return nullptr;
    }
    auto regex = std::make_unique<RE2>(rule.pattern, options);
    if (!regex->ok()) {
      *error = rule.origin + ": rule '" + rule.id + "': invalid pattern: " + regex->error();
      return nullptr;
    }
    engine->regexes_.push_back(std::move(regex));
  }

  // A set holds many automata at once; give its DFA more room than a single regex needs.
  RE2::Options set_options = options;
  set_options.set_max_mem(64 << 20);
  engine->sets_.resize(std::size(kConcreteScopes));
  for (RuleScope scope : kConcreteScopes) {
    auto scope_set = std::make_unique<ScopeSet>(set_options);
    for (size_t i = 0; i < all.size(); ++i) {
      if (!all[i].enabled || !AppliesIn(all[i].scope, scope)) continue;
      std::string add_error;
      if (scope_set->set.Add(all[i].pattern, &add_error) < 0) {
        *error = all[i].origin + ": rule '" + all[i].id + "': invalid pattern: " + add_error;
        return nullptr;
      }
      scope_set->rule_index.push_back(i);
    }
    // RE2::Set refuses to compile without patterns; an empty scope simply matches nothing.
    if (scope_set->rule_index.empty()) continue;
    if (!scope_set->set.Compile()) {
      *error = std::string("rules of scope '") + RuleScopeName(scope) +
               "' are too large to compile together";
      return nullptr;
    }
    engine->sets_[static_cast<size_t>(scope)] = std::move(scope_set);
  }
  return engine;
}

const Rule* RuleEngine::Match(std::string_view key, RuleScope scope) const {
  if (scope == RuleScope::kAny) {
    // Not a place a line can be: try every rule except title ones, one by one.
    for (size_t i = 0; i < rules_.size(); ++i) {
      if (rules_[i].enabled && rules_[i].scope != RuleScope::kTitle &&
          RE2::PartialMatch(key, *regexes_[i])) {
        return &rules_[i];
      }
    }
    return nullptr;
  }
  const ScopeSet* scope_set = sets_[static_cast<size_t>(scope)].get();
  if (scope_set == nullptr) return nullptr;

  thread_local std::vector<int> hits;
  hits.clear();
  RE2::Set::ErrorInfo info{RE2::Set::kNoError};
  if (!scope_set->set.Match(key, &hits, &info)) {
    if (info.kind == RE2::Set::kNoError) return nullptr;
    // The set's DFA gave up on this line (out of memory): the same answer, rule by rule.
    for (size_t index : scope_set->rule_index) {
      if (RE2::PartialMatch(key, *regexes_[index])) return &rules_[index];
    }
    return nullptr;
  }
  // Patterns were added in rule order, so the lowest pattern index is the first rule.
  int first = *std::min_element(hits.begin(), hits.end());
  return &rules_[scope_set->rule_index[static_cast<size_t>(first)]];
}

namespace {

// The compiled regex of `rule` when it is one of `rules` (by address), else null.
const RE2* RegexOf(const std::vector<Rule>& rules,
                   const std::vector<std::unique_ptr<RE2>>& regexes, const Rule& rule) {
  std::less<const Rule*> before;
  if (rules.empty() || before(&rule, rules.data()) || !before(&rule, rules.data() + rules.size())) {
    return nullptr;
  }
  return regexes[static_cast<size_t>(&rule - rules.data())].get();
}

}  // namespace

bool RuleEngine::StripMatch(const Rule& rule, std::string* text) const {
  const RE2* regex = RegexOf(rules_, regexes_, rule);
  return regex != nullptr && RE2::Replace(text, *regex, "");
}

bool RuleEngine::RuleMatches(const Rule& rule, std::string_view key) const {
  const RE2* regex = RegexOf(rules_, regexes_, rule);
  return regex != nullptr && RE2::PartialMatch(key, *regex);
}

}  // namespace winnow

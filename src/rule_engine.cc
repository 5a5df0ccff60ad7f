#include "winnow/rule_engine.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <utility>

#include <re2/re2.h>
#include <re2/set.h>

#include "winnow/literal_prefilter.h"
#include "winnow/pattern_anchor.h"

namespace winnow {

namespace {

// The places a line can be in; each gets its own sets. Indexes scopes_ by the enum's value.
constexpr RuleScope kConcreteScopes[] = {RuleScope::kHead, RuleScope::kBody, RuleScope::kTail,
                                         RuleScope::kTitle};
static_assert(static_cast<int>(RuleScope::kHead) == 0 && static_cast<int>(RuleScope::kBody) == 1 &&
                  static_cast<int>(RuleScope::kTail) == 2 &&
                  static_cast<int>(RuleScope::kTitle) == 3,
              "scopes_ is indexed by the concrete scopes' values");

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

struct RuleEngine::RuleSubset {
  RuleSubset(const RE2::Options& options, RE2::Anchor anchor) : set(options, anchor) {}

  RE2::Set set;
  std::vector<size_t> rule_index;  // the set's pattern index -> index in rules_, ascending
};

// A scope's rules in two sets (either may be null, when it would be empty): the rules that
// would read on through every line but have literal atoms, matched only on lines that hold
// one of them, and the rest, always matched.
struct RuleEngine::ScopeMatcher {
  std::unique_ptr<RuleSubset> gated;
  LiteralPrefilter atoms;  // of every gated rule
  std::unique_ptr<RuleSubset> always;
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

  // Which rules to match only on lines that hold one of their atoms: those a DFA would read
  // through the whole line for (unanchored, or `^.*X`, `^[^。]*X`), when re2 finds atoms for
  // them. An anchored rule whose DFA stops after a few bytes costs less matched always than
  // the atom search costs; so much less that gating those too made matching slower (their
  // atoms, such as 目录 or 字, are in half the lines of real pages).
  std::vector<PatternStart> starts(all.size(), PatternStart::kAnywhere);
  std::vector<std::vector<std::string>> atoms_of(all.size());
  std::vector<bool> gated(all.size(), false);
  for (size_t i = 0; i < all.size(); ++i) {
    if (!all[i].enabled) continue;
    starts[i] = ClassifyPatternStart(all[i].pattern);
    if (starts[i] != PatternStart::kAnchored) {
      gated[i] = FindRequiredAtoms(all[i].pattern, options, &atoms_of[i]);
    }
  }

  // A set holds many automata at once; give its DFA more room than a single regex needs.
  RE2::Options set_options = options;
  set_options.set_max_mem(64 << 20);
  // One set over `indexes` (ascending), anchored when every pattern starts with `^`; null
  // when `indexes` is empty, since RE2::Set refuses to compile without patterns.
  auto compile_subset = [&](RuleScope scope, const std::vector<size_t>& indexes,
                            std::unique_ptr<RuleSubset>* subset) {
    if (indexes.empty()) return true;
    const bool anchored = std::all_of(indexes.begin(), indexes.end(), [&starts](size_t i) {
      return starts[i] != PatternStart::kAnywhere;
    });
    auto compiled =
        std::make_unique<RuleSubset>(set_options, anchored ? RE2::ANCHOR_START : RE2::UNANCHORED);
    for (size_t i : indexes) {
      std::string add_error;
      if (compiled->set.Add(all[i].pattern, &add_error) < 0) {
        *error = all[i].origin + ": rule '" + all[i].id + "': invalid pattern: " + add_error;
        return false;
      }
      compiled->rule_index.push_back(i);
    }
    if (!compiled->set.Compile()) {
      *error = std::string("rules of scope '") + RuleScopeName(scope) +
               "' are too large to compile together";
      return false;
    }
    *subset = std::move(compiled);
    return true;
  };

  engine->scopes_.resize(std::size(kConcreteScopes));
  for (RuleScope scope : kConcreteScopes) {
    std::vector<size_t> gated_rules;
    std::vector<size_t> other_rules;
    std::vector<std::string> scope_atoms;
    for (size_t i = 0; i < all.size(); ++i) {
      if (!all[i].enabled || !AppliesIn(all[i].scope, scope)) continue;
      if (gated[i]) {
        gated_rules.push_back(i);
        scope_atoms.insert(scope_atoms.end(), atoms_of[i].begin(), atoms_of[i].end());
      } else {
        other_rules.push_back(i);
      }
    }
    auto matcher = std::make_unique<ScopeMatcher>();
    if (!compile_subset(scope, gated_rules, &matcher->gated) ||
        !compile_subset(scope, other_rules, &matcher->always)) {
      return nullptr;
    }
    if (matcher->gated == nullptr && matcher->always == nullptr) continue;
    matcher->atoms = LiteralPrefilter(scope_atoms);
    engine->scopes_[static_cast<size_t>(scope)] = std::move(matcher);
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
  const ScopeMatcher* matcher = scopes_[static_cast<size_t>(scope)].get();
  if (matcher == nullptr) return nullptr;

  size_t first = rules_.size();
  if (matcher->always != nullptr) first = FirstMatch(*matcher->always, key);
  // A gated rule can match only where one of its atoms occurs, and wins only when it comes
  // before the other rule that matched.
  const RuleSubset* gated = matcher->gated.get();
  if (gated != nullptr && gated->rule_index.front() < first && matcher->atoms.ContainsAny(key)) {
    first = std::min(first, FirstMatch(*gated, key));
  }
  return first < rules_.size() ? &rules_[first] : nullptr;
}

size_t RuleEngine::FirstMatch(const RuleSubset& subset, std::string_view key) const {
  // Most lines match nothing: first ask only whether one does, which RE2::Set answers without
  // allocating a set of matches and stops at the first; then ask which.
  RE2::Set::ErrorInfo info{RE2::Set::kNoError};
  thread_local std::vector<int> hits;
  if (!subset.set.Match(key, nullptr, &info) || !subset.set.Match(key, &hits, &info)) {
    if (info.kind == RE2::Set::kNoError) return rules_.size();
    // The set's DFA gave up on this line (out of memory): the same answer, rule by rule.
    for (size_t index : subset.rule_index) {
      if (RE2::PartialMatch(key, *regexes_[index])) return index;
    }
    return rules_.size();
  }
  // Patterns were added in rule order, so the lowest pattern index is the first rule.
  int lowest = *std::min_element(hits.begin(), hits.end());
  return subset.rule_index[static_cast<size_t>(lowest)];
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

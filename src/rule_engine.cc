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

bool AppliesIn(RuleScope rule_scope, RuleScope line_scope) {
  if (rule_scope == line_scope) return true;
  return rule_scope == RuleScope::kAny && line_scope != RuleScope::kTitle;
}

bool IsLineRule(const Rule& rule) { return rule.scope != RuleScope::kTitle; }

bool IsBoundaryRule(const Rule& rule) {
  return IsLineRule(rule) &&
         (rule.action == RuleAction::kStartPage || rule.action == RuleAction::kStartTail ||
          rule.action == RuleAction::kEndBody);
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
  // What a match of a rule that applies in a scope can start with, by the scope of the line
  // (kHead..kTitle), when the set is anchored (every character when not). Most lines start
  // with something no anchored rule of their scope does, and then the set is not run: its
  // DFA's first steps on a line are cache misses, a few hundred nanoseconds a line.
  StartCharacters starts[4];
};

// Rules in two sets (either may be null, when it would be empty): the rules that would read
// on through every line but have literal atoms, matched only on lines that hold one of them,
// and the rest, always matched.
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
  engine->regexes_.resize(all.size());
  engine->regex_made_ = std::make_unique<std::once_flag[]>(all.size());
  RE2::Options options = PatternOptions();

  // Which rules to match only on lines that hold one of their atoms: those a DFA would read
  // through the whole line for (unanchored, or `^.*X`, `^[^。]*X`), when re2 finds atoms for
  // them. An anchored rule whose DFA stops after a few bytes costs less matched always than
  // the atom search costs; so much less that gating those too made matching slower (their
  // atoms, such as 目录 or 字, are in half the lines of real pages). Read from the syntax
  // alone, before any pattern is known to compile: a pattern that does not has no atoms.
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
  // The subset of the enabled rules `indexes` (ascending), anchored when every pattern starts
  // with `^`, its patterns not added yet; null when `indexes` is empty, since RE2::Set refuses
  // to compile without patterns.
  auto make_subset = [&](std::vector<size_t> indexes) -> std::unique_ptr<RuleSubset> {
    if (indexes.empty()) return nullptr;
    const bool anchored = std::all_of(indexes.begin(), indexes.end(), [&starts](size_t i) {
      return starts[i] != PatternStart::kAnywhere;
    });
    auto subset =
        std::make_unique<RuleSubset>(set_options, anchored ? RE2::ANCHOR_START : RE2::UNANCHORED);
    constexpr RuleScope kLineScopes[] = {RuleScope::kHead, RuleScope::kBody, RuleScope::kTail,
                                         RuleScope::kTitle};
    for (size_t i : indexes) {
      const StartCharacters rule_starts =
          anchored ? StartCharacters::Of(all[i].pattern) : StartCharacters::All();
      for (RuleScope scope : kLineScopes) {
        if (AppliesIn(all[i].scope, scope)) subset->starts[static_cast<size_t>(scope)].Add(rule_starts);
      }
    }
    subset->rule_index = std::move(indexes);
    return subset;
  };
  // The matcher of the enabled rules `wanted` picks; null when there are none.
  auto make_matcher = [&](bool (*wanted)(const Rule&)) -> std::unique_ptr<ScopeMatcher> {
    std::vector<size_t> gated_rules;
    std::vector<size_t> other_rules;
    std::vector<std::string> atoms;
    for (size_t i = 0; i < all.size(); ++i) {
      if (!all[i].enabled || !wanted(all[i])) continue;
      if (gated[i]) {
        gated_rules.push_back(i);
        atoms.insert(atoms.end(), atoms_of[i].begin(), atoms_of[i].end());
      } else {
        other_rules.push_back(i);
      }
    }
    if (gated_rules.empty() && other_rules.empty()) return nullptr;
    auto matcher = std::make_unique<ScopeMatcher>();
    matcher->gated = make_subset(std::move(gated_rules));
    matcher->always = make_subset(std::move(other_rules));
    matcher->atoms = LiteralPrefilter(atoms);
    return matcher;
  };
  engine->line_rules_ = make_matcher(IsLineRule);
  engine->title_rules_ = make_matcher([](const Rule& rule) { return rule.scope == RuleScope::kTitle; });
  engine->boundary_rules_ = make_matcher(IsBoundaryRule);

  // In rule order, so the first bad rule is the one reported: ids, then patterns. Adding a
  // pattern to a set parses it, the whole check RE2 makes of its syntax; a rule that is off
  // goes into a set that is only parsed, never compiled.
  std::vector<RE2::Set*> set_of(all.size(), nullptr);
  for (ScopeMatcher* matcher : {engine->line_rules_.get(), engine->title_rules_.get()}) {
    if (matcher == nullptr) continue;
    for (RuleSubset* subset : {matcher->gated.get(), matcher->always.get()}) {
      if (subset == nullptr) continue;
      for (size_t i : subset->rule_index) set_of[i] = &subset->set;
    }
  }
  std::unique_ptr<RE2::Set> syntax_check;
  std::map<std::string, size_t> index_by_id;
  for (size_t i = 0; i < all.size(); ++i) {
    const Rule& rule = all[i];
    auto inserted = index_by_id.emplace(rule.id, i);
    if (!inserted.second) {
      *error = rule.origin + ": rule '" + rule.id + "': duplicate id, already defined in " +
               all[inserted.first->second].origin;
      return nullptr;
    }
    RE2::Set* set = set_of[i];
    if (set == nullptr) {
      if (syntax_check == nullptr) syntax_check = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
      set = syntax_check.get();
    }
    std::string parse_error;
    if (set->Add(rule.pattern, &parse_error) < 0) {
      *error = rule.origin + ": rule '" + rule.id + "': invalid pattern: " + parse_error;
      return nullptr;
    }
  }

  // The boundary rules are line rules as well, so their patterns are known to parse.
  if (ScopeMatcher* matcher = engine->boundary_rules_.get()) {
    for (RuleSubset* subset : {matcher->gated.get(), matcher->always.get()}) {
      if (subset == nullptr) continue;
      for (size_t i : subset->rule_index) subset->set.Add(all[i].pattern, nullptr);
    }
  }

  const std::pair<const char*, ScopeMatcher*> matchers[] = {
      {"the rules of scopes 'any', 'head', 'body' and 'tail'", engine->line_rules_.get()},
      {"the rules of scope 'title'", engine->title_rules_.get()},
      {"the rules that end a region", engine->boundary_rules_.get()}};
  for (const auto& [what, matcher] : matchers) {
    if (matcher == nullptr) continue;
    for (RuleSubset* subset : {matcher->gated.get(), matcher->always.get()}) {
      if (subset != nullptr && !subset->set.Compile()) {
        *error = std::string(what) + " are too large to compile together";
        return nullptr;
      }
    }
  }
  return engine;
}

const RE2& RuleEngine::RegexAt(size_t index) const {
  std::call_once(regex_made_[index], [this, index] {
    regexes_[index] = std::make_unique<RE2>(rules_[index].pattern, PatternOptions());
  });
  return *regexes_[index];
}

const Rule* RuleEngine::Match(std::string_view key, RuleScope scope) const {
  if (scope == RuleScope::kAny) {
    // Not a place a line can be: try every rule except title ones, one by one.
    for (size_t i = 0; i < rules_.size(); ++i) {
      if (rules_[i].enabled && rules_[i].scope != RuleScope::kTitle &&
          RE2::PartialMatch(key, RegexAt(i))) {
        return &rules_[i];
      }
    }
    return nullptr;
  }
  return MatchIn(scope == RuleScope::kTitle ? title_rules_.get() : line_rules_.get(), key,
                 scope);
}

const Rule* RuleEngine::MatchBoundary(std::string_view key, RuleScope scope) const {
  if (scope == RuleScope::kTitle || scope == RuleScope::kAny) return nullptr;
  return MatchIn(boundary_rules_.get(), key, scope);
}

bool RuleEngine::BoundaryMayMatch(std::string_view key_start, std::string_view line,
                                  const std::bitset<128>& folded, RuleScope scope) const {
  // What MatchIn asks of the view, asked of what is known of it.
  if (scope == RuleScope::kTitle || scope == RuleScope::kAny) return false;
  const ScopeMatcher* matcher = boundary_rules_.get();
  if (matcher == nullptr) return false;
  if (key_start.empty()) return true;
  const RuleSubset* always = matcher->always.get();
  // StartCharacters look at the first character alone.
  if (always != nullptr && always->starts[static_cast<size_t>(scope)].MayStart(key_start)) {
    return true;
  }
  if (matcher->gated == nullptr) return false;
  // An atom found in the view but not in the line would have a byte from a folded character
  // or the space of a collapsed run: every other stretch of the view is one of the line.
  static const std::bitset<128> kWhitespace = [] {
    std::bitset<128> whitespace;
    for (char space : {' ', '\t', '\n', '\v', '\f', '\r'}) {
      whitespace.set(static_cast<size_t>(space));
    }
    return whitespace;
  }();
  return matcher->atoms.AnyAtomHoldsAsciiOf(folded | kWhitespace) ||
         matcher->atoms.ContainsAny(line);
}

const Rule* RuleEngine::MatchIn(const ScopeMatcher* matcher, std::string_view key,
                                RuleScope scope) const {
  if (matcher == nullptr) return nullptr;

  size_t first = rules_.size();
  const RuleSubset* always = matcher->always.get();
  if (always != nullptr && always->starts[static_cast<size_t>(scope)].MayStart(key)) {
    first = FirstMatch(*always, key, scope);
  }
  // A gated rule can match only where one of its atoms occurs, and wins only when it comes
  // before the other rule that matched.
  const RuleSubset* gated = matcher->gated.get();
  if (gated != nullptr && gated->rule_index.front() < first && matcher->atoms.ContainsAny(key)) {
    first = std::min(first, FirstMatch(*gated, key, scope));
  }
  return first < rules_.size() ? &rules_[first] : nullptr;
}

size_t RuleEngine::FirstMatch(const RuleSubset& subset, std::string_view key,
                              RuleScope scope) const {
  // Most lines match nothing: first ask only whether one does, which RE2::Set answers without
  // allocating a set of matches and stops at the first; then ask which.
  RE2::Set::ErrorInfo info{RE2::Set::kNoError};
  thread_local std::vector<int> hits;
  if (!subset.set.Match(key, nullptr, &info) || !subset.set.Match(key, &hits, &info)) {
    if (info.kind == RE2::Set::kNoError) return rules_.size();
    // The set's DFA gave up on this line (out of memory): the same answer, rule by rule.
    for (size_t index : subset.rule_index) {
      if (AppliesIn(rules_[index].scope, scope) && RE2::PartialMatch(key, RegexAt(index))) {
        return index;
      }
    }
    return rules_.size();
  }
  // Patterns were added in rule order, so the lowest pattern index is the first rule.
  size_t first = rules_.size();
  for (int hit : hits) {
    const size_t index = subset.rule_index[static_cast<size_t>(hit)];
    if (index < first && AppliesIn(rules_[index].scope, scope)) first = index;
  }
  return first;
}

namespace {

// The index of `rule` in `rules` when it is one of them (by address), else rules.size().
size_t IndexIn(const std::vector<Rule>& rules, const Rule& rule) {
  std::less<const Rule*> before;
  if (rules.empty() || before(&rule, rules.data()) || !before(&rule, rules.data() + rules.size())) {
    return rules.size();
  }
  return static_cast<size_t>(&rule - rules.data());
}

}  // namespace

bool RuleEngine::StripMatch(const Rule& rule, std::string* text) const {
  const size_t index = IndexIn(rules_, rule);
  return index < rules_.size() && RE2::Replace(text, RegexAt(index), "");
}

bool RuleEngine::RuleMatches(const Rule& rule, std::string_view key) const {
  const size_t index = IndexIn(rules_, rule);
  return index < rules_.size() && RE2::PartialMatch(key, RegexAt(index));
}

}  // namespace winnow

// Stage 3 of the pipeline: classifies lines against the rules. The rules of a scope are
// compiled into two RE2::Sets before any input is read, so matching costs the same however
// many rules there are: one of the rules a DFA would read whole lines for (unanchored, or
// `^.*X`) that have literal atoms (see literal_prefilter.h), matched only on lines holding
// one of them, and one of the rest, always matched. A set whose patterns all start with `^`
// is anchored, so its DFA stops as soon as no pattern can go on; and it is not run at all on
// a line whose first character none of its patterns can start with (StartCharacters).
#ifndef WINNOW_RULE_ENGINE_H_
#define WINNOW_RULE_ENGINE_H_

#include <bitset>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/rule.h"

namespace re2 {
class RE2;
class Set;
}  // namespace re2

namespace winnow {

class RuleEngine {
 public:
  ~RuleEngine();
  RuleEngine(const RuleEngine&) = delete;
  RuleEngine& operator=(const RuleEngine&) = delete;

  /// Reads every pattern of `rules`, enabled or not, so a bad pattern or a repeated id is
  /// reported even in a rule that is off; only enabled rules are compiled and matched. Returns null and sets `*error`
  /// ("origin: rule 'id': re2 message") when a pattern does not compile or two rules share
  /// an id.
  static std::unique_ptr<RuleEngine> Compile(std::vector<Rule> rules, std::string* error);

  /// The first enabled rule, in rule order, that applies in `scope` and whose pattern matches the
  /// match view `key`; null when none does. A kAny rule applies in head, body and tail;
  /// kTitle rules are matched only when `scope` is kTitle. Thread-safe.
  const Rule* Match(std::string_view key, RuleScope scope) const;

  /// Match among the rules that end a region only (kStartPage, kStartTail, kEndBody), for a
  /// line whose place is already known but for those: the splitter asks it of a related
  /// entry's cut teaser, which is dropped whole (see Splitter::AddLine). Null for kTitle and
  /// kAny. Thread-safe.
  const Rule* MatchBoundary(std::string_view key, RuleScope scope) const;

  /// False only when MatchBoundary(key, scope) is null for every match view `key` made of
  /// `line`'s characters' images (see TextNormalizer::KeyIsCharacterwise): the view
  /// starts with `key_start`, and holds the bytes of `line` but where the characters
  /// imaged as the ASCII bytes `folded` stand and where whitespace is collapsed. Lets a
  /// caller skip making the view. True when unsure; `key_start` empty is unsure too.
  /// Thread-safe.
  bool BoundaryMayMatch(std::string_view key_start, std::string_view line,
                        const std::bitset<128>& folded, RuleScope scope) const;

  /// For kStripMatch rules: removes the first match of `rule`'s pattern from `text`.
  /// Returns false when it does not match `text` (which is then unchanged).
  bool StripMatch(const Rule& rule, std::string* text) const;

  /// True when `rule`'s own pattern matches `key`, enabled or not (used to check rule
  /// examples).
  bool RuleMatches(const Rule& rule, std::string_view key) const;

  const std::vector<Rule>& rules() const { return rules_; }
  /// Index of `rule` in rules(); rules are owned by the engine.
  size_t IndexOf(const Rule* rule) const { return static_cast<size_t>(rule - rules_.data()); }

 private:
  RuleEngine() = default;
  struct RuleSubset;
  struct ScopeMatcher;

  // The lowest index in rules_ of a rule of `subset` that applies in `scope` and matches
  // `key`; rules_.size() when none.
  size_t FirstMatch(const RuleSubset& subset, std::string_view key, RuleScope scope) const;
  // Match with `matcher`'s rules (null: none) in a line scope.
  const Rule* MatchIn(const ScopeMatcher* matcher, std::string_view key, RuleScope scope) const;
  // The rule's own regex, compiled on first use: only title rules (StripMatch), rule
  // examples and the DFA's out-of-memory fallback need one, and compiling them all would
  // double the start-up time.
  const re2::RE2& RegexAt(size_t index) const;

  std::vector<Rule> rules_;
  mutable std::vector<std::unique_ptr<re2::RE2>> regexes_;  // one per rule, same order
  std::unique_ptr<std::once_flag[]> regex_made_;           // one per rule, same order
  // The rules of head, body and tail share one matcher (a rule of scope `any` is compiled
  // once, not three times); a hit counts only when its rule applies in the line's scope.
  // Title rules have their own.
  std::unique_ptr<ScopeMatcher> line_rules_;
  std::unique_ptr<ScopeMatcher> title_rules_;
  // The line rules that end a region again, for MatchBoundary: a few small sets.
  std::unique_ptr<ScopeMatcher> boundary_rules_;
};

}  // namespace winnow

#endif  // WINNOW_RULE_ENGINE_H_

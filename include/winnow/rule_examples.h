// Rule examples as tests: every rule may carry lines it must match and lines it must keep.
// `winnow rules --test` and the built-in rules' unit test both run them through here.
#ifndef WINNOW_RULE_EXAMPLES_H_
#define WINNOW_RULE_EXAMPLES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "winnow/rule_engine.h"
#include "winnow/text_normalize.h"

namespace winnow {

/// One example that does not do what its rule says.
struct ExampleFailure {
  const Rule* rule = nullptr;  ///< owned by the engine
  std::string example;         ///< the raw example line
  /// "match example '…' does not match (match view '…')",
  /// "match example '…' is taken in body by 'x.y' (drop-block)",
  /// "keep example '…' matches".
  std::string message;
};

struct ExampleReport {
  uint64_t rules = 0;     ///< rules checked (every rule of the engine)
  uint64_t examples = 0;  ///< examples run
  std::vector<ExampleFailure> failures;
};

/// Runs the examples of every rule of `engine`, enabled or not. A match example must match
/// its rule's pattern and, when the rule is enabled, the first enabled rule that takes it in
/// each scope the rule applies in (head, body and tail for `any`) must have the same action:
/// an earlier rule must not shadow it with another effect. A keep example must not match
/// the rule's pattern. Examples are raw lines; they go through the match view first.
ExampleReport CheckRuleExamples(const RuleEngine& engine, TextNormalizer* normalizer);

/// "origin: rule 'id': message", the form `winnow rules --test` prints.
std::string FormatExampleFailure(const ExampleFailure& failure);

}  // namespace winnow

#endif  // WINNOW_RULE_EXAMPLES_H_

// The rule options every subcommand that runs the rule engine shares: --rules, --enable,
// --disable, --no-builtin-rules.
#ifndef WINNOW_CLI_RULE_OPTIONS_H_
#define WINNOW_CLI_RULE_OPTIONS_H_

#include <memory>
#include <vector>

#include "cli/stderr_reporter.h"
#include "winnow/rule.h"
#include "winnow/rule_engine.h"
#include "winnow/rule_set.h"

namespace CLI {
class App;
}  // namespace CLI

namespace winnow {
namespace cli {

/// Adds the rule options to `command`, filling `*selection`.
void AddRuleOptions(CLI::App* command, RuleSelection* selection);

/// Loads, validates and compiles the selected rules before any input is read. On error,
/// reports it and returns null (the caller exits 2). `*all`, when not null, receives every
/// rule with its enabled state (for listings).
std::unique_ptr<RuleEngine> BuildRuleEngine(const RuleSelection& selection,
                                            StderrReporter* reporter,
                                            std::vector<Rule>* all = nullptr);

}  // namespace cli
}  // namespace winnow

#endif  // WINNOW_CLI_RULE_OPTIONS_H_

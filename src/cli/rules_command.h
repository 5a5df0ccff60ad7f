// `winnow rules`: lists every rule a run would use, or runs the rules' examples as tests.
#ifndef WINNOW_CLI_RULES_COMMAND_H_
#define WINNOW_CLI_RULES_COMMAND_H_

#include <string>
#include <vector>

#include "winnow/rule_set.h"

namespace CLI {
class App;
}  // namespace CLI

namespace winnow {
namespace cli {

struct RulesCommandOptions {
  bool json = false;
  bool test = false;
  std::vector<std::string> files;  ///< rule files added after --rules ones
  RuleSelection rules;
};

/// Adds the `rules` subcommand and its options to `app`.
CLI::App* AddRulesCommand(CLI::App* app, RulesCommandOptions* options);

/// Runs `rules`. Returns the process exit status: 0, 1 when an example fails, 2 when the
/// rules do not load.
int RunRulesCommand(const RulesCommandOptions& options);

}  // namespace cli
}  // namespace winnow

#endif  // WINNOW_CLI_RULES_COMMAND_H_

// `winnow explain`: every input line with its fate: kept as the title, body or teaser of an
// emitted record, or dropped, by which rule or for which record-level reason.
#ifndef WINNOW_CLI_EXPLAIN_COMMAND_H_
#define WINNOW_CLI_EXPLAIN_COMMAND_H_

#include <string>
#include <vector>

#include "winnow/rule_set.h"

namespace CLI {
class App;
}  // namespace CLI

namespace winnow {
namespace cli {

struct ExplainCommandOptions {
  std::vector<std::string> inputs;
  std::string format = "text";
  std::string color = "auto";
  bool keep_teasers = false;
  bool keep_duplicates = false;
  RuleSelection rules;
};

/// Adds the `explain` subcommand and its options to `app`.
CLI::App* AddExplainCommand(CLI::App* app, ExplainCommandOptions* options);

/// Runs `explain`. Returns the process exit status.
int RunExplainCommand(const ExplainCommandOptions& options);

}  // namespace cli
}  // namespace winnow

#endif  // WINNOW_CLI_EXPLAIN_COMMAND_H_

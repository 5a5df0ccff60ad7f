// `winnow check`: the linter for CI. Reads a corpus (JSONL, JSON, Markdown or raw pages),
// reports what a clean corpus must not hold, and exits 0, 1 or 2 by the documented contract.
#ifndef WINNOW_CLI_CHECK_COMMAND_H_
#define WINNOW_CLI_CHECK_COMMAND_H_

#include <cstdint>
#include <string>
#include <vector>

#include "winnow/rule_set.h"

namespace CLI {
class App;
}  // namespace CLI

namespace winnow {
namespace cli {

struct CheckCommandOptions {
  std::vector<std::string> inputs;
  std::string format = "text";
  std::string output;
  std::string input_format = "auto";
  std::string field = "text";
  std::string title_field = "title";
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  uint64_t max_findings = 0;
  bool strict = false;
  bool exit_zero = false;
  bool quiet = false;
  bool list_rules = false;
  size_t max_line_bytes = 1024 * 1024;
  RuleSelection rules;
};

/// Adds the `check` subcommand and its options to `app`.
CLI::App* AddCheckCommand(CLI::App* app, CheckCommandOptions* options);

/// Runs `check`. Returns the process exit status.
int RunCheckCommand(const CheckCommandOptions& options);

}  // namespace cli
}  // namespace winnow

#endif  // WINNOW_CLI_CHECK_COMMAND_H_

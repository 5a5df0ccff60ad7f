// `winnow repair`: the repair stage alone, as a plain-text line filter (like ftfy's command
// line): no splitting, no rules, every line written back repaired.
#ifndef WINNOW_CLI_REPAIR_COMMAND_H_
#define WINNOW_CLI_REPAIR_COMMAND_H_

#include <cstddef>
#include <string>
#include <vector>

#include "cli/repair_flags.h"

namespace CLI {
class App;
}  // namespace CLI

namespace winnow {
namespace cli {

struct RepairCommandOptions {
  std::vector<std::string> inputs;
  std::string output;
  RepairFlags repair;
  bool quiet = false;
  size_t max_line_bytes = 1024 * 1024;
};

/// Adds the `repair` subcommand and its options to `app`.
CLI::App* AddRepairCommand(CLI::App* app, RepairCommandOptions* options);

/// Runs `repair`. Returns the process exit status.
int RunRepairCommand(const RepairCommandOptions& options);

}  // namespace cli
}  // namespace winnow

#endif  // WINNOW_CLI_REPAIR_COMMAND_H_

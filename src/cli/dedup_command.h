// `winnow dedup`: merges the JSONL outputs of `winnow clean --shard K/N` jobs into what one
// run would have written: records in walk order, each repeat of an earlier record dropped.
#ifndef WINNOW_CLI_DEDUP_COMMAND_H_
#define WINNOW_CLI_DEDUP_COMMAND_H_

#include <string>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace winnow {
namespace cli {

struct DedupCommandOptions {
  std::vector<std::string> inputs;
  std::string output;
  bool quiet = false;
};

/// Adds the `dedup` subcommand and its options to `app`.
CLI::App* AddDedupCommand(CLI::App* app, DedupCommandOptions* options);

/// Runs `dedup`. Returns the process exit status.
int RunDedupCommand(const DedupCommandOptions& options);

}  // namespace cli
}  // namespace winnow

#endif  // WINNOW_CLI_DEDUP_COMMAND_H_

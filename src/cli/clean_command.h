// `winnow clean`: the whole pipeline from inputs to one output.
#ifndef WINNOW_CLI_CLEAN_COMMAND_H_
#define WINNOW_CLI_CLEAN_COMMAND_H_

#include <string>
#include <vector>

#include "cli/repair_flags.h"

#include "winnow/rule_set.h"

namespace CLI {
class App;
}  // namespace CLI

namespace winnow {
namespace cli {

struct CleanCommandOptions {
  std::vector<std::string> inputs;
  std::string format = "jsonl";
  std::string output;
  std::string rejects;  ///< --rejects FILE: the removal audit as JSONL
  RepairFlags repair;
  bool keep_teasers = false;
  bool keep_duplicates = false;
  bool quiet = false;
  size_t max_line_bytes = 1024 * 1024;
  size_t max_record_bytes = 16 * 1024 * 1024;
  bool recursive = false;
  std::string files_from;  ///< a list of inputs, one a line ("-" is standard input)
  bool nul_separated = false;
  std::string encoding;    ///< empty: detect
  std::string binary = "skip";
  unsigned threads = 0;    ///< 0: one per core
  std::string shard;       ///< "K/N"; empty: every input
  std::string stats;       ///< --stats FILE
  RuleSelection rules;
};

/// Adds the `clean` subcommand and its options to `app`.
CLI::App* AddCleanCommand(CLI::App* app, CleanCommandOptions* options);

/// Runs `clean`. Returns the process exit status.
int RunCleanCommand(const CleanCommandOptions& options);

}  // namespace cli
}  // namespace winnow

#endif  // WINNOW_CLI_CLEAN_COMMAND_H_

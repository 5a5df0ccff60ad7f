// The exit statuses winnow documents in --help and the README.
#ifndef WINNOW_CLI_EXIT_CODES_H_
#define WINNOW_CLI_EXIT_CODES_H_

namespace winnow {
namespace cli {

enum ExitCode : int {
  kExitOk = 0,        ///< the run did what was asked (a closed output pipe included)
  kExitFindings = 1,  ///< `check` found errors, or `rules --test` a failing example
  kExitError = 2,     ///< usage, configuration or I/O error; other inputs were still processed
  kExitInterrupted = 130,
};

/// The EXIT STATUS paragraph for --help.
const char* ExitStatusHelp();

}  // namespace cli
}  // namespace winnow

#endif  // WINNOW_CLI_EXIT_CODES_H_

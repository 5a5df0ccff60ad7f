#include "cli/exit_codes.h"

namespace winnow {
namespace cli {

const char* ExitStatusHelp() {
  return "Exit status:\n"
         "  0  success (also when the reader of the output pipe goes away)\n"
         "  1  check: findings of severity error; rules --test: a rule example failed\n"
         "  2  usage, rule or I/O error (a missing or unreadable input is reported,\n"
         "     the other inputs are still cleaned)\n"
         "  130 interrupted (SIGINT); no partial output file is left behind\n";
}

}  // namespace cli
}  // namespace winnow

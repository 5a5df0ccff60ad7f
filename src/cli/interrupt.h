// SIGINT handling: the first Ctrl-C asks the run to stop at the next line, so output files
// can be removed rather than left half-written; SIGPIPE is ignored so a closed pipe shows up
// as EPIPE on write.
#ifndef WINNOW_CLI_INTERRUPT_H_
#define WINNOW_CLI_INTERRUPT_H_

namespace winnow {
namespace cli {

void InstallInterruptHandler();
bool InterruptRequested();

}  // namespace cli
}  // namespace winnow

#endif  // WINNOW_CLI_INTERRUPT_H_

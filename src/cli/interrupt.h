// SIGINT handling: the first Ctrl-C asks the run to stop at the next line, so output files
// can be removed rather than left half-written; SIGPIPE is ignored so a closed pipe shows up
// as EPIPE on write.
#ifndef WINNOW_CLI_INTERRUPT_H_
#define WINNOW_CLI_INTERRUPT_H_

#include <string>

namespace winnow {
namespace cli {

void InstallInterruptHandler();
bool InterruptRequested();
/// Removes the temporary file `path` (an AtomicFileOutput's temp_path(); empty: nothing) as
/// soon as SIGINT arrives, so an interrupted run leaves no half-written file behind even if a
/// second Ctrl-C kills it before it stops. Up to 8 files per process; a path
/// already renamed into place by then is no longer there to remove.
void RemoveOnInterrupt(const std::string& path);

}  // namespace cli
}  // namespace winnow

#endif  // WINNOW_CLI_INTERRUPT_H_

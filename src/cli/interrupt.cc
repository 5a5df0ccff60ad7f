#include "cli/interrupt.h"

#include <csignal>

namespace winnow {
namespace cli {
namespace {

volatile std::sig_atomic_t interrupted = 0;

extern "C" void OnInterrupt(int) {
  interrupted = 1;
  // A second Ctrl-C kills the process the usual way.
  std::signal(SIGINT, SIG_DFL);
}

}  // namespace

void InstallInterruptHandler() {
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGPIPE, SIG_IGN);
}

bool InterruptRequested() { return interrupted != 0; }

}  // namespace cli
}  // namespace winnow

#include "cli/interrupt.h"

#include <unistd.h>

#include <csignal>

#include "winnow/reader.h"

namespace winnow {
namespace cli {
namespace {

volatile std::sig_atomic_t interrupted = 0;

// Temporary output files to remove at the first SIGINT. Set before the handler can run on
// them and never freed, so the handler only reads pointers that stay valid.
constexpr int kMaxTemporaryFiles = 8;
const char* volatile temporary_files[kMaxTemporaryFiles] = {};

extern "C" void OnInterrupt(int) {
  interrupted = 1;
  // Removed now, not when the run notices the flag at its next line.
  for (int i = 0; i < kMaxTemporaryFiles; ++i) {
    if (temporary_files[i] != nullptr) ::unlink(temporary_files[i]);
  }
  // A run waiting on a pipe or terminal then sees its input end and stops there.
  EndWaitingReads();
  // A second Ctrl-C kills the process the usual way.
  std::signal(SIGINT, SIG_DFL);
}

}  // namespace

void InstallInterruptHandler() {
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGPIPE, SIG_IGN);
}

bool InterruptRequested() { return interrupted != 0; }

void RemoveOnInterrupt(const std::string& path) {
  if (path.empty()) return;
  for (int i = 0; i < kMaxTemporaryFiles; ++i) {
    if (temporary_files[i] == nullptr) {
      // A copy that outlives the output object: the handler may run at any time.
      char* copy = new char[path.size() + 1];
      path.copy(copy, path.size());
      copy[path.size()] = '\0';
      temporary_files[i] = copy;
      return;
    }
  }
}

}  // namespace cli
}  // namespace winnow

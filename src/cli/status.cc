#include "cli/status.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace winnow {
namespace cli {

TerminalStatus::TerminalStatus(uint64_t total_bytes)
    : total_bytes_(total_bytes), start_(std::chrono::steady_clock::now()), last_(start_) {}

TerminalStatus::~TerminalStatus() { Clear(); }

std::string TerminalStatus::FormatLine(const RunProgress& progress, uint64_t total_bytes,
                                       double seconds) {
  const double mb = static_cast<double>(progress.input_bytes) / 1e6;
  const double rate = seconds > 0 ? mb / seconds : 0;
  char line[160];
  int n = std::snprintf(line, sizeof line, "winnow: %llu/%llu files, %.1f MB, %.1f MB/s",
                        static_cast<unsigned long long>(progress.files_done),
                        static_cast<unsigned long long>(progress.files_total), mb, rate);
  if (total_bytes > 0 && rate > 0 && progress.input_bytes <= total_bytes && n > 0 &&
      static_cast<size_t>(n) < sizeof line) {
    const double left = static_cast<double>(total_bytes - progress.input_bytes) / 1e6 / rate;
    const auto whole = static_cast<unsigned long long>(left + 0.5);
    std::snprintf(line + n, sizeof line - static_cast<size_t>(n), ", ETA %llu:%02llu",
                  whole / 60, whole % 60);
  }
  return line;
}

void TerminalStatus::Update(const RunProgress& progress) {
  const auto now = std::chrono::steady_clock::now();
  if (shown_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const std::string line = FormatLine(progress, total_bytes_, seconds);
  // '\r' and "erase to end of line": the new text replaces the old in place.
  std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void TerminalStatus::Clear() {
  if (!shown_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

std::unique_ptr<Status> MakeStatus(bool quiet, uint64_t total_bytes) {
  const char* term = std::getenv("TERM");
  if (quiet || ::isatty(STDERR_FILENO) == 0 || (term != nullptr && std::string(term) == "dumb")) {
    return std::make_unique<NullStatus>();
  }
  return std::make_unique<TerminalStatus>(total_bytes);
}

}  // namespace cli
}  // namespace winnow

// Where a subcommand writes its result: standard output, or `-o FILE` written under a
// temporary name that SIGINT removes and that is renamed into place only when the run ends
// well. One place for what every subcommand with an output needs.
#ifndef WINNOW_CLI_COMMAND_OUTPUT_H_
#define WINNOW_CLI_COMMAND_OUTPUT_H_

#include <memory>
#include <string>

#include "cli/stderr_reporter.h"
#include "winnow/output_file.h"

namespace winnow {
namespace cli {

class CommandOutput {
 public:
  /// Opens `path` ("" or "-": standard output). When the file cannot be created, reports
  /// "PATH: error: cannot create WHAT: cause" and returns null (the caller exits 2).
  static std::unique_ptr<CommandOutput> Open(const std::string& path, const char* what,
                                             StderrReporter* reporter);

  OutputStream* stream() { return stream_; }
  /// For an interrupted run: the temporary file goes, the target stays as it was.
  void Abort();
  /// Flushes, and renames a file into place. Returns false after reporting why; a closed
  /// standard output (the reader of the pipe went away) is no failure.
  bool Finish(StderrReporter* reporter);

 private:
  CommandOutput() = default;

  std::string path_;
  std::unique_ptr<AtomicFileOutput> file_;
  std::unique_ptr<FdOutput> stdout_;
  OutputStream* stream_ = nullptr;
};

}  // namespace cli
}  // namespace winnow

#endif  // WINNOW_CLI_COMMAND_OUTPUT_H_

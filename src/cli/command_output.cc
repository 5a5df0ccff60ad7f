#include "cli/command_output.h"

#include <unistd.h>

#include "cli/interrupt.h"

namespace winnow {
namespace cli {

std::unique_ptr<CommandOutput> CommandOutput::Open(const std::string& path, const char* what,
                                                   StderrReporter* reporter) {
  std::unique_ptr<CommandOutput> output(new CommandOutput);
  if (path.empty() || path == "-") {
    output->stdout_ = std::make_unique<FdOutput>(STDOUT_FILENO);
    output->stream_ = output->stdout_.get();
    return output;
  }
  std::string error;
  output->file_ = AtomicFileOutput::Create(path, &error);
  if (output->file_ == nullptr) {
    reporter->Report(Diagnostic{Severity::kError, path, 0, 0, false,
                                std::string("cannot create ") + what + ": " + error});
    return nullptr;
  }
  RemoveOnInterrupt(output->file_->temp_path());
  output->path_ = path;
  output->stream_ = output->file_.get();
  return output;
}

void CommandOutput::Abort() {
  if (file_ != nullptr) file_->Abort();
}

bool CommandOutput::Finish(StderrReporter* reporter) {
  if (file_ != nullptr) {
    std::string error;
    if (file_->Commit(&error)) return true;
    reporter->Report(Diagnostic{Severity::kError, path_, 0, 0, false, error});
    return false;
  }
  if (stdout_->Flush() || stdout_->closed()) return true;
  reporter->Report(
      Diagnostic{Severity::kError, "standard output", 0, 0, false, stdout_->error()});
  return false;
}

}  // namespace cli
}  // namespace winnow

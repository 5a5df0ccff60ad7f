// Stage 6, one file per article: `-o DIR/` writes each emitted record to
// DIR/<id>-<slug>.md (or .json), each through a temporary file renamed into place.
#ifndef WINNOW_DIRECTORY_WRITER_H_
#define WINNOW_DIRECTORY_WRITER_H_

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "winnow/record_writer.h"

namespace winnow {

/// A file-name-safe form of `title`: letters and digits of any script kept (NFC as given),
/// every run of anything else (spaces, punctuation, '/', '.', controls) one '-', no leading
/// or trailing '-', at most `max_bytes` bytes cut at a character boundary; "untitled" when
/// nothing is left. Never contains '/', "..", a control character or a leading '.'.
std::string TitleSlug(std::string_view title, size_t max_bytes = 80);

class DirectoryWriter : public RecordSink {
 public:
  /// Writes into the existing directory `dir` in `format` (kJsonl and kJson both give one
  /// JSON object per file, named .json).
  DirectoryWriter(std::string dir, OutputFormat format);

  void Accept(Record&& record) override;
  void Reject(Record&&, DropReason, const std::string&) override {}

  /// False once a file could not be written; error() names it and says why.
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  uint64_t files_written() const { return files_written_; }

 private:
  std::string dir_;
  OutputFormat format_;
  std::set<std::string> names_;  // used in this run, so two records never share a file
  uint64_t files_written_ = 0;
  std::string error_;
};

}  // namespace winnow

#endif  // WINNOW_DIRECTORY_WRITER_H_

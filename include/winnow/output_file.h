// Where writers put their bytes. A file is written under a temporary name in its directory
// and renamed over the target only when the run commits, so a failed or interrupted run never
// leaves a half-written file. Standard output notices a closed pipe and stops writing.
#ifndef WINNOW_OUTPUT_FILE_H_
#define WINNOW_OUTPUT_FILE_H_

#include <memory>
#include <string>
#include <string_view>

namespace winnow {

class OutputStream {
 public:
  virtual ~OutputStream() = default;
  /// Buffers or writes `data`. After a failure, further writes are ignored.
  virtual void Write(std::string_view data) = 0;
  /// Writes out buffered data. Returns ok().
  virtual bool Flush() = 0;
  virtual bool ok() const = 0;
  /// True when the reader of a pipe went away (EPIPE): not an error for a filter.
  virtual bool closed() const = 0;
  /// The cause of the first failure, e.g. "No space left on device".
  virtual const std::string& error() const = 0;
};

/// Writes to a file descriptor it does not own (standard output).
class FdOutput : public OutputStream {
 public:
  explicit FdOutput(int fd);
  ~FdOutput() override;
  void Write(std::string_view data) override;
  bool Flush() override;
  bool ok() const override { return error_.empty() && !closed_; }
  bool closed() const override { return closed_; }
  const std::string& error() const override { return error_; }


 private:
  bool WriteAll(const char* data, size_t size);

  int fd_;
  std::string buffer_;
  bool closed_ = false;
  std::string error_;
};

/// A file written to `path.tmp-XXXXXX` and renamed to `path` by Commit(). When `path` is an
/// existing device or FIFO it is written in place instead, with no temporary file.
class AtomicFileOutput : public FdOutput {
 public:
  /// Creates the temporary file (or opens the device). Returns null and sets `*error` when
  /// it cannot, also when `path` is a directory ("Is a directory").
  static std::unique_ptr<AtomicFileOutput> Create(const std::string& path, std::string* error);
  /// Removes the temporary file unless Commit() succeeded.
  ~AtomicFileOutput() override;

  /// Flushes, closes and renames the file into place. Returns false and sets `*error`
  /// (and removes the temporary file) when any step fails.
  bool Commit(std::string* error);
  /// Removes the temporary file; the target is left as it was.
  void Abort();
  /// Empty when `path` is written in place.
  const std::string& temp_path() const { return temp_path_; }

 private:
  AtomicFileOutput(int fd, std::string path, std::string temp_path);

  int owned_fd_;
  std::string path_;
  std::string temp_path_;
  bool done_ = false;
};

/// Collects everything in memory (tests).
class StringOutput : public OutputStream {
 public:
  void Write(std::string_view data) override { text_.append(data); }
  bool Flush() override { return true; }
  bool ok() const override { return true; }
  bool closed() const override { return false; }
  const std::string& error() const override { return error_; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::string error_;
};

}  // namespace winnow

#endif  // WINNOW_OUTPUT_FILE_H_

#include "winnow/output_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace winnow {
namespace {

constexpr size_t kBufferBytes = 1 << 16;

}  // namespace

FdOutput::FdOutput(int fd) : fd_(fd) { buffer_.reserve(kBufferBytes); }

FdOutput::~FdOutput() = default;

void FdOutput::Write(std::string_view data) {
  if (!ok()) return;
  if (buffer_.size() + data.size() > kBufferBytes) {
    if (!Flush()) return;
    if (data.size() >= kBufferBytes) {
      WriteAll(data.data(), data.size());
      return;
    }
  }
  buffer_.append(data);
}

bool FdOutput::Flush() {
  if (ok() && !buffer_.empty()) WriteAll(buffer_.data(), buffer_.size());
  buffer_.clear();
  return ok();
}

bool FdOutput::WriteAll(const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd_, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) {
        closed_ = true;
      } else {
        error_ = std::strerror(errno);
      }
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

std::unique_ptr<AtomicFileOutput> AtomicFileOutput::Create(const std::string& path,
                                                           std::string* error) {
  // A device or FIFO (`-o /dev/stdout`, `-o /dev/full`) is written in place: renaming a
  // temporary file over it would replace the device node itself.
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
    if (S_ISDIR(info.st_mode)) {
      *error = "Is a directory";
      return nullptr;
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      *error = std::strerror(errno);
      return nullptr;
    }
    return std::unique_ptr<AtomicFileOutput>(new AtomicFileOutput(fd, path, std::string()));
  }
  std::string temp = path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    *error = std::strerror(errno);
    return nullptr;
  }
  return std::unique_ptr<AtomicFileOutput>(new AtomicFileOutput(fd, path, std::move(temp)));
}

AtomicFileOutput::AtomicFileOutput(int fd, std::string path, std::string temp_path)
    : FdOutput(fd), owned_fd_(fd), path_(std::move(path)), temp_path_(std::move(temp_path)) {}

AtomicFileOutput::~AtomicFileOutput() { Abort(); }

void AtomicFileOutput::Abort() {
  if (done_) return;
  done_ = true;
  ::close(owned_fd_);
  if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
}

bool AtomicFileOutput::Commit(std::string* error) {
  if (done_) {
    *error = "output already closed";
    return false;
  }
  if (!Flush()) {
    *error = closed() ? "Broken pipe" : this->error();
    Abort();
    return false;
  }
  done_ = true;
  if (temp_path_.empty()) {  // written in place
    if (::close(owned_fd_) == 0) return true;
    *error = std::strerror(errno);
    return false;
  }
  // mkstemp creates the file 0600; give it the mode a plain create would have.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(owned_fd_, 0666 & ~mask);
  if (::close(owned_fd_) != 0) {
    *error = std::strerror(errno);
    ::unlink(temp_path_.c_str());
    return false;
  }
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    *error = std::strerror(errno);
    ::unlink(temp_path_.c_str());
    return false;
  }
  return true;
}

}  // namespace winnow

#include "winnow/compressed_source.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

namespace winnow {
namespace {

constexpr size_t kInputBytes = 64 * 1024;

class PrefixedSource : public ByteSource {
 public:
  PrefixedSource(std::string prefix, std::unique_ptr<ByteSource> rest)
      : prefix_(std::move(prefix)), rest_(std::move(rest)) {}

  long Read(char* buffer, size_t size) override {
    if (pos_ < prefix_.size()) {
      const size_t n = std::min(size, prefix_.size() - pos_);
      std::memcpy(buffer, prefix_.data() + pos_, n);
      pos_ += n;
      if (pos_ == prefix_.size()) {
        prefix_.clear();
        prefix_.shrink_to_fit();
        pos_ = 0;
      }
      return static_cast<long>(n);
    }
    return rest_ == nullptr ? 0 : rest_->Read(buffer, size);
  }
  std::string error() const override { return rest_ == nullptr ? "" : rest_->error(); }

 private:
  std::string prefix_;
  size_t pos_ = 0;
  std::unique_ptr<ByteSource> rest_;
};

// Shared by both decoders: pulls compressed bytes from the inner source on demand.
class CompressedInput {
 public:
  explicit CompressedInput(std::unique_ptr<ByteSource> source)
      : source_(std::move(source)), buffer_(kInputBytes) {}

  /// Refills when everything was consumed. Returns false on a read error.
  bool Refill(std::string* error) {
    if (pos_ < size_ || eof_) return true;
    const long n = source_->Read(buffer_.data(), buffer_.size());
    if (n < 0) {
      *error = source_->error();
      return false;
    }
    pos_ = 0;
    size_ = static_cast<size_t>(n);
    if (n == 0) eof_ = true;
    return true;
  }
  const char* data() const { return buffer_.data() + pos_; }
  size_t available() const { return size_ - pos_; }
  void Consume(size_t n) { pos_ += n; }
  bool eof() const { return eof_ && pos_ == size_; }

 private:
  std::unique_ptr<ByteSource> source_;
  std::vector<char> buffer_;
  size_t pos_ = 0;
  size_t size_ = 0;
  bool eof_ = false;
};

class GzipSource : public ByteSource {
 public:
  explicit GzipSource(std::unique_ptr<ByteSource> source) : input_(std::move(source)) {
    std::memset(&stream_, 0, sizeof stream_);
    // 16 + MAX_WBITS: a gzip header and trailer, not a raw zlib stream.
    if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) error_ = "cannot start zlib";
  }
  ~GzipSource() override { inflateEnd(&stream_); }

  long Read(char* buffer, size_t size) override {
    if (!error_.empty()) return -1;
    size = std::min<size_t>(size, 1u << 30);
    while (true) {
      if (!input_.Refill(&error_)) return -1;
      if (input_.eof()) {
        if (in_member_) {
          error_ = "truncated gzip stream (the input ends inside compressed data)";
          return -1;
        }
        return 0;
      }
      if (!in_member_) {
        // Another member follows the previous one (as `cat a.gz b.gz` makes).
        if (inflateReset(&stream_) != Z_OK) {
          error_ = "cannot restart zlib";
          return -1;
        }
        in_member_ = true;
      }
      stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input_.data()));
      stream_.avail_in = static_cast<uInt>(input_.available());
      stream_.next_out = reinterpret_cast<Bytef*>(buffer);
      stream_.avail_out = static_cast<uInt>(size);
      const int status = inflate(&stream_, Z_NO_FLUSH);
      input_.Consume(input_.available() - stream_.avail_in);
      const size_t produced = size - stream_.avail_out;
      if (status == Z_STREAM_END) {
        in_member_ = false;
      } else if (status != Z_OK && status != Z_BUF_ERROR) {
        error_ = std::string("corrupt gzip stream: ") +
                 (stream_.msg != nullptr ? stream_.msg : "inflate failed");
        return -1;
      }
      if (produced > 0) return static_cast<long>(produced);
    }
  }
  std::string error() const override { return error_; }

 private:
  CompressedInput input_;
  z_stream stream_;
  bool in_member_ = true;
  std::string error_;
};

class ZstdSource : public ByteSource {
 public:
  explicit ZstdSource(std::unique_ptr<ByteSource> source)
      : input_(std::move(source)), stream_(ZSTD_createDStream()) {
    if (stream_ == nullptr) error_ = "cannot start zstd";
  }
  ~ZstdSource() override { ZSTD_freeDStream(stream_); }

  long Read(char* buffer, size_t size) override {
    if (!error_.empty()) return -1;
    while (true) {
      if (!input_.Refill(&error_)) return -1;
      if (input_.eof()) {
        if (pending_ != 0) {
          error_ = "truncated zstd stream (the input ends inside a frame)";
          return -1;
        }
        return 0;
      }
      ZSTD_inBuffer in{input_.data(), input_.available(), 0};
      ZSTD_outBuffer out{buffer, size, 0};
      const size_t status = ZSTD_decompressStream(stream_, &out, &in);
      input_.Consume(in.pos);
      if (ZSTD_isError(status)) {
        error_ = std::string("corrupt zstd stream: ") + ZSTD_getErrorName(status);
        return -1;
      }
      pending_ = status;  // 0 exactly when a frame just ended
      if (out.pos > 0) return static_cast<long>(out.pos);
    }
  }
  std::string error() const override { return error_; }

 private:
  CompressedInput input_;
  ZSTD_DStream* stream_;
  size_t pending_ = 1;
  std::string error_;
};

}  // namespace

const char* CompressionName(Compression compression) {
  switch (compression) {
    case Compression::kNone: return "none";
    case Compression::kGzip: return "gzip";
    case Compression::kZstd: return "zstd";
  }
  return "none";
}

std::unique_ptr<ByteSource> MakePrefixedSource(std::string prefix,
                                               std::unique_ptr<ByteSource> rest) {
  return std::make_unique<PrefixedSource>(std::move(prefix), std::move(rest));
}

bool ReadPrefix(ByteSource* source, size_t size, std::string* out, std::string* error) {
  out->resize(size);
  size_t have = 0;
  while (have < size) {
    const long n = source->Read(&(*out)[have], size - have);
    if (n < 0) {
      *error = source->error();
      if (error->empty()) *error = "read error";
      out->resize(have);
      return false;
    }
    if (n == 0) break;
    have += static_cast<size_t>(n);
  }
  out->resize(have);
  return true;
}

std::unique_ptr<ByteSource> OpenDecompressingSource(std::unique_ptr<ByteSource> source,
                                                    Compression* found, std::string* error) {
  std::string magic;
  if (!ReadPrefix(source.get(), 4, &magic, error)) return nullptr;
  Compression compression = Compression::kNone;
  if (magic.size() >= 2 && magic.compare(0, 2, "\x1f\x8b") == 0) {
    compression = Compression::kGzip;
  } else if (magic.size() >= 4 && magic == std::string("\x28\xb5\x2f\xfd", 4)) {
    compression = Compression::kZstd;
  }
  if (found != nullptr) *found = compression;
  std::unique_ptr<ByteSource> replay = MakePrefixedSource(std::move(magic), std::move(source));
  switch (compression) {
    case Compression::kGzip: return std::make_unique<GzipSource>(std::move(replay));
    case Compression::kZstd: return std::make_unique<ZstdSource>(std::move(replay));
    case Compression::kNone: break;
  }
  return replay;
}

}  // namespace winnow

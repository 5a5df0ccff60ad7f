// Stage 1 of the pipeline: bytes in, UTF-8 lines out.
// A LineReader pulls fixed-size chunks from a ByteSource, so memory is bounded by the longest
// line (capped), never by the input. It strips a leading UTF-8 BOM, turns CRLF and lone CR
// into line breaks, and replaces invalid UTF-8 with U+FFFD, counting every replacement.
#ifndef WINNOW_READER_H_
#define WINNOW_READER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace winnow {

/// Where the reader's bytes come from: a file, standard input, or a string in tests.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Reads up to `size` bytes into `buffer`. Returns the number read, 0 at the end of the
  /// input, or -1 on a read error (then error() says why).
  virtual long Read(char* buffer, size_t size) = 0;
  /// The cause of the last failed Read, e.g. "Is a directory".
  virtual std::string error() const = 0;
};

/// Opens `path` for reading. Returns null and sets `*error` (strerror text) when it cannot.
std::unique_ptr<ByteSource> OpenFileSource(const std::string& path, std::string* error);
/// Standard input (not closed by the source).
std::unique_ptr<ByteSource> OpenStdinSource();
/// An in-memory source; `max_read` limits each Read so tests can force chunk boundaries.
std::unique_ptr<ByteSource> MakeStringSource(std::string data, size_t max_read = SIZE_MAX);

struct ReaderOptions {
  size_t chunk_bytes = 64 * 1024;
  /// A line longer than this is cut into pieces of at most this many bytes (at a UTF-8
  /// boundary); each cut is counted in ReaderStats::lines_cut.
  size_t max_line_bytes = 16 * 1024 * 1024;
};

struct ReaderStats {
  uint64_t bytes = 0;          ///< raw bytes read
  uint64_t lines = 0;          ///< lines returned
  uint64_t invalid_bytes = 0;  ///< invalid UTF-8 sequences replaced by U+FFFD
  bool has_invalid = false;
  uint64_t first_invalid_offset = 0;  ///< raw byte offset of the first invalid sequence
  uint64_t first_invalid_line = 0;    ///< its 1-based line
  bool had_bom = false;
  uint64_t lines_cut = 0;  ///< times a line was cut at max_line_bytes
};

class LineReader {
 public:
  /// `source` must outlive the reader.
  explicit LineReader(ByteSource* source, ReaderOptions options = ReaderOptions());

  /// Fetches the next line, without its terminator, as valid UTF-8. Returns false at the end
  /// of the input or on a read error (check ok()). `*line` stays valid until the next call.
  /// A final line without a terminator is still returned; an empty input gives no lines.
  bool Next(std::string_view* line, uint64_t* line_number);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const ReaderStats& stats() const { return stats_; }

 private:
  bool Fill();
  void FinishLine(size_t raw_end);

  ByteSource* source_;
  ReaderOptions options_;
  std::string chunk_;        // raw bytes not yet consumed: chunk_[pos_, end_)
  size_t pos_ = 0;
  size_t end_ = 0;
  uint64_t chunk_offset_ = 0;  // raw offset of chunk_[0]
  std::string raw_line_;       // raw bytes of the line being assembled
  uint64_t raw_line_offset_ = 0;
  std::string line_;           // the returned, validated line
  uint64_t line_number_ = 0;
  bool at_start_ = true;
  bool pending_cr_ = false;
  bool eof_ = false;
  std::string error_;
  ReaderStats stats_;
};

/// Appends `in` to `out` with every invalid UTF-8 sequence replaced by U+FFFD (one per
/// maximal invalid subpart, as the WHATWG decoder does). Returns the number of replacements
/// and sets `*first_bad` to the offset of the first one, when there is one.
size_t AppendValidUtf8(std::string_view in, std::string* out, size_t* first_bad);

}  // namespace winnow

#endif  // WINNOW_READER_H_

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
#include <vector>

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
  /// A source that holds its next bytes in memory lends them instead of copying: sets
  /// `*data` to them and returns how many there are; they stay valid until the next call to
  /// Lend or Read, and Read goes on after them. Returns 0 when it has none to lend (the
  /// default), which says nothing about the end of the input: Read tells that.
  virtual size_t Lend(const char** data) {
    (void)data;
    return 0;
  }
};

/// Opens `path` for reading. Returns null and sets `*error` (strerror text) when it cannot.
std::unique_ptr<ByteSource> OpenFileSource(const std::string& path, std::string* error);
/// Standard input (not closed by the source).
std::unique_ptr<ByteSource> OpenStdinSource();

/// A regular file that several threads read parts of at once, each at its own offsets
/// (pread), so that the parts of a large input are read on the cores that clean them.
class SharedFile {
 public:
  /// Opens `path` when it names a regular file. Returns null for any other kind of file and
  /// for one that cannot be opened: OpenFileSource then reads it or tells why it cannot.
  static std::shared_ptr<const SharedFile> Open(const std::string& path);
  ~SharedFile();
  SharedFile(const SharedFile&) = delete;
  SharedFile& operator=(const SharedFile&) = delete;

  /// Reads up to `size` bytes at `offset` into `buffer`. Returns the number read, 0 at the
  /// end of the file, or -1 and sets `*error` (strerror text) on a read error.
  long ReadAt(char* buffer, size_t size, uint64_t offset, std::string* error) const;

 private:
  explicit SharedFile(int fd) : fd_(fd) {}
  int fd_;
};

/// Reads `file` from byte `begin` up to byte `end`, or to the file's end when that comes
/// first (UINT64_MAX: read to the end).
std::unique_ptr<ByteSource> OpenFileRangeSource(std::shared_ptr<const SharedFile> file,
                                                uint64_t begin, uint64_t end);
/// Makes every read from a pipe, terminal or socket that waits for input, now or later, end
/// as if the input had ended there (regular files are read to their end as before).
/// Async-signal-safe: a SIGINT handler calls it so that a run blocked on its input stops.
void EndWaitingReads();
/// The warning about cut lines, e.g. "1 overlong line cut at 1048576 bytes (99 cuts)";
/// `long_lines` lines were cut `cuts` times in all.
std::string DescribeCutLines(uint64_t long_lines, uint64_t cuts, size_t max_line_bytes);
/// An in-memory source; `max_read` limits each Read so tests can force chunk boundaries.
std::unique_ptr<ByteSource> MakeStringSource(std::string data, size_t max_read = SIZE_MAX);
/// An in-memory source that lends its bytes (see ByteSource::Lend), at most `max_lend` at a
/// time, so tests can hold a lending source against a copying one.
std::unique_ptr<ByteSource> MakeLendingStringSource(std::string data, size_t max_lend);

struct ReaderOptions {
  size_t chunk_bytes = 64 * 1024;
  /// A line longer than this is cut into pieces of at most this many bytes (at a UTF-8
  /// boundary); each cut is counted in ReaderStats::lines_cut. The limit applies to the
  /// returned text, so each U+FFFD counts as its 3 bytes. Values below 4 act as 4, so a
  /// piece always has room for one character; SIZE_MAX means no limit.
  size_t max_line_bytes = 1024 * 1024;
  /// Finds line ends and checks UTF-8 in one SSE2 pass where the target has SSE2; false (or
  /// a target without it) takes the portable path, memchr then a byte-at-a-time check. Both
  /// give the same lines; the switch is there so that tests can hold one against the other.
  bool vector_scan = true;
};

struct ReaderStats {
  uint64_t bytes = 0;          ///< raw bytes read
  uint64_t lines = 0;          ///< lines returned; each piece of a cut line counts
  uint64_t long_lines = 0;     ///< lines cut at least once at max_line_bytes
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
  /// `*line_number` is the 1-based input line. A line cut at max_line_bytes comes back as
  /// several pieces in order, all with the same line number, so diagnostics point at the
  /// line the user can find in the file; the piece after the last cut is the line's end.
  bool Next(std::string_view* line, uint64_t* line_number);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const ReaderStats& stats() const { return stats_; }

 private:
  /// Reads (or borrows) the next chunk once everything in the last one is consumed. Returns
  /// false on a read error (then error_ is set); sets eof_ at the end of the input.
  bool Fill();
  /// Returns the index of the next '\n' or '\r' in bytes_[pos_, end_), or end_ if none.
  /// Sets `*known_valid` when bytes_[pos_, that index) is known to be valid UTF-8; false
  /// means only that it is not known.
  size_t FindTerminator(bool* known_valid);
  /// Checks the UTF-8 of up to 64 KiB from pos_ and finds the terminators there in one pass
  /// (AVX2), so that the lines it covers need no scan of their own: sets
  /// bytes_[window_begin_, window_end_) to the longest stretch from pos_ that is valid and
  /// ends just after a terminator (empty when there is none).
  void OpenWindow();
  /// The first terminator at or after pos_, which must be inside the window.
  size_t NextWindowTerminator() const;
  /// Steps pos_ over the terminator at bytes_[pos_], taking a following '\n' after a '\r'.
  void ConsumeTerminator();
  /// Decodes the longest prefix of `raw` that fits in one piece into `*piece`, counting
  /// replacements; `raw_offset` is the input offset of raw[0]; `known_valid` says `raw` is
  /// valid UTF-8 already. Returns the raw bytes used.
  size_t DecodePiece(std::string_view raw, uint64_t raw_offset, bool known_valid,
                     std::string_view* piece);
  /// Updates numbering and stats once a piece is handed out.
  void FinishPiece(bool line_complete, uint64_t* line_number);

  ByteSource* source_;
  ReaderOptions options_;
  std::unique_ptr<char[]> chunk_;  // where Read puts a chunk
  size_t chunk_size_ = 0;
  // The last chunk: in chunk_, or lent by the source; bytes_[pos_, end_) is not yet consumed.
  const char* bytes_ = nullptr;
  size_t pos_ = 0;
  size_t end_ = 0;
  uint64_t chunk_offset_ = 0;  // raw input offset of bytes_[0]
  // Cached results of FindTerminator's searches, so a chunk full of short lines is scanned
  // once; SIZE_MAX means "not searched in this chunk".
  size_t lf_at_ = SIZE_MAX;
  size_t cr_at_ = SIZE_MAX;
  // The window OpenWindow checked; window_ends_ has a bit for each terminator in it, 32 to
  // a word from window_begin_.
  bool use_windows_ = false;
  size_t window_begin_ = 0;
  size_t window_end_ = 0;
  std::vector<uint32_t> window_ends_;
  // The vector scan's last result: the first terminator at or after the position it started
  // from, or SIZE_MAX.
  size_t line_end_at_ = SIZE_MAX;
  // Raw bytes of a line that spans chunks, or the rest of a cut line, at most
  // max_line_bytes + 3 so a cut never has to guess whether a sequence is complete.
  std::string carry_;
  uint64_t carry_offset_ = 0;   // raw input offset of carry_[0]
  size_t carry_consumed_ = 0;   // handed out by the last Next; dropped by the next one
  std::string line_;            // the returned line when it had to be rewritten or cut
  uint64_t line_number_ = 1;    // the line being read
  bool at_start_ = true;
  bool pending_cr_ = false;  // the last chunk ended in a '\r' that ended a line
  bool in_cut_line_ = false;  // the last piece returned was cut from a longer line
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

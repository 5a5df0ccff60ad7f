// Before the reader: ByteSource decorators that replay sniffed bytes and undo gzip or zstd
// compression, recognised by their magic bytes (never by the file name), so `-` and renamed
// files work too. Memory stays bounded by one input and one output buffer.
#ifndef WINNOW_COMPRESSED_SOURCE_H_
#define WINNOW_COMPRESSED_SOURCE_H_

#include <memory>
#include <string>

#include "winnow/reader.h"

namespace winnow {

enum class Compression { kNone, kGzip, kZstd };

/// "none", "gzip" or "zstd".
const char* CompressionName(Compression compression);

/// A source that first returns `prefix`, then reads on from `rest`.
std::unique_ptr<ByteSource> MakePrefixedSource(std::string prefix,
                                               std::unique_ptr<ByteSource> rest);

/// Reads up to `size` bytes from `source` into `*out`, looping over short reads. Returns false
/// (and sets `*error`) on a read error; fewer bytes than asked means the input ended.
bool ReadPrefix(ByteSource* source, size_t size, std::string* out, std::string* error);

/// Looks at the first bytes of `source` and returns a source of the decompressed bytes when
/// they are a gzip member (1f 8b) or a zstd frame (28 b5 2f fd), else a source of the
/// original bytes. Concatenated members or frames are read through. A stream that ends early
/// makes Read return -1 with error() "truncated gzip stream" (or zstd); corrupt data gives
/// "corrupt gzip stream: <zlib's message>". Returns null and sets `*error` when the first
/// bytes cannot be read. `*found` (if not null) says what was recognised.
std::unique_ptr<ByteSource> OpenDecompressingSource(std::unique_ptr<ByteSource> source,
                                                    Compression* found, std::string* error);

}  // namespace winnow

#endif  // WINNOW_COMPRESSED_SOURCE_H_

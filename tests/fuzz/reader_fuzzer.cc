// Fuzzes the reader and UTF-8 decoder: whatever the bytes and however they are chunked,
// every line is valid UTF-8 without a line terminator, no longer than the cap, and numbered
// in order; every input byte is counted.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "winnow/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using winnow::fuzz::Require;
  if (size < 2) return 0;
  // The first two bytes choose how the rest is chunked and capped.
  const size_t max_read = 1 + data[0] % 32;
  winnow::ReaderOptions options;
  options.chunk_bytes = 1 + data[0] / 8;
  options.max_line_bytes = 4 + data[1] % 64;
  const std::string bytes(reinterpret_cast<const char*>(data) + 2, size - 2);
  std::unique_ptr<winnow::ByteSource> source = winnow::MakeStringSource(bytes, max_read);
  winnow::LineReader reader(source.get(), options);
  std::string_view line;
  uint64_t line_number = 0;
  uint64_t previous = 0;
  while (reader.Next(&line, &line_number)) {
    Require(winnow::fuzz::IsValidUtf8(line), "line is valid UTF-8");
    Require(line.find_first_of("\r\n") == std::string_view::npos, "no terminator in a line");
    Require(line.size() <= options.max_line_bytes, "line within the cap");
    Require(line_number >= previous && line_number >= 1, "line numbers in order");
    previous = line_number;
  }
  Require(reader.ok(), "a string source never fails");
  Require(reader.stats().bytes == bytes.size(), "every byte counted");
  return 0;
}

// A gzip member of a text, made with zlib, for the tests that read compressed inputs.
#ifndef WINNOW_TESTS_UNIT_GZIP_TEXT_H_
#define WINNOW_TESTS_UNIT_GZIP_TEXT_H_

#include <zlib.h>

#include <string>

namespace winnow {
namespace testing_inputs {

/// `text` as one gzip member at compression `level` (1-9).
inline std::string GzipText(const std::string& text, int level = 6) {
  z_stream stream{};
  deflateInit2(&stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, text.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(&out[0]);
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

}  // namespace testing_inputs
}  // namespace winnow

#endif  // WINNOW_TESTS_UNIT_GZIP_TEXT_H_

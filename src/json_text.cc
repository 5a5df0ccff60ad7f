#include "winnow/json_text.h"

#include <cstring>

namespace winnow {
namespace {

// True for bytes that need attention: controls, '"', '\\', and 0xE2 (the lead byte of
// U+2028/U+2029).
bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c == 0xE2; }

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run_start = 0;
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!NeedsEscape(c)) continue;
    if (c == 0xE2) {
      // U+2028 is E2 80 A8, U+2029 is E2 80 A9.
      if (i + 2 < n && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
          (static_cast<unsigned char>(text[i + 2]) == 0xA8 ||
           static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
        out->append(text.data() + run_start, i - run_start);
        out->append(static_cast<unsigned char>(text[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029");
        i += 2;
        run_start = i + 1;
      }
      continue;
    }
    out->append(text.data() + run_start, i - run_start);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\t': out->append("\\t"); break;
      case '\r': out->append("\\r"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default: {
        char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out->append(esc, 6);
      }
    }
    run_start = i + 1;
  }
  out->append(text.data() + run_start, n - run_start);
  out->push_back('"');
}

}  // namespace winnow

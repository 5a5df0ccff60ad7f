#include "winnow/json_text.h"

#include <array>

namespace winnow {
namespace {

// Bytes that need attention: controls, '"', '\\', and 0xE2 (the lead byte of U+2028 and
// U+2029). One table load a byte; everything else is copied in runs.
constexpr std::array<bool, 256> MakeNeedsEscape() {
  std::array<bool, 256> needs{};
  for (unsigned c = 0; c < 0x20; ++c) needs[c] = true;
  needs['"'] = true;
  needs['\\'] = true;
  needs[0xE2] = true;
  return needs;
}

constexpr std::array<bool, 256> kNeedsEscape = MakeNeedsEscape();

}  // namespace

void AppendJsonEscaped(std::string_view text, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t run_start = 0;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = s[i];
    if (!kNeedsEscape[c]) continue;
    if (c == 0xE2) {
      // U+2028 is E2 80 A8, U+2029 is E2 80 A9.
      if (i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
        out->append(text.data() + run_start, i - run_start);
        out->append(s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
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
}

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  AppendJsonEscaped(text, out);
  out->push_back('"');
}

}  // namespace winnow

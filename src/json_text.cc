#include "winnow/json_text.h"

#include <array>
#include <charconv>
#include <cstddef>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace winnow {
namespace {

// Bytes that may need attention: controls, '"', '\\', and 0xE2 (the lead byte of U+2028 and
// U+2029, which needs escaping only when the two bytes after it are 80 A8 or 80 A9).
constexpr std::array<bool, 256> MakeNeedsEscape() {
  std::array<bool, 256> needs{};
  for (unsigned c = 0; c < 0x20; ++c) needs[c] = true;
  needs['"'] = true;
  needs['\\'] = true;
  needs[0xE2] = true;
  return needs;
}

constexpr std::array<bool, 256> kNeedsEscape = MakeNeedsEscape();

// True when the 0xE2 at s[i] starts U+2028 (E2 80 A8) or U+2029 (E2 80 A9) within s[0, n).
bool StartsLineSeparator(const unsigned char* s, size_t i, size_t n) {
  return i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9);
}

// The first offset at or after `from` whose byte is escaped: '"', '\\', a control, or the
// first byte of U+2028 or U+2029. `n` if there is none.
size_t FindEscapePortable(const unsigned char* s, size_t from, size_t n) {
  for (size_t i = from; i < n; ++i) {
    if (kNeedsEscape[s[i]] && (s[i] != 0xE2 || StartsLineSeparator(s, i, n))) return i;
  }
  return n;
}

#if defined(__SSE2__)
__m128i Load128(const unsigned char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// Bit k is set when an escape starts at p[k], for k in [0, 16); reads p[0, 18), so that
// U+2028/9 is matched whole and the lead byte 0xE2 of common CJK punctuation (“ ” … —) does
// not count. Most blocks hold neither an ASCII special nor 0xE2 and take the first return.
unsigned EscapeMask(const unsigned char* p) {
  const __m128i bytes = Load128(p);
  const __m128i last_control = _mm_set1_epi8(0x1F);
  // Unsigned c <= 0x1F exactly when max(c, 0x1F) is 0x1F.
  const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(bytes, last_control), last_control);
  const __m128i quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'));
  const __m128i ascii = _mm_or_si128(control, _mm_or_si128(quote, backslash));
  const __m128i lead = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(static_cast<char>(0xE2)));
  if (_mm_movemask_epi8(_mm_or_si128(ascii, lead)) == 0) return 0;
  // A byte is 0xA8 or 0xA9 exactly when setting its bit 0 makes it 0xA9.
  const __m128i second = _mm_cmpeq_epi8(Load128(p + 1), _mm_set1_epi8(static_cast<char>(0x80)));
  const __m128i third = _mm_cmpeq_epi8(_mm_or_si128(Load128(p + 2), _mm_set1_epi8(1)),
                                       _mm_set1_epi8(static_cast<char>(0xA9)));
  const __m128i separator = _mm_and_si128(lead, _mm_and_si128(second, third));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(ascii, separator)));
}

// FindEscapePortable sixteen offsets a step.
size_t FindEscapeSse2(const unsigned char* s, size_t from, size_t n) {
  size_t i = from;
  for (; i + 18 <= n; i += 16) {
    const unsigned mask = EscapeMask(s + i);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
  }
  if (n >= 18 && i + 2 < n) {
    // One more step over the last 18 bytes, its offsets before i (checked already, or before
    // `from`) shifted out; only the last two offsets, which cannot start U+2028/9, are left.
    const size_t last = n - 18;
    const unsigned mask = EscapeMask(s + last) >> (i - last);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
    i = n - 2;
  }
  return FindEscapePortable(s, i, n);
}
#endif

// Appends the escape for the byte at s[i], which `Find` reported; returns the bytes it covers.
size_t AppendEscapeAt(const unsigned char* s, size_t i, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  const unsigned char c = s[i];
  switch (c) {
    case '"': out->append("\\\"", 2); return 1;
    case '\\': out->append("\\\\", 2); return 1;
    case '\n': out->append("\\n", 2); return 1;
    case '\t': out->append("\\t", 2); return 1;
    case '\r': out->append("\\r", 2); return 1;
    case '\b': out->append("\\b", 2); return 1;
    case '\f': out->append("\\f", 2); return 1;
    case 0xE2: out->append(s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6); return 3;
    default: {
      const char escape[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out->append(escape, 6);
      return 1;
    }
  }
}

// The escaper over a finder: unescaped runs are appended whole, one append a run.
template <size_t (*Find)(const unsigned char*, size_t, size_t)>
void AppendEscapedWith(std::string_view text, std::string* out) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t run_start = 0;
  for (size_t i = Find(s, 0, n); i < n; i = Find(s, run_start, n)) {
    out->append(text.data() + run_start, i - run_start);
    run_start = i + AppendEscapeAt(s, i, out);
  }
  out->append(text.data() + run_start, n - run_start);
}

}  // namespace

void AppendJsonEscaped(std::string_view text, std::string* out) {
#if defined(__SSE2__)
  AppendEscapedWith<FindEscapeSse2>(text, out);
#else
  AppendEscapedWith<FindEscapePortable>(text, out);
#endif
}

void AppendJsonEscapedPortable(std::string_view text, std::string* out) {
  AppendEscapedWith<FindEscapePortable>(text, out);
}

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  AppendJsonEscaped(text, out);
  out->push_back('"');
}

void AppendDecimal(uint64_t value, std::string* out) {
  char digits[20];
  const char* end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out->append(digits, static_cast<size_t>(end - digits));
}

}  // namespace winnow

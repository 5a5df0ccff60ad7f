// Unicode and whitespace normalization on ICU. Text stays in UTF-8 throughout: ICU's
// Normalizer2 checks and normalizes UTF-8 directly, so no line is converted to UTF-16.
#include "winnow/text_normalize.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/stringpiece.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/unorm2.h>
#include <unicode/utf8.h>
#include <unicode/utypes.h>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <unordered_map>

#include "winnow/entity_decoder.h"
#include "wide_scans.h"

namespace winnow {
namespace {

/// Decodes the UTF-8 sequence starting at `s[i]` (`i < n`). Sets `*len` to the bytes it
/// covers: the whole character, or for an ill-formed sequence its maximal subpart (at least 1).
/// Returns the code point, or -1 when the sequence is ill-formed.
int32_t DecodeUtf8(const unsigned char* s, size_t n, size_t i, size_t* len) {
  const unsigned lead = s[i];
  if (lead < 0x80) {
    *len = 1;
    return static_cast<int32_t>(lead);
  }
  size_t trail_count;
  int32_t c;
  // The bounds of the first trail byte exclude overlong forms, surrogates and values above
  // U+10FFFF; later trail bytes are always 80..BF.
  unsigned low = 0x80;
  unsigned high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    trail_count = 1;
    c = static_cast<int32_t>(lead & 0x1F);
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    trail_count = 2;
    c = static_cast<int32_t>(lead & 0x0F);
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    trail_count = 3;
    c = static_cast<int32_t>(lead & 0x07);
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    *len = 1;
    return -1;
  }
  size_t k = 1;
  for (; k <= trail_count && i + k < n; ++k) {
    const unsigned trail = s[i + k];
    if (trail < low || trail > high) break;
    c = (c << 6) | static_cast<int32_t>(trail & 0x3F);
    low = 0x80;
    high = 0xBF;
  }
  *len = k;
  return k == trail_count + 1 ? c : -1;
}

/// True when every byte of `text` is below 0x80.
bool IsAscii(std::string_view text) {
  const char* p = text.data();
  size_t n = text.size();
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  while (n >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    if ((word & kHighBits) != 0) return false;
    p += 8;
    n -= 8;
  }
  for (; n > 0; ++p, --n) {
    if (static_cast<unsigned char>(*p) >= 0x80) return false;
  }
  return true;
}

// The scanning loops below test one table entry per byte and look closer only at flagged
// bytes: a byte without the flag cannot start anything the loop acts on. UTF-8 is
// self-synchronizing, so a byte pattern found anywhere is always a whole character.
constexpr uint8_t kStartsRepairable = 1;  // controls, `_x000D_`, C2, E2, EF lead bytes
constexpr uint8_t kStartsSpace = 2;       // ASCII whitespace, C2, E1, E2, E3 lead bytes
constexpr uint8_t kStartsZeroWidth = 4;   // E2, EF lead bytes

constexpr std::array<uint8_t, 256> MakeByteFlags() {
  std::array<uint8_t, 256> flags{};
  auto flag = [&flags](unsigned b, uint8_t f) {
    flags[b] = static_cast<uint8_t>(flags[b] | f);
  };
  for (unsigned b = 0; b < 0x20; ++b) {
    if (b != '\t' && b != '\n') flag(b, kStartsRepairable);
  }
  for (unsigned b : {0x7Fu, unsigned{'_'}, 0xC2u, 0xE2u, 0xEFu}) flag(b, kStartsRepairable);
  for (unsigned b : {0x09u, 0x0Au, 0x0Bu, 0x0Cu, 0x0Du, 0x20u, 0xC2u, 0xE1u, 0xE2u, 0xE3u}) {
    flag(b, kStartsSpace);
  }
  flag(0xE2, kStartsZeroWidth);
  flag(0xEF, kStartsZeroWidth);
  return flags;
}

constexpr std::array<uint8_t, 256> kByteFlags = MakeByteFlags();

/// The length of the whitespace character at `s[i]`, or 0 when none starts there: ASCII
/// whitespace, U+0085, NBSP, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
size_t SpaceLengthAt(const unsigned char* s, size_t n, size_t i) {
  const unsigned b = s[i];
  if ((kByteFlags[b] & kStartsSpace) == 0) return 0;
  if (b < 0x80) return 1;
  const unsigned b1 = i + 1 < n ? s[i + 1] : 0;
  if (b == 0xC2) return b1 == 0x85 || b1 == 0xA0 ? 2 : 0;
  const unsigned b2 = i + 2 < n ? s[i + 2] : 0;
  if (b == 0xE1) return b1 == 0x9A && b2 == 0x80 ? 3 : 0;
  if (b == 0xE3) return b1 == 0x80 && b2 == 0x80 ? 3 : 0;
  if (b1 == 0x80) {
    return (b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF ? 3 : 0;
  }
  return b1 == 0x81 && b2 == 0x9F ? 3 : 0;  // b is E2 here
}

enum class Repairable { kNone, kOddSpace, kZeroWidth, kJoiner, kControl };

constexpr std::string_view kX000dUpper = "_x000D_";
constexpr std::string_view kX000dLower = "_x000d_";

/// What Repair does about the character at `s[i]`; sets `*len` to its length unless kNone.
/// Odd spaces: NBSP (C2 A0), U+2000..U+200A, U+202F, U+205F. Zero-width: U+200B, U+200C,
/// U+2060, U+FEFF; the joiner U+200D is told apart. Controls: C0 but tab and LF, DEL, C1
/// (C2 80..9F), and the spreadsheet export artefact `_x000D_` (an escaped CR).
Repairable RepairableAt(const unsigned char* s, size_t n, size_t i, size_t* len) {
  const unsigned b = s[i];
  if (b < 0x80) {
    if (b != '_') {
      *len = 1;
      return Repairable::kControl;  // the byte flags pass only controls and '_' here
    }
    const std::string_view rest(reinterpret_cast<const char*>(s) + i,
                                std::min(n - i, kX000dUpper.size()));
    if (rest != kX000dUpper && rest != kX000dLower) return Repairable::kNone;
    *len = kX000dUpper.size();
    return Repairable::kControl;
  }
  const unsigned b1 = i + 1 < n ? s[i + 1] : 0;
  if (b == 0xC2) {
    *len = 2;
    if (b1 >= 0x80 && b1 <= 0x9F) return Repairable::kControl;
    return b1 == 0xA0 ? Repairable::kOddSpace : Repairable::kNone;
  }
  const unsigned b2 = i + 2 < n ? s[i + 2] : 0;
  *len = 3;
  if (b == 0xEF) return b1 == 0xBB && b2 == 0xBF ? Repairable::kZeroWidth : Repairable::kNone;
  if (b1 == 0x80) {
    if ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xAF) return Repairable::kOddSpace;
    if (b2 == 0x8B || b2 == 0x8C) return Repairable::kZeroWidth;
    if (b2 == 0x8D) return Repairable::kJoiner;
  } else if (b1 == 0x81) {
    if (b2 == 0x9F) return Repairable::kOddSpace;
    if (b2 == 0xA0) return Repairable::kZeroWidth;
  }
  return Repairable::kNone;
}

/// Returns the offset of the first repairable character at or after `from` (setting `*len`
/// and `*kind`), or `n` when there is none.
size_t FindRepairable(const unsigned char* s, size_t n, size_t from, size_t* len,
                      Repairable* kind) {
  for (size_t i = from; i < n; ++i) {
    if ((kByteFlags[s[i]] & kStartsRepairable) == 0) continue;
    *kind = RepairableAt(s, n, i, len);
    if (*kind != Repairable::kNone) return i;
  }
  return n;
}

/// The code point that ends right before `s[i]`, or -1 when none or ill-formed.
int32_t CodePointBefore(const unsigned char* s, size_t n, size_t i) {
  if (i == 0) return -1;
  size_t start = i - 1;
  while (start > 0 && i - start < 4 && (s[start] & 0xC0) == 0x80) --start;
  size_t len = 0;
  const int32_t c = DecodeUtf8(s, n, start, &len);
  return start + len == i ? c : -1;
}

/// The code point that starts at `s[i]`, or -1 when none or ill-formed.
int32_t CodePointAt(const unsigned char* s, size_t n, size_t i) {
  if (i >= n) return -1;
  size_t len = 0;
  return DecodeUtf8(s, n, i, &len);
}

/// A character that may stand on either side of a zero-width joiner inside an emoji
/// sequence (👨‍💻, 👩🏽‍💻, 🏳️‍🌈).
bool JoinsEmoji(int32_t c) {
  if (c < 0) return false;
  if (c >= 0xFE00 && c <= 0xFE0F) return true;
  return u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) ||
         u_hasBinaryProperty(c, UCHAR_EMOJI_MODIFIER);
}

/// True when the zero-width character U+200B..U+200D, U+2060 or U+FEFF starts at `s[i]`.
bool ZeroWidthAt(const unsigned char* s, size_t n, size_t i) {
  if (i + 2 >= n) return false;
  return (s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] >= 0x8B && s[i + 2] <= 0x8D) ||
         (s[i] == 0xE2 && s[i + 1] == 0x81 && s[i + 2] == 0xA0) ||
         (s[i] == 0xEF && s[i + 1] == 0xBB && s[i + 2] == 0xBF);
}

/// Returns the offset of the first zero-width character in `text`, or npos.
size_t FindZeroWidth(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < text.size(); ++i) {
    if ((kByteFlags[s[i]] & kStartsZeroWidth) != 0 && ZeroWidthAt(s, text.size(), i)) return i;
  }
  return std::string_view::npos;
}

/// Appends `text` to `out` without its zero-width characters, starting the search at `from`
/// (the first one). Only the match key uses it, so joiners inside emoji go too.
void AppendWithoutZeroWidth(std::string_view text, size_t from, std::string* out) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t copied = 0;
  for (size_t i = from; i < text.size(); ++i) {
    if ((kByteFlags[s[i]] & kStartsZeroWidth) == 0 || !ZeroWidthAt(s, text.size(), i)) continue;
    out->append(text.data() + copied, i - copied);
    copied = i + 3;
    i += 2;
  }
  out->append(text.data() + copied, text.size() - copied);
}

/// Appends `text` to `out` with each run of whitespace (ASCII and Unicode spaces) made one
/// U+0020 and none at either end. Ill-formed bytes are copied as they are.
void AppendCollapsed(std::string_view text, std::string* out) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  bool space_pending = false;
  size_t i = 0;
  while (i < n) {
    size_t space = SpaceLengthAt(s, n, i);
    if (space != 0) {
      space_pending = true;
      i += space;
      continue;
    }
    size_t end = i + 1;
    while (end < n &&
           ((kByteFlags[s[end]] & kStartsSpace) == 0 || SpaceLengthAt(s, n, end) == 0)) {
      ++end;
    }
    if (space_pending && !out->empty()) out->push_back(' ');
    space_pending = false;
    out->append(text.data() + i, end - i);
    i = end;
  }
}

class CodePointSet;

/// What MatchKey's single pass asks about before every line, looked up once per normalizer
/// (on its first MatchKey) rather than once per line.
struct KeyScanSetup {
  const CodePointSet* keeps = nullptr;  // KeyKeepsSet()
  bool skip_blocks = false;             // KeyKeepsLeadsE4ToE9()
  bool wide = false;                    // internal::UseAvx2Scans()
};

}  // namespace

struct TextNormalizer::Impl {
  const icu::Normalizer2* nfc = nullptr;
  const icu::Normalizer2* nfkc = nullptr;
  // Scratch buffers reused across calls: after the first few lines no call allocates.
  std::string decoded;     // MatchKey: the line with entities decoded
  std::string stripped;    // MatchKey: zero-width characters removed
  std::string folded;      // MatchKey: full-width forms folded to ASCII
  std::string normalized;  // MatchKey: NFKC of the above
  std::string repaired;    // Repair: spaces, zero-width and controls handled
  // MatchKey's single pass: what NFKC makes of characters it does not keep as they are, by
  // code point, asked of ICU on first sight (see KeyFoldOf); empty when it cannot write it.
  std::unordered_map<UChar32, std::string> key_folds;
  KeyScanSetup key_scan;  // set by the first MatchKey or KeyIsCharacterwise (SetUpKeyScan)
  std::unique_ptr<icu::Transliterator> to_simplified;  // ToSimplified, made on first use
  bool to_simplified_failed = false;

  void SetUpKeyScan();

  // MatchKey's general path once references are decoded: zero-width characters removed,
  // full-width forms folded, NFKC, whitespace collapsed. Appends to `*key`.
  void AppendKeyOfDecoded(std::string_view text, std::string* key);

  const icu::Normalizer2* NormalizerFor(NormalForm form) const {
    switch (form) {
      case NormalForm::kNfc:
        return nfc;
      case NormalForm::kNfkc:
        return nfkc;
      case NormalForm::kNone:
        break;
    }
    return nullptr;
  }
};

namespace {

// ICU takes lengths as int32_t: longer text is left as it is.
constexpr size_t kLongestForIcu = static_cast<size_t>(std::numeric_limits<int32_t>::max());

/// Writes `text` into `*out` with U+FF01..U+FF5E as their ASCII forms and U+3000 as a space,
/// exactly as NFKC maps them. Returns false (leaving `*out` alone) when there are none.
bool FoldFullWidthForms(std::string_view text, std::string* out) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t copied = 0;
  bool any = false;
  for (size_t i = 0; i + 2 < n; ++i) {
    if (s[i] != 0xEF && s[i] != 0xE3) continue;
    char ascii = 0;
    if (s[i] == 0xEF && s[i + 1] == 0xBC && s[i + 2] >= 0x81 && s[i + 2] <= 0xBF) {
      ascii = static_cast<char>(s[i + 2] - 0x81 + 0x21);  // U+FF01..U+FF3F
    } else if (s[i] == 0xEF && s[i + 1] == 0xBD && s[i + 2] >= 0x80 && s[i + 2] <= 0x9E) {
      ascii = static_cast<char>(s[i + 2] - 0x80 + 0x60);  // U+FF40..U+FF5E
    } else if (s[i] == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80) {
      ascii = ' ';  // U+3000
    } else {
      continue;
    }
    if (!any) out->clear();
    any = true;
    out->append(text.data() + copied, i - copied);
    out->push_back(ascii);
    copied = i + 3;
    i += 2;
  }
  if (any) out->append(text.data() + copied, n - copied);
  return any;
}

// True when every character of `text` is one that NFC and NFKC leave alone and that never
// composes with a neighbour: ASCII, CJK unified ideographs (U+4E00..U+9FFF),
// 、。《》「」『』【】〔〕 (U+3001, U+3002, U+300A..U+3011), ‘’“” and ·. Most lines of a Chinese
// page are made of nothing else, and this scan is far cheaper than ICU's quick check.
bool IsTriviallyNormal(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char lead = s[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    if (lead == 0xC2 && i + 1 < n && s[i + 1] == 0xB7) {  // U+00B7
      i += 2;
      continue;
    }
    if (lead < 0xE0 || lead > 0xEF || i + 2 >= n || (s[i + 1] & 0xC0) != 0x80 ||
        (s[i + 2] & 0xC0) != 0x80) {
      return false;
    }
    const char32_t c = (static_cast<char32_t>(lead & 0x0F) << 12) |
                       (static_cast<char32_t>(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
    const bool stable = (c >= 0x4E00 && c <= 0x9FFF) || c == 0x3001 || c == 0x3002 ||
                        (c >= 0x300A && c <= 0x3011) || (c >= 0x2018 && c <= 0x2019) ||
                        (c >= 0x201C && c <= 0x201D);
    if (!stable) return false;
    i += 3;
  }
  return true;
}

/// Writes the normalization of `text` under `normalizer` into `*dest` when `text` is not
/// already normal. Returns true when it did; false leaves `*dest` untouched and means
/// `text` is the answer as it is (normal, ASCII, no normalizer, or too long for ICU's
/// int32_t lengths). Ill-formed UTF-8 passes through ICU unchanged.
bool NormalizeInto(const icu::Normalizer2* normalizer, std::string_view text,
                   std::string* dest) {
  if (normalizer == nullptr || IsTriviallyNormal(text) || text.size() > kLongestForIcu) {
    return false;
  }
  const icu::StringPiece piece(text.data(), static_cast<int32_t>(text.size()));
  UErrorCode status = U_ZERO_ERROR;
  if (normalizer->isNormalizedUTF8(piece, status) || U_FAILURE(status)) return false;
  dest->clear();
  icu::StringByteSink<std::string> sink(dest, static_cast<int32_t>(text.size()));
  normalizer->normalizeUTF8(0, piece, sink, nullptr, status);
  return U_SUCCESS(status);
}

// --- Single-pass scans ---------------------------------------------------------------------
// MatchKey and Repair first try one pass over the line that covers what most lines hold, and
// fall back on the general path above (the reference) for the whole line at anything else.

/// True when `form` leaves `c` as it is whatever stands next to it: quick check Yes and
/// combining class 0. Such a character never composes with what precedes it (the characters
/// that can, U+0301, U+3099, a Hangul vowel jamo, are quick check Maybe) and is never
/// reordered, so a string of them is normal (UAX #15, quick check). Every `c` under kNone.
bool IsStableUnder(NormalForm form, UChar32 c) {
  if (form == NormalForm::kNone) return true;
  // An inert character (no decomposition, class 0, combines with nothing) is stable, and
  // most code points are inert: that one lookup is far cheaper than the two below, which
  // decide the rest (ICU may also answer "not inert" when in doubt).
  // The instances are looked up once: the sets ask about each of 65536 code points.
  static const icu::Normalizer2* const nfc = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* normalizer = icu::Normalizer2::getNFCInstance(status);
    return U_SUCCESS(status) ? normalizer : nullptr;
  }();
  static const icu::Normalizer2* const nfkc = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCInstance(status);
    return U_SUCCESS(status) ? normalizer : nullptr;
  }();
  const icu::Normalizer2* normalizer = form == NormalForm::kNfc ? nfc : nfkc;
  if (normalizer != nullptr && normalizer->isInert(c)) return true;
  const UProperty quick_check =
      form == NormalForm::kNfc ? UCHAR_NFC_QUICK_CHECK : UCHAR_NFKC_QUICK_CHECK;
  return u_getIntPropertyValue(c, quick_check) == UNORM_YES && u_getCombiningClass(c) == 0;
}

/// A set of code points: bitmaps over the BMP, and for the rare supplementary characters the
/// predicate it was made from, asked each time.
class CodePointSet {
 public:
  using Predicate = bool (*)(UChar32);

  /// The set of `contains`, which holds for `c` exactly when `scanners_keep(c)` and
  /// IsStableUnder(form, c) do. The BMP bitmaps take the stable characters from ICU's sets of
  /// the properties IsStableUnder asks about, a range at a time, and ask only `scanners_keep`
  /// of each: IsStableUnder's lookups for each of 65536 code points cost milliseconds.
  template <class ScannersKeep>
  CodePointSet(Predicate contains, ScannersKeep scanners_keep, NormalForm form)
      : contains_(contains) {
    icu::UnicodeSet stable;
    if (!MakeStableSet(form, &stable)) {
      for (UChar32 c = 0; c < 0x10000; ++c) {
        if (contains(c)) Add(c);
      }
      return;
    }
    for (int32_t range = 0; range < stable.getRangeCount(); ++range) {
      const UChar32 last = std::min<UChar32>(stable.getRangeEnd(range), 0xFFFF);
      for (UChar32 c = stable.getRangeStart(range); c <= last; ++c) {
        if (scanners_keep(c)) Add(c);
      }
    }
  }

  bool Contains(UChar32 c) const {
    if (c < 0x800) return ((below_0800_[c >> 6] >> (c & 63)) & 1) != 0;
    if (c < 0x10000) return ((three_byte_[c >> 6] >> (c & 63)) & 1) != 0;
    return contains_(c);
  }

  /// True when a well-formed three-byte character of the set starts at `s[i]`. The bitmap is
  /// indexed by the bytes' payload bits as they stand; it has no bits below U+0800 (where
  /// overlong forms would land) and none for surrogates (which the predicate refuses).
  bool ContainsThreeByteAt(const unsigned char* s, size_t n, size_t i) const {
    if ((s[i] & 0xF0) != 0xE0 || i + 2 >= n) return false;
    const unsigned b1 = s[i + 1];
    const unsigned b2 = s[i + 2];
    if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) return false;
    return ((three_byte_[((s[i] & 0x0Fu) << 6) | (b1 & 0x3F)] >> (b2 & 0x3F)) & 1) != 0;
  }

  /// True when every code point of `first..last` (both below U+10000) is in the set.
  bool ContainsAll(UChar32 first, UChar32 last) const {
    for (UChar32 c = first; c <= last; ++c) {
      if (!Contains(c)) return false;
    }
    return true;
  }

 private:
  void Add(UChar32 c) {
    uint64_t* words = c < 0x800 ? below_0800_.data() : three_byte_.data();
    words[c >> 6] |= uint64_t{1} << (c & 63);
  }

  /// Makes `*stable` the characters IsStableUnder(form) holds for: every one under kNone,
  /// else quick check Yes and combining class 0 (which an inert character, IsStableUnder's
  /// shortcut, has too). False when ICU cannot make the set.
  static bool MakeStableSet(NormalForm form, icu::UnicodeSet* stable) {
    if (form == NormalForm::kNone) {
      stable->add(0, 0x10FFFF);
      return true;
    }
    UErrorCode status = U_ZERO_ERROR;
    stable->applyPattern(form == NormalForm::kNfc
                             ? UNICODE_STRING_SIMPLE("[[:NFC_QC=Yes:]&[:ccc=0:]]")
                             : UNICODE_STRING_SIMPLE("[[:NFKC_QC=Yes:]&[:ccc=0:]]"),
                         status);
    return U_SUCCESS(status);
  }

  Predicate contains_;
  std::array<uint64_t, 0x800 / 64> below_0800_{};
  std::array<uint64_t, 0x10000 / 64> three_byte_{};  // U+0800..U+FFFF; the first words stay 0
};

/// `c` as UTF-8 in `buffer` (4 bytes); returns its length. The sets below ask the reference's
/// own byte scanners about each character, so that the two paths cannot disagree on one.
size_t EncodeForScanners(UChar32 c, unsigned char* buffer) {
  size_t length = 0;
  U8_APPEND_UNSAFE(buffer, length, c);
  return length;
}

constexpr bool NoTrailByteHasAFlag() {
  for (unsigned b = 0x80; b <= 0xBF; ++b) {
    if (kByteFlags[b] != 0) return false;
  }
  return true;
}

// The scanners look closer only at a byte with a flag, so at a character's lead byte alone.
static_assert(NoTrailByteHasAFlag(), "a trail byte would need its character encoded");

/// The first byte of the UTF-8 of `c`.
unsigned LeadByteOf(UChar32 c) {
  const auto u = static_cast<unsigned>(c);
  if (u < 0x80) return u;
  if (u < 0x800) return 0xC0 | u >> 6;
  return u < 0x10000 ? 0xE0 | u >> 12 : 0xF0 | u >> 18;
}

/// KeyKeepsAsIs but for the normal form: neither a surrogate nor a space AppendCollapsed
/// collapses nor a zero-width character MatchKey removes.
bool KeyScannersKeep(UChar32 c) {
  if (c >= 0xD800 && c <= 0xDFFF) return false;
  if ((kByteFlags[LeadByteOf(c)] & (kStartsSpace | kStartsZeroWidth)) == 0) return true;
  unsigned char buffer[4];
  const size_t length = EncodeForScanners(c, buffer);
  return SpaceLengthAt(buffer, length, 0) == 0 && !ZeroWidthAt(buffer, length, 0);
}

/// What MatchKey copies into the key as it is: left alone by NFKC, and KeyScannersKeep.
bool KeyKeepsAsIs(UChar32 c) {
  return KeyScannersKeep(c) && IsStableUnder(NormalForm::kNfkc, c);
}

/// RepairKeepsAsIs but for the normal form: not a surrogate, nothing Repair repairs (a
/// control, an odd space, a zero-width character).
bool RepairScannersKeep(UChar32 c) {
  if (c >= 0xD800 && c <= 0xDFFF) return false;
  if ((kByteFlags[LeadByteOf(c)] & kStartsRepairable) == 0) return true;
  unsigned char buffer[4];
  const size_t length = EncodeForScanners(c, buffer);
  size_t repairable_length = 0;
  Repairable kind = Repairable::kNone;
  return FindRepairable(buffer, length, 0, &repairable_length, &kind) == length;
}

/// What Repair under `kForm` leaves as it is: RepairScannersKeep, and left alone by `kForm`.
/// ASCII is decided by the scan itself.
template <NormalForm kForm>
bool RepairKeepsAsIs(UChar32 c) {
  return RepairScannersKeep(c) && IsStableUnder(kForm, c);
}

// Built on first use, once per process.
const CodePointSet& KeyKeepsSet() {
  static const CodePointSet set(
      &KeyKeepsAsIs, [](UChar32 c) { return KeyScannersKeep(c); }, NormalForm::kNfkc);
  return set;
}

/// What NFKC makes of `c` when the match key's single pass can write it in `c`'s place: a
/// string of characters the key keeps as they are, no longer in UTF-8 than `length` (`c`'s
/// own), such as 心 for the Kangxi radical ⼼, 1 for ①, fi for ﬁ, TM for ™. Beside characters
/// the key keeps, NFKC makes of `c` just that string: a string of kept characters is normal,
/// and what `c` decomposes to starts with a character of class 0, which nothing before it
/// reorders with or composes into. Empty when there is no such string.
std::string KeyFoldOf(const icu::Normalizer2* nfkc, UChar32 c, size_t length) {
  if (nfkc == nullptr || u_getCombiningClass(c) != 0) return "";
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString folded = nfkc->normalize(icu::UnicodeString(c), status);
  if (U_FAILURE(status) || folded.isEmpty()) return "";
  std::string utf8;
  folded.toUTF8String(utf8);
  if (utf8.size() > length) return "";
  const CodePointSet& keeps = KeyKeepsSet();
  for (int32_t at = 0; at < folded.length();) {
    const UChar32 d = folded.char32At(at);
    if (d == c || !keeps.Contains(d)) return "";
    at += U16_LENGTH(d);
  }
  return utf8;
}

const CodePointSet& RepairKeepsSet(NormalForm form) {
  switch (form) {
    case NormalForm::kNfc: {
      static const CodePointSet set(
          &RepairKeepsAsIs<NormalForm::kNfc>, [](UChar32 c) { return RepairScannersKeep(c); },
          NormalForm::kNfc);
      return set;
    }
    case NormalForm::kNfkc: {
      static const CodePointSet set(
          &RepairKeepsAsIs<NormalForm::kNfkc>, [](UChar32 c) { return RepairScannersKeep(c); },
          NormalForm::kNfkc);
      return set;
    }
    case NormalForm::kNone:
      break;
  }
  static const CodePointSet set(
      &RepairKeepsAsIs<NormalForm::kNone>, [](UChar32 c) { return RepairScannersKeep(c); },
      NormalForm::kNone);
  return set;
}

/// What the match-key scan does with a byte where a character starts.
enum class KeyByte : uint8_t {
  kText,       // ASCII copied as it is
  kSpace,      // ASCII whitespace
  kReference,  // `&` or `#`, which may start a character reference
  kMultiByte,  // a UTF-8 lead byte
  kInvalid,    // a trail byte or one that never occurs in UTF-8
};

constexpr std::array<KeyByte, 256> MakeKeyBytes() {
  std::array<KeyByte, 256> bytes{};
  for (unsigned b = 0; b < 0x80; ++b) bytes[b] = KeyByte::kText;
  for (unsigned b : {0x09u, 0x0Au, 0x0Bu, 0x0Cu, 0x0Du, 0x20u}) bytes[b] = KeyByte::kSpace;
  bytes['&'] = KeyByte::kReference;
  bytes['#'] = KeyByte::kReference;
  for (unsigned b = 0x80; b < 0x100; ++b) {
    bytes[b] = b >= 0xC2 && b <= 0xF4 ? KeyByte::kMultiByte : KeyByte::kInvalid;
  }
  return bytes;
}

constexpr std::array<KeyByte, 256> kKeyBytes = MakeKeyBytes();

/// False when the scrape-mode decoder writes the `&` or `#` at `s[i]` as it is whatever
/// surrounds it: an `&` followed by neither an ASCII letter or digit nor `#` starts no name
/// and no number (ReadReference), and a `#` followed by neither `x` nor `X` starts no
/// `&`-less reference (those are hex only). Such a byte changes nothing else the decoder does.
bool MayStartReference(const unsigned char* s, size_t n, size_t i) {
  if (i + 1 >= n) return false;
  const unsigned next = s[i + 1];
  if (s[i] == '#') return next == 'x' || next == 'X';
  return next == '#' || (next >= '0' && next <= '9') || (next >= 'a' && next <= 'z') ||
         (next >= 'A' && next <= 'Z');
}

/// The code point of the multi-byte character at `s[i]` and its length in `*length`, or -1
/// when it is ill-formed. Most characters the key scans decode are three bytes long
/// (full-width punctuation above all): decoded in place when no overlong form or surrogate
/// can be among them.
inline __attribute__((always_inline)) int32_t DecodeKeyCharacterAt(const unsigned char* s,
                                                                   size_t n, size_t i,
                                                                   size_t* length) {
  if (s[i] >= 0xE1 && s[i] <= 0xEF && s[i] != 0xED && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
      (s[i + 2] & 0xC0) == 0x80) {
    *length = 3;
    return static_cast<int32_t>((s[i] & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 |
                                (s[i + 2] & 0x3Fu));
  }
  return DecodeUtf8(s, n, i, length);
}

enum class KeyScan {
  kDone,          // `*key` is the match key
  kHasReference,  // an `&` or `#` that the entity decoder may change
  kNeedsIcu,      // a character only the general path handles, or ill-formed UTF-8
};

/// True when the match key keeps every character with a lead byte E4..E9 (U+4000..U+9FFF:
/// the end of Han extension A, the Yijing hexagrams and the unified ideographs) as it is,
/// which lets SkipKeptBlocks pass them on their bytes' shape alone. Asked of the set, not
/// assumed, so that another ICU version cannot make the scan wrong, only slower.
bool KeyKeepsLeadsE4ToE9() {
  static const bool keeps = KeyKeepsSet().ContainsAll(0x4000, 0x9FFF);
  return keeps;
}

/// Where the kept character at `s[i]` ends, for the characters ScanMatchKey's bulk passes one
/// at a time (the block scans pass most of them): kept ASCII, a kept three-byte character, a
/// single space between kept ASCII in the run that started at `run`. `i` when there is none.
inline __attribute__((always_inline)) size_t PastKeptCharacter(const unsigned char* s, size_t n,
                                                               size_t i, size_t run,
                                                               const CodePointSet& keeps) {
  if (kKeyBytes[s[i]] == KeyByte::kText) return i + 1;
  if (keeps.ContainsThreeByteAt(s, n, i)) return i + 3;
  // One space between kept ASCII is in the key as it is in the line: the run goes on.
  if (s[i] == ' ' && i > run && i + 1 < n && kKeyBytes[s[i + 1]] == KeyByte::kText) return i + 2;
  return i;
}

#if defined(__SSE2__)
// The block scans below load 16 bytes at a time. A text's last bytes that do not fill a block
// are looked at in the block that ends with the text, its masks shifted right so that bit 0
// is the first byte not yet passed; the bits past the end are then 0.

/// From a block's masks of the bytes E4..E9 (`lead`) and of continuation bytes (`trail`),
/// whatever the vector width: the bytes of the well-formed characters such a lead starts
/// that lie wholly in the block; a lead in its last two bytes is not among them (its trail
/// bytes lie beyond). `Mask` has two bits to spare past the block.
template <class Mask>
inline Mask ThreeByteStarts(Mask lead, Mask trail) {
  return lead & trail >> 1 & trail >> 2;
}
template <class Mask>
inline Mask WholeThreeByteCharacters(Mask lead, Mask trail) {
  const Mask starts = ThreeByteStarts(lead, trail);
  return starts | starts << 1 | starts << 2;
}

/// Bit k stands for byte `shift + k` of `v`. Sets `*leads` to the bytes E4..E9 and returns
/// WholeThreeByteCharacters of them.
/// Inlined always: as a call it costs about as much as it does.
inline __attribute__((always_inline)) uint32_t ThreeByteE4ToE9Bits(__m128i v, unsigned shift,
                                                                   uint32_t* leads) {
  // Signed compares: bytes 80..FF are the negative values -128..-1.
  const __m128i below_e4 = _mm_set1_epi8(static_cast<char>(0xE3));
  const __m128i above_e9 = _mm_set1_epi8(static_cast<char>(0xEA));
  const __m128i lead_c0 = _mm_set1_epi8(static_cast<char>(0xC0));
  const uint32_t lead = static_cast<uint32_t>(_mm_movemask_epi8(_mm_and_si128(
                            _mm_cmpgt_epi8(v, below_e4), _mm_cmplt_epi8(v, above_e9)))) >>
                        shift;
  const uint32_t trail =
      static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmplt_epi8(v, lead_c0))) >> shift;
  *leads = lead;
  return WholeThreeByteCharacters(lead, trail);
}

/// What SkipKeptBlocks passes in a block, from the block's masks (bit k for a byte k past
/// the first not yet passed; bits past the text's end 0), whatever the vector width that
/// made them: `text` kept ASCII, `spaces` U+0020, `lead` the bytes E4..E9, `three_byte`
/// their WholeThreeByteCharacters. A space is passed when a kept character follows it, and,
/// but for the first byte (`first_space_barred` then 1), one precedes it. `*soft` gets the
/// leads and spaces, which the next bytes may yet show to be kept.
template <class Mask>
inline Mask KeptBytesOfMasks(Mask text, Mask spaces, Mask lead, Mask three_byte,
                             Mask first_space_barred, Mask* soft) {
  const Mask kept_spaces = spaces & ~first_space_barred & (text | lead) >> 1;
  *soft = lead | spaces;
  return text | three_byte | kept_spaces;
}

/// How ScanMatchKey's bulk goes 16 bytes a step. Returns the first offset at or after `i`
/// (a character boundary) where a character starts that is not one of these, all of which
/// the key holds as they stand in `s`: ASCII other than controls, whitespace, `&` and `#`;
/// a well-formed character with lead byte E4..E9 (the caller makes sure the key keeps them
/// all); a U+0020 between two of those. `in_run` says that `s[i - 1]` is such a byte of the
/// run being copied. Requires `n >= 16`.
/// Inlined always: it runs once per stop of the scan, and the AVX2 scan ends with it too.
inline __attribute__((always_inline)) size_t SkipKeptBlocks(const unsigned char* s, size_t n,
                                                             size_t i, bool in_run) {
  // A space is kept when a kept character follows; the one before it is kept as well, or
  // the space would not be reached, except at the first block's first byte.
  uint32_t first_space_barred = in_run ? 0 : 1;
  // The kept bytes of the block at `p` as bits from `shift` on.
  auto kept_bytes = [&first_space_barred](const unsigned char* p, unsigned shift,
                                          uint32_t* soft) {
    // Signed compares: bytes 80..FF are the negative values -128..-1.
    const __m128i space = _mm_set1_epi8(' ');
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i reference =
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')), _mm_cmpeq_epi8(v, _mm_set1_epi8('#')));
    const auto mask = [shift](__m128i m) {
      return static_cast<uint32_t>(_mm_movemask_epi8(m)) >> shift;
    };
    uint32_t lead = 0;
    const uint32_t three_byte = ThreeByteE4ToE9Bits(v, shift, &lead);
    const uint32_t kept = KeptBytesOfMasks(
        mask(_mm_andnot_si128(reference, _mm_cmpgt_epi8(v, space))), mask(_mm_cmpeq_epi8(v, space)),
        lead, three_byte, first_space_barred, soft);
    return kept & 0xFFFF;
  };
  uint32_t soft = 0;
  while (n - i >= 16) {
    const auto end = static_cast<unsigned>(__builtin_ctz(~kept_bytes(s + i, 0, &soft)));
    i += end;
    // A lead or a space in the block's last two bytes may be kept once the next bytes are
    // seen: the next step starts there.
    if (end != 16 && (end < 14 || (soft >> end & 1) == 0)) return i;
    first_space_barred = 0;
  }
  if (i == n) return i;
  const auto shift = static_cast<unsigned>(16 - (n - i));
  return i + static_cast<size_t>(__builtin_ctz(~kept_bytes(s + n - 16, shift, &soft)));
}

/// A byte 32 times over, for an AVX2 scan to compare with from memory: made with a broadcast
/// instead, each such constant costs three instructions per call of a scan that often stops
/// within its first block.
struct alignas(32) RepeatedByte {
  uint8_t bytes[32];
};

constexpr RepeatedByte Repeat(uint8_t b) {
  RepeatedByte r{};
  for (uint8_t& byte : r.bytes) byte = b;
  return r;
}

__attribute__((target("avx2"))) inline __m256i Load(const RepeatedByte& r) {
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(r.bytes));
}

constexpr RepeatedByte kSpaceBytes = Repeat(' ');
constexpr RepeatedByte kAmpersandBytes = Repeat('&');
constexpr RepeatedByte kHashBytes = Repeat('#');
constexpr RepeatedByte kBelowE4Bytes = Repeat(0xE3);
constexpr RepeatedByte kAboveE9Bytes = Repeat(0xEA);
constexpr RepeatedByte kLeadC0Bytes = Repeat(0xC0);

/// SkipKeptBlocks' kept bytes of the 32 at `p` as bits from `shift` on, and its `*soft`. A
/// function, not a lambda, for the AVX2 target; inlined always, as SkipKeptBlocks' is.
__attribute__((target("avx2"), always_inline)) inline uint64_t KeptBytesAvx2(
    const unsigned char* p, unsigned shift, uint64_t first_space_barred, uint64_t* soft) {
  // Signed compares: bytes 80..FF are the negative values -128..-1.
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i reference = _mm256_or_si256(_mm256_cmpeq_epi8(v, Load(kAmpersandBytes)),
                                            _mm256_cmpeq_epi8(v, Load(kHashBytes)));
  const uint64_t lead = internal::Avx2ByteMask(_mm256_and_si256(
                            _mm256_cmpgt_epi8(v, Load(kBelowE4Bytes)),
                            _mm256_cmpgt_epi8(Load(kAboveE9Bytes), v))) >>
                        shift;
  const uint64_t text = internal::Avx2ByteMask(_mm256_andnot_si256(
                            reference, _mm256_cmpgt_epi8(v, Load(kSpaceBytes)))) >>
                        shift;
  const uint64_t spaces = internal::Avx2ByteMask(_mm256_cmpeq_epi8(v, Load(kSpaceBytes))) >> shift;
  const uint64_t trail =
      internal::Avx2ByteMask(_mm256_cmpgt_epi8(Load(kLeadC0Bytes), v)) >> shift;
  return KeptBytesOfMasks<uint64_t>(text, spaces, lead,
                                    WholeThreeByteCharacters<uint64_t>(lead, trail),
                                    first_space_barred, soft);
}

/// SkipKeptBlocks 32 bytes a step with AVX2; the last bytes that do not fill a step are looked
/// at in the block that ends with the text, as SkipKeptBlocks does with 16. Requires
/// `n >= 32`.
__attribute__((target("avx2"), always_inline)) inline size_t SkipKeptBlocksAvx2(
    const unsigned char* s, size_t n, size_t i, bool in_run) {
  uint64_t first_space_barred = in_run ? 0 : 1;
  uint64_t soft = 0;
  while (n - i >= 32) {
    const uint64_t kept = KeptBytesAvx2(s + i, 0, first_space_barred, &soft);
    const auto end = static_cast<unsigned>(__builtin_ctzll(~(kept & 0xFFFFFFFFu)));
    i += end;
    if (end != 32 && (end < 30 || (soft >> end & 1) == 0)) return i;
    first_space_barred = 0;
  }
  if (i == n) return i;
  const auto shift = static_cast<unsigned>(32 - (n - i));
  return i + static_cast<size_t>(
                 __builtin_ctzll(~KeptBytesAvx2(s + n - 32, shift, first_space_barred, &soft)));
}

/// ScanMatchKey's bulk from `i` on (in the run that started at `run`): the blocks that
/// SkipKeptBlocks passes and the characters between them that PastKeptCharacter passes.
/// Returns where the first character starts that neither passes. Requires `n >= 16`.
size_t SkipKept(const unsigned char* s, size_t n, size_t i, size_t run,
                const CodePointSet& keeps) {
  while (i < n) {
    i = SkipKeptBlocks(s, n, i, i > run);
    if (i == n) break;
    const size_t next = PastKeptCharacter(s, n, i, run, keeps);
    if (next == i) break;
    i = next;
  }
  return i;
}

/// SkipKept with SkipKeptBlocksAvx2: one call for the whole of the bulk, so that the
/// blocks' constants are set up once, not at each character between blocks. Requires
/// `n >= 32`.
__attribute__((target("avx2"))) size_t SkipKeptAvx2(const unsigned char* s, size_t n, size_t i,
                                                    size_t run, const CodePointSet& keeps) {
  while (i < n) {
    i = SkipKeptBlocksAvx2(s, n, i, i > run);
    if (i == n) break;
    const size_t next = PastKeptCharacter(s, n, i, run, keeps);
    if (next == i) break;
    i = next;
  }
  return i;
}
#else
size_t SkipKept(const unsigned char*, size_t, size_t i, size_t, const CodePointSet&) {
  return i;
}
size_t SkipKeptAvx2(const unsigned char*, size_t, size_t i, size_t, const CodePointSet&) {
  return i;
}
#endif

/// MatchKey in one pass, for text of ASCII, characters KeyKeepsAsIs, the spaces and zero-width
/// characters MatchKey collapses and removes, U+FF01..U+FF5E (folded to ASCII as NFKC does),
/// U+2026 (NFKC's `...`) and the characters with a KeyFoldOf (looked up in `*folds`, filled
/// from `nfkc`). All of these are NFKC-stable or map to stable starters, so nothing in such
/// text composes and NFKC acts on each character alone. Replaces `*key`; unless kDone it
/// then holds a part of the key. With `decoded` the text's references are already decoded
/// and `&` and `#` are text.
/// `kAvx2` takes SkipKeptAvx2 for the bulk of lines of 32 bytes or more (setup.wide); the
/// function this is inlined into then needs the AVX2 target.
template <bool kAvx2>
inline __attribute__((always_inline)) KeyScan ScanMatchKeyWith(
    std::string_view text, bool decoded, const KeyScanSetup& setup,
    const icu::Normalizer2* nfkc, std::unordered_map<UChar32, std::string>* folds,
    std::string* key) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  const CodePointSet& keeps = *setup.keeps;
  const bool skip_blocks = setup.skip_blocks;
  // No character makes the key longer (U+2026 is three bytes, as is `...`), so it is written
  // in place and cut to length at the end. The key's old bytes are overwritten: only growth
  // past them costs a fill (and a call).
  if (key->size() < n) key->resize(n);
  char* const out = &(*key)[0];
  size_t written = 0;
  size_t run = 0;              // where the kept bytes not yet written start
  bool space_pending = false;  // whitespace since the last kept character
  auto write_run = [&](size_t end) {
    std::memcpy(out + written, text.data() + run, end - run);
    written += end - run;
  };
  // Before a kept character: the whitespace before it becomes one space, unless it led the
  // line. Whitespace writes the run before it, so `out` then holds all that precedes.
  auto write_pending_space = [&]() {
    if (written != 0) out[written++] = ' ';
    space_pending = false;
  };
  size_t i = 0;
  while (i < n) {
    // The bulk of a line: kept ASCII text and kept three-byte characters (Han, kana, CJK
    // punctuation), which need nothing but a check.
    const size_t start = i;
    if (skip_blocks && n >= 16) {
      if constexpr (kAvx2) {
        i = n >= 32 ? SkipKeptAvx2(s, n, i, run, keeps) : SkipKept(s, n, i, run, keeps);
      } else {
        i = SkipKept(s, n, i, run, keeps);
      }
    } else {
      for (size_t next; i < n && (next = PastKeptCharacter(s, n, i, run, keeps)) != i;) i = next;
    }
    if (i > start && space_pending) write_pending_space();
    if (i == n) break;
    const KeyByte kind = kKeyBytes[s[i]];
    if (kind == KeyByte::kReference) {
      if (!decoded && MayStartReference(s, n, i)) {
        // Most references in scraped Chinese text stand for full-width punctuation
        // (`&#xff0c;`): decoded here, as the decoder would, and read as if written so.
        size_t end = 0;
        const int32_t c = s[i] == '&' ? ContextFreeThreeByteReferenceAt(text, i, &end) : -1;
        const bool full_width = c >= 0xFF01 && c <= 0xFF5E;
        if (c < 0 || (!full_width && !keeps.Contains(c))) return KeyScan::kHasReference;
        write_run(i);
        run = end;
        if (space_pending) write_pending_space();
        if (full_width) {
          out[written++] = static_cast<char>(c - 0xFEE0);
        } else {
          out[written++] = static_cast<char>(0xE0 | (c >> 12));
          out[written++] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
          out[written++] = static_cast<char>(0x80 | (c & 0x3F));
        }
        i = end;
        continue;
      }
      if (space_pending) write_pending_space();
      ++i;
      continue;
    }
    if (kind == KeyByte::kSpace) {
      write_run(i);
      space_pending = true;
      run = ++i;
      continue;
    }
    if (kind == KeyByte::kInvalid) return KeyScan::kNeedsIcu;
    size_t length = 0;
    const int32_t c = DecodeKeyCharacterAt(s, n, i, &length);
    if (c < 0) return KeyScan::kNeedsIcu;
    if (keeps.Contains(c)) {
      if (space_pending) write_pending_space();
      i += length;
      continue;
    }
    write_run(i);
    run = i + length;
    if (c >= 0xFF01 && c <= 0xFF5E) {  // neither a space nor zero-width: asked first
      if (space_pending) write_pending_space();
      out[written++] = static_cast<char>(c - 0xFEE0);
    } else if (SpaceLengthAt(s, n, i) != 0) {
      space_pending = true;  // U+3000 too, which folding would make a space
    } else if (ZeroWidthAt(s, n, i)) {
      // removed, and a pending space stays pending
    } else if (c == 0x2026) {
      if (space_pending) write_pending_space();
      std::memcpy(out + written, "...", 3);
      written += 3;
    } else {
      auto found = folds->find(c);
      if (found == folds->end()) found = folds->emplace(c, KeyFoldOf(nfkc, c, length)).first;
      const std::string& fold = found->second;
      if (fold.empty()) return KeyScan::kNeedsIcu;
      if (space_pending) write_pending_space();
      std::memcpy(out + written, fold.data(), fold.size());
      written += fold.size();
    }
    i += length;
  }
  write_run(n);
  key->erase(written);
  return KeyScan::kDone;
}

KeyScan ScanMatchKeySse2(std::string_view text, bool decoded, const KeyScanSetup& setup,
                         const icu::Normalizer2* nfkc,
                         std::unordered_map<UChar32, std::string>* folds, std::string* key) {
  return ScanMatchKeyWith<false>(text, decoded, setup, nfkc, folds, key);
}

#if defined(__SSE2__)
/// ScanMatchKey built for AVX2 as a whole, so that SkipKeptAvx2 is inlined into it: called for
/// each stretch of a line's bulk, SkipKeptAvx2 set up its constants and saved its registers
/// anew each time.
__attribute__((target("avx2"))) KeyScan ScanMatchKeyAvx2(
    std::string_view text, bool decoded, const KeyScanSetup& setup,
    const icu::Normalizer2* nfkc, std::unordered_map<UChar32, std::string>* folds,
    std::string* key) {
  return ScanMatchKeyWith<true>(text, decoded, setup, nfkc, folds, key);
}
#else
KeyScan ScanMatchKeyAvx2(std::string_view text, bool decoded, const KeyScanSetup& setup,
                         const icu::Normalizer2* nfkc,
                         std::unordered_map<UChar32, std::string>* folds, std::string* key) {
  return ScanMatchKeyWith<false>(text, decoded, setup, nfkc, folds, key);
}
#endif

/// MatchKey's single pass (see ScanMatchKeyWith) with the widest block scan the CPU has.
KeyScan ScanMatchKey(std::string_view text, bool decoded, const KeyScanSetup& setup,
                     const icu::Normalizer2* nfkc,
                     std::unordered_map<UChar32, std::string>* folds, std::string* key) {
  return setup.wide ? ScanMatchKeyAvx2(text, decoded, setup, nfkc, folds, key)
                    : ScanMatchKeySse2(text, decoded, setup, nfkc, folds, key);
}

// --- Characterwise keys (KeyIsCharacterwise) ----------------------------------------------

/// What a character is in a key made of its characters' images (see KeyIsCharacterwise).
enum class CharacterImage : uint8_t {
  kNone,    // not a character whose image is fixed: the key must be made
  kItself,  // in the key as it is in the line
  kSpace,   // whitespace: separates, and runs of it collapse
  kFolded,  // one ASCII character (U+FF01..U+FF5E, a reference to one), or `...` (U+2026)
};

/// Each ASCII byte once, for views of a single ASCII character.
constexpr std::array<char, 128> MakeAsciiCharacters() {
  std::array<char, 128> characters{};
  for (size_t b = 0; b < characters.size(); ++b) characters[b] = static_cast<char>(b);
  return characters;
}

constexpr std::array<char, 128> kAsciiCharacters = MakeAsciiCharacters();

/// The length of the reference cut short by a teaser's marker at `s[i]`, an `&`: `&#`,
/// maybe an `x`, the digits left, then nothing but the marker (`…`, `.`) and spaces to the
/// end, which the decoder leaves as written (`&#xff0…`, not `&#xff0c…`); 0 for anything
/// else. Asked of the decoder, on the line's end alone: it decodes a numeric reference, or
/// keeps it, by the reference and what follows it, and what precedes it can only make it
/// keep more (WouldJoinKeptReference). Rare: not inlined.
__attribute__((noinline)) size_t CutReferenceLength(const unsigned char* s, size_t n, size_t i) {
  size_t end = i + 2;
  if (end > n || s[i + 1] != '#') return 0;
  if (end < n && (s[end] | 0x20u) == 'x') ++end;
  while (end < n && std::isxdigit(s[end]) != 0) ++end;
  for (size_t k = end; k < n;) {
    if (s[k] == '.' || s[k] == ' ' || s[k] == '\t') {
      ++k;
    } else if (n - k >= 3 && s[k] == 0xE2 && s[k + 1] == 0x80 && s[k + 2] == 0xA6) {
      k += 3;
    } else {
      return 0;
    }
  }
  const std::string_view rest(reinterpret_cast<const char*>(s) + i, n - i);
  std::string decoded;
  DecodeEntities(rest, EntityDecodeOptions{EntityMode::kScrape}, &decoded);
  return decoded == rest ? end - i : 0;
}

/// The character at `s[i]` as KeyIsCharacterwise reads it, on the same tests as
/// ScanMatchKeyWith (which decides what MatchKey makes of it): sets `*length` to its bytes
/// and, for kFolded, `*ascii` to its image's first byte.
inline __attribute__((always_inline)) CharacterImage CharacterImageAt(
    const unsigned char* s, size_t n, size_t i, const CodePointSet& keeps, size_t* length,
    char* ascii) {
  const unsigned b = s[i];
  *length = 1;
  switch (kKeyBytes[b]) {
    case KeyByte::kText:  // controls and DEL too, which the key copies as well
      return CharacterImage::kItself;
    case KeyByte::kSpace:
      return CharacterImage::kSpace;
    case KeyByte::kReference: {
      if (!MayStartReference(s, n, i)) return CharacterImage::kItself;
      if (b != '&') return CharacterImage::kNone;  // `#x...`: the decoder's lost `&`
      size_t end = 0;
      const int32_t c = ContextFreeThreeByteReferenceAt(
          std::string_view(reinterpret_cast<const char*>(s), n), i, &end);
      if (c < 0) {
        *length = CutReferenceLength(s, n, i);
        return *length != 0 ? CharacterImage::kItself : CharacterImage::kNone;
      }
      if (c < 0xFF01 || c > 0xFF5E) return CharacterImage::kNone;
      *length = end - i;
      *ascii = static_cast<char>(c - 0xFEE0);
      return CharacterImage::kFolded;
    }
    case KeyByte::kInvalid:
      return CharacterImage::kNone;
    case KeyByte::kMultiByte:
      break;
  }
  const int32_t c = DecodeKeyCharacterAt(s, n, i, length);
  if (c < 0) return CharacterImage::kNone;
  if (keeps.Contains(c)) return CharacterImage::kItself;
  if (c >= 0xFF01 && c <= 0xFF5E) {
    *ascii = static_cast<char>(c - 0xFEE0);
    return CharacterImage::kFolded;
  }
  if (c == 0x2026) {
    *ascii = '.';
    return CharacterImage::kFolded;
  }
  // Zero-width characters and what NFKC changes otherwise are not in the set.
  return SpaceLengthAt(s, n, i) != 0 ? CharacterImage::kSpace : CharacterImage::kNone;
}

/// KeyIsCharacterwise from `i` (a character boundary) on, a character at a time. Adds the
/// images of folded characters to `*folded`.
bool RestIsCharacterwise(const unsigned char* s, size_t n, size_t i, const CodePointSet& keeps,
                         std::bitset<128>* folded) {
  while (i < n) {
    size_t length = 0;
    char ascii = 0;
    const CharacterImage image = CharacterImageAt(s, n, i, keeps, &length, &ascii);
    if (image == CharacterImage::kNone) return false;
    if (image == CharacterImage::kFolded) folded->set(static_cast<unsigned char>(ascii));
    i += length;
  }
  return true;
}

#if defined(__SSE2__)
/// From a block's masks (bit k for byte k), whatever the vector width: the bytes
/// RestIsCharacterwiseWith passes on their shape alone: ASCII but `&` and `#` (`others` has
/// the bytes 80..FF, `&` and `#`), and the well-formed characters with a lead byte E4..E9
/// (see WholeThreeByteCharacters), whose first bytes `*starts` gets. The block starts a
/// character, so no lead before it makes a byte in it pass.
template <class Mask>
inline Mask CharacterwiseBytesOfMasks(Mask others, Mask lead, Mask trail, Mask* starts) {
  *starts = ThreeByteStarts(lead, trail);
  return ~others | WholeThreeByteCharacters(lead, trail);
}

/// KeyIsCharacterwise's blocks of 16 bytes (SSE2), with the compares' constants, made once
/// per line.
struct CharacterwiseBlocks16 {
  static constexpr size_t kWidth = 16;

  /// The bytes of the block at `p` that pass on their shape (bit k for byte k), and in
  /// `*starts` the first bytes of the three-byte characters among them.
  uint64_t PlainBytes(const unsigned char* p, uint64_t* starts) const {
    // Signed compares: bytes 80..FF are the negative values -128..-1.
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const auto mask = [](__m128i m) {
      return uint64_t{static_cast<uint32_t>(_mm_movemask_epi8(m))};
    };
    // The high bit of a byte of `v` is set for 80..FF already.
    const __m128i others =
        _mm_or_si128(v, _mm_or_si128(_mm_cmpeq_epi8(v, ampersand), _mm_cmpeq_epi8(v, hash)));
    return CharacterwiseBytesOfMasks<uint64_t>(
               mask(others),
               mask(_mm_and_si128(_mm_cmpgt_epi8(v, below_e4), _mm_cmplt_epi8(v, above_e9))),
               mask(_mm_cmplt_epi8(v, lead_c0)), starts) &
           0xFFFF;
  }

  __m128i below_e4 = _mm_set1_epi8(static_cast<char>(0xE3));
  __m128i above_e9 = _mm_set1_epi8(static_cast<char>(0xEA));
  __m128i lead_c0 = _mm_set1_epi8(static_cast<char>(0xC0));
  __m128i ampersand = _mm_set1_epi8('&');
  __m128i hash = _mm_set1_epi8('#');
};

/// KeyIsCharacterwise's blocks of 64 bytes (two AVX2 vectors), as CharacterwiseBlocks16:
/// the masks' bookkeeping is shared by twice the bytes.
struct CharacterwiseBlocks64 {
  static constexpr size_t kWidth = 64;

  __attribute__((target("avx2"))) CharacterwiseBlocks64()
      : below_e4(Load(kBelowE4Bytes)),
        above_e9(Load(kAboveE9Bytes)),
        lead_c0(Load(kLeadC0Bytes)),
        ampersand(Load(kAmpersandBytes)),
        hash(Load(kHashBytes)) {}

  /// As CharacterwiseBlocks16::PlainBytes.
  __attribute__((target("avx2"))) uint64_t PlainBytes(const unsigned char* p,
                                                      uint64_t* starts) const {
    uint64_t others = 0;
    uint64_t lead = 0;
    uint64_t trail = 0;
    for (unsigned half = 0; half < 2; ++half) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * half));
      const __m256i odd = _mm256_or_si256(
          v, _mm256_or_si256(_mm256_cmpeq_epi8(v, ampersand), _mm256_cmpeq_epi8(v, hash)));
      others |= internal::Avx2ByteMask(odd) << (32 * half);
      lead |= internal::Avx2ByteMask(_mm256_and_si256(_mm256_cmpgt_epi8(v, below_e4),
                                                      _mm256_cmpgt_epi8(above_e9, v)))
              << (32 * half);
      trail |= internal::Avx2ByteMask(_mm256_cmpgt_epi8(lead_c0, v)) << (32 * half);
    }
    return CharacterwiseBytesOfMasks<uint64_t>(others, lead, trail, starts);
  }

  __m256i below_e4;
  __m256i above_e9;
  __m256i lead_c0;
  __m256i ampersand;
  __m256i hash;
};

/// RestIsCharacterwise a block at a step: the bytes PlainBytes passes need no more look, the
/// others are read a character at a time. A whole block decides its first `kWidth - 2`
/// bytes, and the character that starts among them and ends past them: a lead in its last
/// two bytes is read whole in the next block. The last bytes that do not fill one are looked
/// at in the block that ends with the text. Requires `n >= Blocks::kWidth`, and that the key
/// keeps the characters with lead bytes E4..E9.
template <class Blocks>
inline __attribute__((always_inline)) bool RestIsCharacterwiseWith(const unsigned char* s,
                                                                   size_t n, size_t i,
                                                                   const CodePointSet& keeps,
                                                                   std::bitset<128>* folded) {
  constexpr size_t kWidth = Blocks::kWidth;
  constexpr size_t kDecided = kWidth - 2;
  const Blocks blocks;
  while (i < n) {
    uint64_t starts = 0;
    uint64_t others = 0;
    size_t next = 0;
    if (n - i >= kWidth) {
      others = ~blocks.PlainBytes(s + i, &starts) & ((uint64_t{1} << kDecided) - 1);
      // A three-byte character from one of the two bytes before the decided ones ends past
      // them, by one byte or two.
      next = i + kDecided + (starts >> (kDecided - 2) & 1) + 2 * (starts >> (kDecided - 1) & 1);
    } else {
      const size_t width = n - i;
      others = ~blocks.PlainBytes(s + n - kWidth, &starts) >> (kWidth - width) &
               ((uint64_t{1} << width) - 1);
      next = n;
    }
    while (others != 0) {
      const auto offset = static_cast<unsigned>(__builtin_ctzll(others));
      const size_t at = i + offset;
      size_t length = 0;
      char ascii = 0;
      const CharacterImage image = CharacterImageAt(s, n, at, keeps, &length, &ascii);
      if (image == CharacterImage::kNone) return false;
      if (image == CharacterImage::kFolded) folded->set(static_cast<unsigned char>(ascii));
      // A character past the decided bytes (a reference): the next block starts after it.
      if (at + length >= next) {
        next = at + length;
        break;
      }
      others &= ~uint64_t{0} << (offset + length);
    }
    i = next;
  }
  return true;
}

bool RestIsCharacterwise16(const unsigned char* s, size_t n, size_t i, const CodePointSet& keeps,
                           std::bitset<128>* folded) {
  return RestIsCharacterwiseWith<CharacterwiseBlocks16>(s, n, i, keeps, folded);
}

/// Built for AVX2 as a whole, so that the blocks' compares are inlined into the loop.
__attribute__((target("avx2"))) bool RestIsCharacterwise64(const unsigned char* s, size_t n,
                                                           size_t i, const CodePointSet& keeps,
                                                           std::bitset<128>* folded) {
  return RestIsCharacterwiseWith<CharacterwiseBlocks64>(s, n, i, keeps, folded);
}
#endif

/// What the repair scan does with a byte where a character starts.
enum class RepairByte : uint8_t {
  kText,        // ASCII that Repair keeps: printable, tab, LF
  kUnderscore,  // may start `_x000D_`
  kControl,     // another C0 control or DEL
  kMultiByte,   // a UTF-8 lead byte
  kInvalid,     // a trail byte or one that never occurs in UTF-8
};

constexpr std::array<RepairByte, 256> MakeRepairBytes() {
  std::array<RepairByte, 256> bytes{};
  for (unsigned b = 0; b < 0x80; ++b) {
    bytes[b] = b < 0x20 || b == 0x7F ? RepairByte::kControl : RepairByte::kText;
  }
  bytes['\t'] = RepairByte::kText;
  bytes['\n'] = RepairByte::kText;
  bytes['_'] = RepairByte::kUnderscore;
  for (unsigned b = 0x80; b < 0x100; ++b) {
    bytes[b] = b >= 0xC2 && b <= 0xF4 ? RepairByte::kMultiByte : RepairByte::kInvalid;
  }
  return bytes;
}

constexpr std::array<RepairByte, 256> kRepairBytes = MakeRepairBytes();

/// True when Repair under `form` keeps every character with a lead byte E4..E9 as it is (see
/// KeyKeepsLeadsE4ToE9).
bool RepairKeepsLeadsE4ToE9(NormalForm form) {
  // One answer per form, each asked on first use: a set costs milliseconds to build.
  switch (form) {
    case NormalForm::kNfc: {
      static const bool keeps = RepairKeepsSet(form).ContainsAll(0x4000, 0x9FFF);
      return keeps;
    }
    case NormalForm::kNfkc: {
      static const bool keeps = RepairKeepsSet(form).ContainsAll(0x4000, 0x9FFF);
      return keeps;
    }
    case NormalForm::kNone:
      break;
  }
  static const bool keeps = RepairKeepsSet(NormalForm::kNone).ContainsAll(0x4000, 0x9FFF);
  return keeps;
}

#if defined(__SSE2__)
/// RepairKeepsAll's bulk 16 bytes a step: returns the first offset at or after `i` (a
/// character boundary) where a character starts that is neither printable ASCII other than
/// `_` nor a well-formed character with lead byte E4..E9. Requires `n >= 16`.
size_t SkipRepairKeptBlocks(const unsigned char* s, size_t n, size_t i) {
  // As in SkipKeptBlocks.
  auto kept_bytes = [](const unsigned char* p, unsigned shift, uint32_t* soft) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i other = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)),
                                       _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
    const uint32_t text = static_cast<uint32_t>(_mm_movemask_epi8(
                              _mm_andnot_si128(other, _mm_cmpgt_epi8(v, _mm_set1_epi8(0x1F))))) >>
                          shift;
    return (text | ThreeByteE4ToE9Bits(v, shift, soft)) & 0xFFFF;
  };
  uint32_t soft = 0;
  while (n - i >= 16) {
    const auto end = static_cast<uint32_t>(__builtin_ctz(~kept_bytes(s + i, 0, &soft)));
    i += end;
    // A lead in the block's last two bytes: the next step starts there.
    if (end != 16 && (end < 14 || (soft >> end & 1) == 0)) return i;
  }
  if (i == n) return i;
  const auto shift = static_cast<unsigned>(16 - (n - i));
  return i + static_cast<uint32_t>(__builtin_ctz(~kept_bytes(s + n - 16, shift, &soft)));
}
#else
size_t SkipRepairKeptBlocks(const unsigned char*, size_t, size_t i) { return i; }
#endif

/// True when Repair under `form` returns `text` as it is and counts nothing, told in one pass:
/// no control, `_x000D_`, odd space or zero-width character, and only characters `form`
/// leaves alone whatever their neighbours. False means only that the general path decides.
bool RepairKeepsAll(std::string_view text, NormalForm form) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  const CodePointSet& keeps = RepairKeepsSet(form);
  const bool skip_blocks = RepairKeepsLeadsE4ToE9(form);
  size_t i = 0;
  while (i < n) {
    if (skip_blocks && n >= 16) {
      i = SkipRepairKeptBlocks(s, n, i);
      if (i == n) break;
    }
    // The bulk: kept ASCII and three-byte characters, as in ScanMatchKey.
    const RepairByte kind = kRepairBytes[s[i]];
    if (kind == RepairByte::kText) {
      ++i;
      continue;
    }
    if (keeps.ContainsThreeByteAt(s, n, i)) {
      i += 3;
      continue;
    }
    switch (kind) {
      case RepairByte::kUnderscore: {
        size_t length = 0;
        if (RepairableAt(s, n, i, &length) != Repairable::kNone) return false;
        ++i;
        break;
      }
      case RepairByte::kMultiByte: {
        size_t length = 0;
        const int32_t c = DecodeUtf8(s, n, i, &length);
        if (c < 0 || !keeps.Contains(c)) return false;
        i += length;
        break;
      }
      case RepairByte::kControl:
      case RepairByte::kInvalid:
        return false;
      case RepairByte::kText:  // taken above
        break;
    }
  }
  return true;
}

}  // namespace

TextNormalizer::TextNormalizer() : impl_(new Impl) {
  UErrorCode status = U_ZERO_ERROR;
  impl_->nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) impl_->nfc = nullptr;
  status = U_ZERO_ERROR;
  impl_->nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) impl_->nfkc = nullptr;
}

TextNormalizer::~TextNormalizer() { delete impl_; }

bool TextNormalizer::ok() const { return impl_->nfc != nullptr && impl_->nfkc != nullptr; }

void TextNormalizer::MatchKey(std::string_view line, std::string* key) {
  Impl& m = *impl_;
  // The scan folds U+2026 as NFKC does, so it needs the NFKC the general path would apply
  // (which skips lines too long for ICU's lengths).
  if (m.nfkc == nullptr || line.size() > kLongestForIcu) {
    MatchKeyReference(line, key);
    return;
  }
  m.SetUpKeyScan();
  const KeyScan scan =
      ScanMatchKey(line, /*decoded=*/false, m.key_scan, m.nfkc, &m.key_folds, key);
  if (scan == KeyScan::kDone) return;
  key->clear();
  if (scan == KeyScan::kNeedsIcu) {
    MatchKeyReference(line, key);
    return;
  }
  // The line holds a reference: decode it as the general path does, then scan again.
  m.decoded.clear();
  DecodeEntities(line, EntityDecodeOptions{EntityMode::kScrape}, &m.decoded);
  if (m.decoded.size() <= kLongestForIcu &&
      ScanMatchKey(m.decoded, /*decoded=*/true, m.key_scan, m.nfkc, &m.key_folds, key) ==
          KeyScan::kDone) {
    return;
  }
  key->clear();
  m.AppendKeyOfDecoded(m.decoded, key);
}

void TextNormalizer::Impl::SetUpKeyScan() {
  if (key_scan.keeps != nullptr) return;
  key_scan.keeps = &KeyKeepsSet();
  key_scan.skip_blocks = KeyKeepsLeadsE4ToE9();
  key_scan.wide = internal::UseAvx2Scans();
}

bool TextNormalizer::KeyIsCharacterwise(std::string_view line, CharacterwiseKey* key) {
  Impl& m = *impl_;
  // Where MatchKey takes the general path, so does anything that stands in for it.
  if (m.nfkc == nullptr || line.size() > kLongestForIcu) return false;
  m.SetUpKeyScan();
  const auto* s = reinterpret_cast<const unsigned char*>(line.data());
  const size_t n = line.size();
  const CodePointSet& keeps = *m.key_scan.keeps;
  key->folded.reset();
  // The whitespace the key does not start with, then the character it starts with.
  size_t i = 0;
  size_t length = 0;
  char ascii = 0;
  CharacterImage image = CharacterImage::kSpace;
  for (; i < n; i += length) {
    image = CharacterImageAt(s, n, i, keeps, &length, &ascii);
    if (image != CharacterImage::kSpace) break;
  }
  if (i == n || image == CharacterImage::kNone) return false;
  if (image == CharacterImage::kFolded) {
    const auto b = static_cast<unsigned char>(ascii);
    key->folded.set(b);
    key->start = std::string_view(&kAsciiCharacters[b], 1);
  } else {
    key->start = line.substr(i, s[i] < 0x80 ? 1 : length);  // a cut reference is ASCII
  }
  i += length;
#if defined(__SSE2__)
  if (m.key_scan.skip_blocks) {
    if (m.key_scan.wide && n >= 64) return RestIsCharacterwise64(s, n, i, keeps, &key->folded);
    if (n >= 16) return RestIsCharacterwise16(s, n, i, keeps, &key->folded);
  }
#endif
  return RestIsCharacterwise(s, n, i, keeps, &key->folded);
}

void TextNormalizer::MatchKeyReference(std::string_view line, std::string* key) {
  Impl& m = *impl_;
  key->clear();
  std::string_view text = line;
  if (MayContainEntity(text)) {
    m.decoded.clear();
    DecodeEntities(text, EntityDecodeOptions{EntityMode::kScrape}, &m.decoded);
    text = m.decoded;
  }
  m.AppendKeyOfDecoded(text, key);
}

void TextNormalizer::Impl::AppendKeyOfDecoded(std::string_view text, std::string* key) {
  if (!IsAscii(text)) {
    // Zero-width characters go before NFKC so that what they separated can compose.
    const size_t zero_width = FindZeroWidth(text);
    if (zero_width != std::string_view::npos) {
      stripped.clear();
      AppendWithoutZeroWidth(text, zero_width, &stripped);
      text = stripped;
    }
    // Full-width ASCII forms and U+3000 are what most Chinese lines need NFKC for; folding them
    // here (as NFKC would) leaves most lines already normal, so ICU only checks them.
    if (FoldFullWidthForms(text, &folded)) text = folded;
    if (NormalizeInto(nfkc, text, &normalized)) text = normalized;
  }
  AppendCollapsed(text, key);
}

void TextNormalizer::Repair(std::string_view text, NormalForm form, std::string* out,
                            SpaceRepairCounts* counts) {
  if (RepairKeepsAll(text, form)) {
    out->assign(text.data(), text.size());
    return;
  }
  // Most lines that get here only had an odd space or a zero-width character; once those
  // are gone, the same one pass tells that `form` changes nothing, without asking ICU.
  const std::string_view cleaned = RemoveRepairables(text, counts);
  // With nothing removed the one pass has already said no.
  if (cleaned.data() != text.data() && RepairKeepsAll(cleaned, form)) {
    out->assign(cleaned.data(), cleaned.size());
    return;
  }
  if (Normalize(cleaned, form, out)) ++counts->normalized;
}

void TextNormalizer::RepairReference(std::string_view text, NormalForm form, std::string* out,
                                     SpaceRepairCounts* counts) {
  const std::string_view cleaned = RemoveRepairables(text, counts);
  if (Normalize(cleaned, form, out)) ++counts->normalized;
}

std::string_view TextNormalizer::RemoveRepairables(std::string_view text,
                                                   SpaceRepairCounts* counts) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t len = 0;
  Repairable kind = Repairable::kNone;
  size_t i = FindRepairable(s, n, 0, &len, &kind);
  if (i == n) return text;
  std::string& r = impl_->repaired;
  r.clear();
  size_t copied = 0;
  for (; i < n; i = FindRepairable(s, n, i + len, &len, &kind)) {
    // A joiner between two emoji stays, as part of the next copied run.
    if (kind == Repairable::kJoiner && JoinsEmoji(CodePointBefore(s, n, i)) &&
        JoinsEmoji(CodePointAt(s, n, i + len))) {
      continue;
    }
    r.append(text.data() + copied, i - copied);
    copied = i + len;
    switch (kind) {
      case Repairable::kOddSpace:
        r.push_back(' ');
        ++counts->odd_spaces;
        break;
      case Repairable::kZeroWidth:
      case Repairable::kJoiner:
        ++counts->zero_width;
        break;
      case Repairable::kControl:
        ++counts->controls;
        break;
      case Repairable::kNone:
        break;
    }
  }
  r.append(text.data() + copied, n - copied);
  return r;
}

bool TextNormalizer::Normalize(std::string_view text, NormalForm form, std::string* out) {
  if (NormalizeInto(impl_->NormalizerFor(form), text, out)) return true;
  out->assign(text.data(), text.size());
  return false;
}

char32_t DecodeCodePointAt(std::string_view text, size_t i, size_t* length) {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) {
    *length = 1;
    return lead;
  }
  const size_t n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  if (i + n > text.size()) {
    *length = 1;
    return 0xFFFD;
  }
  char32_t c = lead & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  *length = n;
  return c;
}

size_t CountCodePoints(std::string_view text) {
  size_t n = text.size();
  size_t i = 0;
#if defined(__SSE2__)
  // Sixteen bytes a step: each byte of `tally` counts the continuation bytes (80..BF, the
  // signed values below -64) seen in its column, for at most 255 steps before the columns
  // are summed.
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const __m128i lead_c0 = _mm_set1_epi8(static_cast<char>(0xC0));
  while (text.size() - i >= 16) {
    const size_t steps = std::min<size_t>((text.size() - i) / 16, 255);
    __m128i tally = _mm_setzero_si128();
    for (size_t step = 0; step < steps; ++step, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      tally = _mm_sub_epi8(tally, _mm_cmplt_epi8(v, lead_c0));
    }
    const __m128i sums = _mm_sad_epu8(tally, _mm_setzero_si128());  // one per 8 columns
    n -= static_cast<size_t>(_mm_cvtsi128_si32(sums)) +
         static_cast<size_t>(_mm_extract_epi16(sums, 4));
  }
#endif
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    // A continuation byte has bit 7 set and bit 6 clear: one mark per such byte, at bit 0 of
    // its byte, summed by a multiply (no popcnt instruction in the baseline x86-64 target).
    const uint64_t marks = (word & ~(word << 1) & 0x8080808080808080ULL) >> 7;
    n -= static_cast<size_t>((marks * 0x0101010101010101ULL) >> 56);
  }
  for (; i < text.size(); ++i) n -= (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
  return n;
}

bool IsCjkCodePoint(char32_t c) {
  if (c < 0x1100) return false;
  return (c <= 0x11FF) ||                   // Hangul Jamo
         (c >= 0x2E80 && c <= 0x2FFF) ||    // CJK and Kangxi radicals, description characters
         (c >= 0x3000 && c <= 0x303F) ||    // CJK symbols and punctuation, U+3000 included
         (c >= 0x3040 && c <= 0x30FF) ||    // Hiragana, Katakana
         (c >= 0x3100 && c <= 0x31FF) ||    // Bopomofo, Hangul compatibility Jamo, kanbun,
                                            // CJK strokes, Katakana phonetic extensions
         (c >= 0x3200 && c <= 0x33FF) ||    // enclosed CJK letters, CJK compatibility
         (c >= 0x3400 && c <= 0x4DBF) ||    // Han extension A
         (c >= 0x4E00 && c <= 0x9FFF) ||    // Han unified ideographs
         (c >= 0xA960 && c <= 0xA97F) ||    // Hangul Jamo extended A
         (c >= 0xAC00 && c <= 0xD7FF) ||    // Hangul syllables, Jamo extended B
         (c >= 0xF900 && c <= 0xFAFF) ||    // CJK compatibility ideographs
         (c >= 0xFE10 && c <= 0xFE1F) ||    // vertical forms of CJK punctuation
         (c >= 0xFE30 && c <= 0xFE4F) ||    // CJK compatibility forms
         (c >= 0xFF00 && c <= 0xFFEF) ||    // half-width and full-width forms
         (c >= 0x1B000 && c <= 0x1B16F) ||  // Kana supplement and extensions
         (c >= 0x20000 && c <= 0x3FFFF);    // Han extensions B..H and compatibility supplement
}

}  // namespace winnow

namespace winnow {

void TextNormalizer::ToSimplified(std::string_view text, std::string* out) {
  out->clear();
  if (!impl_->to_simplified && !impl_->to_simplified_failed) {
    UErrorCode status = U_ZERO_ERROR;
    impl_->to_simplified.reset(icu::Transliterator::createInstance(
        icu::UnicodeString::fromUTF8("Traditional-Simplified"), UTRANS_FORWARD, status));
    if (U_FAILURE(status)) {
      impl_->to_simplified.reset();
      impl_->to_simplified_failed = true;
    }
  }
  if (!impl_->to_simplified || IsAscii(text)) {
    out->assign(text);
    return;
  }
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  impl_->to_simplified->transliterate(unicode);
  unicode.toUTF8String(*out);
}

}  // namespace winnow

// Mojibake repair. Each candidate codec gets a table built once from ICU's converter: the
// byte each Unicode character came from. A line is mapped back to bytes through the table,
// well-formed UTF-8 sequences are found in those bytes, and each run of them is scored: how
// implausible the run is as text, and whether what it decodes to is plausible. The scores
// decide; see the class comment in the header for the rules.
#include "winnow/mojibake.h"

#include <unicode/ucnv.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace winnow {
namespace {

constexpr char32_t kNoCodePoint = 0xFFFFFFFF;

bool InRange(char32_t c, char32_t low, char32_t high) { return c >= low && c <= high; }

// --- codec tables -------------------------------------------------------------------------

struct SingleByteCodec {
  // (code point, byte) for bytes 0x80..0xFF, sorted by code point; a code point may appear
  // twice when a byte has two readings (windows-1252's `€` and Latin-1's U+0080).
  std::vector<std::pair<char32_t, uint8_t>> bytes;
  // Windows-1252 read with Latin-1's C1 controls: the commonest wrong decoder by far. Its
  // `Â` lead, its letters Š Œ Ž š œ ž Ÿ after a lead and a decoded C1 control (read in the
  // next round) count as evidence.
  bool windows_1252 = false;
  // The codec's reading of byte C3 (windows-1252 `Ã`, windows-1251 `Г`) is rare as a letter
  // before a continuation byte, and C3 leads every accented Latin letter in UTF-8.
  bool strong_c3 = false;

  int ByteOf(char32_t c) const {
    if (c < 0x80) return static_cast<int>(c);
    auto it = std::lower_bound(bytes.begin(), bytes.end(), std::make_pair(c, uint8_t{0}));
    return it != bytes.end() && it->first == c ? it->second : -1;
  }
};

struct Tables {
  bool ok = false;
  std::vector<SingleByteCodec> codecs;
  // For the fast path, per BMP code point: bit k is set when codec k reads it as a UTF-8
  // lead byte (C2..F4), resp. a continuation byte (80..BF); bit 7 stands for GBK (a
  // character outside GB2312 whose first byte is a lead, resp. any double-byte character).
  std::vector<uint8_t> lead_mask;
  std::vector<uint8_t> continuation_mask;
  std::vector<uint16_t> gbk;    // BMP code point -> GBK double-byte code, 0 for none
  std::vector<bool> gb2312;     // BMP code points in GB2312
  // windows-1252's reading of the bytes 0x80..0x9F, 0 where it has none (0x81, 0x8D, ...).
  char32_t c1_as_windows_1252[32] = {};
};

// Decodes `length` bytes with `converter`. Returns the single BMP character they stand for,
// or kNoCodePoint when they are unmapped (ICU substitutes U+FFFD or U+001A) or not one
// character.
char32_t DecodeWith(UConverter* converter, const char* bytes, int32_t length) {
  UChar out[4];
  UErrorCode status = U_ZERO_ERROR;
  ucnv_reset(converter);
  const int32_t n = ucnv_toUChars(converter, out, 4, bytes, length, &status);
  if (U_FAILURE(status) || n != 1 || out[0] == 0xFFFD || out[0] == 0x1A) return kNoCodePoint;
  if (out[0] >= 0xD800 && out[0] <= 0xDFFF) return kNoCodePoint;
  return out[0];
}

UConverter* OpenConverter(const char* name) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* converter = ucnv_open(name, &status);
  if (U_FAILURE(status)) return nullptr;
  // Report unmapped bytes as failures instead of substituting silently.
  status = U_ZERO_ERROR;
  ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  return converter;
}

/// DecodeWith of each two-byte sequence `lead` + `trails[k]` into `(*out)[k]`, read in one
/// conversion: the pairs are written one after another with a space after each, and ICU's
/// offsets tell which pair each character came from. Unmapped or ill-formed bytes are
/// substituted, so a pair stands for a character when exactly one came from its first byte,
/// none from its second, and it is no substitute. Returns false, for the caller to decode the pairs one at a time, when the
/// reading does not split into the pairs so (a space missing or read as part of a pair).
bool DecodePairs(UConverter* converter, unsigned lead, const std::vector<uint8_t>& trails,
                 std::vector<char32_t>* out) {
  std::vector<char> bytes;
  for (const uint8_t trail : trails) {
    bytes.push_back(static_cast<char>(lead));
    bytes.push_back(static_cast<char>(trail));
    bytes.push_back(' ');
  }
  std::vector<UChar> chars(bytes.size() + 1);
  std::vector<int32_t> offsets(chars.size());
  UErrorCode status = U_ZERO_ERROR;
  ucnv_reset(converter);
  ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_SUBSTITUTE, nullptr, nullptr, nullptr,
                      &status);
  if (U_FAILURE(status)) return false;
  UChar* target = chars.data();
  const char* source = bytes.data();
  ucnv_toUnicode(converter, &target, chars.data() + chars.size(), &source,
                 bytes.data() + bytes.size(), offsets.data(), /*flush=*/true, &status);
  if (U_FAILURE(status)) return false;
  const auto count = static_cast<size_t>(target - chars.data());
  out->assign(trails.size(), kNoCodePoint);
  std::vector<int> from_first(trails.size(), 0);
  std::vector<bool> spoilt(trails.size(), false);
  std::vector<bool> space_seen(trails.size(), false);
  for (size_t k = 0; k < count; ++k) {
    if (offsets[k] < 0) return false;
    const auto at = static_cast<size_t>(offsets[k]);
    const size_t pair = at / 3;
    if (pair >= trails.size()) return false;
    switch (at % 3) {
      case 0:
        ++from_first[pair];
        (*out)[pair] = chars[k];
        break;
      case 1:
        spoilt[pair] = true;
        break;
      default:
        if (chars[k] != ' ' || space_seen[pair]) return false;
        space_seen[pair] = true;
        break;
    }
  }
  for (size_t pair = 0; pair < trails.size(); ++pair) {
    if (!space_seen[pair]) return false;
    const char32_t c = (*out)[pair];
    if (from_first[pair] != 1 || spoilt[pair] || c == 0xFFFD || c == 0x1A ||
        (c >= 0xD800 && c <= 0xDFFF)) {
      (*out)[pair] = kNoCodePoint;
    }
  }
  return true;
}

/// DecodeWith of each pair `lead` + `trails[k]`, by DecodePairs when it can read them.
void DecodeAllPairs(UConverter* converter, unsigned lead, const std::vector<uint8_t>& trails,
                    std::vector<char32_t>* out) {
  if (DecodePairs(converter, lead, trails, out)) return;
  out->clear();
  UErrorCode status = U_ZERO_ERROR;
  ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  for (const uint8_t trail : trails) {
    const char pair[2] = {static_cast<char>(lead), static_cast<char>(trail)};
    out->push_back(DecodeWith(converter, pair, 2));
  }
}

bool BuildSingleByte(const char* name, bool latin1_fallback, SingleByteCodec* codec) {
  UConverter* converter = OpenConverter(name);
  if (converter == nullptr) return false;
  for (int b = 0x80; b <= 0xFF; ++b) {
    const char byte = static_cast<char>(b);
    char32_t c = DecodeWith(converter, &byte, 1);
    if (c != kNoCodePoint) codec->bytes.emplace_back(c, static_cast<uint8_t>(b));
    // Text that went through Latin-1 keeps U+0080..U+00FF, windows-1252 or not; in any
    // codec a C1 control is the byte itself, read by a sloppy decoder.
    if ((latin1_fallback || b < 0xA0) && c != static_cast<char32_t>(b)) {
      codec->bytes.emplace_back(static_cast<char32_t>(b), static_cast<uint8_t>(b));
    }
  }
  ucnv_close(converter);
  std::sort(codec->bytes.begin(), codec->bytes.end());
  return true;
}

Tables BuildTables() {
  Tables t;
  struct Spec {
    const char* name;
    bool latin1_fallback;
    bool windows_1252;
    bool strong_c3;
  };
  // Order matters only for ties: the first codec with the best score wins.
  const Spec specs[] = {
      {"windows-1252", true, true, true},     {"windows-1251", false, false, true},
      {"windows-1250", false, false, false},  {"macintosh", false, false, false},
      {"ibm-437", false, false, false},
  };
  for (const Spec& spec : specs) {
    SingleByteCodec codec;
    if (!BuildSingleByte(spec.name, spec.latin1_fallback, &codec)) return t;
    codec.windows_1252 = spec.windows_1252;
    codec.strong_c3 = spec.strong_c3;
    t.codecs.push_back(std::move(codec));
  }
  if (UConverter* windows_1252 = OpenConverter("windows-1252")) {
    for (int b = 0x80; b <= 0x9F; ++b) {
      const char byte = static_cast<char>(b);
      const char32_t c = DecodeWith(windows_1252, &byte, 1);
      if (c != kNoCodePoint && c >= 0xA0) t.c1_as_windows_1252[b - 0x80] = c;
    }
    ucnv_close(windows_1252);
  }
  t.lead_mask.assign(0x10000, 0);
  t.continuation_mask.assign(0x10000, 0);
  for (size_t k = 0; k < t.codecs.size(); ++k) {
    const auto bit = static_cast<uint8_t>(1u << k);
    for (const auto& [c, b] : t.codecs[k].bytes) {
      if (c >= 0x10000) continue;
      if (b >= 0xC2 && b <= 0xF4) t.lead_mask[c] |= bit;
      if (b >= 0x80 && b <= 0xBF) t.continuation_mask[c] |= bit;
    }
  }
  // A space may stand for a lost A0 byte and U+FFFD for a lost byte (see ReadSequence).
  t.continuation_mask[' '] = 0xFF;
  t.continuation_mask[0xFFFD] = 0xFF;

  UConverter* gbk = OpenConverter("GBK");
  UConverter* gb2312 = OpenConverter("GB2312");
  if (gbk == nullptr || gb2312 == nullptr) {
    if (gbk != nullptr) ucnv_close(gbk);
    if (gb2312 != nullptr) ucnv_close(gb2312);
    return t;
  }
  t.gbk.assign(0x10000, 0);
  t.gb2312.assign(0x10000, false);
  // A row of pairs at a time: one conversion each rather than one per pair (33 K of them).
  std::vector<uint8_t> gbk_trails;
  for (unsigned trail = 0x40; trail <= 0xFE; ++trail) {
    if (trail != 0x7F) gbk_trails.push_back(static_cast<uint8_t>(trail));
  }
  std::vector<uint8_t> gb2312_trails;
  for (unsigned trail = 0xA1; trail <= 0xFE; ++trail) {
    gb2312_trails.push_back(static_cast<uint8_t>(trail));
  }
  std::vector<char32_t> row;
  for (unsigned lead = 0x81; lead <= 0xFE; ++lead) {
    DecodeAllPairs(gbk, lead, gbk_trails, &row);
    for (size_t k = 0; k < gbk_trails.size(); ++k) {
      const char32_t c = row[k];
      if (c != kNoCodePoint && c >= 0x80 && t.gbk[c] == 0) {
        t.gbk[c] = static_cast<uint16_t>(lead << 8 | gbk_trails[k]);
      }
    }
    if (lead < 0xA1) continue;
    DecodeAllPairs(gb2312, lead, gb2312_trails, &row);
    for (const char32_t g : row) {
      if (g != kNoCodePoint) t.gb2312[g] = true;
    }
  }
  ucnv_close(gbk);
  ucnv_close(gb2312);
  for (char32_t c = 0x80; c < 0x10000; ++c) {
    const uint16_t code = t.gbk[c];
    if (code == 0) continue;
    t.continuation_mask[c] |= 0x80;
    if (code >= 0xC200 && code < 0xF500 && !t.gb2312[c]) t.lead_mask[c] |= 0x80;
  }
  t.ok = true;
  return t;
}

const Tables& GetTables() {
  static const Tables tables = BuildTables();
  return tables;
}

// --- character classes ----------------------------------------------------------------------

bool IsLetter(char32_t c) { return c != kNoCodePoint && u_isalpha(static_cast<UChar32>(c)); }
bool IsUpper(char32_t c) { return c != kNoCodePoint && u_isupper(static_cast<UChar32>(c)); }
bool IsLower(char32_t c) { return c != kNoCodePoint && u_islower(static_cast<UChar32>(c)); }
bool IsLetterOrDigit(char32_t c) {
  return c != kNoCodePoint && u_isalnum(static_cast<UChar32>(c));
}

UScriptCode ScriptOf(char32_t c) {
  UErrorCode status = U_ZERO_ERROR;
  UScriptCode script = uscript_getScript(static_cast<UChar32>(c), &status);
  return U_FAILURE(status) ? USCRIPT_INVALID_CODE : script;
}

// Punctuation and symbols that legitimately end a word, so that a lead letter before them
// is no evidence of mojibake (`VOCÊ…`, `NESTLÉ®`, `ZURÃœ` is not one of them).
bool MayEndWord(char32_t c) {
  switch (c) {
    case 0x2019: case 0x2018: case 0x201D: case 0x201C: case 0x2026: case 0x2122: case 0x00AE:
    case 0x00BB: case 0x00A1: case 0x00BF: case 0x00A0: case 0x00B4: case 0x00B0:
    case 0x2014: case 0x2013: case 0x201E: case 0x00B7:
      return true;
    default:
      return false;
  }
}

// Continuation characters that are no evidence at all: ordinary in some languages right
// after an accented capital (`DrÃ¥ber` is Danish `Dråber` read twice; `MÄ£ÄM` is leetspeak).
bool IsWeakContinuation(char32_t c) { return c == 0x00A5 || c == 0x00A3; }

// What a UTF-8 sequence may decode to for the repair to be plausible.
bool IsPlausibleDecoded(char32_t c) {
  if (InRange(c, 0x00A0, 0x00FF)) return true;
  if (InRange(c, 0x0100, 0x017F)) return c != 0x0138 && c != 0x0149 && c != 0x017F;
  if (c == 0x01A0 || c == 0x01A1 || c == 0x01AF || c == 0x01B0) return true;  // Vietnamese
  if (InRange(c, 0x01CD, 0x01DC) || InRange(c, 0x0218, 0x021B)) return true;  // pinyin, Romanian
  if (c == 0x02C6 || c == 0x02C7 || InRange(c, 0x02D8, 0x02DD)) return true;  // ˆ ˇ ˘ ˙ ˚ ˛ ˜ ˝
  // The common combining marks: accents, cedilla, ogonek, overlays.
  if (InRange(c, 0x0300, 0x0311) || InRange(c, 0x0323, 0x0328) || InRange(c, 0x0335, 0x0338)) {
    return true;
  }
  if (InRange(c, 0x0386, 0x03CE)) return true;  // Greek
  if (InRange(c, 0x0400, 0x045F) || c == 0x0490 || c == 0x0491) return true;  // Cyrillic
  if (InRange(c, 0x05D0, 0x05EA)) return true;  // Hebrew letters
  if (InRange(c, 0x0621, 0x064A) || InRange(c, 0x0660, 0x0669)) return true;  // Arabic
  if (InRange(c, 0x0900, 0x0DFF) || InRange(c, 0x0E01, 0x0E5B)) return true;  // Indic, Thai
  if (InRange(c, 0x1E00, 0x1EFF)) return true;  // Latin extended additional (Vietnamese)
  if (InRange(c, 0x2010, 0x2027) || InRange(c, 0x2030, 0x203A)) return true;
  if (c == 0x20AC || c == 0x2122 || InRange(c, 0x2190, 0x21FF) || InRange(c, 0x2200, 0x22FF)) {
    return true;
  }
  if (InRange(c, 0x2300, 0x23FF) || InRange(c, 0x2500, 0x25FF) || InRange(c, 0x2600, 0x27BF)) {
    return true;
  }
  if (c == 0x2800) return true;  // braille blank, used as a spacer
  if (InRange(c, 0x3000, 0x30FF) || InRange(c, 0x3400, 0x4DBF) || InRange(c, 0x4E00, 0x9FFF)) {
    return true;
  }
  if (InRange(c, 0xAC00, 0xD7A3) || InRange(c, 0xFF00, 0xFFEF)) return true;
  if (c == 0xFFFD || c == 0xFEFF || InRange(c, 0xFB00, 0xFB06)) return true;  // ligatures
  return InRange(c, 0x1F000, 0x1FAFF);
}

// --- UTF-8 --------------------------------------------------------------------------------

// Decodes valid UTF-8 into code points. Returns false on ill-formed input.
bool DecodeUtf8(std::string_view text, std::vector<char32_t>* out) {
  out->clear();
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    const unsigned b = s[i];
    if (b < 0x80) {
      out->push_back(b);
      ++i;
      continue;
    }
    size_t trail;
    char32_t c;
    unsigned low = 0x80, high = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      trail = 1;
      c = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      trail = 2;
      c = b & 0x0F;
      if (b == 0xE0) low = 0xA0;
      if (b == 0xED) high = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      trail = 3;
      c = b & 0x07;
      if (b == 0xF0) low = 0x90;
      if (b == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    for (size_t k = 1; k <= trail; ++k) {
      if (i + k >= n) return false;
      const unsigned t = s[i + k];
      if (t < low || t > high) return false;
      c = (c << 6) | (t & 0x3F);
      low = 0x80;
      high = 0xBF;
    }
    out->push_back(c);
    i += trail + 1;
  }
  return true;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// The lead byte `b` of a UTF-8 sequence of two to four bytes: how many continuation bytes
// follow, the value bits the lead carries, and the range the first continuation byte must be
// in (narrower after E0, F0 and F4, so overlongs and values past U+10FFFF are refused).
// False when `b` leads no such sequence.
bool ReadUtf8Lead(int b, size_t* trail, char32_t* value, int* low, int* high) {
  *low = 0x80;
  *high = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    *trail = 1;
    *value = static_cast<char32_t>(b & 0x1F);
  } else if (b >= 0xE0 && b <= 0xEF) {
    *trail = 2;
    *value = static_cast<char32_t>(b & 0x0F);
    if (b == 0xE0) *low = 0xA0;
  } else if (b >= 0xF0 && b <= 0xF4) {
    *trail = 3;
    *value = static_cast<char32_t>(b & 0x07);
    if (b == 0xF0) *low = 0x90;
    if (b == 0xF4) *high = 0x8F;
  } else {
    return false;
  }
  return true;
}

// Reads one UTF-8 sequence of at least two bytes from `bytes` at `i`, surrogates included.
// Returns its length (0 when none starts there) and sets `*c`.
size_t ReadRawMultiByte(const std::vector<int>& bytes, size_t i, char32_t* c) {
  auto at = [&bytes](size_t k) { return k < bytes.size() ? bytes[k] : -1; };
  size_t trail;
  char32_t value;
  int low, high;
  if (!ReadUtf8Lead(at(i), &trail, &value, &low, &high)) return 0;
  for (size_t k = 1; k <= trail; ++k) {
    const int t = at(i + k);
    if (t < low || t > high) return 0;
    value = (value << 6) | static_cast<char32_t>(t & 0x3F);
    low = 0x80;
    high = 0xBF;
  }
  *c = value;
  return trail + 1;
}

// Like ReadRawMultiByte, but a surrogate is valid only as the first half of a CESU-8 pair
// (ED A0..AF xx ED B0..BF xx), which counts as one six-byte sequence.
size_t ReadMultiByte(const std::vector<int>& bytes, size_t i, char32_t* c) {
  char32_t value = 0;
  const size_t length = ReadRawMultiByte(bytes, i, &value);
  if (length == 0) return 0;
  if (value >= 0xD800 && value <= 0xDBFF) {
    char32_t low = 0;
    if (ReadRawMultiByte(bytes, i + 3, &low) != 3 || low < 0xDC00 || low > 0xDFFF) return 0;
    *c = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00);
    return 6;
  }
  if (value >= 0xDC00 && value <= 0xDFFF) return 0;
  *c = value;
  return length;
}

// --- single-byte codecs ---------------------------------------------------------------------

// A run of UTF-8 sequences found in a line's bytes under one codec.
struct Candidate {
  size_t begin = 0;  // code point offsets in the line
  size_t end = 0;
  std::vector<char32_t> decoded;
  int score = 0;
  bool plausible = false;
};

// Byte values of a line under a codec, besides 0x00..0xFF.
constexpr int kUnmapped = -1;
constexpr int kLost = -2;  // U+FFFD: a byte an earlier decoder could not read

class SingleBytePass {
 public:
  SingleBytePass(const SingleByteCodec& codec, const std::vector<char32_t>& line)
      : codec_(codec), line_(line) {}

  // Finds and scores the candidates. `known` says an earlier round already found mojibake in
  // the line. Returns the total score of the repairs it would make (0: none).
  int Evaluate(bool known) {
    bytes_.resize(line_.size());
    for (size_t i = 0; i < line_.size(); ++i) {
      bytes_[i] = line_[i] == 0xFFFD ? kLost : codec_.ByteOf(line_[i]);
    }
    int failed_leads = 0;  // characters that read as a lead byte but start no sequence
    for (size_t i = 0; i < line_.size();) {
      Candidate candidate;
      if (!ReadRun(i, &candidate)) {
        // A Latin letter the codec cannot produce is as telling (`ã` in windows-1250).
        if ((line_[i] >= 0x80 && bytes_[i] >= 0xC2 && bytes_[i] <= 0xF4) ||
            (bytes_[i] == kUnmapped && InRange(line_[i], 0x00C0, 0x024F))) {
          ++failed_leads;
        }
        ++i;
        continue;
      }
      i = candidate.end;
      candidates_.push_back(std::move(candidate));
    }
    int plausible = 0, implausible = 0, strong_runs = 0;
    for (const Candidate& c : candidates_) {
      if (!c.plausible) {
        ++implausible;
      } else if (c.score >= 1) {
        ++plausible;
        if (c.score >= 2) ++strong_runs;
      }
    }
    const bool strong = known || strong_runs > 0;
    // With two strong runs the line is mojibake in this codec: its other runs are too.
    const int threshold = strong_runs >= 2 ? 0 : 1;
    // Mostly implausible readings, or more leads that start nothing than runs, mean the
    // codec is wrong for this line.
    if (!strong || implausible * 2 >= plausible || failed_leads > 2 * plausible) {
      candidates_.clear();
      return 0;
    }
    int total = 0;
    std::vector<Candidate> chosen;
    for (Candidate& c : candidates_) {
      if (c.plausible && c.score >= threshold) {
        total += c.score;
        chosen.push_back(std::move(c));
      }
    }
    candidates_.swap(chosen);
    return total;
  }

  // Writes the line with the chosen candidates repaired. Returns how many there were.
  size_t Apply(std::vector<char32_t>* out) const {
    out->clear();
    size_t i = 0;
    for (const Candidate& c : candidates_) {
      out->insert(out->end(), line_.begin() + static_cast<long>(i),
                  line_.begin() + static_cast<long>(c.begin));
      out->insert(out->end(), c.decoded.begin(), c.decoded.end());
      i = c.end;
    }
    out->insert(out->end(), line_.begin() + static_cast<long>(i), line_.end());
    return candidates_.size();
  }

 private:
  char32_t At(size_t i) const { return i < line_.size() ? line_[i] : kNoCodePoint; }
  char32_t Before(size_t i) const { return i > 0 ? line_[i - 1] : kNoCodePoint; }

  // Windows-1252's `Â` and `Ã`, and any codec's C3 byte: the leads of Latin-1 text in UTF-8,
  // the commonest mojibake there is.
  bool IsLatin1Lead(char32_t c) const {
    return (codec_.windows_1252 && c == 0x00C2) ||
           (codec_.strong_c3 && codec_.ByteOf(c) == 0xC3);
  }

  // Reads the UTF-8 sequence whose lead is at line_[i]. A U+FFFD stands for a lost
  // continuation byte (the sequence then decodes to U+FFFD) and an ASCII space for a lost
  // no-break space (byte A0), which an earlier tool turned into a space. Returns the length
  // in characters, 0 when no sequence starts there.
  size_t ReadSequence(size_t i, char32_t* decoded, bool* lost, bool* space,
                      bool low_surrogate = false) const {
    auto byte_at = [this](size_t k) { return k < bytes_.size() ? bytes_[k] : kUnmapped; };
    size_t trail;
    char32_t value;
    int low, high;
    if (!ReadUtf8Lead(byte_at(i), &trail, &value, &low, &high)) return 0;
    *lost = false;
    *space = false;
    for (size_t k = 1; k <= trail; ++k) {
      int t = byte_at(i + k);
      if (t == kLost) {
        *lost = true;
        t = low;
      } else if (t == ' ' && low <= 0xA0 && high >= 0xA0 && IsLetter(line_[i])) {
        *space = true;
        t = 0xA0;
      }
      if (t < low || t > high) return 0;
      value = (value << 6) | static_cast<char32_t>(t & 0x3F);
      low = 0x80;
      high = 0xBF;
    }
    if (*lost) {
      *decoded = 0xFFFD;
      return trail + 1;
    }
    if (value >= 0xD800 && value <= 0xDBFF) {
      // A CESU-8 surrogate pair, six bytes for one character.
      char32_t low_half = 0;
      bool lost_low = false, space_low = false;
      if (ReadSequence(i + 3, &low_half, &lost_low, &space_low, true) != 3 || lost_low ||
          low_half < 0xDC00 || low_half > 0xDFFF) {
        return 0;
      }
      *decoded = 0x10000 + ((value - 0xD800) << 10) + (low_half - 0xDC00);
      *space = *space || space_low;
      return 6;
    }
    if (value >= 0xDC00 && value <= 0xDFFF && !low_surrogate) return 0;
    *decoded = value;
    return trail + 1;
  }

  bool ReadRun(size_t begin, Candidate* candidate) {
    size_t i = begin;
    int sequences = 0;
    candidate->begin = begin;
    candidate->score = 0;
    bool only_guesses = true;  // every sequence needed a lost byte or a space read as A0
    while (i < line_.size()) {
      char32_t decoded = 0;
      bool lost = false, space = false;
      // Bytes below 0x80 are ASCII in every codec here: never a lead.
      const size_t length = line_[i] < 0x80 ? 0 : ReadSequence(i, &decoded, &lost, &space);
      if (length == 0) break;
      candidate->decoded.push_back(decoded);
      candidate->score += ScoreSequence(i, i + length);
      only_guesses = only_guesses && (lost || space);
      ++sequences;
      i += length;
      // `Ã` + space is `à` + space, unless another space or a lone `s` follows (`Ã  le`,
      // `Ã s crianÃ§as`): then the space was the A0 byte itself.
      if (space && line_[i - 1] == ' ' && decoded == 0x00E0 && !SpaceWasConsumed(i)) {
        candidate->decoded.push_back(' ');
      }
    }
    if (sequences == 0) return false;
    candidate->end = i;
    if (sequences >= 2 && !only_guesses) candidate->score += 2;
    // A case flip right after the run: `ZURÃœCK`.
    if (IsLower(line_[i - 1]) && IsUpper(At(i))) ++candidate->score;
    candidate->plausible = IsPlausible(*candidate);
    return true;
  }

  // After `Ã` + space at line_[end - 2, end): true when the space belongs to the `à`: another
  // space follows, or the Portuguese `às`, `àquele`, `àquilo`.
  bool SpaceWasConsumed(size_t end) const {
    if (At(end) == ' ') return true;
    if (At(end) == 's') return At(end + 1) == ' ' || At(end + 1) == kNoCodePoint;
    return At(end) == 'q' && At(end + 1) == 'u' && (At(end + 2) == 'e' || At(end + 2) == 'i');
  }

  // Scores line_[begin, end), one sequence of a run.
  int ScoreSequence(size_t begin, size_t end) const {
    int score = 0;
    const char32_t lead = line_[begin];
    const char32_t previous = Before(begin);
    const bool latin1_lead = IsLatin1Lead(lead);
    if (latin1_lead) ++score;
    // `Â` before a continuation byte is the commonest mojibake of all (`Â£`, `Â©`, `Â `).
    if (lead == 0x00C2 && codec_.windows_1252) ++score;
    if (IsLower(previous) && IsUpper(lead)) ++score;  // `rÃ©`
    if (end - begin >= 3) ++score;                     // a lead and two or three: `â€œ`
    if (!IsLetter(lead)) score += IsLetter(previous) ? 2 : 1;  // `wei√ü`, `─îe`
    for (size_t k = begin + 1; k < end; ++k) {
      const char32_t c = line_[k];
      const char32_t next = At(k + 1);
      const bool last = k + 1 == end;
      if (InRange(c, 0x80, 0x9F)) {
        score += 3;
      } else if (c == 0xFFFD) {
        ++score;
      } else if (c == ' ') {
        // a lost no-break space: no evidence by itself
      } else if (IsLetter(c)) {
        if (IsLower(Before(k)) && IsUpper(c)) ++score;
        if (codec_.windows_1252 &&
            (c == 0x0160 || c == 0x0152 || c == 0x017D || c == 0x0161 || c == 0x0153 ||
             c == 0x017E || c == 0x0178)) {
          ++score;
        }
      } else if (IsWeakContinuation(c) && !(c == 0x00A3 && latin1_lead)) {
        // No evidence, and none from the lead either; but `Â£` and `Ã£` (`ã`) are as telling
        // as any other symbol.
        if (end - begin == 2) score = 0;
      } else if (c == 0x00A0) {
        // windows-1252's `Ã` + NBSP is `à`, and `Â` + NBSP a no-break space; other letters
        // before a no-break space are ordinary (`SELKÄ EDELLÄ`).
        if (latin1_lead) ++score;
    // `Â` before a continuation byte is the commonest mojibake of all (`Â£`, `Â©`, `Â `).
    if (lead == 0x00C2 && codec_.windows_1252) ++score;
      } else if (last && c == 0x2019 && IsLetter(next)) {
        // `Ã’s`: an apostrophe
      } else if (last && !latin1_lead && !IsLetterOrDigit(next) && MayEndWord(c)) {
        // `VOCÊ…`, `NESTLÉ®`: punctuation ending a word
      } else {
        score += IsLetterOrDigit(next) ? 2 : 1;
      }
    }
    return score;
  }

  bool IsPlausible(const Candidate& candidate) const {
    for (char32_t c : candidate.decoded) {
      // A C1 control from windows-1252 is a byte that went through Latin-1 twice (`Â\x9d`
      // in `â€Â\x9d`): the next round reads it.
      if (InRange(c, 0x80, 0x9F) && codec_.windows_1252) continue;
      if (c != ' ' && !IsPlausibleDecoded(c)) return false;
    }
    // Letters decoded beside letters of another script are a misreading (`Brontë…”` is
    // not Hangul), unless both are European scripts (`IL2RÎ³cKO` is `IL2RγcKO`).
    const char32_t context = IsLetter(Before(candidate.begin)) ? Before(candidate.begin)
                             : IsLetter(At(candidate.end))    ? At(candidate.end)
                                                              : kNoCodePoint;
    if (context == kNoCodePoint) return true;
    const UScriptCode want = ScriptOf(context);
    bool any_letter = false;
    for (char32_t c : candidate.decoded) {
      if (!IsLetter(c)) continue;
      any_letter = true;
      const UScriptCode got = ScriptOf(c);
      if (got == want || (IsEuropeanScript(got) && IsEuropeanScript(want))) return true;
    }
    return !any_letter;
  }

  static bool IsEuropeanScript(UScriptCode script) {
    return script == USCRIPT_LATIN || script == USCRIPT_GREEK || script == USCRIPT_CYRILLIC;
  }

  const SingleByteCodec& codec_;
  const std::vector<char32_t>& line_;
  std::vector<int> bytes_;
  std::vector<Candidate> candidates_;
};

// --- GBK ------------------------------------------------------------------------------------

bool IsPlausibleGbkDecoded(const Tables& t, char32_t c) {
  if (c >= 0x10000 || !t.gb2312[c]) return false;
  return InRange(c, 0x4E00, 0x9FFF) || InRange(c, 0x3000, 0x303F) ||
         InRange(c, 0xFF00, 0xFFEF) || InRange(c, 0x2010, 0x2027);
}

bool IsHan(char32_t c) { return InRange(c, 0x4E00, 0x9FFF) || InRange(c, 0x3400, 0x4DBF); }

// Repairs UTF-8 read as GBK in `line` into `*out`. Returns the runs repaired.
size_t RepairGbk(const Tables& t, const std::vector<char32_t>& line, std::vector<char32_t>* out) {
  auto gbk_of = [&t](char32_t c) -> uint16_t { return c < 0x10000 ? t.gbk[c] : 0; };
  out->clear();
  size_t repaired = 0;
  std::vector<int> bytes;
  std::vector<char32_t> decoded;
  for (size_t i = 0; i < line.size();) {
    const uint16_t code = gbk_of(line[i]);
    const int lead = code >> 8;
    if (code == 0 || lead < 0xC2 || lead > 0xF4) {
      out->push_back(line[i++]);
      continue;
    }
    // The longest run of whole GBK characters from i whose bytes are whole UTF-8 sequences.
    bytes.clear();
    for (size_t j = i; j < line.size() && gbk_of(line[j]) != 0 && bytes.size() < 4096; ++j) {
      bytes.push_back(gbk_of(line[j]) >> 8);
      bytes.push_back(gbk_of(line[j]) & 0xFF);
    }
    decoded.clear();
    size_t used = 0;  // bytes
    size_t whole = 0, whole_decoded = 0;
    for (;;) {
      char32_t c = 0;
      const size_t length = ReadMultiByte(bytes, used, &c);
      if (length == 0) break;
      decoded.push_back(c);
      used += length;
      if (used % 2 == 0) {
        whole = used;
        whole_decoded = decoded.size();
      }
    }
    decoded.resize(whole_decoded);
    const size_t chars = whole / 2;
    size_t rare = 0;
    bool han = false;
    for (size_t k = i; k < i + chars; ++k) {
      if (!t.gb2312[line[k]]) ++rare;
    }
    bool plausible = decoded.size() >= 2;
    for (char32_t c : decoded) {
      plausible = plausible && IsPlausibleGbkDecoded(t, c);
      han = han || IsHan(c);
    }
    if (plausible && han && rare * 2 >= chars) {
      out->insert(out->end(), decoded.begin(), decoded.end());
      i += chars;
      ++repaired;
    } else {
      out->push_back(line[i++]);
    }
  }
  return repaired;
}

}  // namespace

MojibakeRepairer::MojibakeRepairer() { GetTables(); }

bool MojibakeRepairer::ok() const { return GetTables().ok; }

MojibakeScreen::Masks MojibakeScreen::ProcessMasks() {
  const Tables& t = GetTables();
  if (!t.ok) {
    static const std::vector<uint8_t> kNoMasks(0x10000, 0);
    return Masks{kNoMasks.data(), kNoMasks.data(), 0};
  }
  return Masks{t.lead_mask.data(), t.continuation_mask.data(), 0x20};
}

bool MojibakeRepairer::MayContainMojibake(std::string_view text) const {
  MojibakeScreen screen;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  // Mojibake needs a lead character followed by a continuation character in the same codec.
  for (size_t i = 0; i < n;) {
    const unsigned b = s[i];
    if (b < 0x80) {
      if (screen.Next(b)) return true;
      i += 1;
    } else if (b >= 0xC2 && b <= 0xDF && i + 1 < n) {
      if (screen.Next(((b & 0x1F) << 6) | (s[i + 1] & 0x3F))) return true;
      i += 2;
    } else if (b >= 0xE0 && b <= 0xEF && i + 2 < n) {
      if (screen.Next(((b & 0x0F) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3F))) {
        return true;
      }
      i += 3;
    } else {
      screen.Skip();  // a four-byte character (or a stray byte) is in no table
      i += 1;
    }
  }
  return false;
}

size_t MojibakeRepairer::Repair(std::string_view text, std::string* out) {
  out->clear();
  const Tables& t = GetTables();
  if (!t.ok || !MayContainMojibake(text) || !DecodeUtf8(text, &code_points_)) {
    out->assign(text.data(), text.size());
    return 0;
  }
  size_t repaired = 0;
  // Each round repairs in one codec, or else GBK, or else the C1 controls left; nearly every
  // step shortens the line or removes a C1 control (`Ã` + space becoming `à` + space does
  // not), so the bound only guards against a cycle.
  for (int round = 0; round < 16; ++round) {
    size_t best = t.codecs.size();
    int best_score = 0;
    for (size_t k = 0; k < t.codecs.size(); ++k) {
      SingleBytePass pass(t.codecs[k], code_points_);
      const int score = pass.Evaluate(repaired > 0);
      if (score > best_score) {
        best_score = score;
        best = k;
      }
    }
    size_t changed = 0;
    if (best < t.codecs.size()) {
      SingleBytePass pass(t.codecs[best], code_points_);
      pass.Evaluate(repaired > 0);
      changed = pass.Apply(&repaired_);
      code_points_.swap(repaired_);
    }
    if (changed == 0) {
      changed = RepairGbk(t, code_points_, &repaired_);
      if (changed > 0) code_points_.swap(repaired_);
    }
    if (changed == 0) {
      // A C1 control left over is a windows-1252 byte read as Latin-1: `\x93` is `“`.
      for (char32_t& c : code_points_) {
        if (c >= 0x80 && c <= 0x9F && t.c1_as_windows_1252[c - 0x80] != 0) {
          c = t.c1_as_windows_1252[c - 0x80];
          ++changed;
        }
      }
    }
    if (changed == 0) break;
    repaired += changed;
  }
  if (repaired == 0) {
    out->assign(text.data(), text.size());
    return 0;
  }
  for (char32_t c : code_points_) AppendUtf8(c, out);
  return repaired;
}

}  // namespace winnow

#include "winnow/repair.h"

#include "winnow/code_damage.h"
#include "wide_scans.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace winnow {
namespace {

// Full-width forms of ASCII punctuation (not letters or digits), U+FF01..U+FF5E.
bool IsFullWidthAsciiPunct(char32_t c) {
  if (c < 0xFF01 || c > 0xFF5E) return false;
  const char32_t ascii = c - 0xFEE0;
  const bool alnum = (ascii >= '0' && ascii <= '9') || (ascii >= 'A' && ascii <= 'Z') ||
                     (ascii >= 'a' && ascii <= 'z');
  return !alnum;
}

uint64_t CountReplacementChars(std::string_view s) {
  uint64_t n = 0;
  for (size_t pos = s.find("\xEF\xBF\xBD"); pos != std::string_view::npos;
       pos = s.find("\xEF\xBF\xBD", pos + 3)) {
    ++n;
  }
  return n;
}

// What the line scan looks for in an ASCII byte.
constexpr uint8_t kFoldablePunct = 1;    // , : ; ( ) ! ? for the width evidence
constexpr uint8_t kCodeDamageByte = 2;   // ; { (see MayShowCodeDamage)
constexpr uint8_t kVersionStart = 4;     // the C of C98 and C03
constexpr uint8_t kAmpersand = 8;        // starts a reference
constexpr uint8_t kHash = 16;            // may start `#xHHHH;` that lost its `&`
constexpr uint8_t kNormalizerRepairs = 32;  // a control or DEL
constexpr uint8_t kUnderscore = 64;         // may start `_x000D_`

constexpr std::array<uint8_t, 128> MakeAsciiFlags() {
  std::array<uint8_t, 128> flags{};
  for (char c : {',', ':', ';', '(', ')', '!', '?'}) {
    flags[static_cast<size_t>(c)] |= kFoldablePunct;
  }
  flags[';'] |= kCodeDamageByte;
  flags['{'] |= kCodeDamageByte;
  flags['C'] |= kVersionStart;
  flags['&'] |= kAmpersand;
  flags['#'] |= kHash;
  for (size_t c = 0; c < 0x20; ++c) {
    if (c != '\t') flags[c] |= kNormalizerRepairs;
  }
  flags[0x7F] |= kNormalizerRepairs;
  flags['_'] |= kUnderscore;
  return flags;
}

constexpr std::array<uint8_t, 128> kAsciiFlags = MakeAsciiFlags();

constexpr uint8_t kEveryFlag = 0x7F;

#if defined(__SSE2__)
// Bit k for byte k of `block` when it is past ASCII or one of `,` `:` `;` `(` `)` `!` `?`.
inline __attribute__((always_inline)) uint32_t PunctOrPastAscii(__m128i block) {
  // `(` `)` and `:` `;` differ in bit 0 only.
  const __m128i or_1 = _mm_or_si128(block, _mm_set1_epi8(0x01));
  const __m128i punct = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(or_1, _mm_set1_epi8(')')),
                   _mm_cmpeq_epi8(or_1, _mm_set1_epi8(';'))),
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8(',')),
                                _mm_cmpeq_epi8(block, _mm_set1_epi8('!'))),
                   _mm_cmpeq_epi8(block, _mm_set1_epi8('?'))));
  return static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(block, punct)));
}

// Bit k for byte k of `block` when it is past ASCII or has a kAsciiFlags flag.
inline __attribute__((always_inline)) uint32_t PastAsciiOrFlagged(__m128i block) {
  // Signed: the bytes past ASCII are below every control.
  const __m128i controls = _mm_andnot_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8('\t')),
                                            _mm_cmplt_epi8(block, _mm_set1_epi8(' ')));
  // `_` and DEL differ in bit 5 only.
  const __m128i others = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8('{')),
                   _mm_cmpeq_epi8(block, _mm_set1_epi8('C'))),
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8('&')),
                                _mm_cmpeq_epi8(block, _mm_set1_epi8('#'))),
                   _mm_cmpeq_epi8(_mm_or_si128(block, _mm_set1_epi8(0x20)),
                                  _mm_set1_epi8(0x7F))));
  return PunctOrPastAscii(block) |
         static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(controls, others)));
}

// The bytes of the characters WidthEvidence::Add steps over as one run of E1..EE leads that
// starts at `p` with such a lead, up to six of them: 3, 6, .. 18. A character counts when
// its lead is one and its three bytes are among the `size` (at least 16) at `p`.
inline __attribute__((always_inline)) size_t RunOfE1ToEELeads(const unsigned char* p,
                                                              size_t size) {
  // Signed compares: E1..EE are -31..-18.
  const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const auto leads = static_cast<uint32_t>(_mm_movemask_epi8(
      _mm_and_si128(_mm_cmpgt_epi8(block, _mm_set1_epi8(static_cast<char>(0xE0))),
                    _mm_cmplt_epi8(block, _mm_set1_epi8(static_cast<char>(0xEF))))));
  // Bytes 0, 3, .. 15 are where leads may be; a sixth character whose bytes do not all fit
  // ends the run at byte 15, and bit 18 ends it past six.
  const uint32_t ends = (~leads & 0x9249u) | (size < 18 ? 0x8000u : 0u) | 1u << 18;
  return static_cast<size_t>(__builtin_ctz(ends));
}

// How many of the 16 bytes at `p` WidthEvidence::Add steps over with nothing to count: ASCII
// but its punctuation, and whole characters with E1..EE leads (their trail bytes in the
// block), one after another from `p`, 16 when all are. `*cut_lead` tells that the byte
// after them is such a lead whose trail bytes lie past the block.
inline __attribute__((always_inline)) unsigned QuietBytes(const unsigned char* p,
                                                          bool* cut_lead) {
  // Signed compares: E1..EE are -31..-18, the continuation bytes 80..BF are -128..-65.
  const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const auto loud = PunctOrPastAscii(block);
  const auto leads = static_cast<uint32_t>(_mm_movemask_epi8(
      _mm_and_si128(_mm_cmpgt_epi8(block, _mm_set1_epi8(static_cast<char>(0xE0))),
                    _mm_cmplt_epi8(block, _mm_set1_epi8(static_cast<char>(0xEF))))));
  const auto trails = static_cast<uint32_t>(
      _mm_movemask_epi8(_mm_cmplt_epi8(block, _mm_set1_epi8(static_cast<char>(0xC0)))));
  const uint32_t starts = leads & trails >> 1 & trails >> 2;
  const uint32_t quiet = (~loud & 0xFFFFu) | starts | starts << 1 | starts << 2;
  const auto end = static_cast<unsigned>(__builtin_ctz(~quiet));
  // Only in the last two bytes is a lead cut by the block's end rather than ill-formed.
  *cut_lead = end >= 14 && (leads >> end & 1) != 0;  // bit 16 and past are 0
  return end;
}


/// Where the text WidthEvidence::Add steps over with nothing to count ends, from `s[i]` on
/// (`n - i >= 16`): QuietBytes block after block while each is quiet throughout or ends at a
/// character its end cuts.
inline __attribute__((always_inline)) size_t QuietEnd(const unsigned char* s, size_t n,
                                                      size_t i) {
  for (bool more = true; more && n - i >= 16;) {
    bool cut_lead = false;
    const unsigned quiet = QuietBytes(s + i, &cut_lead);
    i += quiet;
    more = quiet == 16 || cut_lead;
  }
  return i;
}
#endif

#if defined(WINNOW_HAVE_AVX2_SCANS)
/// QuietBytes 32 bytes at a time with AVX2.
__attribute__((target("avx2"), always_inline)) inline unsigned QuietBytesAvx2(
    const unsigned char* p, bool* cut_lead) {
  // The punctuation by its two nibbles: bit 0 for 21 28 29 2C, bit 1 for 3A 3B 3F. A byte
  // past ASCII finds 0 in the low table (its index has the high bit set).
  const __m256i low_nibbles = _mm256_setr_epi8(
      0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 1, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 1, 0, 0, 2);
  const __m256i high_nibbles = _mm256_setr_epi8(
      0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i block = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i high = _mm256_and_si256(_mm256_srli_epi16(block, 4), _mm256_set1_epi8(0x0F));
  const __m256i punct = _mm256_and_si256(_mm256_shuffle_epi8(low_nibbles, block),
                                         _mm256_shuffle_epi8(high_nibbles, high));
  const uint64_t ascii =
      internal::Avx2ByteMask(_mm256_cmpeq_epi8(punct, _mm256_setzero_si256())) &
      ~internal::Avx2ByteMask(block);
  // Signed compares: E1..EE are -31..-18, the continuation bytes 80..BF are -128..-65.
  const uint64_t leads = internal::Avx2ByteMask(
      _mm256_and_si256(_mm256_cmpgt_epi8(block, _mm256_set1_epi8(static_cast<char>(0xE0))),
                       _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(0xEF)), block)));
  const uint64_t trails = internal::Avx2ByteMask(
      _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(0xC0)), block));
  const uint64_t starts = leads & trails >> 1 & trails >> 2;
  const uint64_t quiet = ascii | starts | starts << 1 | starts << 2;
  const auto end = static_cast<unsigned>(__builtin_ctzll(~quiet));
  *cut_lead = end >= 30 && (leads >> end & 1) != 0;  // bit 32 and past are 0
  return end;
}

/// QuietEnd 32 bytes a step (`n - i >= 32`). Not inlined always, for the AVX2 target; the
/// one function that calls it has that target too.
__attribute__((target("avx2"))) inline size_t QuietEndAvx2(const unsigned char* s, size_t n,
                                                           size_t i) {
  for (bool more = true; more && n - i >= 32;) {
    bool cut_lead = false;
    const unsigned quiet = QuietBytesAvx2(s + i, &cut_lead);
    i += quiet;
    more = quiet == 32 || cut_lead;
  }
  return i;
}
#else
inline size_t QuietEndAvx2(const unsigned char*, size_t, size_t i) {
  return i;  // never called: UseAvx2Scans() is false
}
#endif

// The end of the run of ASCII bytes without any of `kFlags` (kFoldablePunct or kEveryFlag)
// from `s[i]` on (i <= n): the first byte from `i` past ASCII or with one of them, or `n`.
template <uint8_t kFlags>
inline __attribute__((always_inline)) size_t EndOfAsciiWithout(const unsigned char* s, size_t i,
                                                               size_t n) {
  static_assert(kFlags == kFoldablePunct || kFlags == kEveryFlag, "no block test for these");
  auto in_run = [](unsigned b) { return b < 0x80 && (kAsciiFlags[b] & kFlags) == 0; };
  // Short runs are told a byte at a time, without a block: many are empty, and those of the
  // line scan, which stops at more bytes, are mostly shorter than eight (measured).
  constexpr size_t kBytesAlone = kFlags == kEveryFlag ? 8 : 1;
  for (const size_t stop = std::min(n, i + kBytesAlone); i < stop; ++i) {
    if (!in_run(s[i])) return i;
  }
#if defined(__SSE2__)
  if (n >= 16) {
    auto ends = [](const unsigned char* p) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      return kFlags == kFoldablePunct ? PunctOrPastAscii(block) : PastAsciiOrFlagged(block);
    };
    for (; n - i >= 16; i += 16) {
      const uint32_t end = ends(s + i);
      if (end != 0) return i + static_cast<size_t>(__builtin_ctz(end));
    }
    if (i == n) return n;
    // The last bytes are looked at in the block that ends with the text, shifted so that
    // bit 0 is byte i; the bits past the end are 0.
    const uint32_t end = ends(s + n - 16) >> (16 - (n - i));
    return end != 0 ? i + static_cast<size_t>(__builtin_ctz(end)) : n;
  }
#endif
  while (i < n && in_run(s[i])) ++i;
  return i;
}

// MayContainMojibake of well-formed text made by decoding `spans` in a text of which it
// was false. The screen fires at a C1 control or at a pair of neighbouring characters, so
// only a decoded reference and the characters on either side of it can make it fire now:
// only those are looked at, a run of touching ones at a time.
bool MayContainMojibakeNear(const MojibakeRepairer& mojibake, std::string_view text,
                            const std::vector<DecodedSpan>& spans) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t run_begin = 0;
  size_t run_end = 0;  // empty: no run yet
  for (const DecodedSpan& span : spans) {
    size_t begin = span.begin;
    if (begin > 0) {
      --begin;
      while (begin > 0 && (s[begin] & 0xC0) == 0x80) --begin;
    }
    size_t end = span.end;
    if (end < text.size()) {
      const unsigned b = s[end];
      end += b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
      end = std::min(end, text.size());
    }
    if (run_end > run_begin && begin <= run_end) {
      run_end = std::max(run_end, end);
      continue;
    }
    if (run_end > run_begin &&
        mojibake.MayContainMojibake(text.substr(run_begin, run_end - run_begin))) {
      return true;
    }
    run_begin = begin;
    run_end = end;
  }
  return run_end > run_begin &&
         mojibake.MayContainMojibake(text.substr(run_begin, run_end - run_begin));
}

}  // namespace

bool IsFoldablePunct(char32_t c) {
  switch (c) {
    case ',': case ':': case ';': case '(': case ')': case '!': case '?':
      return true;
    default:
      return false;
  }
}

bool IsFullWidthPunct(char32_t c) {
  switch (c) {
    case 0xFF0C: case 0xFF1A: case 0xFF1B: case 0xFF08: case 0xFF09: case 0xFF01: case 0xFF1F:
      return true;
    default:
      return false;
  }
}

bool ParseWidthPolicy(std::string_view name, WidthPolicy* policy) {
  if (name == "auto") *policy = WidthPolicy::kAuto;
  else if (name == "keep") *policy = WidthPolicy::kKeep;
  else if (name == "fold") *policy = WidthPolicy::kFold;
  else return false;
  return true;
}

bool ParseNormalForm(std::string_view name, NormalForm* form) {
  if (name == "nfc") *form = NormalForm::kNfc;
  else if (name == "nfkc") *form = NormalForm::kNfkc;
  else if (name == "none") *form = NormalForm::kNone;
  else return false;
  return true;
}

namespace {

/// WidthEvidence::Add, with QuietBytesAvx2 for `kAvx2` (then inlined into an AVX2 function).
template <bool kAvx2>
inline __attribute__((always_inline)) void AddWidthEvidence(std::string_view raw,
                                                            WidthEvidence* evidence) {
  uint64_t folded = 0;
  uint64_t full = 0;
  // Only punctuation and the characters right beside it count, so a character is decoded
  // only when it is beside punctuation or may be punctuation itself. Characters are stepped
  // over as DecodeAt reads them, whatever the bytes.
  constexpr size_t kNone = std::string_view::npos;
  const auto* s = reinterpret_cast<const unsigned char*>(raw.data());
  const size_t n = raw.size();
  size_t previous = kNone;     // where the character before starts, if it may be CJK
  bool pending_punct = false;  // ASCII punctuation after non-CJK text: counts if CJK follows
  for (size_t i = 0; i < n;) {
#if defined(__SSE2__)
    constexpr size_t kBlock = kAvx2 ? 32 : 16;
    if (n - i >= kBlock) {
      // Text that mixes ASCII and CJK without punctuation, a block a step: its first
      // character may follow punctuation, its last one precede it, and the rest counts for
      // nothing. A character cut by a block's end starts the next block.
      size_t end = 0;
      if constexpr (kAvx2) {
        end = QuietEndAvx2(s, n, i);
      } else {
        end = QuietEnd(s, n, i);
      }
      if (end != i) {
        size_t first_length = 0;
        if (pending_punct && s[i] >= 0x80 &&
            IsCjkCodePoint(DecodeCodePointAt(raw, i, &first_length))) {
          ++folded;
        }
        pending_punct = false;
        previous = s[end - 1] >= 0x80 ? end - 3 : kNone;
        i = end;
        if (i == n) break;
      }
    }
#endif
    const unsigned b = s[i];
    const size_t start = i;
    size_t length = 1;
    char32_t c = b;
    if (b >= 0xC2 && b <= 0xDF && i + 2 <= n) {
      // U+0080..U+07FF: neither CJK nor punctuation of either width.
      pending_punct = false;
      previous = kNone;
      i += 2;
      continue;
    }
    if (b >= 0xE1 && b <= 0xEE && i + 3 <= n) {
      // U+1000..U+EFFF: may be CJK, is not full-width punctuation. Only the first of a run of
      // them can follow punctuation, and only the last one can precede it.
      if (pending_punct) {
        if (IsCjkCodePoint(DecodeCodePointAt(raw, i, &length))) ++folded;
        pending_punct = false;
      }
      do {
#if defined(__SSE2__)
        if (n - i >= 16) {
          const size_t run = RunOfE1ToEELeads(s + i, n - i);
          previous = i + run - 3;
          i += run;
          continue;
        }
#endif
        previous = i;
        i += 3;
      } while (n - i >= 3 && s[i] - 0xE1u <= 0xEEu - 0xE1u);
      continue;
    }
    if (b < 0x80 && !IsFoldablePunct(b)) {
      // A run of ASCII but the punctuation: none of it is CJK, none of it counts.
      i = EndOfAsciiWithout<kFoldablePunct>(s, i + 1, n);
      pending_punct = false;
      previous = kNone;
      continue;
    }
    if (b >= 0x80) c = DecodeCodePointAt(raw, i, &length);
    i += length;
    if (c < 0x80) {
      if (IsFoldablePunct(c)) {
        if (previous != kNone && IsCjkCodePoint(DecodeCodePointAt(raw, previous, &length))) {
          ++folded;
        } else {
          // A `;` after ASCII ends a reference (`&#xff0c;中`) or a statement, not a clause.
          pending_punct = c != ';';
        }
      } else {
        pending_punct = false;
      }
      previous = kNone;
      continue;
    }
    if (IsFullWidthPunct(c)) {
      ++full;
      previous = kNone;
      pending_punct = false;
      continue;
    }
    if (pending_punct) {
      if (IsCjkCodePoint(c)) ++folded;
      pending_punct = false;
    }
    previous = start;
  }
  evidence->folded += folded;
  evidence->full += full;
}

void AddWidthEvidenceSse2(std::string_view raw, WidthEvidence* evidence) {
  AddWidthEvidence<false>(raw, evidence);
}

#if defined(WINNOW_HAVE_AVX2_SCANS)
__attribute__((target("avx2"))) void AddWidthEvidenceAvx2(std::string_view raw,
                                                          WidthEvidence* evidence) {
  AddWidthEvidence<true>(raw, evidence);
}
#else
void AddWidthEvidenceAvx2(std::string_view raw, WidthEvidence* evidence) {
  AddWidthEvidence<false>(raw, evidence);
}
#endif

}  // namespace

void WidthEvidence::Add(std::string_view raw) {
  if (internal::UseAvx2Scans()) {
    AddWidthEvidenceAvx2(raw, this);
  } else {
    AddWidthEvidenceSse2(raw, this);
  }
}

namespace {

// What TextNormalizer::Repair does to a character beside any neighbours.
enum class NormalizerKeeps : uint8_t { kNotKnown, kUnderEveryForm, kUnlessNfkc };

struct NormalizerKeepsRange {
  char32_t first;
  char32_t last;
  NormalizerKeeps keeps;
};

// Characters that are neither controls, odd spaces nor zero-width characters, with canonical
// combining class 0 and NFC_QC Yes, so that any text of them is in NFC whatever the order;
// with NFKC_QC Yes too where kUnderEveryForm. What Chinese tech blogs use most; the tests hold
// each one against ICU and against Repair.
constexpr NormalizerKeepsRange kNormalizerKeepsRanges[] = {
    {0x00B7, 0x00B7, NormalizerKeeps::kUnderEveryForm},    // middle dot
    {0x00D7, 0x00D7, NormalizerKeeps::kUnderEveryForm},    // multiplication sign
    {0x00F7, 0x00F7, NormalizerKeeps::kUnderEveryForm},    // division sign
    {0x0250, 0x02AF, NormalizerKeeps::kUnderEveryForm},    // IPA
    {0x02C8, 0x02C8, NormalizerKeeps::kUnderEveryForm},    // stress marks
    {0x02CC, 0x02CC, NormalizerKeeps::kUnderEveryForm},
    {0x02D0, 0x02D1, NormalizerKeeps::kUnderEveryForm},    // length marks
    {0x0391, 0x03A1, NormalizerKeeps::kUnderEveryForm},    // Greek capitals
    {0x03A3, 0x03A9, NormalizerKeeps::kUnderEveryForm},
    {0x03B1, 0x03C9, NormalizerKeeps::kUnderEveryForm},    // Greek small letters
    {0x0410, 0x044F, NormalizerKeeps::kUnderEveryForm},    // basic Cyrillic
    {0x2013, 0x2014, NormalizerKeeps::kUnderEveryForm},    // dashes
    {0x2018, 0x2019, NormalizerKeeps::kUnderEveryForm},    // quotes
    {0x201C, 0x201D, NormalizerKeeps::kUnderEveryForm},
    {0x2026, 0x2026, NormalizerKeeps::kUnlessNfkc},        // ellipsis
    {0x2190, 0x2199, NormalizerKeeps::kUnderEveryForm},    // arrows
    {0x2460, 0x24FF, NormalizerKeeps::kUnlessNfkc},        // enclosed alphanumerics
    {0x2500, 0x257F, NormalizerKeeps::kUnderEveryForm},    // box drawing
    {0x25A0, 0x25FF, NormalizerKeeps::kUnderEveryForm},    // geometric shapes
    {0x2600, 0x26FF, NormalizerKeeps::kUnderEveryForm},    // miscellaneous symbols
    {0x2E80, 0x2EFF, NormalizerKeeps::kUnlessNfkc},        // CJK radicals
    {0x2F00, 0x2FD5, NormalizerKeeps::kUnlessNfkc},        // Kangxi radicals
    {0x3000, 0x3000, NormalizerKeeps::kUnlessNfkc},        // ideographic space
    {0x3001, 0x3002, NormalizerKeeps::kUnderEveryForm},    // 、。
    {0x3008, 0x3011, NormalizerKeeps::kUnderEveryForm},    // 〈〉《》「」『』【】
    {0xFF01, 0xFF5E, NormalizerKeeps::kUnlessNfkc},        // full-width ASCII
    {0x1F300, 0x1F64F, NormalizerKeeps::kUnderEveryForm},  // emoji
    {0x1F680, 0x1F6FF, NormalizerKeeps::kUnderEveryForm},
    {0x1F900, 0x1F9FF, NormalizerKeeps::kUnderEveryForm},
};

// The table's word on each BMP character, and on the CJK ideographs U+4E00..U+9FFF, two
// bits a character: the line scan reads it with neither a search nor a call.
struct BmpKeeps {
  std::array<uint64_t, 0x10000 / 32> words{};
  NormalizerKeeps Of(char32_t c) const {
    return static_cast<NormalizerKeeps>(words[c >> 5] >> (c & 31) * 2 & 3);
  }
};

constexpr BmpKeeps MakeBmpKeeps() {
  BmpKeeps keeps;
  auto mark = [&keeps](char32_t first, char32_t last, NormalizerKeeps how) {
    for (char32_t c = first; c <= last && c < 0x10000; ++c) {
      keeps.words[c >> 5] |= uint64_t{static_cast<uint8_t>(how)} << (c & 31) * 2;
    }
  };
  mark(0x4E00, 0x9FFF, NormalizerKeeps::kUnderEveryForm);
  for (const NormalizerKeepsRange& range : kNormalizerKeepsRanges) {
    mark(range.first, range.last, range.keeps);
  }
  return keeps;
}

constexpr BmpKeeps kBmpKeeps = MakeBmpKeeps();

// NormalizerKeepsCharacter past the BMP.
NormalizerKeeps NormalizerKeepsPastBmp(char32_t c) {
  // The range that starts last at or before `c`.
  const NormalizerKeepsRange* const begin = std::begin(kNormalizerKeepsRanges);
  const NormalizerKeepsRange* range = std::upper_bound(
      begin, std::end(kNormalizerKeepsRanges), c,
      [](char32_t code_point, const NormalizerKeepsRange& r) { return code_point < r.first; });
  if (range == begin || c > (--range)->last) return NormalizerKeeps::kNotKnown;
  return range->keeps;
}

// For a character past ASCII.
inline NormalizerKeeps NormalizerKeepsCharacter(char32_t c) {
  return c < 0x10000 ? kBmpKeeps.Of(c) : NormalizerKeepsPastBmp(c);
}

// NormalizerKeepsCharacter of `c` as a bit, for or-ing together.
inline unsigned KeepsBit(char32_t c) {
  return 1u << static_cast<unsigned>(NormalizerKeepsCharacter(c));
}

// The character of the well-formed three-byte sequence at `p`.
char32_t ThreeByteCharacter(const unsigned char* p) {
  return static_cast<char32_t>((p[0] & 0x0F) << 12 | (p[1] & 0x3F) << 6 | (p[2] & 0x3F));
}

// E1..EC, EE: leads of three-byte characters without overlong forms, surrogates (ED A0..),
// full-width forms or U+FFFD (EF).
constexpr bool IsPlainThreeByteLead(unsigned b) { return b >= 0xE1 && b <= 0xEE && b != 0xED; }

constexpr std::array<bool, 256> MakePlainThreeByteLeads() {
  std::array<bool, 256> leads{};
  for (unsigned b = 0; b < 256; ++b) leads[b] = IsPlainThreeByteLead(b);
  return leads;
}

// IsPlainThreeByteLead as one load, for the loop over runs of Chinese text.
constexpr std::array<bool, 256> kPlainThreeByteLeads = MakePlainThreeByteLeads();

#if defined(__SSE2__)
// How many of the 16 bytes at `p` are taken by well-formed characters with plain leads
// (IsPlainThreeByteLead), one after another from `p`: 0, 3, 6, 9, 12 or 15.
inline __attribute__((always_inline)) unsigned PlainThreeByteBytes(const unsigned char* p) {
  // Signed compares: E1..EE are -31..-18, the continuation bytes 80..BF are -128..-65.
  const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i lead = _mm_andnot_si128(
      _mm_cmpeq_epi8(block, _mm_set1_epi8(static_cast<char>(0xED))),
      _mm_and_si128(_mm_cmpgt_epi8(block, _mm_set1_epi8(static_cast<char>(0xE0))),
                    _mm_cmplt_epi8(block, _mm_set1_epi8(static_cast<char>(0xEF)))));
  const auto leads = static_cast<uint32_t>(_mm_movemask_epi8(lead));
  const auto trails = static_cast<uint32_t>(
      _mm_movemask_epi8(_mm_cmplt_epi8(block, _mm_set1_epi8(static_cast<char>(0xC0)))));
  // Bit k: a character starts at byte k and ends in the block.
  const uint32_t starts = leads & trails >> 1 & trails >> 2;
  // The first of bytes 0, 3, .. 12 where none starts; bit 15 stops the count at five.
  return static_cast<unsigned>(__builtin_ctz(~starts & 0x9249u));
}
#endif

// True when no ASCII character reads as a lead byte in a codec of the mojibake screen: then
// the screen holds no lead after an ASCII character, and more ASCII after it (no C1 control)
// can neither fire it nor change it. Asked of the tables, not assumed, so that other codec
// tables can make the scan slower but not wrong.
bool NoAsciiLeadsInAnyCodec() {
  static const bool none = [] {
    const MojibakeScreen screen;
    for (char32_t c = 0; c < 0x80; ++c) {
      if (screen.IsLeadInSomeCodec(c)) return false;
    }
    return true;
  }();
  return none;
}

// ScanForRepair on well-formed UTF-8, where every character is read the same way by each of
// the checks it stands for. Returns false on the first ill-formed byte.
bool ScanWellFormedLine(std::string_view line, RepairScan* scan, WidthEvidence* evidence) {
  const auto* s = reinterpret_cast<const unsigned char*>(line.data());
  const size_t n = line.size();
  // Everything the loop updates is local, so that it can stay in registers.
  MojibakeScreen screen;
  const bool skip_quiet_ascii = NoAsciiLeadsInAnyCodec();
  bool mojibake = false;
  unsigned seen = 0;            // kAsciiFlags of every ASCII byte, or-ed
  bool version = false;         // C98 or C03
  bool lost_ampersand = false;  // # before x or X
  uint64_t replacement_chars = 0;
  uint64_t folded = 0;
  uint64_t full = 0;
  char32_t previous = 0;       // the character before, 0 when it cannot be CJK
  bool pending_punct = false;  // as in WidthEvidence::Add
  // Bit k for NormalizerKeeps k of some character past ASCII that is not a CJK ideograph;
  // `x000d` for a `_x000D_`.
  unsigned keeps_seen = 0;
  bool x000d = false;
  for (size_t i = 0; i < n;) {
    const unsigned b = s[i];
    if (b < 0x80) {
      const unsigned flags = kAsciiFlags[b];
      if (flags == 0) {
        pending_punct = false;
      } else {
        seen |= flags;  // here, not for every byte: `seen` may not get a register
        if ((flags & kFoldablePunct) == 0) {
          pending_punct = false;
        } else if (previous != 0 && IsCjkCodePoint(previous)) {
          ++folded;
        } else {
          pending_punct = b != ';';
        }
        if ((flags & kVersionStart) != 0 && n - i >= 3 &&
            ((s[i + 1] == '9' && s[i + 2] == '8') || (s[i + 1] == '0' && s[i + 2] == '3'))) {
          version = true;
        }
        if ((flags & kHash) != 0 && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
          lost_ampersand = true;
        }
        if ((flags & kUnderscore) != 0 && n - i >= 7 &&
            (line.compare(i, 7, "_x000D_") == 0 || line.compare(i, 7, "_x000d_") == 0)) {
          x000d = true;
        }
      }
      previous = 0;
      mojibake |= screen.Next(b);
      i += 1;
      // Quiet ASCII after it only ends pending punctuation: it has no flag, and the screen
      // (when no ASCII character is a lead) neither fires at it nor moves.
      if (skip_quiet_ascii) {
        const size_t end = EndOfAsciiWithout<kEveryFlag>(s, i, n);
        if (end != i) pending_punct = false;
        i = end;
      }
      continue;
    }
    if (IsPlainThreeByteLead(b) && n - i >= 3) {
      // A run of U+1000..U+EFFF but the surrogates, the bulk of Chinese text: no lead byte
      // here has overlong forms, full-width punctuation or U+FFFD, only the first character
      // of the run can follow punctuation, and only the last one can precede it.
      const unsigned char* p = s + i;
      const unsigned char* const end = s + n;
      const char32_t first = ThreeByteCharacter(p);
      char32_t c = 0;
      // The character at `q`, well-formed. With the lead in E0..EF and the rest in 80..BF,
      // the payload bits are a sum.
      auto take = [&](const unsigned char* q) {
        c = static_cast<char32_t>((q[0] << 12) + (q[1] << 6) + q[2] - 0xE2080u);
        mojibake |= screen.NextThreeByte(c);
        if (c - 0x4E00 >= 0x5200) keeps_seen |= KeepsBit(c);
      };
      // Here `*p` is a plain lead and the sequence fits.
      do {
#if defined(__SSE2__)
        if (end - p >= 16) {
          // Up to five characters checked at once, taken without a loop.
          const unsigned checked = PlainThreeByteBytes(p);
          p += checked;
          switch (checked) {
            case 15: take(p - 15); [[fallthrough]];
            case 12: take(p - 12); [[fallthrough]];
            case 9: take(p - 9); [[fallthrough]];
            case 6: take(p - 6); [[fallthrough]];
            case 3: take(p - 3); continue;
            default: break;  // 0: the character at `p` is ill-formed, as said below
          }
        }
#endif
        if (((p[1] ^ 0x80u) | (p[2] ^ 0x80u)) > 0x3F) return false;
        take(p);
        p += 3;
      } while (end - p >= 3 && kPlainThreeByteLeads[*p]);
      i = static_cast<size_t>(p - s);
      if (pending_punct) {
        if (IsCjkCodePoint(first)) ++folded;
        pending_punct = false;
      }
      previous = c;
      continue;
    }
    if (b < 0xE0) {
      // U+0080..U+07FF: never CJK, never full-width punctuation.
      if (b < 0xC2 || n - i < 2 || (s[i + 1] & 0xC0) != 0x80) return false;
      const auto c = static_cast<char32_t>((b & 0x1F) << 6 | (s[i + 1] & 0x3F));
      mojibake |= screen.Next(c);
      keeps_seen |= KeepsBit(c);
      pending_punct = false;
      previous = 0;
      i += 2;
      continue;
    }
    char32_t c;
    if (b < 0xF0) {
      if (n - i < 3) return false;
      const unsigned b1 = s[i + 1];
      const unsigned b2 = s[i + 2];
      if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80 || (b == 0xE0 && b1 < 0xA0) ||
          (b == 0xED && b1 >= 0xA0)) {
        return false;
      }
      c = static_cast<char32_t>((b & 0x0F) << 12 | (b1 & 0x3F) << 6 | (b2 & 0x3F));
      mojibake |= screen.Next(c);
      i += 3;
      keeps_seen |= KeepsBit(c);
      if (b == 0xEF) {  // U+F000..U+FFFF: the full-width forms and U+FFFD
        if (c == 0xFFFD) ++replacement_chars;
        if (IsFullWidthPunct(c)) {
          ++full;
          previous = 0;
          pending_punct = false;
          continue;
        }
      }
    } else {
      if (b > 0xF4 || n - i < 4) return false;
      const unsigned b1 = s[i + 1];
      const unsigned b2 = s[i + 2];
      const unsigned b3 = s[i + 3];
      if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80 || (b3 & 0xC0) != 0x80 ||
          (b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 >= 0x90)) {
        return false;
      }
      c = static_cast<char32_t>((b & 0x07) << 18 | (b1 & 0x3F) << 12 | (b2 & 0x3F) << 6 |
                                (b3 & 0x3F));
      screen.Skip();
      keeps_seen |= KeepsBit(c);
      i += 4;
    }
    if (pending_punct) {
      if (IsCjkCodePoint(c)) ++folded;
      pending_punct = false;
    }
    previous = c;
  }
  scan->ampersand = (seen & kAmpersand) != 0;
  scan->references = scan->ampersand || lost_ampersand;
  scan->mojibake = mojibake;
  scan->code_damage = (seen & kCodeDamageByte) != 0 || version;
  scan->replacement_chars = replacement_chars;
  scan->well_formed = true;
  constexpr unsigned kNotKnownBit = 1u << static_cast<unsigned>(NormalizerKeeps::kNotKnown);
  constexpr unsigned kNfkcBit = 1u << static_cast<unsigned>(NormalizerKeeps::kUnlessNfkc);
  scan->kept_by_normalizer =
      (keeps_seen & kNotKnownBit) == 0 && !x000d && (seen & kNormalizerRepairs) == 0;
  scan->kept_under_nfkc = scan->kept_by_normalizer && (keeps_seen & kNfkcBit) == 0;
  if (evidence != nullptr) {
    evidence->folded += folded;
    evidence->full += full;
  }
  return true;
}

// True when every character in `spans` of `text` is one TextNormalizer::Repair leaves alone
// beside any neighbour (as for RepairScan::kept_by_normalizer, and kept_under_nfkc when
// `nfkc`), and `text` holds no `_`: a decoded character may complete a `_x000D_` around it.
// False also for bytes that are not well-formed.
bool SpansKeptByNormalizer(std::string_view text, const std::vector<DecodedSpan>& spans,
                           bool nfkc) {
  if (text.find('_') != std::string_view::npos) return false;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned refused = 1u << static_cast<unsigned>(NormalizerKeeps::kNotKnown) |
                           (nfkc ? 1u << static_cast<unsigned>(NormalizerKeeps::kUnlessNfkc) : 0);
  for (const DecodedSpan& span : spans) {
    for (size_t i = span.begin; i < span.end;) {
      const unsigned b = s[i];
      if (b < 0x80) {
        if ((kAsciiFlags[b] & kNormalizerRepairs) != 0) return false;
        ++i;
        continue;
      }
      const size_t length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
      if (b < 0xC2 || b > 0xF4 || span.end - i < length) return false;
      char32_t c = b & (0x7F >> length);
      for (size_t k = 1; k < length; ++k) {
        if ((s[i + k] & 0xC0) != 0x80) return false;
        c = c << 6 | (s[i + k] & 0x3F);
      }
      // Overlong forms, surrogates and code points past U+10FFFF are in no range of the table,
      // but for overlong ASCII, which it cannot tell from the character itself.
      if (c < 0x80) return false;
      if ((KeepsBit(c) & refused) != 0) return false;
      i += length;
    }
  }
  return true;
}

}  // namespace

RepairScan ScanForRepair(std::string_view line, WidthEvidence* evidence) {
  RepairScan scan;
  if (ScanWellFormedLine(line, &scan, evidence)) return scan;
  // Ill-formed bytes are read differently by different checks: ask each one.
  if (evidence != nullptr) evidence->Add(line);
  scan.ampersand = line.find('&') != std::string_view::npos;
  scan.references = MayContainEntity(line);
  scan.mojibake = MojibakeRepairer().MayContainMojibake(line);
  scan.code_damage = MayShowCodeDamage(line);
  scan.replacement_chars = CountReplacementChars(line);
  return scan;
}

TextRepairer::TextRepairer(const RepairOptions& options, TextNormalizer* normalizer)
    : options_(options), normalizer_(normalizer) {}

void TextRepairer::Repair(std::string_view text, bool fold_decoded, bool about_escaping,
                          std::string* out, RepairCounts* counts, bool strip_layer,
                          const RepairScan* scan) {
  bool reshaped =
      RepairOnce(text, fold_decoded, about_escaping, strip_layer, scan, out, counts);
  // Removing a control or a zero-width character, turning an NBSP into a space, NFKC, width
  // folding and mojibake repair can each bring together a reference or a mojibake run that
  // was not one before (`&not_x000D_` is `&not` once `_x000D_` is gone): repeat until a round
  // only decodes references, so that repairing the output again changes nothing. The
  // scraper's layer came off in the first round and comes off only once.
  for (int round = 0; reshaped && round < 4; ++round) {
    round_input_.swap(*out);
    reshaped = RepairOnce(round_input_, fold_decoded, about_escaping, /*strip_layer=*/false,
                          /*scan=*/nullptr, out, counts);
  }
  counts->invalid_bytes += scan != nullptr && *out == text ? scan->replacement_chars
                                                           : CountReplacementChars(*out);
}

bool TextRepairer::LeavesAsIs(const RepairScan& scan) const {
  // As RepairOnce takes such a text: nothing decoded, the scan's word on mojibake, the
  // normalizer's kept path, no width folding, so no second round either.
  if (options_.entities == EntityMode::kHtml5 || options_.width == WidthPolicy::kFold) {
    return false;
  }
  if (options_.entities != EntityMode::kNone && scan.references) return false;
  if (options_.mojibake && scan.mojibake) return false;
  return scan.kept_by_normalizer && (options_.form != NormalForm::kNfkc || scan.kept_under_nfkc);
}

bool TextRepairer::RepairOnce(std::string_view text, bool fold_decoded, bool about_escaping,
                              bool strip_layer, const RepairScan* scan, std::string* out,
                              RepairCounts* counts) {
  const bool html5 = options_.entities == EntityMode::kHtml5;
  if (html5) fold_decoded = false;  // a browser's reading has no width policy
  std::string_view decoded = text;
  // The scan's mojibake answer holds for the text as long as no reference was decoded, and
  // then for all but the decoded references and their neighbours.
  bool decoded_is_text = true;
  const bool references = scan != nullptr ? scan->references : MayContainEntity(text);
  if (options_.entities != EntityMode::kNone && references) {
    EntityDecodeOptions decode_options;
    decode_options.mode = options_.entities;
    decode_options.fold_decoded_fullwidth = fold_decoded;
    decode_options.text_about_escaping = about_escaping;
    decode_options.strip_escaping_layer = about_escaping && strip_layer;
    decoded_.clear();
    decoded_spans_.clear();
    // The spans are wanted only for screening for mojibake near them (below).
    const bool want_spans = options_.mojibake && !html5 && scan != nullptr &&
                            scan->well_formed && !scan->mojibake;
    const size_t n = DecodeEntities(text, decode_options, &decoded_,
                                    want_spans ? &decoded_spans_ : nullptr);
    counts->entities += n;
    decoded = decoded_;
    decoded_is_text = n == 0;  // the decoder changes nothing it does not count
  }
  bool may_be_mojibake = false;
  if (!options_.mojibake || html5) {
    // not looked for
  } else if (scan != nullptr && decoded_is_text) {
    may_be_mojibake = scan->mojibake;
  } else if (scan != nullptr && scan->well_formed && !scan->mojibake) {
    may_be_mojibake = MayContainMojibakeNear(mojibake_, decoded, decoded_spans_);
  } else {
    may_be_mojibake = mojibake_.MayContainMojibake(decoded);
  }
  out->clear();
  if (html5) {
    // A browser's reading of the references and nothing else: no mojibake, space or control
    // repair, only the normal form (which leaves every html5lib vector as it is).
    if (normalizer_->Normalize(decoded, options_.form, out)) ++counts->normalized;
    return false;
  }
  // Mojibake before the space and control repair: `Ã` + NBSP is `à`, `â€` + a C1 control is
  // a quote.
  size_t mojibake = 0;
  if (may_be_mojibake) {
    mojibake = mojibake_.Repair(decoded, &unmangled_);
    if (mojibake > 0) decoded = unmangled_;
  }
  SpaceRepairCounts space_counts;
  // The scan may have found that Repair would give the text back as it is, counting nothing:
  // then it gives back the decoded text too when each decoded reference is such text.
  const bool nfkc = options_.form == NormalForm::kNfkc;
  const bool kept =
      scan != nullptr && mojibake == 0 && scan->kept_by_normalizer &&
      (!nfkc || scan->kept_under_nfkc) &&
      (decoded_is_text || (!decoded_spans_.empty() &&
                           SpansKeptByNormalizer(decoded, decoded_spans_, nfkc)));
  if (kept) {
    out->assign(decoded.data(), decoded.size());
  } else {
    normalizer_->Repair(decoded, options_.form, out, &space_counts);
  }
  counts->mojibake += mojibake;
  counts->odd_spaces += space_counts.odd_spaces;
  counts->zero_width += space_counts.zero_width;
  counts->controls += space_counts.controls;
  counts->normalized += space_counts.normalized;
  size_t folded = 0;
  if (options_.width == WidthPolicy::kFold) {
    folded_.clear();
    for (size_t i = 0; i < out->size();) {
      size_t length = 0;
      const char32_t c = DecodeCodePointAt(*out, i, &length);
      if (IsFullWidthAsciiPunct(c)) {
        folded_.push_back(static_cast<char>(c - 0xFEE0));
        ++folded;
      } else {
        folded_.append(*out, i, length);
      }
      i += length;
    }
    out->swap(folded_);
    counts->width_folded += folded;
  }
  return mojibake > 0 || space_counts.odd_spaces > 0 || space_counts.zero_width > 0 ||
         space_counts.controls > 0 || space_counts.normalized > 0 || folded > 0;
}

PlainTextRepairer::PlainTextRepairer(const RepairOptions& options, TextNormalizer* normalizer)
    : repairer_(options, normalizer) {}

void PlainTextRepairer::BeginDocument(const WidthEvidence* evidence) {
  evidence_given_ = evidence != nullptr;
  evidence_ = evidence_given_ ? *evidence : WidthEvidence();
}

void PlainTextRepairer::RepairLine(std::string_view line, std::string* out) {
  // One scan gathers the evidence (when the document's is not given) and tells which
  // repair steps the line needs.
  const bool gather = !evidence_given_ && repairer_.options().width == WidthPolicy::kAuto;
  const RepairScan scan = ScanForRepair(line, gather ? &evidence_ : nullptr);
  bool fold_decoded = false;
  switch (repairer_.options().width) {
    case WidthPolicy::kAuto: fold_decoded = evidence_.PrefersFolded(); break;
    case WidthPolicy::kKeep: fold_decoded = false; break;
    case WidthPolicy::kFold: fold_decoded = true; break;
  }
  const bool scrape = repairer_.options().entities == EntityMode::kScrape;
  // Text about escaping shows references: a line without an `&` is none.
  bool about_escaping = scrape && scan.ampersand && LooksAboutEscaping(line);
  bool strip_layer = about_escaping && CarriesEscapingLayer(line);
  repairer_.Repair(line, fold_decoded, about_escaping, out, &counts_, strip_layer, &scan);
  // The decisions are the input's; when the output no longer reads the same way (a removed
  // zero-width character joined `&amp;` and `lt;`), repair it again as it reads now, so that
  // repairing the output again changes nothing.
  for (int round = 0; scrape && round < 3; ++round) {
    const bool about_now = LooksAboutEscaping(*out);
    const bool strip_now = about_now && CarriesEscapingLayer(*out);
    if (about_now == about_escaping && !strip_now) break;
    about_escaping = about_now;
    strip_layer = strip_now;
    again_.swap(*out);
    repairer_.Repair(again_, fold_decoded, about_escaping, out, &counts_, strip_layer);
  }
}

RepairStage::RepairStage(const RepairOptions& options, TextNormalizer* normalizer,
                         RecordSink* next)
    : repairer_(options, normalizer), next_(next) {}

void RepairStage::NotePage(const Record& record) {
  if (record.page == page_ && record.source == page_source_) return;
  page_ = record.page;
  page_source_ = record.source;
  evidence_ = WidthEvidence();
  unweighed_.clear();
}

void RepairStage::WeighDroppedTeasers(const Record& record) {
  NotePage(record);
  size_t start = 0;
  for (size_t end; (end = unweighed_.find('\n', start)) != std::string::npos; start = end + 1) {
    evidence_.Add(std::string_view(unweighed_).substr(start, end - start));
  }
  unweighed_.clear();
}

void RepairStage::Accept(Record&& record) {
  WeighDroppedTeasers(record);
  // One scan of each line gathers the width evidence and tells which repair steps it needs.
  title_facts_ = LineFacts(ScanForRepair(record.title, &evidence_));
  facts_.clear();
  bool ampersand = false;
  for (const BodyLine& line : record.body) {
    facts_.emplace_back(ScanForRepair(line.text, &evidence_));
    ampersand = ampersand || facts_.back().ampersand;
  }

  bool fold_decoded = false;
  switch (repairer_.options().width) {
    case WidthPolicy::kAuto: fold_decoded = evidence_.PrefersFolded(); break;
    case WidthPolicy::kKeep: fold_decoded = false; break;
    case WidthPolicy::kFold: fold_decoded = true; break;
  }
  record.width = fold_decoded ? "folded" : "full";

  // Text about escaping shows references, so a body without an `&` is none, and its lines
  // need not be joined to tell.
  bool about_escaping = ampersand && LooksAboutEscaping(JoinBody(record));
  bool strip_layer = about_escaping && CarriesEscapingLayer(body_text_);
  ampersand = RepairText(&record, fold_decoded, about_escaping, strip_layer);
  // As in PlainTextRepairer::RepairLine: repair again while the repaired record reads
  // differently from the one the decisions were made on.
  const bool scrape = repairer_.options().entities == EntityMode::kScrape;
  for (int round = 0; scrape && round < 3; ++round) {
    const bool about_now = ampersand && LooksAboutEscaping(JoinBody(record));
    const bool strip_now = about_now && CarriesEscapingLayer(body_text_);
    if (about_now == about_escaping && !strip_now) break;
    about_escaping = about_now;
    strip_layer = strip_now;
    ampersand = RepairText(&record, fold_decoded, about_escaping, strip_layer);
  }

  if (!title_facts_.unchanged) record.title_key.clear();
  // The lines are kept in place; a line that held only spaces or zero-width characters is
  // now a paragraph break, and breaks do not repeat or end the body.
  std::vector<BodyLine>& body = record.body;
  size_t kept = 0;
  for (size_t k = 0; k < body.size(); ++k) {
    BodyLine& line = body[k];
    if (facts_[k].code_damage) {
      FindCodeDamage(line.text, &damage_);
      for (const char* signal : damage_) {
        record.code_damage.push_back(CodeDamage{line.line, signal});
      }
    }
    if (!line.is_code) {
      const size_t start = line.text.find_first_not_of(" \t");
      if (start == std::string::npos) {
        line.text.clear();
      } else if (start > 0) {
        line.text.erase(0, start);
      }
      const size_t last = line.text.find_last_not_of(" \t");
      if (last != std::string::npos) line.text.erase(last + 1);
    }
    // The splitter's match view is of the text as it was: only an unchanged line keeps it
    // (trimming takes only space, which the view drops anyway).
    if (!facts_[k].unchanged) line.key.clear();
    if (line.text.empty() && (kept == 0 || body[kept - 1].text.empty())) continue;
    if (kept != k) body[kept] = std::move(line);
    ++kept;
  }
  while (kept > 0 && body[kept - 1].text.empty()) --kept;
  body.erase(body.begin() + static_cast<std::ptrdiff_t>(kept), body.end());
  next_->Accept(std::move(record));
}

const std::string& RepairStage::JoinBody(const Record& record) {
  body_text_.clear();
  for (size_t i = 0; i < record.body.size(); ++i) {
    if (i > 0) body_text_.push_back('\n');
    body_text_ += record.body[i].text;
  }
  return body_text_;
}

bool RepairStage::RepairText(Record* record, bool fold_decoded, bool about_escaping,
                             bool strip_layer) {
  // scratch_ holds the line as it was until the next line is repaired.
  RepairLine(&record->title, fold_decoded, about_escaping, strip_layer, &title_facts_,
             &record->repairs);
  bool ampersand = false;
  for (size_t k = 0; k < record->body.size(); ++k) {
    RepairLine(&record->body[k].text, fold_decoded, about_escaping, strip_layer, &facts_[k],
               &record->repairs);
    ampersand = ampersand || facts_[k].ampersand;
  }
  return ampersand;
}

void RepairStage::RepairLine(std::string* text, bool fold_decoded, bool about_escaping,
                             bool strip_layer, LineFacts* facts, RepairCounts* counts) {
  // Most lines need nothing, as their scan tells: they are neither copied nor compared.
  if (facts->unchanged && repairer_.LeavesAsIs(facts->scan)) {
    counts->invalid_bytes += facts->scan.replacement_chars;
    return;
  }
  repairer_.Repair(*text, fold_decoded, about_escaping, &scratch_, counts,
                   strip_layer, facts->unchanged ? &facts->scan : nullptr);
  text->swap(scratch_);
  if (*text == scratch_) return;
  facts->unchanged = false;
  facts->ampersand = text->find('&') != std::string::npos;
  facts->code_damage = MayShowCodeDamage(*text);
}

void RepairStage::Reject(Record&& record, DropReason reason, const std::string& detail) {
  // A teaser dropped before repair still shows how the page writes its punctuation; it is
  // weighed only if a later record of the page is repaired.
  if (reason == DropReason::kTruncatedTeaser && repairer_.options().width == WidthPolicy::kAuto) {
    NotePage(record);
    unweighed_ += record.title;
    unweighed_.push_back('\n');
    for (const BodyLine& line : record.body) {
      unweighed_ += line.text;
      unweighed_.push_back('\n');
    }
  }
  next_->Reject(std::move(record), reason, detail);
}

}  // namespace winnow

// Stage 1 of the pipeline: bytes in, UTF-8 lines out.
#include "winnow/reader.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <type_traits>
#include <utility>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include "wide_scans.h"

namespace winnow {
namespace {

constexpr char kReplacementCharacter[] = "\xEF\xBF\xBD";
constexpr size_t kReplacementBytes = 3;
constexpr size_t kMaxSequenceBytes = 4;
constexpr char kBom[] = "\xEF\xBB\xBF";
constexpr size_t kBomBytes = 3;

// Keeps every read(2) result inside a long; Linux moves at most about 2 GiB per call anyway.
constexpr size_t kMaxReadBytes = size_t{1} << 30;

constexpr uint64_t kHighBits = 0x8080808080808080ULL;

std::string ErrnoText(int error_number) {
  return std::generic_category().message(error_number);
}

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

/// Returns true when the 16 bytes at `bytes` are all ASCII.
bool Is16Ascii(const unsigned char* bytes) {
  uint64_t first;
  uint64_t second;
  std::memcpy(&first, bytes, sizeof first);
  std::memcpy(&second, bytes + sizeof first, sizeof second);
  return ((first | second) & kHighBits) == 0;
}

/// Returns the length of the sequence `lead` starts (1 to 4), or 0 if no valid sequence starts
/// with it (a continuation byte, C0, C1, F5..FF).
size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xC2) return 0;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  if (lead < 0xF5) return 4;
  return 0;
}

/// The bytes allowed after `lead` (a lead of a 2- to 4-byte sequence), per Unicode Table 3-7;
/// the narrowed ranges are what exclude overlongs, surrogates and code points past U+10FFFF.
void SecondByteRange(unsigned char lead, unsigned char* low, unsigned char* high) {
  *low = 0x80;
  *high = 0xBF;
  if (lead == 0xE0) {
    *low = 0xA0;
  } else if (lead == 0xED) {
    *high = 0x9F;
  } else if (lead == 0xF0) {
    *low = 0x90;
  } else if (lead == 0xF4) {
    *high = 0x8F;
  }
}

bool IsSecondByte(unsigned char lead, unsigned char byte) {
  unsigned char low;
  unsigned char high;
  SecondByteRange(lead, &low, &high);
  return byte >= low && byte <= high;
}

// A UTF-8 validator as a DFA whose whole transition row for one byte fits in a uint64_t: the
// state is a shift amount, and the next state is read out of the row with one shift, so mixed
// scripts cost the same as one script (no branch per character to mispredict). Each state
// takes 6 bits of the row; the states follow Unicode Table 3-7.
enum Utf8State : uint64_t {
  kAccept = 0,        // between characters
  kReject = 6,        // an invalid byte was seen; every byte keeps it here
  kNeedOne = 12,      // one continuation byte (80..BF) to go
  kNeedTwo = 18,      // two continuation bytes to go
  kAfterE0 = 24,      // next must be A0..BF, then one more
  kAfterED = 30,      // next must be 80..9F (not a surrogate), then one more
  kAfterF0 = 36,      // next must be 90..BF, then two more
  kNeedThree = 42,    // after F1..F3: three continuation bytes to go
  kAfterF4 = 48,      // next must be 80..8F (not past U+10FFFF), then two more
};

constexpr Utf8State NextUtf8State(Utf8State state, int byte) {
  const bool continuation = byte >= 0x80 && byte <= 0xBF;
  switch (state) {
    case kAccept:
      if (byte < 0x80) return kAccept;
      if (byte >= 0xC2 && byte <= 0xDF) return kNeedOne;
      if (byte == 0xE0) return kAfterE0;
      if (byte == 0xED) return kAfterED;
      if (byte >= 0xE1 && byte <= 0xEF) return kNeedTwo;
      if (byte == 0xF0) return kAfterF0;
      if (byte >= 0xF1 && byte <= 0xF3) return kNeedThree;
      if (byte == 0xF4) return kAfterF4;
      return kReject;
    case kReject:
      return kReject;
    case kNeedOne:
      return continuation ? kAccept : kReject;
    case kNeedTwo:
      return continuation ? kNeedOne : kReject;
    case kAfterE0:
      return byte >= 0xA0 && byte <= 0xBF ? kNeedOne : kReject;
    case kAfterED:
      return byte >= 0x80 && byte <= 0x9F ? kNeedOne : kReject;
    case kAfterF0:
      return byte >= 0x90 && byte <= 0xBF ? kNeedTwo : kReject;
    case kNeedThree:
      return continuation ? kNeedTwo : kReject;
    case kAfterF4:
      return byte >= 0x80 && byte <= 0x8F ? kNeedTwo : kReject;
  }
  return kReject;
}

struct Utf8Rows {
  uint64_t row[256] = {};
};

constexpr Utf8Rows MakeUtf8Rows() {
  constexpr Utf8State kStates[] = {kAccept,  kReject,  kNeedOne,   kNeedTwo, kAfterE0,
                                   kAfterED, kAfterF0, kNeedThree, kAfterF4};
  Utf8Rows rows;
  for (int byte = 0; byte < 256; ++byte) {
    for (Utf8State state : kStates) {
      rows.row[byte] |= static_cast<uint64_t>(NextUtf8State(state, byte)) << state;
    }
  }
  return rows;
}

constexpr Utf8Rows kUtf8Rows = MakeUtf8Rows();

/// Returns true when `bytes[0, size)` is entirely valid UTF-8 with no sequence cut off at the
/// end.
bool IsValidUtf8(const unsigned char* bytes, size_t size) {
  // Only the low 6 bits of `state` are the state; the masked shift compiles to one
  // instruction, which is what keeps the loop at about a byte per cycle.
  uint64_t state = kAccept;
  size_t i = 0;
  while (size - i >= 16) {
    if ((state & 63) == kAccept && Is16Ascii(bytes + i)) {
      i += 16;
      continue;
    }
    for (size_t end = i + 16; i < end; ++i) state = kUtf8Rows.row[bytes[i]] >> (state & 63);
  }
  for (; i < size; ++i) state = kUtf8Rows.row[bytes[i]] >> (state & 63);
  return (state & 63) == kAccept;
}

#if defined(__SSE2__)
constexpr bool kHaveVectorScan = true;

/// FindLineEnd's state from one block to the next.
struct LineEndState {
  bool checking = true;  // false once the UTF-8 check gave up for the rest of the line
  uint64_t claimed = 0;  // bits of the next block that the leads in this one claim
};

/// The masks FindLineEnd reads of a block that holds bytes 80..FF, one bit per byte (bit k
/// for byte k), and-ed with those bytes' mask as it reads them.
struct LineEndMasks {
  uint64_t lead;      // C0..FF
  uint64_t lead3;     // E0..FF
  uint64_t lead4;     // F0..FF
  uint64_t narrowed;  // C0, C1, E0, ED: leads whose second byte is not any continuation byte
};

/// FindLineEnd's step over the `kWidth` bytes from `i`, whatever the vector width: `ends`
/// and `high` are the block's masks of '\n' or '\r' and of 80..FF, `lead_masks()` gives the
/// rest, asked only of a block that needs them. Returns the terminator's index and sets
/// `*valid` when the line ends in the block; SIZE_MAX when it goes on.
template <unsigned kWidth, class LeadMasks>
inline size_t LineEndStep(size_t i, uint64_t ends64, uint64_t high64, LeadMasks lead_masks,
                          LineEndState* state, bool* valid) {
  // Masks of a 16-byte block fit 32 bits with the two claimed bits past it, which is cheaper.
  using Mask = std::conditional_t<kWidth <= 16, uint32_t, uint64_t>;
  constexpr Mask kAll = static_cast<Mask>((uint64_t{1} << kWidth) - 1);
  const auto ends = static_cast<Mask>(ends64);
  const auto high = static_cast<Mask>(high64);
  if (state->checking) {
    // The bytes of the line in this block, and with them the terminator, which is ASCII:
    // a sequence it cuts short claims it and fails the comparison.
    const Mask line = ends != 0 ? (ends & (0 - ends)) - 1 : kAll;
    const Mask checked = ends != 0 ? line << 1 | 1 : kAll;
    const auto claimed = static_cast<Mask>(state->claimed);
    if ((high | claimed) != 0) {
      const LineEndMasks m = lead_masks();
      const Mask lead = high & static_cast<Mask>(m.lead);
      const Mask special =
          ((high & static_cast<Mask>(m.lead4)) | static_cast<Mask>(m.narrowed)) & line;
      const Mask claims = claimed | lead << 1 | (high & static_cast<Mask>(m.lead3)) << 2;
      const Mask continuation = high & ~lead;
      if (special != 0 || ((claims ^ continuation) & checked) != 0) {
        state->checking = false;
      } else {
        state->claimed = claims >> kWidth;
      }
    }
  }
  if (ends == 0) return SIZE_MAX;
  *valid = state->checking;
  return i + static_cast<size_t>(__builtin_ctzll(ends));
}

/// Returns the index of the first '\n' or '\r' in `bytes[start, size)`, or `size` if there is
/// none, and sets `*valid` when the bytes before it are valid UTF-8 (false only means that
/// this scan could not tell: IsValidUtf8 decides then). `state` is the scan's state at
/// `start` (a block boundary).
///
/// Sixteen bytes a step, as bit masks, one bit per byte: a lead byte claims the one or two
/// bytes after it, and the bytes are well-formed when the claimed bytes are exactly the
/// continuation bytes. That holds for the leads C2..DF, E1..EC, EE and EF, whose second
/// byte may be any continuation byte; C0, C1, E0, ED and F0..FF (rare in text) give up the
/// check for the rest of the line.
inline __attribute__((always_inline)) size_t FindLineEndFrom(const unsigned char* bytes,
                                                             size_t size, size_t start,
                                                             LineEndState state, bool* valid) {
  // SSE2 compares bytes as signed, which orders 80..FF among themselves as unsigned does,
  // and puts every ASCII byte above them; each mask is and-ed with `high` for that.
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i carriage_return = _mm_set1_epi8('\r');
  const __m128i above_bf = _mm_set1_epi8(static_cast<char>(0xBF));
  const __m128i above_df = _mm_set1_epi8(static_cast<char>(0xDF));
  const __m128i above_ef = _mm_set1_epi8(static_cast<char>(0xEF));
  const __m128i all_but_bit0 = _mm_set1_epi8(static_cast<char>(0xFE));
  const __m128i c0 = _mm_set1_epi8(static_cast<char>(0xC0));
  const __m128i e0 = _mm_set1_epi8(static_cast<char>(0xE0));
  const __m128i ed = _mm_set1_epi8(static_cast<char>(0xED));
  const auto mask = [](__m128i v) { return static_cast<uint64_t>(_mm_movemask_epi8(v)); };
  size_t i = start;
  for (; size - i >= 16; i += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
    const auto lead_masks = [=]() {
      LineEndMasks m;
      m.lead = mask(_mm_cmpgt_epi8(block, above_bf));
      m.lead3 = mask(_mm_cmpgt_epi8(block, above_df));
      m.lead4 = mask(_mm_cmpgt_epi8(block, above_ef));
      m.narrowed =
          mask(_mm_or_si128(_mm_cmpeq_epi8(_mm_and_si128(block, all_but_bit0), c0),
                            _mm_or_si128(_mm_cmpeq_epi8(block, e0), _mm_cmpeq_epi8(block, ed))));
      return m;
    };
    const size_t end = LineEndStep<16>(
        i,
        mask(_mm_or_si128(_mm_cmpeq_epi8(block, newline), _mm_cmpeq_epi8(block, carriage_return))),
        mask(block), lead_masks, &state, valid);
    if (end != SIZE_MAX) return end;
  }
  // The last few bytes one at a time, by the DFA, from the state the claims stand for: a
  // claim on the next two bytes is a three-byte sequence after its lead, on one the last
  // byte of a sequence.
  uint64_t dfa = state.claimed == 0 ? kAccept : state.claimed == 1 ? kNeedOne : kNeedTwo;
  for (; i < size; ++i) {
    if (bytes[i] == '\n' || bytes[i] == '\r') break;
    dfa = kUtf8Rows.row[bytes[i]] >> (dfa & 63);
  }
  *valid = state.checking && (dfa & 63) == kAccept;
  return i;
}

/// FindLineEndFrom 32 bytes a step with AVX2, the last bytes 16 at a time.
__attribute__((target("avx2"))) size_t FindLineEndAvx2(const unsigned char* bytes, size_t size,
                                                       bool* valid) {
  const __m256i newline = _mm256_set1_epi8('\n');
  const __m256i carriage_return = _mm256_set1_epi8('\r');
  const __m256i above_bf = _mm256_set1_epi8(static_cast<char>(0xBF));
  const __m256i above_df = _mm256_set1_epi8(static_cast<char>(0xDF));
  const __m256i above_ef = _mm256_set1_epi8(static_cast<char>(0xEF));
  const __m256i all_but_bit0 = _mm256_set1_epi8(static_cast<char>(0xFE));
  const __m256i c0 = _mm256_set1_epi8(static_cast<char>(0xC0));
  const __m256i e0 = _mm256_set1_epi8(static_cast<char>(0xE0));
  const __m256i ed = _mm256_set1_epi8(static_cast<char>(0xED));
  LineEndState state;
  size_t i = 0;
  for (; size - i >= 32; i += 32) {
    const __m256i block = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + i));
    const auto mask = internal::Avx2ByteMask;
    // Asked before the step, which a function of another target would not inline.
    LineEndMasks m;
    m.lead = mask(_mm256_cmpgt_epi8(block, above_bf));
    m.lead3 = mask(_mm256_cmpgt_epi8(block, above_df));
    m.lead4 = mask(_mm256_cmpgt_epi8(block, above_ef));
    m.narrowed = mask(_mm256_or_si256(
        _mm256_cmpeq_epi8(_mm256_and_si256(block, all_but_bit0), c0),
        _mm256_or_si256(_mm256_cmpeq_epi8(block, e0), _mm256_cmpeq_epi8(block, ed))));
    const size_t end = LineEndStep<32>(
        i,
        mask(_mm256_or_si256(_mm256_cmpeq_epi8(block, newline),
                             _mm256_cmpeq_epi8(block, carriage_return))),
        mask(block), [&m]() { return m; }, &state, valid);
    if (end != SIZE_MAX) return end;
  }
  return FindLineEndFrom(bytes, size, i, state, valid);
}

size_t FindLineEnd(const unsigned char* bytes, size_t size, bool* valid) {
  if (internal::UseAvx2Scans()) return FindLineEndAvx2(bytes, size, valid);
  return FindLineEndFrom(bytes, size, 0, LineEndState(), valid);
}

// The UTF-8 check of ScanWindowAvx2 looks at each byte with the one before it: the high
// nibble of the one before, its low nibble, and the high nibble of the byte itself each pick
// the set of errors the pair may be (a table lookup each), and the pair is one of them when
// all three agree. Each error is a bit.
constexpr uint8_t kTooShort = 1 << 0;     // a lead, then ASCII or another lead
constexpr uint8_t kTooLong = 1 << 1;      // ASCII, then a continuation byte
constexpr uint8_t kOverlong3 = 1 << 2;    // E0, then 80..9F
constexpr uint8_t kTooLarge = 1 << 3;     // F4..FF, then 90..BF
constexpr uint8_t kSurrogate = 1 << 4;    // ED, then A0..BF
constexpr uint8_t kOverlong2 = 1 << 5;    // C0 or C1, then a continuation byte
constexpr uint8_t kBit6 = 1 << 6;         // F0, then 80..8F (overlong); F5..FF, then 80..8F
constexpr uint8_t kTwoContinuations = 1 << 7;  // right only as a 3rd or 4th byte
// Every low nibble of the byte before allows these; the high nibble and the byte decide.
constexpr uint8_t kAnyLow = kTooShort | kTooLong | kTwoContinuations;

/// Returns the end of the longest prefix of `bytes[0, size)` that ends just after a '\n' or
/// '\r' and is valid UTF-8 (0 when there is none), and sets the bit of every terminator
/// in the prefix in `ends` (32 a word, word k for bytes 32k..32k+31, which must have room
/// for size / 32 + 1 words). The check is the one of Keiser and Lemire's "Validating UTF-8
/// in less than one instruction per byte", as the description above sets it out: an error
/// is flagged at the byte that shows it, never before, so the text up to a terminator
/// before the first flagged byte is valid.
__attribute__((target("avx2"))) size_t ScanWindowAvx2(const unsigned char* bytes, size_t size,
                                                      uint32_t* ends) {
  constexpr uint8_t kFLead = kTooShort | kTooLarge | kBit6;
  alignas(16) static constexpr uint8_t kByHighBefore[16] = {
      kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong,
      kTwoContinuations, kTwoContinuations, kTwoContinuations, kTwoContinuations,
      kTooShort | kOverlong2, kTooShort, kTooShort | kOverlong3 | kSurrogate, kFLead};
  constexpr uint8_t kLarge = kAnyLow | kTooLarge | kBit6;
  alignas(16) static constexpr uint8_t kByLowBefore[16] = {
      kAnyLow | kOverlong3 | kOverlong2 | kBit6, kAnyLow | kOverlong2, kAnyLow, kAnyLow,
      kAnyLow | kTooLarge, kLarge, kLarge, kLarge, kLarge, kLarge, kLarge, kLarge, kLarge,
      kLarge | kSurrogate, kLarge, kLarge};
  constexpr uint8_t kContinuation = kTooLong | kOverlong2 | kTwoContinuations;
  alignas(16) static constexpr uint8_t kByHigh[16] = {
      kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,
      kContinuation | kOverlong3 | kBit6, kContinuation | kOverlong3 | kTooLarge,
      kContinuation | kSurrogate | kTooLarge, kContinuation | kSurrogate | kTooLarge,
      kTooShort, kTooShort, kTooShort, kTooShort};
  // Each table in both 16-byte lanes, as the byte shuffle looks up within a lane.
  const __m256i by_high_before =
      _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(kByHighBefore)));
  const __m256i by_low_before =
      _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(kByLowBefore)));
  const __m256i by_high =
      _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(kByHigh)));
  const __m256i low_nibble = _mm256_set1_epi8(0x0F);
  const __m256i newline = _mm256_set1_epi8('\n');
  const __m256i carriage_return = _mm256_set1_epi8('\r');
  const __m256i third_lead = _mm256_set1_epi8(static_cast<char>(0xE0 - 0x80));
  const __m256i fourth_lead = _mm256_set1_epi8(static_cast<char>(0xF0 - 0x80));
  const __m256i high_bit = _mm256_set1_epi8(static_cast<char>(0x80));
  // Nonzero where the block's last bytes start a sequence that goes on past it.
  const __m256i unfinished_below =
      _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                       -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, static_cast<char>(0xF0 - 1),
                       static_cast<char>(0xE0 - 1), static_cast<char>(0xC0 - 1));
  __m256i before = _mm256_setzero_si256();  // the last block, ASCII before the first
  size_t first_error = size;
  size_t i = 0;
  // The whole blocks from `bytes`, then the last bytes from `last`, padded with NULs (ASCII,
  // and no terminator): no call inside the loop, so its constants stay in registers.
  alignas(32) unsigned char last[32];
  const unsigned char* from = bytes;  // block i is at from + i - from_offset
  size_t from_offset = 0;
  size_t limit = size - size % 32;
  for (int pass = 0; pass < 2; ++pass) {
    for (; i < limit; i += 32) {
      const __m256i block =
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(from + (i - from_offset)));
      ends[i / 32] = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(
          _mm256_cmpeq_epi8(block, newline), _mm256_cmpeq_epi8(block, carriage_return))));
      __m256i error;
      if (_mm256_movemask_epi8(block) == 0) {
        // All ASCII: wrong only when the block before left a sequence unfinished.
        error = _mm256_subs_epu8(before, unfinished_below);
        if (!_mm256_testz_si256(error, error)) {
          first_error = i;
          break;
        }
      } else {
        const __m256i shifted = _mm256_permute2x128_si256(before, block, 0x21);
        const __m256i before1 = _mm256_alignr_epi8(block, shifted, 15);
        const __m256i before2 = _mm256_alignr_epi8(block, shifted, 14);
        const __m256i before3 = _mm256_alignr_epi8(block, shifted, 13);
        const __m256i high_before = _mm256_and_si256(_mm256_srli_epi16(before1, 4), low_nibble);
        const __m256i low_before = _mm256_and_si256(before1, low_nibble);
        const __m256i high = _mm256_and_si256(_mm256_srli_epi16(block, 4), low_nibble);
        const __m256i pair = _mm256_and_si256(
            _mm256_and_si256(_mm256_shuffle_epi8(by_high_before, high_before),
                             _mm256_shuffle_epi8(by_low_before, low_before)),
            _mm256_shuffle_epi8(by_high, high));
        // Two continuation bytes in a row are right exactly where a three- or four-byte lead
        // two or three bytes back asks for one.
        const __m256i asked = _mm256_and_si256(
            _mm256_or_si256(_mm256_subs_epu8(before2, third_lead),
                            _mm256_subs_epu8(before3, fourth_lead)),
            high_bit);
        error = _mm256_xor_si256(pair, asked);
        if (!_mm256_testz_si256(error, error)) {
          const uint32_t flagged = ~static_cast<uint32_t>(
              _mm256_movemask_epi8(_mm256_cmpeq_epi8(error, _mm256_setzero_si256())));
          first_error = i + static_cast<size_t>(__builtin_ctz(flagged));
          break;
        }
      }
      before = block;
    }
    if (first_error < size || i >= size) break;
    std::memset(last, 0, sizeof last);
    std::memcpy(last, bytes + i, size - i);
    from = last;
    from_offset = i;
    limit = i + 32;
  }
  // The last terminator before the first error (the padding past `size` holds none).
  // The word of the first error is set whenever a bit of it is below the error.
  first_error = std::min(first_error, size);
  size_t word = first_error / 32;
  const unsigned bit = first_error % 32;
  uint32_t below = bit == 0 ? 0 : ends[word] & ((1u << bit) - 1);
  while (below == 0) {
    if (word == 0) return 0;
    below = ends[--word];
  }
  return word * 32 + (31 - static_cast<size_t>(__builtin_clz(below))) + 1;
}
#else
constexpr bool kHaveVectorScan = false;

size_t FindLineEnd(const unsigned char*, size_t size, bool* valid) {
  *valid = false;
  return size;
}

size_t ScanWindowAvx2(const unsigned char*, size_t, uint32_t*) { return 0; }
#endif

/// How much the reader checks ahead in one go (see LineReader::OpenWindow).
constexpr size_t kWindowBytes = 64 * 1024;

/// Returns the length of the longest prefix of `bytes[0, size)` made of complete, valid UTF-8
/// sequences.
size_t ValidUtf8PrefixLength(const unsigned char* bytes, size_t size) {
  size_t i = 0;
  while (i < size) {
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      // Scraped text comes in long runs of one script; once in ASCII, skip it 16 bytes a step.
      while (size - i >= 16 && Is16Ascii(bytes + i)) i += 16;
      continue;
    }
    const size_t length = SequenceLength(lead);
    if (length == 0 || size - i < length) return i;
    if (!IsSecondByte(lead, bytes[i + 1])) return i;
    if (length >= 3 && !IsContinuation(bytes[i + 2])) return i;
    if (length == 4 && !IsContinuation(bytes[i + 3])) return i;
    i += length;
  }
  return i;
}

/// Returns the length of the maximal invalid subpart at `bytes[0]` (1 to 3): the longest
/// prefix of a well-formed sequence that is there, or 1 if there is none.
/// Requires `size` > 0 and no complete valid sequence to start at `bytes[0]`.
size_t InvalidSubpartLength(const unsigned char* bytes, size_t size) {
  const unsigned char lead = bytes[0];
  const size_t length = SequenceLength(lead);
  if (length < 2) return 1;
  unsigned char low;
  unsigned char high;
  SecondByteRange(lead, &low, &high);
  size_t matched = 1;
  while (matched < length) {
    if (matched == size) return matched;
    const unsigned char byte = bytes[matched];
    if (byte < low || byte > high) return matched;
    ++matched;
    low = 0x80;
    high = 0xBF;
  }
  return matched;
}

/// Appends `in` to `out` as valid UTF-8, one U+FFFD per maximal invalid subpart, and stops
/// before the first character or replacement that would make the appended text longer than
/// `max_out` bytes. Returns the bytes of `in` consumed; sets `*replacements`, and
/// `*first_bad` (the offset in `in` of the first replacement) when there is one. A sequence
/// cut off by the end of `in` is invalid, so when `in` is only the start of a longer text it
/// must reach at least 3 bytes past the point where `max_out` stops the decoding.
size_t DecodeUtf8(std::string_view in, size_t max_out, std::string* out, size_t* replacements,
                  size_t* first_bad) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(in.data());
  const size_t size = in.size();
  size_t i = 0;
  size_t appended = 0;
  *replacements = 0;
  while (i < size) {
    const size_t run = ValidUtf8PrefixLength(bytes + i, size - i);
    const size_t room = max_out - appended;
    if (run > room) {
      // The run goes on past the limit, so bytes[i + fits] exists; backing off continuation
      // bytes lands on the first byte of a character.
      size_t fits = room;
      while (fits > 0 && IsContinuation(bytes[i + fits])) --fits;
      out->append(in.data() + i, fits);
      return i + fits;
    }
    out->append(in.data() + i, run);
    appended += run;
    i += run;
    if (i == size) break;
    const size_t invalid = InvalidSubpartLength(bytes + i, size - i);
    if (max_out - appended < kReplacementBytes) break;
    out->append(kReplacementCharacter, kReplacementBytes);
    appended += kReplacementBytes;
    if (*replacements == 0 && first_bad != nullptr) *first_bad = i;
    ++*replacements;
    i += invalid;
  }
  return i;
}

// Set by EndWaitingReads, maybe from a signal handler: lock-free, so the store is safe there.
std::atomic<bool> waiting_reads_ended{false};
static_assert(std::atomic<bool>::is_always_lock_free, "EndWaitingReads must be signal-safe");

class FileSource final : public ByteSource {
 public:
  FileSource(int fd, bool owns_fd) : fd_(fd), owns_fd_(owns_fd) {
    struct stat info;
    may_wait_ = ::fstat(fd, &info) != 0 || !(S_ISREG(info.st_mode) || S_ISBLK(info.st_mode));
  }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  ~FileSource() override {
    if (owns_fd_) ::close(fd_);
  }

  long Read(char* buffer, size_t size) override {
    size = std::min(size, kMaxReadBytes);
    // A read that may wait (a pipe, a terminal) is entered only once input is there, so
    // EndWaitingReads is seen within a tenth of a second, whichever thread took the signal.
    while (may_wait_) {
      if (waiting_reads_ended.load(std::memory_order_relaxed)) return 0;
      pollfd ready{fd_, POLLIN, 0};
      const int polled = ::poll(&ready, 1, 100);
      if (polled > 0 || (polled < 0 && errno != EINTR)) break;  // read() tells what it is
    }
    for (;;) {
      const ssize_t count = ::read(fd_, buffer, size);
      if (count >= 0) return static_cast<long>(count);
      if (errno != EINTR) {
        error_ = ErrnoText(errno);
        return -1;
      }
    }
  }

  std::string error() const override { return error_; }

 private:
  int fd_;
  bool owns_fd_;
  bool may_wait_ = false;
  std::string error_;
};

class StringSource final : public ByteSource {
 public:
  StringSource(std::string data, size_t max_read)
      : data_(std::move(data)), max_read_(std::max<size_t>(max_read, 1)) {}

  long Read(char* buffer, size_t size) override {
    const size_t count = std::min({size, max_read_, data_.size() - offset_, kMaxReadBytes});
    std::memcpy(buffer, data_.data() + offset_, count);
    offset_ += count;
    return static_cast<long>(count);
  }

  std::string error() const override { return std::string(); }

 private:
  std::string data_;
  size_t offset_ = 0;
  size_t max_read_;
};

// Lends its bytes in pieces of at most `max_lend`, and reads them as StringSource does.
class LendingStringSource final : public ByteSource {
 public:
  LendingStringSource(std::string data, size_t max_lend)
      : data_(std::move(data)), max_lend_(std::max<size_t>(max_lend, 1)) {}

  long Read(char* buffer, size_t size) override {
    const size_t count = std::min({size, data_.size() - offset_, kMaxReadBytes});
    std::memcpy(buffer, data_.data() + offset_, count);
    offset_ += count;
    return static_cast<long>(count);
  }

  size_t Lend(const char** data) override {
    const size_t count = std::min(max_lend_, data_.size() - offset_);
    *data = data_.data() + offset_;
    offset_ += count;
    return count;
  }

  std::string error() const override { return std::string(); }

 private:
  std::string data_;
  size_t offset_ = 0;
  size_t max_lend_;
};

// open(2) for reading, again when a signal interrupts it.
int OpenForReading(const std::string& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

}  // namespace

std::unique_ptr<ByteSource> OpenFileSource(const std::string& path, std::string* error) {
  const int fd = OpenForReading(path);
  if (fd < 0) {
    if (error != nullptr) *error = ErrnoText(errno);
    return nullptr;
  }
  // open(2) accepts a directory and only the first read(2) fails; failing here instead keeps
  // "cannot open" errors in one place for the caller.
  struct stat info;
  if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    ::close(fd);
    if (error != nullptr) *error = ErrnoText(EISDIR);
    return nullptr;
  }
  return std::make_unique<FileSource>(fd, /*owns_fd=*/true);
}

std::string DescribeCutLines(uint64_t long_lines, uint64_t cuts, size_t max_line_bytes) {
  std::string text = std::to_string(long_lines) + " overlong line" +
                     (long_lines == 1 ? "" : "s") + " cut at " +
                     std::to_string(max_line_bytes) + " bytes";
  if (cuts != long_lines) text += " (" + std::to_string(cuts) + " cuts)";
  return text;
}

void EndWaitingReads() { waiting_reads_ended.store(true, std::memory_order_relaxed); }

std::shared_ptr<const SharedFile> SharedFile::Open(const std::string& path) {
  const int fd = OpenForReading(path);
  if (fd < 0) return nullptr;
  struct stat info;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return nullptr;
  }
  return std::shared_ptr<const SharedFile>(new SharedFile(fd));
}

SharedFile::~SharedFile() { ::close(fd_); }

long SharedFile::ReadAt(char* buffer, size_t size, uint64_t offset, std::string* error) const {
  size = std::min(size, kMaxReadBytes);
  for (;;) {
    const ssize_t count = ::pread(fd_, buffer, size, static_cast<off_t>(offset));
    if (count >= 0) return static_cast<long>(count);
    if (errno != EINTR) {
      *error = ErrnoText(errno);
      return -1;
    }
  }
}

namespace {

class FileRangeSource final : public ByteSource {
 public:
  FileRangeSource(std::shared_ptr<const SharedFile> file, uint64_t begin, uint64_t end)
      : file_(std::move(file)), offset_(begin), end_(std::max(begin, end)) {}

  long Read(char* buffer, size_t size) override {
    size = static_cast<size_t>(std::min<uint64_t>(size, end_ - offset_));
    if (size == 0) return 0;
    const long count = file_->ReadAt(buffer, size, offset_, &error_);
    if (count > 0) offset_ += static_cast<uint64_t>(count);
    return count;
  }

  std::string error() const override { return error_; }

 private:
  std::shared_ptr<const SharedFile> file_;
  uint64_t offset_;
  const uint64_t end_;
  std::string error_;
};

}  // namespace

std::unique_ptr<ByteSource> OpenFileRangeSource(std::shared_ptr<const SharedFile> file,
                                                uint64_t begin, uint64_t end) {
  return std::make_unique<FileRangeSource>(std::move(file), begin, end);
}

std::unique_ptr<ByteSource> OpenStdinSource() {
  return std::make_unique<FileSource>(STDIN_FILENO, /*owns_fd=*/false);
}

std::unique_ptr<ByteSource> MakeStringSource(std::string data, size_t max_read) {
  return std::make_unique<StringSource>(std::move(data), max_read);
}

std::unique_ptr<ByteSource> MakeLendingStringSource(std::string data, size_t max_lend) {
  return std::make_unique<LendingStringSource>(std::move(data), max_lend);
}

size_t AppendValidUtf8(std::string_view in, std::string* out, size_t* first_bad) {
  size_t replacements;
  DecodeUtf8(in, SIZE_MAX, out, &replacements, first_bad);
  return replacements;
}

LineReader::LineReader(ByteSource* source, ReaderOptions options)
    : source_(source), options_(options) {
  use_windows_ = kHaveVectorScan && options_.vector_scan && internal::UseAvx2Scans();
  options_.chunk_bytes = std::max<size_t>(options_.chunk_bytes, 1);
  // The upper clamp lets SIZE_MAX mean "no limit" without overflowing the lookahead in Next.
  options_.max_line_bytes =
      std::clamp(options_.max_line_bytes, kMaxSequenceBytes, SIZE_MAX / 2);
}

bool LineReader::Next(std::string_view* line, uint64_t* line_number) {
  if (carry_consumed_ > 0) {
    carry_.erase(0, carry_consumed_);
    carry_offset_ += carry_consumed_;
    carry_consumed_ = 0;
  }
  if (!error_.empty()) return false;
  if (pos_ < window_end_ && carry_.empty()) {
    // The common case, in short: a line inside the checked window is valid and ends in it.
    const size_t terminator = NextWindowTerminator();
    if (terminator - pos_ <= options_.max_line_bytes) {
      *line = std::string_view(bytes_ + pos_, terminator - pos_);
      pos_ = terminator;
      ConsumeTerminator();
      FinishPiece(/*line_complete=*/true, line_number);
      return true;
    }
  }
  // A piece of an unfinished line is decoded only with this many bytes in hand: then every
  // sequence that can start before the cut point is complete (DecodeUtf8's requirement), so
  // a cut lands where it would if the whole line were there.
  const size_t lookahead = options_.max_line_bytes + (kMaxSequenceBytes - 1);
  for (;;) {
    if (pos_ == end_) {
      if (!eof_) {
        if (!Fill()) return false;
        continue;
      }
      if (carry_.empty()) return false;
      carry_consumed_ = DecodePiece(carry_, carry_offset_, /*known_valid=*/false, line);
      FinishPiece(carry_consumed_ == carry_.size(), line_number);
      return true;
    }

    bool known_valid = false;
    const size_t terminator = FindTerminator(&known_valid);
    const bool terminated = terminator < end_;
    if (carry_.empty() && (terminated || end_ - pos_ >= lookahead)) {
      // The common case: the line (or a full piece of it) is inside this chunk, and valid
      // UTF-8 is handed out without a copy.
      const std::string_view raw(bytes_ + pos_, terminator - pos_);
      const size_t consumed = DecodePiece(raw, chunk_offset_ + pos_, known_valid, line);
      pos_ += consumed;
      const bool complete = terminated && consumed == raw.size();
      if (complete) ConsumeTerminator();
      FinishPiece(complete, line_number);
      return true;
    }

    if (carry_.empty()) carry_offset_ = chunk_offset_ + pos_;
    const size_t room = carry_.size() < lookahead ? lookahead - carry_.size() : 0;
    const size_t take = std::min(terminator - pos_, room);
    carry_.append(bytes_ + pos_, take);
    pos_ += take;
    const bool line_ends = terminated && pos_ == terminator;
    // Otherwise pos_ == end_ here, and the loop reads on.
    if (!line_ends && carry_.size() < lookahead) continue;
    carry_consumed_ = DecodePiece(carry_, carry_offset_, /*known_valid=*/false, line);
    const bool complete = line_ends && carry_consumed_ == carry_.size();
    if (complete) ConsumeTerminator();
    FinishPiece(complete, line_number);
    return true;
  }
}

bool LineReader::Fill() {
  chunk_offset_ += end_;
  pos_ = 0;
  end_ = 0;
  lf_at_ = SIZE_MAX;
  cr_at_ = SIZE_MAX;
  line_end_at_ = SIZE_MAX;
  window_begin_ = 0;
  window_end_ = 0;
  // Bytes a source holds in memory are scanned where they are; only a start too short to
  // hold a BOM is gathered into chunk_ with what follows.
  const char* lent = nullptr;
  const size_t lent_size = source_->Lend(&lent);
  const size_t wanted = at_start_ ? kBomBytes : 1;
  if (lent_size >= wanted) {
    bytes_ = lent;
    end_ = lent_size;
    stats_.bytes += lent_size;
  } else {
    // Made on first use and not zero-filled, as a reader of a source that lends its bytes
    // may need it only to learn that the input ended. The first fill gathers the three
    // bytes a BOM needs even when chunk_bytes is smaller.
    if (chunk_ == nullptr) {
      chunk_size_ = std::max(options_.chunk_bytes, kBomBytes);
      chunk_.reset(new char[chunk_size_]);
    }
    bytes_ = chunk_.get();
    if (lent_size > 0) {
      std::memcpy(chunk_.get(), lent, lent_size);
      end_ = lent_size;
      stats_.bytes += lent_size;
    }
  }
  while (end_ < wanted) {
    const size_t request = at_start_ ? chunk_size_ - end_ : options_.chunk_bytes;
    const long count = source_->Read(chunk_.get() + end_, request);
    if (count < 0) {
      error_ = source_->error();
      if (error_.empty()) error_ = "read error";
      return false;
    }
    if (count == 0) {
      eof_ = true;
      break;
    }
    end_ += static_cast<size_t>(count);
    stats_.bytes += static_cast<uint64_t>(count);
  }
  if (at_start_) {
    at_start_ = false;
    if (end_ >= kBomBytes && std::memcmp(bytes_, kBom, kBomBytes) == 0) {
      pos_ = kBomBytes;
      stats_.had_bom = true;
    }
  }
  if (pending_cr_ && pos_ < end_) {
    if (bytes_[pos_] == '\n') ++pos_;
    pending_cr_ = false;
  }
  return true;
}

size_t LineReader::FindTerminator(bool* known_valid) {
  *known_valid = false;
  if (kHaveVectorScan && options_.vector_scan) {
    if (use_windows_) {
      if (pos_ >= window_end_) OpenWindow();
      if (pos_ < window_end_) {
        *known_valid = true;
        return NextWindowTerminator();
      }
    }
    // Searched again only once pos_ passed the last terminator found; before that pos_ moved
    // only by a cut, and what is left of the line is checked when it is decoded.
    if (line_end_at_ == SIZE_MAX || line_end_at_ < pos_) {
      const auto* bytes = reinterpret_cast<const unsigned char*>(bytes_);
      line_end_at_ = pos_ + FindLineEnd(bytes + pos_, end_ - pos_, known_valid);
    }
    return line_end_at_;
  }
  if (lf_at_ == SIZE_MAX || lf_at_ < pos_) {
    const void* found = std::memchr(bytes_ + pos_, '\n', end_ - pos_);
    lf_at_ = found != nullptr ? static_cast<const char*>(found) - bytes_ : end_;
    cr_at_ = SIZE_MAX;
  }
  if (cr_at_ == SIZE_MAX || cr_at_ < pos_) {
    // Only the bytes before the next '\n' matter; a '\r' after it belongs to a later line.
    const void* found = std::memchr(bytes_ + pos_, '\r', lf_at_ - pos_);
    cr_at_ = found != nullptr ? static_cast<const char*>(found) - bytes_ : lf_at_;
  }
  return cr_at_;
}

void LineReader::OpenWindow() {
  const size_t size = std::min(end_ - pos_, kWindowBytes);
  if (window_ends_.empty()) window_ends_.resize(kWindowBytes / 32 + 1);
  window_begin_ = pos_;
  window_end_ =
      pos_ + ScanWindowAvx2(reinterpret_cast<const unsigned char*>(bytes_) + pos_, size,
                            window_ends_.data());
}

size_t LineReader::NextWindowTerminator() const {
  const size_t offset = pos_ - window_begin_;
  size_t word = offset / 32;
  uint32_t bits = window_ends_[word] >> (offset % 32);
  if (bits != 0) return pos_ + static_cast<size_t>(__builtin_ctz(bits));
  // The window ends just after a terminator, so one is found before its end.
  do {
    bits = window_ends_[++word];
  } while (bits == 0);
  return window_begin_ + word * 32 + static_cast<size_t>(__builtin_ctz(bits));
}

void LineReader::ConsumeTerminator() {
  const char terminator = bytes_[pos_];
  ++pos_;
  if (terminator != '\r') return;
  if (pos_ < end_) {
    if (bytes_[pos_] == '\n') ++pos_;
  } else {
    pending_cr_ = true;
  }
}

size_t LineReader::DecodePiece(std::string_view raw, uint64_t raw_offset, bool known_valid,
                               std::string_view* piece) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  if (raw.size() <= options_.max_line_bytes &&
      (known_valid || IsValidUtf8(bytes, raw.size()))) {
    *piece = raw;
    return raw.size();
  }
  line_.clear();
  size_t replacements = 0;
  size_t first_bad = 0;
  const size_t consumed =
      DecodeUtf8(raw, options_.max_line_bytes, &line_, &replacements, &first_bad);
  if (replacements > 0) {
    if (!stats_.has_invalid) {
      stats_.has_invalid = true;
      stats_.first_invalid_offset = raw_offset + first_bad;
      stats_.first_invalid_line = line_number_;
    }
    stats_.invalid_bytes += replacements;
  }
  *piece = line_;
  return consumed;
}

void LineReader::FinishPiece(bool line_complete, uint64_t* line_number) {
  *line_number = line_number_;
  ++stats_.lines;
  if (line_complete) {
    ++line_number_;
    in_cut_line_ = false;
  } else {
    ++stats_.lines_cut;
    if (!in_cut_line_) ++stats_.long_lines;
    in_cut_line_ = true;
  }
}

}  // namespace winnow

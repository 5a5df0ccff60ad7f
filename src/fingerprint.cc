#include "winnow/fingerprint.h"

#include <cstring>

namespace winnow {
namespace {

constexpr uint64_t kMul1 = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kMul2 = 0xbf58476d1ce4e5b9ULL;
constexpr uint64_t kMul3 = 0x94d049bb133111ebULL;

// Words are read little-endian on every host, so the hash is the same on every platform. On a
// little-endian host that is one plain load; a byte-at-a-time loop here cost 24 instructions
// a word, most of the fingerprint's time.
uint64_t Load64(const unsigned char* p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
#else
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
#endif
}

// `size` (at most 8) bytes as a little-endian word, zero-padded.
uint64_t LoadPartial(const unsigned char* p, size_t size) {
  unsigned char padded[8] = {};
  std::memcpy(padded, p, size);
  return Load64(padded);
}

uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= kMul2;
  x ^= x >> 27;
  x *= kMul3;
  x ^= x >> 31;
  return x;
}

uint64_t RotateLeft(uint64_t x, int bits) { return (x << bits) | (x >> (64 - bits)); }

// Feeds 16 bytes to Fingerprint128's lanes: the first word to `a`, the second to `b`.
void FingerprintStep(const unsigned char* p, uint64_t* a, uint64_t* b) {
  *a = RotateLeft(*a ^ (Load64(p) * kMul2), 31) * kMul1;
  *b = RotateLeft(*b ^ (Load64(p + 8) * kMul3), 29) * kMul1;
}

// The last `size` (under 16) bytes and the lanes' final mix.
Fingerprint FingerprintFinish(const unsigned char* p, size_t size, uint64_t a, uint64_t b) {
  const uint64_t tail_a = LoadPartial(p, size < 8 ? size : 8);
  const uint64_t tail_b = size > 8 ? LoadPartial(p + 8, size - 8) : 0;
  a = Mix(a ^ tail_a ^ (static_cast<uint64_t>(size) << 56));
  b = Mix(b ^ tail_b);
  Fingerprint f;
  f.high = Mix(a ^ RotateLeft(b, 17));
  f.low = Mix(b + a * kMul3);
  return f;
}

uint64_t LaneA(size_t size) { return 0x243f6a8885a308d3ULL ^ (size * kMul1); }
uint64_t LaneB(size_t size) { return 0x13198a2e03707344ULL ^ (size * kMul2); }

}  // namespace

uint64_t Hash64(std::string_view data, uint64_t seed) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  size_t n = data.size();
  uint64_t h = Mix(seed ^ (n * kMul1));
  while (n >= 8) {
    h = Mix(h ^ Load64(p)) * kMul1;
    p += 8;
    n -= 8;
  }
  const uint64_t tail = LoadPartial(p, n);
  return Mix(h ^ tail ^ (static_cast<uint64_t>(n) << 56));
}

Fingerprint Fingerprint128(std::string_view data) { return Fingerprint128({data}); }

// Two independent lanes, each taking every other 8-byte word, so the multiplies of one
// overlap with the other's and the data is read once; the lanes are mixed into both halves.
Fingerprint Fingerprint128(std::initializer_list<std::string_view> pieces) {
  size_t size = 0;
  for (std::string_view piece : pieces) size += piece.size();
  uint64_t a = LaneA(size);
  uint64_t b = LaneB(size);
  // A 16-byte step that spans pieces is gathered here first.
  unsigned char step[16];
  size_t held = 0;
  for (std::string_view piece : pieces) {
    const auto* p = reinterpret_cast<const unsigned char*>(piece.data());
    size_t n = piece.size();
    if (n == 0) continue;
    if (held > 0) {
      const size_t take = n < 16 - held ? n : 16 - held;
      std::memcpy(step + held, p, take);
      held += take;
      p += take;
      n -= take;
      if (held < 16) continue;
      FingerprintStep(step, &a, &b);
      held = 0;
    }
    // Two steps a turn halve the loop's own overhead; each lane's chain is unchanged.
    for (; n >= 32; p += 32, n -= 32) {
      FingerprintStep(p, &a, &b);
      FingerprintStep(p + 16, &a, &b);
    }
    if (n >= 16) {
      FingerprintStep(p, &a, &b);
      p += 16;
      n -= 16;
    }
    std::memcpy(step, p, n);
    held = n;
  }
  return FingerprintFinish(step, held, a, b);
}

}  // namespace winnow

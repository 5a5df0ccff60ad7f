#include "winnow/fingerprint.h"

#include <cstring>

namespace winnow {
namespace {

constexpr uint64_t kMul1 = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kMul2 = 0xbf58476d1ce4e5b9ULL;
constexpr uint64_t kMul3 = 0x94d049bb133111ebULL;

// Bytes are assembled little-endian explicitly so the hash is the same on every platform.
uint64_t Load64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
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
  uint64_t tail = 0;
  for (size_t i = 0; i < n; ++i) tail |= static_cast<uint64_t>(p[i]) << (8 * i);
  return Mix(h ^ tail ^ (static_cast<uint64_t>(n) << 56));
}

// Two independent lanes, each taking every other 8-byte word, so the multiplies of one
// overlap with the other's and the data is read once; the lanes are mixed into both halves.
Fingerprint Fingerprint128(std::string_view data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  size_t n = data.size();
  uint64_t a = 0x243f6a8885a308d3ULL ^ (n * kMul1);
  uint64_t b = 0x13198a2e03707344ULL ^ (n * kMul2);
  while (n >= 16) {
    a = RotateLeft(a ^ (Load64(p) * kMul2), 31) * kMul1;
    b = RotateLeft(b ^ (Load64(p + 8) * kMul3), 29) * kMul1;
    p += 16;
    n -= 16;
  }
  uint64_t tail_a = 0;
  uint64_t tail_b = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i < 8) {
      tail_a |= static_cast<uint64_t>(p[i]) << (8 * i);
    } else {
      tail_b |= static_cast<uint64_t>(p[i]) << (8 * (i - 8));
    }
  }
  a = Mix(a ^ tail_a ^ (static_cast<uint64_t>(n) << 56));
  b = Mix(b ^ tail_b);
  Fingerprint f;
  f.high = Mix(a ^ RotateLeft(b, 17));
  f.low = Mix(b + a * kMul3);
  return f;
}

}  // namespace winnow

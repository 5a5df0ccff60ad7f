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

Fingerprint Fingerprint128(std::string_view data) {
  Fingerprint f;
  f.high = Hash64(data, 0x243f6a8885a308d3ULL);
  f.low = Hash64(data, 0x13198a2e03707344ULL);
  return f;
}

}  // namespace winnow

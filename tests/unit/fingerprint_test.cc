#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/fingerprint.h"

namespace winnow {
namespace {

// The hashes as first released, spelled out a byte at a time. Fingerprints and record ids are
// exported and compared across runs and shards, so the library's faster loops must agree with
// these on every input.
namespace reference {

constexpr uint64_t kMul1 = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kMul2 = 0xbf58476d1ce4e5b9ULL;
constexpr uint64_t kMul3 = 0x94d049bb133111ebULL;

uint64_t LittleEndianWord(const unsigned char* p, size_t size) {
  uint64_t v = 0;
  for (size_t i = 0; i < size; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

uint64_t Mix(uint64_t x) {
  x = (x ^ (x >> 30)) * kMul2;
  x = (x ^ (x >> 27)) * kMul3;
  return x ^ (x >> 31);
}

uint64_t Rotate(uint64_t x, int bits) { return (x << bits) | (x >> (64 - bits)); }

uint64_t Hash64(std::string_view data, uint64_t seed) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const size_t n = data.size();
  uint64_t h = Mix(seed ^ (n * kMul1));
  size_t i = 0;
  for (; i + 8 <= n; i += 8) h = Mix(h ^ LittleEndianWord(p + i, 8)) * kMul1;
  const uint64_t rest = n - i;
  return Mix(h ^ LittleEndianWord(p + i, rest) ^ (rest << 56));
}

Fingerprint Fingerprint128(std::string_view data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const size_t n = data.size();
  uint64_t a = 0x243f6a8885a308d3ULL ^ (n * kMul1);
  uint64_t b = 0x13198a2e03707344ULL ^ (n * kMul2);
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    a = Rotate(a ^ (LittleEndianWord(p + i, 8) * kMul2), 31) * kMul1;
    b = Rotate(b ^ (LittleEndianWord(p + i + 8, 8) * kMul3), 29) * kMul1;
  }
  const size_t rest = n - i;
  const uint64_t tail_a = LittleEndianWord(p + i, rest < 8 ? rest : 8);
  const uint64_t tail_b = rest > 8 ? LittleEndianWord(p + i + 8, rest - 8) : 0;
  a = Mix(a ^ tail_a ^ (static_cast<uint64_t>(rest) << 56));
  b = Mix(b ^ tail_b);
  Fingerprint f;
  f.high = Mix(a ^ Rotate(b, 17));
  f.low = Mix(b + a * kMul3);
  return f;
}

}  // namespace reference

// Deterministic bytes covering all 256 values, so every lane of a wide load sees high bits.
std::string PseudoRandomBytes(size_t size, uint64_t seed) {
  std::string bytes(size, '\0');
  uint64_t state = seed * 0x9e3779b97f4a7c15ULL + 1;
  for (size_t i = 0; i < size; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    bytes[i] = static_cast<char>(state >> 56);
  }
  return bytes;
}

// Folds many values into one, so a single pinned constant covers a whole sweep.
uint64_t Fold(uint64_t acc, uint64_t value) {
  return reference::Rotate(acc ^ value, 23) * reference::kMul1;
}

TEST(Fingerprint128, MatchesTheReferenceAtEveryLengthUpTo300) {
  for (uint64_t seed = 0; seed < 4; ++seed) {
    const std::string bytes = PseudoRandomBytes(300, seed);
    for (size_t size = 0; size <= bytes.size(); ++size) {
      const std::string_view data(bytes.data(), size);
      const Fingerprint want = reference::Fingerprint128(data);
      const Fingerprint got = Fingerprint128(data);
      ASSERT_EQ(got.high, want.high) << "seed " << seed << " size " << size;
      ASSERT_EQ(got.low, want.low) << "seed " << seed << " size " << size;
    }
  }
}

TEST(Fingerprint128, MatchesTheReferenceAtEveryAlignment) {
  const std::string bytes = PseudoRandomBytes(200, 7);
  for (size_t offset = 0; offset < 16; ++offset) {
    for (size_t size = 0; offset + size <= bytes.size(); size += 5) {
      const std::string_view data(bytes.data() + offset, size);
      EXPECT_EQ(Fingerprint128(data), reference::Fingerprint128(data))
          << "offset " << offset << " size " << size;
    }
  }
}

TEST(Fingerprint128, ReadsOnlyItsInput) {
  // Each length at the very end of its own allocation, for AddressSanitizer.
  const std::string bytes = PseudoRandomBytes(40, 13);
  for (size_t size = 0; size <= bytes.size(); ++size) {
    const std::unique_ptr<char[]> exact(new char[size]);
    std::copy(bytes.begin(), bytes.begin() + size, exact.get());
    const std::string_view data(exact.get(), size);
    EXPECT_EQ(Fingerprint128(data), reference::Fingerprint128(data)) << size;
    EXPECT_EQ(Hash64(data, 1), reference::Hash64(data, 1)) << size;
  }
}

TEST(Fingerprint128, MatchesTheReferenceOnLongInputs) {
  for (size_t size : {4095u, 4096u, 4097u, 65536u + 13u, 1000003u}) {
    const std::string bytes = PseudoRandomBytes(size, size);
    EXPECT_EQ(Fingerprint128(bytes), reference::Fingerprint128(bytes)) << size;
  }
}

TEST(Fingerprint128, DependsOnEveryByteOfTheTail) {
  // Flipping a byte at any position of any length changes the value: no tail byte is dropped.
  const std::string bytes = PseudoRandomBytes(48, 11);
  for (size_t size = 1; size <= bytes.size(); ++size) {
    const Fingerprint base = Fingerprint128(std::string_view(bytes.data(), size));
    for (size_t i = 0; i < size; ++i) {
      std::string changed(bytes, 0, size);
      changed[i] = static_cast<char>(changed[i] ^ 0x01);
      EXPECT_FALSE(Fingerprint128(changed) == base) << "size " << size << " byte " << i;
    }
  }
}

// Pinned values: exported fingerprints must not change between versions, even if the reference
// above were edited along with the library.
TEST(Fingerprint128, KeepsItsPublishedValues) {
  const Fingerprint empty = Fingerprint128("");
  EXPECT_EQ(empty.high, 0xb167b5741210f361ULL);
  EXPECT_EQ(empty.low, 0xb30cd810ecf703a0ULL);
  const Fingerprint key = Fingerprint128("标题\x1f正文");
  EXPECT_EQ(key.high, 0xb7b176fbb2ae60b0ULL);
  EXPECT_EQ(key.low, 0x5d74e9278269da6dULL);
  uint64_t acc = 0;
  const std::string bytes = PseudoRandomBytes(300, 3);
  for (size_t size = 0; size <= bytes.size(); ++size) {
    const Fingerprint f = Fingerprint128(std::string_view(bytes.data(), size));
    acc = Fold(Fold(acc, f.high), f.low);
  }
  EXPECT_EQ(acc, 0x42dbaa092def67b8ULL);
}

// Pieces are hashed as if joined, wherever the joins fall within or across 16-byte steps,
// empty pieces included.
TEST(Fingerprint128, OfPiecesIsTheFingerprintOfThemJoined) {
  const std::string bytes = PseudoRandomBytes(70, 17);
  for (size_t size = 0; size <= bytes.size(); size += 3) {
    const std::string_view data(bytes.data(), size);
    const Fingerprint want = Fingerprint128(data);
    for (size_t first = 0; first <= size; ++first) {
      for (size_t second = first; second <= size; second += 7) {
        const Fingerprint got = Fingerprint128(
            {data.substr(0, first), data.substr(first, second - first), data.substr(second)});
        ASSERT_EQ(got, want) << "size " << size << " joins " << first << ", " << second;
      }
    }
    EXPECT_EQ(Fingerprint128({std::string_view(), data, std::string_view()}), want) << size;
  }
  EXPECT_EQ(Fingerprint128({"标题", "\x1f", "正文"}), Fingerprint128("标题\x1f正文"));
}

TEST(Hash64, MatchesTheReferenceAtEveryLengthAndSeed) {
  const std::string bytes = PseudoRandomBytes(300, 5);
  for (uint64_t seed : {0ULL, 1ULL, 0x5348415244ULL, ~0ULL}) {
    for (size_t size = 0; size <= bytes.size(); ++size) {
      const std::string_view data(bytes.data(), size);
      ASSERT_EQ(Hash64(data, seed), reference::Hash64(data, seed))
          << "seed " << seed << " size " << size;
    }
  }
  for (size_t offset = 1; offset < 8; ++offset) {
    const std::string_view data(bytes.data() + offset, 100);
    EXPECT_EQ(Hash64(data), reference::Hash64(data, 0)) << offset;
  }
}

TEST(Hash64, KeepsItsPublishedValues) {
  EXPECT_EQ(Hash64(""), 0x0ULL);
  EXPECT_EQ(Hash64("dir/page.txt", 0x5348415244ULL), 0xa208dc41fefde9c1ULL);
  uint64_t acc = 0;
  const std::string bytes = PseudoRandomBytes(300, 9);
  for (size_t size = 0; size <= bytes.size(); ++size) {
    acc = Fold(acc, Hash64(std::string_view(bytes.data(), size)));
  }
  EXPECT_EQ(acc, 0x58ebcdbbaa1f8ad1ULL);
}

}  // namespace
}  // namespace winnow

// Stable 64- and 128-bit hashes of byte strings: record ids and dedup fingerprints. The values
// depend only on the bytes, never on the platform or the run, so ids are stable across runs.
#ifndef WINNOW_FINGERPRINT_H_
#define WINNOW_FINGERPRINT_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string_view>

namespace winnow {

/// A 64-bit hash of `data`, seeded with `seed`.
uint64_t Hash64(std::string_view data, uint64_t seed = 0);

/// 128 bits: enough that a corpus of billions of records has no accidental collision.
struct Fingerprint {
  uint64_t high = 0;
  uint64_t low = 0;
  bool operator==(const Fingerprint& other) const {
    return high == other.high && low == other.low;
  }
};

Fingerprint Fingerprint128(std::string_view data);
/// Fingerprint128 of `pieces` joined, without joining them.
Fingerprint Fingerprint128(std::initializer_list<std::string_view> pieces);

struct FingerprintHash {
  size_t operator()(const Fingerprint& f) const { return static_cast<size_t>(f.low); }
};

}  // namespace winnow

#endif  // WINNOW_FINGERPRINT_H_

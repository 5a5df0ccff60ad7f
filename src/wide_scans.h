// Which width the byte scans that have one take: the 32-byte AVX2 path where the CPU has it,
// else the 16-byte SSE2 one. Private to the scans (reader, match view).
#ifndef WINNOW_WIDE_SCANS_H_
#define WINNOW_WIDE_SCANS_H_

#include <cstdint>
#include <cstdlib>

#if defined(__SSE2__) && defined(__x86_64__) && defined(__GNUC__)
#define WINNOW_HAVE_AVX2_SCANS 1
#include <immintrin.h>
#endif

namespace winnow {
namespace internal {

/// True when the CPU has AVX2 (asked once per process) and the environment does not set
/// WINNOW_NO_AVX2, which the tests set to run the SSE2 paths on an AVX2 machine as well.
/// False wherever the SSE2 paths are left out (WINNOW_PORTABLE_SCANS).
inline bool UseAvx2Scans() {
#if defined(WINNOW_HAVE_AVX2_SCANS)
  static const bool use =
      __builtin_cpu_supports("avx2") && std::getenv("WINNOW_NO_AVX2") == nullptr;
  return use;
#else
  return false;
#endif
}

#if defined(WINNOW_HAVE_AVX2_SCANS)
/// Bit k for the high bit of byte k of `v`. A function, not a lambda: a lambda does not take
/// on the AVX2 target of the function it is written in.
__attribute__((target("avx2"))) inline uint64_t Avx2ByteMask(__m256i v) {
  return static_cast<uint32_t>(_mm256_movemask_epi8(v));
}
#endif

}  // namespace internal
}  // namespace winnow

#endif  // WINNOW_WIDE_SCANS_H_

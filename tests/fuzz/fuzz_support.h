// Shared by the fuzz targets: checks that hold for any input, so a fuzzer can report a
// violated invariant as a crash.
#ifndef WINNOW_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define WINNOW_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/diagnostic.h"
#include "winnow/rule_engine.h"
#include "winnow/rule_file.h"

namespace winnow {
namespace fuzz {

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
inline bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    char32_t min = 0;
    char32_t c = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2, min = 0x80, c = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3, min = 0x800, c = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4, min = 0x10000, c = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      c = (c << 6) | (next & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

/// Aborts with `what` when `condition` is false: the fuzzer records the input as a crasher.
inline void Require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
  }
}

/// Drops diagnostics: the targets check invariants, not messages.
class IgnoringDiagnostics : public DiagnosticSink {
 public:
  void Report(const Diagnostic&) override {}
};

/// The built-in rules, compiled once per process.
inline const RuleEngine& BuiltinEngine() {
  static const std::unique_ptr<RuleEngine> engine = [] {
    std::vector<Rule> rules;
    std::string error;
    LoadBuiltinRules(&rules, &error);
    return RuleEngine::Compile(std::move(rules), &error);
  }();
  return *engine;
}

}  // namespace fuzz
}  // namespace winnow

#endif  // WINNOW_TESTS_FUZZ_FUZZ_SUPPORT_H_

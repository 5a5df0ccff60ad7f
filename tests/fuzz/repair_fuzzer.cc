// Fuzz target for the repair stage: any bytes, made valid UTF-8 as the reader makes them, are
// repaired as `winnow repair` repairs a line; the output must be valid UTF-8 and repair to
// itself (tests/fuzz/CMakeLists.txt builds it as a fuzzer or as a corpus replayer).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "winnow/reader.h"
#include "winnow/repair.h"
#include "winnow/text_normalize.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static winnow::TextNormalizer normalizer;
  std::string line;
  size_t first_bad = 0;
  winnow::AppendValidUtf8(std::string_view(reinterpret_cast<const char*>(data), size), &line,
                          &first_bad);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';  // one line, as the reader hands it over
  }
  for (winnow::WidthPolicy width : {winnow::WidthPolicy::kAuto, winnow::WidthPolicy::kFold}) {
    winnow::RepairOptions options;
    options.width = width;
    winnow::PlainTextRepairer repairer(options, &normalizer);
    std::string once, twice, valid;
    repairer.BeginDocument(nullptr);
    repairer.RepairLine(line, &once);
    repairer.BeginDocument(nullptr);
    repairer.RepairLine(once, &twice);
    if (winnow::AppendValidUtf8(once, &valid, &first_bad) != 0 || twice != once) {
      std::fprintf(stderr, "repair_fuzzer: %s\n  input: %s\n  once:  %s\n  twice: %s\n",
                   twice != once ? "not idempotent" : "ill-formed output", line.c_str(),
                   once.c_str(), twice.c_str());
      std::abort();
    }
  }
  return 0;
}

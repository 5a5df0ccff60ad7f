// Fuzzes `winnow check`'s input side: the JSONL, JSON-array, Markdown and raw readers and the
// detectors behind them. Any bytes give findings that name a line of the input and carry
// valid UTF-8, and never a crash or an uncaught exception.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "winnow/check_input.h"

namespace {

class CheckingFindings : public winnow::FindingSink {
 public:
  void Report(winnow::Finding&& finding) override {
    winnow::fuzz::Require(finding.line >= 1, "a finding names a line");
    winnow::fuzz::Require(winnow::fuzz::IsValidUtf8(finding.text), "finding text is UTF-8");
    winnow::fuzz::Require(winnow::fuzz::IsValidUtf8(finding.message), "message is UTF-8");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  // The first byte picks the format, so every reader sees every shape of input.
  constexpr winnow::InputFormat kFormats[] = {
      winnow::InputFormat::kAuto, winnow::InputFormat::kJsonl, winnow::InputFormat::kJson,
      winnow::InputFormat::kMarkdown, winnow::InputFormat::kRaw};
  winnow::CheckOptions options;
  options.format = kFormats[data[0] % 5];
  options.reader.chunk_bytes = 61;
  options.reader.max_line_bytes = 4096;
  CheckingFindings findings;
  winnow::fuzz::IgnoringDiagnostics diagnostics;
  winnow::CorpusCheck check(winnow::fuzz::BuiltinEngine(), options, &findings, &diagnostics);
  std::unique_ptr<winnow::ByteSource> source = winnow::MakeStringSource(
      std::string(reinterpret_cast<const char*>(data) + 1, size - 1), 89);
  check.CheckSource("fuzz.jsonl", source.get());
  return 0;
}

// Fuzzes the splitter with the built-in rules, repair and filter behind it: any input gives
// records whose text is valid UTF-8, and every record found is either emitted or dropped
// with a reason (the accounting `winnow clean` promises).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "winnow/pipeline.h"

namespace {

class CountingSink : public winnow::RecordSink {
 public:
  void Accept(winnow::Record&& record) override {
    winnow::fuzz::Require(winnow::fuzz::IsValidUtf8(record.title), "title is UTF-8");
    winnow::fuzz::Require(winnow::fuzz::IsValidUtf8(record.Text()), "text is UTF-8");
    ++accepted;
  }
  void Reject(winnow::Record&&, winnow::DropReason, const std::string&) override { ++rejected; }
  uint64_t accepted = 0;
  uint64_t rejected = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using winnow::fuzz::Require;
  winnow::CleanOptions options;
  options.reader.chunk_bytes = 64;
  options.reader.max_line_bytes = 4096;
  options.filter.keep_teasers = size > 0 && data[0] % 2 == 1;
  CountingSink output;
  CountingSink rejects;
  winnow::fuzz::IgnoringDiagnostics diagnostics;
  winnow::CleanPipeline pipeline(winnow::fuzz::BuiltinEngine(), options, &output, &diagnostics,
                                 &rejects);
  std::unique_ptr<winnow::ByteSource> source =
      winnow::MakeStringSource(std::string(reinterpret_cast<const char*>(data), size), 97);
  pipeline.CleanSource("fuzz.txt", source.get());
  const winnow::RunSummary& summary = pipeline.summary();
  Require(summary.emitted == output.accepted, "emitted records reach the output");
  Require(summary.records == output.accepted + rejects.rejected, "every record accounted for");
  return 0;
}

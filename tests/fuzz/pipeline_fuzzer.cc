// Fuzzes the splitter with the built-in rules, repair and filter behind it: any input gives
// records whose text is valid UTF-8, and every record found is either emitted or dropped
// with a reason (the accounting `winnow clean` promises). The run is made twice, with and
// without the splitter's shortcut for cut teasers (SplitterOptions::skip_unneeded_views),
// and both must give the same records, emitted and dropped, byte for byte.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "winnow/jsonl_writer.h"
#include "winnow/pipeline.h"

namespace {

// Counts the records and keeps them as JSONL, with each dropped one's reason.
class CountingSink : public winnow::RecordSink {
 public:
  void Accept(winnow::Record&& record) override {
    winnow::fuzz::Require(winnow::fuzz::IsValidUtf8(record.title), "title is UTF-8");
    winnow::fuzz::Require(winnow::fuzz::IsValidUtf8(record.Text()), "text is UTF-8");
    winnow::AppendRecordJson(record, &records);
    ++accepted;
  }
  void Reject(winnow::Record&& record, winnow::DropReason reason,
              const std::string& detail) override {
    winnow::AppendRecordJson(record, &records);
    records += std::to_string(static_cast<int>(reason)) + ' ' + detail + '\n';
    ++rejected;
  }
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  std::string records;
};

struct Run {
  CountingSink output;
  CountingSink rejects;
  winnow::RunSummary summary;
};

void CleanOnce(const uint8_t* data, size_t size, bool skip_unneeded_views, Run* run) {
  winnow::CleanOptions options;
  options.reader.chunk_bytes = 64;
  options.reader.max_line_bytes = 4096;
  options.filter.keep_teasers = size > 0 && data[0] % 2 == 1;
  options.splitter.skip_unneeded_views = skip_unneeded_views;
  winnow::fuzz::IgnoringDiagnostics diagnostics;
  winnow::CleanPipeline pipeline(winnow::fuzz::BuiltinEngine(), options, &run->output,
                                 &diagnostics, &run->rejects);
  std::unique_ptr<winnow::ByteSource> source =
      winnow::MakeStringSource(std::string(reinterpret_cast<const char*>(data), size), 97);
  pipeline.CleanSource("fuzz.txt", source.get());
  run->summary = pipeline.summary();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using winnow::fuzz::Require;
  Run fast;
  CleanOnce(data, size, /*skip_unneeded_views=*/true, &fast);
  Require(fast.summary.emitted == fast.output.accepted, "emitted records reach the output");
  Require(fast.summary.records == fast.output.accepted + fast.rejects.rejected,
          "every record accounted for");
  Run slow;
  CleanOnce(data, size, /*skip_unneeded_views=*/false, &slow);
  Require(fast.output.records == slow.output.records, "the shortcut emits the same records");
  Require(fast.rejects.records == slow.rejects.records, "the shortcut drops the same records");
  return 0;
}

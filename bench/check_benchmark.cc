// `check` beside `clean` in process, on the test pages repeated to about 4 MB, so the two can be
// compared without process start-up or a terminal in the way (bench/check_bench.sh measures
// whole runs). Run: build/bench/check_benchmark
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "winnow/check.h"
#include "winnow/check_input.h"
#include "winnow/pipeline.h"
#include "winnow/reader.h"
#include "winnow/record_writer.h"
#include "winnow/rule_engine.h"
#include "winnow/rule_file.h"

namespace winnow {
namespace {

const std::string& Corpus() {
  static const std::string corpus = [] {
    std::vector<std::filesystem::path> pages;
    for (const auto& entry :
         std::filesystem::directory_iterator(WINNOW_SOURCE_DIR "/testdata/pages")) {
      if (entry.is_directory()) pages.push_back(entry.path() / "input.txt");
    }
    std::sort(pages.begin(), pages.end());
    std::string all;
    for (const auto& page : pages) {
      std::ifstream in(page);
      std::stringstream text;
      text << in.rdbuf();
      all += text.str();
      all += "\n";
    }
    std::string text;
    while (text.size() < (4u << 20)) text += all;
    return text;
  }();
  return corpus;
}

std::unique_ptr<RuleEngine> BuiltinEngine() {
  std::vector<Rule> rules;
  std::string error;
  LoadBuiltinRules(&rules, &error);
  return RuleEngine::Compile(std::move(rules), &error);
}

class NullDiagnostics : public DiagnosticSink {
 public:
  void Report(const Diagnostic&) override {}
};

class CountingFindings : public FindingSink {
 public:
  void Report(Finding&&) override { ++count; }
  uint64_t count = 0;
};

// `clean`'s JSONL of the corpus: what `check` reads in CI.
const std::string& CleanedCorpus() {
  static const std::string cleaned = [] {
    auto engine = BuiltinEngine();
    StringOutput out;
    NullDiagnostics diagnostics;
    auto writer = MakeRecordWriter(OutputFormat::kJsonl, &out);
    CleanPipeline pipeline(*engine, CleanOptions(), writer.get(), &diagnostics);
    auto source = MakeStringSource(Corpus());
    pipeline.CleanSource("bench", source.get());
    writer->Finish();
    return out.text();
  }();
  return cleaned;
}

void BM_Clean(benchmark::State& state) {
  auto engine = BuiltinEngine();
  for (auto _ : state) {
    StringOutput out;
    NullDiagnostics diagnostics;
    auto writer = MakeRecordWriter(OutputFormat::kJsonl, &out);
    CleanPipeline pipeline(*engine, CleanOptions(), writer.get(), &diagnostics);
    auto source = MakeStringSource(Corpus());
    pipeline.CleanSource("bench", source.get());
    writer->Finish();
    benchmark::DoNotOptimize(out.text().data());
  }
  state.SetBytesProcessed(state.iterations() * Corpus().size());
}
BENCHMARK(BM_Clean)->Unit(benchmark::kMillisecond);

void BM_CheckRaw(benchmark::State& state) {
  auto engine = BuiltinEngine();
  CheckOptions options;
  options.format = InputFormat::kRaw;
  for (auto _ : state) {
    CountingFindings findings;
    NullDiagnostics diagnostics;
    CorpusCheck check(*engine, options, &findings, &diagnostics);
    auto source = MakeStringSource(Corpus());
    check.CheckSource("bench", source.get());
    benchmark::DoNotOptimize(findings.count);
  }
  state.SetBytesProcessed(state.iterations() * Corpus().size());
}
BENCHMARK(BM_CheckRaw)->Unit(benchmark::kMillisecond);

void BM_CheckCleanedJsonl(benchmark::State& state) {
  auto engine = BuiltinEngine();
  CheckOptions options;
  options.format = InputFormat::kJsonl;
  for (auto _ : state) {
    CountingFindings findings;
    NullDiagnostics diagnostics;
    CorpusCheck check(*engine, options, &findings, &diagnostics);
    auto source = MakeStringSource(CleanedCorpus());
    check.CheckSource("bench.jsonl", source.get());
    benchmark::DoNotOptimize(findings.count);
  }
  state.SetBytesProcessed(state.iterations() * CleanedCorpus().size());
}
BENCHMARK(BM_CheckCleanedJsonl)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow

BENCHMARK_MAIN();

// Per-stage throughput on the seed page, repeated to about 4 MB.
// Run: build/bench/stage_benchmark [--benchmark_filter=Entity]
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "winnow/entity_decoder.h"
#include "winnow/pipeline.h"
#include "winnow/reader.h"
#include "winnow/record_writer.h"
#include "winnow/rule_engine.h"
#include "winnow/rule_file.h"
#include "winnow/text_normalize.h"

namespace winnow {
namespace {

const std::string& Corpus() {
  static const std::string corpus = [] {
    std::ifstream in(WINNOW_SOURCE_DIR "/testdata/pages/seed-megatron/input.txt");
    std::stringstream page;
    page << in.rdbuf();
    std::string text;
    while (text.size() < (4u << 20)) text += page.str();
    return text;
  }();
  return corpus;
}

std::vector<std::string> CorpusLines() {
  std::vector<std::string> lines;
  std::istringstream in(Corpus());
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::unique_ptr<RuleEngine> BuiltinEngine() {
  std::vector<Rule> rules;
  std::string error;
  LoadBuiltinRules(&rules, &error);
  return RuleEngine::Compile(std::move(rules), &error);
}

void BM_Reader(benchmark::State& state) {
  for (auto _ : state) {
    auto source = MakeStringSource(Corpus());
    LineReader reader(source.get());
    std::string_view line;
    uint64_t n = 0;
    while (reader.Next(&line, &n)) benchmark::DoNotOptimize(line.data());
  }
  state.SetBytesProcessed(state.iterations() * Corpus().size());
}
BENCHMARK(BM_Reader);

void BM_EntityDecode(benchmark::State& state) {
  const auto lines = CorpusLines();
  std::string out;
  EntityDecodeOptions options;
  for (auto _ : state) {
    for (const std::string& line : lines) {
      out.clear();
      if (MayContainEntity(line)) {
        DecodeEntities(line, options, &out);
      } else {
        out.append(line);
      }
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * Corpus().size());
}
BENCHMARK(BM_EntityDecode);

void BM_MatchKey(benchmark::State& state) {
  const auto lines = CorpusLines();
  TextNormalizer normalizer;
  std::string key;
  for (auto _ : state) {
    for (const std::string& line : lines) {
      normalizer.MatchKey(line, &key);
      benchmark::DoNotOptimize(key.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * Corpus().size());
}
BENCHMARK(BM_MatchKey);

void BM_RuleMatch(benchmark::State& state) {
  const auto lines = CorpusLines();
  TextNormalizer normalizer;
  auto engine = BuiltinEngine();
  std::vector<std::string> keys;
  std::string key;
  for (const std::string& line : lines) {
    normalizer.MatchKey(line, &key);
    keys.push_back(key);
  }
  for (auto _ : state) {
    for (const std::string& k : keys) benchmark::DoNotOptimize(engine->Match(k, RuleScope::kBody));
  }
  state.SetBytesProcessed(state.iterations() * Corpus().size());
}
BENCHMARK(BM_RuleMatch);

class NullOutput : public OutputStream {
 public:
  void Write(std::string_view data) override { bytes_ += data.size(); }
  bool Flush() override { return true; }
  bool ok() const override { return true; }
  bool closed() const override { return false; }
  const std::string& error() const override { return error_; }

 private:
  size_t bytes_ = 0;
  std::string error_;
};

class NullDiagnostics : public DiagnosticSink {
 public:
  void Report(const Diagnostic&) override {}
};

void BM_WholePipeline(benchmark::State& state) {
  auto engine = BuiltinEngine();
  for (auto _ : state) {
    NullOutput out;
    NullDiagnostics diagnostics;
    auto writer = MakeRecordWriter(OutputFormat::kJsonl, &out);
    CleanPipeline pipeline(*engine, CleanOptions(), writer.get(), &diagnostics);
    auto source = MakeStringSource(Corpus());
    pipeline.CleanSource("bench", source.get());
    writer->Finish();
  }
  state.SetBytesProcessed(state.iterations() * Corpus().size());
}
BENCHMARK(BM_WholePipeline)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow

BENCHMARK_MAIN();

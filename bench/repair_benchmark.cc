// Throughput of the repair stage (TextRepairer, as `winnow repair` and `clean` use it) on
// three texts of about 4 MB each, built from the test pages:
//   - seed: the real seed page repeated, as scraped (entities, NBSP, full-width punctuation);
//   - no_entities: the same text with every `&` and `#` removed, so no line has a reference
//     and the decoder's fast path is taken;
//   - entity_dense: lines of CJK text with a numeric reference every few characters.
// WINNOW_BENCH_TEXT=FILE uses FILE (a whole corpus) in place of the repeated seed page.
// BM_EntitiesOnly times DecodeEntities alone on the seed text, for comparison with ftfy's
// and Python's entity decoding; bench/repair_bench.sh runs Python's html.unescape on the
// same texts. BM_WidthEvidence, BM_ScanForRepair, BM_MayContainMojibake and
// BM_FindCodeDamage time the per-line checks alone. BM_RepairStage times the whole stage
// (width evidence, the escaping decisions, repair, code damage, trimming) on the records
// the splitter makes of every test page, repeated to about 4 MB.
// Run: build/bench/repair_benchmark
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "winnow/code_damage.h"
#include "winnow/entity_decoder.h"
#include "winnow/mojibake.h"
#include "winnow/repair.h"
#include "winnow/rule_engine.h"
#include "winnow/rule_file.h"
#include "winnow/splitter.h"
#include "winnow/text_normalize.h"

namespace winnow {
namespace {

constexpr size_t kTextBytes = 4u << 20;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Repeat(const std::string& unit) {
  std::string text;
  while (text.size() < kTextBytes) text += unit;
  return text;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The seed page repeated, or the file named by WINNOW_BENCH_TEXT (a whole corpus).
const std::string& SeedText() {
  static const std::string text =
      std::getenv("WINNOW_BENCH_TEXT") != nullptr
          ? ReadFile(std::getenv("WINNOW_BENCH_TEXT"))
          : Repeat(ReadFile(WINNOW_SOURCE_DIR "/testdata/pages/seed-megatron/input.txt"));
  return text;
}

const std::string& NoEntityText() {
  static const std::string text = [] {
    std::string t = SeedText();
    t.erase(std::remove_if(t.begin(), t.end(), [](char c) { return c == '&' || c == '#'; }),
            t.end());
    return t;
  }();
  return text;
}

const std::string& EntityDenseText() {
  static const std::string text = Repeat(
      "本文介绍了&#xff0c;如何使用&#xff1a;参数&#xff08;可选&#xff09;&amp;lt;T&amp;gt;"
      "&#x1f525;点赞&#39;收藏&quot;注意#xff1a;这里&nbsp;结束&#12290;\n");
  return text;
}

void RunRepair(benchmark::State& state, const std::string& text) {
  const std::vector<std::string> lines = Lines(text);
  TextNormalizer normalizer;
  TextRepairer repairer(RepairOptions(), &normalizer);
  std::string out;
  for (auto _ : state) {
    RepairCounts counts;
    for (const std::string& line : lines) {
      repairer.Repair(line, /*fold_decoded=*/false, /*about_escaping=*/false, &out, &counts);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void BM_RepairSeed(benchmark::State& state) { RunRepair(state, SeedText()); }
BENCHMARK(BM_RepairSeed)->Unit(benchmark::kMillisecond);

void BM_RepairNoEntities(benchmark::State& state) { RunRepair(state, NoEntityText()); }
BENCHMARK(BM_RepairNoEntities)->Unit(benchmark::kMillisecond);

void BM_RepairEntityDense(benchmark::State& state) { RunRepair(state, EntityDenseText()); }
BENCHMARK(BM_RepairEntityDense)->Unit(benchmark::kMillisecond);

// The mojibake check alone stays out of the way of text that has none.
void BM_RepairNoEntitiesNoMojibake(benchmark::State& state) {
  const std::vector<std::string> lines = Lines(NoEntityText());
  TextNormalizer normalizer;
  RepairOptions options;
  options.mojibake = false;
  TextRepairer repairer(options, &normalizer);
  std::string out;
  for (auto _ : state) {
    RepairCounts counts;
    for (const std::string& line : lines) {
      repairer.Repair(line, false, false, &out, &counts);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * NoEntityText().size()));
}
BENCHMARK(BM_RepairNoEntitiesNoMojibake)->Unit(benchmark::kMillisecond);

void BM_EntitiesOnly(benchmark::State& state) {
  const std::vector<std::string> lines = Lines(SeedText());
  std::string out;
  for (auto _ : state) {
    for (const std::string& line : lines) {
      out.clear();
      DecodeEntities(line, EntityDecodeOptions(), &out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * SeedText().size()));
}
BENCHMARK(BM_EntitiesOnly)->Unit(benchmark::kMillisecond);

// The per-line checks of the repair stage alone, on the seed text: what an ordinary line
// costs before any repair.
void BM_WidthEvidence(benchmark::State& state) {
  const std::vector<std::string> lines = Lines(SeedText());
  for (auto _ : state) {
    WidthEvidence evidence;
    for (const std::string& line : lines) evidence.Add(line);
    benchmark::DoNotOptimize(evidence.folded + evidence.full);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * SeedText().size()));
}
BENCHMARK(BM_WidthEvidence)->Unit(benchmark::kMillisecond);

// The one scan the repair stage makes of each line, standing for the three above.
void BM_ScanForRepair(benchmark::State& state) {
  const std::vector<std::string> lines = Lines(SeedText());
  for (auto _ : state) {
    WidthEvidence evidence;
    size_t flags = 0;
    for (const std::string& line : lines) {
      const RepairScan scan = ScanForRepair(line, &evidence);
      flags += scan.references + scan.mojibake + scan.code_damage;
    }
    benchmark::DoNotOptimize(flags + evidence.folded);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * SeedText().size()));
}
BENCHMARK(BM_ScanForRepair)->Unit(benchmark::kMillisecond);

void BM_MayContainMojibake(benchmark::State& state) {
  const std::vector<std::string> lines = Lines(SeedText());
  MojibakeRepairer mojibake;
  for (auto _ : state) {
    size_t candidates = 0;
    for (const std::string& line : lines) candidates += mojibake.MayContainMojibake(line);
    benchmark::DoNotOptimize(candidates);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * SeedText().size()));
}
BENCHMARK(BM_MayContainMojibake)->Unit(benchmark::kMillisecond);

void BM_FindCodeDamage(benchmark::State& state) {
  const std::vector<std::string> lines = Lines(SeedText());
  std::vector<const char*> signals;
  for (auto _ : state) {
    size_t found = 0;
    for (const std::string& line : lines) {
      if (MayShowCodeDamage(line)) found += FindCodeDamage(line, &signals);
    }
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * SeedText().size()));
}
BENCHMARK(BM_FindCodeDamage)->Unit(benchmark::kMillisecond);

// Keeps the accepted records of the splitter, in order.
class RecordCollector : public RecordSink {
 public:
  void Accept(Record&& record) override { records.push_back(std::move(record)); }
  void Reject(Record&&, DropReason, const std::string&) override {}
  std::vector<Record> records;
};

class NullSink : public RecordSink {
 public:
  void Accept(Record&& record) override { benchmark::DoNotOptimize(record.body.data()); }
  void Reject(Record&&, DropReason, const std::string&) override {}
};

// The records of every test page as the splitter gives them to the repair stage, each page
// repeated until the pages hold about kTextBytes. Sets `*bytes` to the text they hold.
std::vector<Record> PageRecords(size_t* bytes) {
  std::vector<std::string> paths;
  for (const auto& entry :
       std::filesystem::directory_iterator(WINNOW_SOURCE_DIR "/testdata/pages")) {
    if (std::filesystem::exists(entry.path() / "input.txt")) {
      paths.push_back((entry.path() / "input.txt").string());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::string pages;
  for (const std::string& path : paths) pages += ReadFile(path) + "\n";
  const std::string text = Repeat(pages);

  std::vector<Rule> rules;
  std::string error;
  LoadBuiltinRules(&rules, &error);
  auto engine = RuleEngine::Compile(std::move(rules), &error);
  TextNormalizer normalizer;
  RecordCollector collector;
  Splitter splitter(*engine, &normalizer, &collector);
  splitter.BeginSource("bench");
  uint64_t number = 0;
  for (const std::string& line : Lines(text)) splitter.AddLine(line, ++number);
  splitter.EndSource();
  *bytes = 0;
  for (const Record& record : collector.records) {
    *bytes += record.title.size();
    for (const BodyLine& line : record.body) *bytes += line.text.size() + 1;
  }
  return std::move(collector.records);
}

void BM_RepairStage(benchmark::State& state) {
  size_t bytes = 0;
  const std::vector<Record> records = PageRecords(&bytes);
  TextNormalizer normalizer;
  NullSink sink;
  RepairStage stage(RepairOptions(), &normalizer, &sink);
  std::vector<Record> copies;
  for (auto _ : state) {
    state.PauseTiming();
    copies = records;
    state.ResumeTiming();
    for (Record& record : copies) stage.Accept(std::move(record));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_RepairStage)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace winnow

BENCHMARK_MAIN();

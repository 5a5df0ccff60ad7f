// How RuleEngine::Match scales with the number of rules (issue 5): the built-in rules plus N
// generated site rules shaped like bench/make_extra_rules.sh's, matched against the match
// views of the seed page's lines in every scope. One RE2::Set per scope keeps this nearly
// flat. BM_LiteralGate times the literal gate alone on the same lines. Run:
// build/bench/rule_benchmark
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "winnow/literal_prefilter.h"
#include "winnow/pattern_anchor.h"
#include "winnow/rule_engine.h"
#include "winnow/rule_file.h"
#include "winnow/text_normalize.h"

namespace winnow {
namespace {

std::vector<std::string> SeedKeys() {
  std::ifstream in(WINNOW_SOURCE_DIR "/testdata/pages/seed-megatron/input.txt");
  TextNormalizer normalizer;
  std::vector<std::string> keys;
  std::string key;
  for (std::string line; std::getline(in, line);) {
    normalizer.MatchKey(line, &key);
    if (!key.empty()) keys.push_back(key);
  }
  return keys;
}

// The same eight shapes as bench/make_extra_rules.sh, numbered so every rule is distinct.
std::vector<Rule> ExtraRules(int count) {
  const char* const kShapes[] = {
      "^【站点%d推荐\\s*:",
      "^扫码关注公众号「技术站%d」",
      "立即领取第%d份面试资料",
      "^本文首发于站点%d(?:\\.com|\\.cn)?$",
      "^(?:友情链接|合作伙伴)\\s*:\\s*站%d网",
      "^广告\\s*[:|]\\s*\\S+ 第%d期$",
      "(?i)^visit site%d\\.example\\.(?:com|net) for more",
      "^\\p{Han}{2,6}会员专享%d\\s*(?:→|>>)$",
  };
  const RuleScope kScopes[] = {RuleScope::kBody, RuleScope::kAny,  RuleScope::kBody,
                               RuleScope::kHead, RuleScope::kTail, RuleScope::kBody,
                               RuleScope::kAny,  RuleScope::kBody};
  std::vector<Rule> rules;
  for (int i = 1; i <= count; ++i) {
    const size_t shape = static_cast<size_t>(i - 1) % 8;
    std::string pattern = kShapes[shape];
    pattern.replace(pattern.find("%d"), 2, std::to_string(i));
    Rule rule;
    rule.id = "bench.site-" + std::to_string(i);
    rule.scope = kScopes[shape];
    rule.action = RuleAction::kDropLine;
    rule.pattern = pattern;
    rule.origin = "bench";
    rules.push_back(rule);
  }
  return rules;
}

void BM_MatchWithExtraRules(benchmark::State& state) {
  const std::vector<std::string> keys = SeedKeys();
  std::vector<Rule> rules;
  std::string error;
  LoadBuiltinRules(&rules, &error);
  for (Rule& rule : ExtraRules(static_cast<int>(state.range(0)))) rules.push_back(rule);
  auto engine = RuleEngine::Compile(std::move(rules), &error);
  if (engine == nullptr) {
    state.SkipWithError(error.c_str());
    return;
  }
  size_t bytes = 0;
  for (const std::string& key : keys) bytes += key.size();
  for (auto _ : state) {
    for (const std::string& key : keys) {
      for (RuleScope scope : {RuleScope::kHead, RuleScope::kBody, RuleScope::kTail}) {
        benchmark::DoNotOptimize(engine->Match(key, scope));
      }
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes * 3));
  state.counters["rules"] = static_cast<double>(engine->rules().size());
}
BENCHMARK(BM_MatchWithExtraRules)->Arg(0)->Arg(200)->Arg(1000);

void BM_CompileWithExtraRules(benchmark::State& state) {
  std::vector<Rule> rules;
  std::string error;
  LoadBuiltinRules(&rules, &error);
  for (Rule& rule : ExtraRules(static_cast<int>(state.range(0)))) rules.push_back(rule);
  for (auto _ : state) {
    benchmark::DoNotOptimize(RuleEngine::Compile(rules, &error));
  }
}
BENCHMARK(BM_CompileWithExtraRules)->Arg(0)->Arg(200)->Unit(benchmark::kMillisecond);

// The gate RuleEngine puts before its gated set: the atoms of the built-in rules it gates
// (those not known to stop early, see rule_engine.h), searched for in the seed page's keys.
void BM_LiteralGate(benchmark::State& state) {
  const std::vector<std::string> keys = SeedKeys();
  std::vector<Rule> rules;
  std::string error;
  LoadBuiltinRules(&rules, &error);
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);
  std::vector<std::string> atoms;
  for (const Rule& rule : rules) {
    if (!rule.enabled || rule.scope == RuleScope::kTitle ||
        ClassifyPatternStart(rule.pattern) == PatternStart::kAnchored) {
      continue;
    }
    std::vector<std::string> found;
    if (FindRequiredAtoms(rule.pattern, options, &found)) {
      atoms.insert(atoms.end(), found.begin(), found.end());
    }
  }
  const LiteralPrefilter gate(atoms);
  size_t bytes = 0;
  for (const std::string& key : keys) bytes += key.size();
  int64_t passed = 0;
  for (auto _ : state) {
    passed = 0;
    for (const std::string& key : keys) passed += gate.ContainsAny(key) ? 1 : 0;
    benchmark::DoNotOptimize(passed);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["lines"] = static_cast<double>(keys.size());
  state.counters["passed"] = static_cast<double>(passed);
}
BENCHMARK(BM_LiteralGate);

}  // namespace
}  // namespace winnow

BENCHMARK_MAIN();

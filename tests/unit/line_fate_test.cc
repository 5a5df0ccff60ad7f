// The line audit: every input line of every test page is accounted for exactly once (kept in
// a record, dropped from one, or held by a dropped record) or is blank (issue 5).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "winnow/line_fate.h"
#include "winnow/pipeline.h"
#include "winnow/rule_file.h"

namespace winnow {
namespace {

class NullDiagnostics : public DiagnosticSink {
 public:
  void Report(const Diagnostic&) override {}
};

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::unique_ptr<RuleEngine> BuiltinEngine() {
  std::vector<Rule> rules;
  std::string error;
  EXPECT_TRUE(LoadBuiltinRules(&rules, &error)) << error;
  return RuleEngine::Compile(std::move(rules), &error);
}

// Runs the pipeline on `input` and returns the fates of its lines, by line.
std::map<uint64_t, std::vector<LineFate>> Fates(const RuleEngine& engine,
                                                const std::string& input,
                                                const FilterOptions& filter = {}) {
  LineFateCollector collector;
  NullDiagnostics diagnostics;
  CleanOptions options;
  options.filter = filter;
  CleanPipeline pipeline(engine, options, &collector, &diagnostics, &collector);
  auto source = MakeStringSource(input);
  EXPECT_TRUE(pipeline.CleanSource("input.txt", source.get()));
  std::map<uint64_t, std::vector<LineFate>> by_line;
  for (LineFate& fate : collector.Take()) by_line[fate.line].push_back(std::move(fate));
  return by_line;
}

std::string Describe(const LineFate& fate) {
  std::string text = std::string(LineRoleName(fate.role)) + " " + fate.rule + " of p" +
                     std::to_string(fate.page) + "." + std::to_string(fate.index);
  text += fate.emitted ? " (emitted)" : std::string(" (dropped: ") + DropReasonId(fate.drop) + ")";
  return text;
}

void ExpectEveryLineAccountedOnce(const RuleEngine& engine, const std::string& name,
                                  const std::string& input, const FilterOptions& filter) {
  std::map<uint64_t, std::vector<LineFate>> fates = Fates(engine, input, filter);
  TextNormalizer normalizer;
  auto source = MakeStringSource(input);
  LineReader reader(source.get());
  std::string_view line;
  uint64_t number = 0;
  std::string key;
  uint64_t lines = 0;
  while (reader.Next(&line, &number)) {
    ++lines;
    normalizer.MatchKey(line, &key);
    auto it = fates.find(number);
    const size_t count = it == fates.end() ? 0 : it->second.size();
    if (key.empty()) {
      EXPECT_EQ(count, 0u) << name << ":" << number << " is blank but has a fate: "
                           << Describe(it->second[0]);
      continue;
    }
    EXPECT_EQ(count, 1u) << name << ":" << number << " '" << line << "' has " << count
                         << " fates" << (count > 1 ? ": " + Describe(it->second[0]) + ", " +
                                                         Describe(it->second[1])
                                                   : "");
    if (it != fates.end()) fates.erase(it);
  }
  for (const auto& [extra, rest] : fates) {
    ADD_FAILURE() << name << ": fate for line " << extra << " past the input's " << lines
                  << " lines: " << Describe(rest[0]);
  }
}

TEST(LineFate, EveryLineOfEveryTestPageIsAccountedForOnce) {
  std::unique_ptr<RuleEngine> engine = BuiltinEngine();
  ASSERT_NE(engine, nullptr);
  const std::filesystem::path pages = WINNOW_SOURCE_DIR "/testdata/pages";
  size_t cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(pages)) {
    const std::filesystem::path input = entry.path() / "input.txt";
    if (!std::filesystem::exists(input)) continue;
    ++cases;
    const std::string text = ReadFile(input);
    const std::string name = entry.path().filename().string();
    ExpectEveryLineAccountedOnce(*engine, name, text, FilterOptions{});
    ExpectEveryLineAccountedOnce(*engine, name + " (keep all)", text, FilterOptions{true, true});
    // Two copies back to back: a second page after the first one's tail.
    ExpectEveryLineAccountedOnce(*engine, name + " (twice)", text + "\n" + text, FilterOptions{});
  }
  EXPECT_GE(cases, 16u);
}

TEST(LineFate, NamesTheRuleOfEachDroppedLineAndTheFateOfEachRecord) {
  std::unique_ptr<RuleEngine> engine = BuiltinEngine();
  ASSERT_NE(engine, nullptr);
  auto fates = Fates(*engine,
                     "当前位置: 首页 > news >正文\n"
                     "\n"
                     "标题\n"
                     "\n"
                     "正文第一段。\n"
                     "相关文章:\n"
                     "别的文章\n"
                     "\n"
                     "别的文章的开头被截断了…...\n");
  ASSERT_EQ(fates.size(), 6u);
  EXPECT_EQ(fates[1][0].role, LineRole::kDropped);
  EXPECT_EQ(fates[1][0].rule, "nav.breadcrumb");
  EXPECT_EQ(fates[3][0].role, LineRole::kTitle);
  EXPECT_TRUE(fates[3][0].emitted);
  EXPECT_EQ(fates[3][0].emitted_number, 1u);
  EXPECT_EQ(fates[5][0].role, LineRole::kBody);
  EXPECT_EQ(fates[6][0].rule, "tail.related-header");
  EXPECT_EQ(fates[7][0].role, LineRole::kTitle);
  EXPECT_EQ(fates[7][0].kind, RecordKind::kRelated);
  EXPECT_EQ(fates[9][0].role, LineRole::kTeaser);
  EXPECT_FALSE(fates[9][0].emitted);
  EXPECT_EQ(fates[9][0].drop, DropReason::kTruncatedTeaser);
  EXPECT_EQ(fates[9][0].index, 1u);
}

}  // namespace
}  // namespace winnow

// Runs the repair stage over python-ftfy's test cases (testdata/conformance/ftfy-cases.jsonl;
// see testdata/conformance/README.md): every negative case must come out unchanged, apart
// from the space and control-character repair that winnow always does, and at least 80 % of
// the mojibake cases marked `pass` must be repaired to ftfy's `expected_encoding_only`.

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "winnow/entity_decoder.h"
#include "winnow/repair.h"
#include "winnow/text_normalize.h"

namespace winnow {
namespace {

struct FtfyCase {
  std::string id;
  std::string category;
  bool expect_pass = true;
  std::string original;
  std::string expected;  // expected_encoding_only: mojibake repair alone
};

std::vector<FtfyCase> ReadCases() {
  const std::string path = WINNOW_SOURCE_DIR "/testdata/conformance/ftfy-cases.jsonl";
  std::vector<FtfyCase> cases;
  std::ifstream file(path, std::ios::binary);
  EXPECT_TRUE(file) << path << ": cannot open";
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty()) continue;
    nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded()) {
      ADD_FAILURE() << path << ": not JSON: " << line.substr(0, 80);
      continue;
    }
    FtfyCase c;
    c.id = record.at("id").get<std::string>();
    c.category = record.at("category").get<std::string>();
    c.expect_pass = record.at("expect").get<std::string>() == "pass";
    c.original = record.at("original").get<std::string>();
    c.expected = record.value("expected_encoding_only", record.at("expected").get<std::string>());
    cases.push_back(std::move(c));
  }
  return cases;
}

// The repair `winnow repair` applies to one line.
class LineRepair {
 public:
  LineRepair() : repairer_(RepairOptions(), &normalizer_) {}

  std::string Repair(const std::string& text) {
    std::string out;
    RepairCounts counts;
    repairer_.Repair(text, /*fold_decoded=*/false, LooksAboutEscaping(text), &out, &counts);
    return out;
  }

  // `text` with only the space, control and NFC repair applied: what "unchanged apart from
  // the fixes of odd spaces and control characters" means.
  std::string SpacesOnly(const std::string& text) {
    std::string out;
    SpaceRepairCounts counts;
    normalizer_.Repair(text, NormalForm::kNfc, &out, &counts);
    return out;
  }

 private:
  TextNormalizer normalizer_;
  TextRepairer repairer_;
};

TEST(FtfyConformance, LeavesEveryNegativeCaseUnchanged) {
  LineRepair repair;
  size_t negatives = 0;
  for (const FtfyCase& c : ReadCases()) {
    if (c.category != "negative" || !c.expect_pass) continue;
    ++negatives;
    EXPECT_EQ(repair.Repair(c.original), repair.SpacesOnly(c.original)) << c.id;
  }
  EXPECT_EQ(negatives, 49u);
}

TEST(FtfyConformance, RepairsAtLeastEightyPercentOfMojibakeCases) {
  LineRepair repair;
  size_t total = 0, repaired = 0, known_total = 0, known_repaired = 0;
  std::string misses;
  for (const FtfyCase& c : ReadCases()) {
    if (c.category != "mojibake") continue;
    const std::string actual = repair.Repair(c.original);
    const bool ok = actual == repair.SpacesOnly(c.expected);
    if (c.expect_pass) {
      ++total;
      repaired += ok;
      if (!ok) misses += "  " + c.id + ": " + c.original + "\n    gave " + actual + "\n";
    } else {
      ++known_total;
      known_repaired += ok;
    }
  }
  ASSERT_EQ(total, 104u);
  std::printf("ftfy mojibake cases marked pass: %zu/%zu repaired (%.1f %%); known failures of "
              "ftfy: %zu/%zu\n",
              repaired, total, 100.0 * static_cast<double>(repaired) / static_cast<double>(total),
              known_repaired, known_total);
  std::printf("not repaired:\n%s", misses.c_str());
  EXPECT_GE(repaired * 100, total * 80) << repaired << " of " << total;
}

// A repair that repairs its own output again is not done.
TEST(FtfyConformance, RepairingTheOutputAgainChangesNothing) {
  LineRepair repair;
  for (const FtfyCase& c : ReadCases()) {
    const std::string once = repair.Repair(c.original);
    EXPECT_EQ(repair.Repair(once), once) << c.id;
  }
}

}  // namespace
}  // namespace winnow

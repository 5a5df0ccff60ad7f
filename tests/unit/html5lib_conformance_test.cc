// Runs EntityMode::kHtml5 over html5lib's data-state character-reference vectors
// (testdata/conformance/html5lib-charrefs.jsonl; see its README).

#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "winnow/entity_decoder.h"

namespace winnow {
namespace {

constexpr size_t kVectorCount = 4740;

struct Vector {
  std::string id;
  std::string input;
  std::string expected;
};

std::vector<Vector> ReadVectors(const std::string& path) {
  std::vector<Vector> vectors;
  std::ifstream file(path, std::ios::binary);
  EXPECT_TRUE(file) << path << ": cannot open";
  std::string line;
  size_t line_number = 0;
  while (std::getline(file, line)) {
    ++line_number;
    if (line.empty()) continue;
    nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded()) {
      ADD_FAILURE() << path << ":" << line_number << ": not JSON";
      continue;
    }
    vectors.push_back({record.at("id").get<std::string>(), record.at("input").get<std::string>(),
                       record.at("expected").get<std::string>()});
  }
  return vectors;
}

TEST(Html5libConformance, DecodesEveryDataStateVectorAsTheTokenizerDoes) {
  const std::vector<Vector> vectors =
      ReadVectors(WINNOW_SOURCE_DIR "/testdata/conformance/html5lib-charrefs.jsonl");
  ASSERT_EQ(vectors.size(), kVectorCount) << "the vector file is incomplete";

  EntityDecodeOptions options;
  options.mode = EntityMode::kHtml5;
  size_t failures = 0;
  for (const Vector& vector : vectors) {
    std::string decoded;
    DecodeEntities(vector.input, options, &decoded);
    if (decoded != vector.expected) {
      ++failures;
      ADD_FAILURE() << vector.id << ": input \"" << vector.input.substr(0, 200)
                    << "\" decoded to \"" << decoded.substr(0, 200) << "\", expected \""
                    << vector.expected.substr(0, 200) << "\"";
    }
  }
  EXPECT_EQ(failures, 0u) << "of " << vectors.size() << " vectors";
}

// The appended output goes after what `out` already holds, and decoding twice in html5 mode
// is not a no-op (`&amp;lt;` gives `&lt;`): the harness must decode each input exactly once.
TEST(Html5libConformance, AppendsAfterExistingOutput) {
  EntityDecodeOptions options;
  options.mode = EntityMode::kHtml5;
  std::string out = "x=";
  EXPECT_EQ(DecodeEntities("&amp;lt;", options, &out), 1u);
  EXPECT_EQ(out, "x=&lt;");
}

}  // namespace
}  // namespace winnow

// Runs the repair cases of tests/cases/repair_cases.txt through PlainTextRepairer, configured
// as `winnow repair` configures it, and checks that repair is idempotent on every test input
// there is: the cases, the conformance vectors and every line of every test page.

#include <dirent.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "winnow/entity_decoder.h"
#include "winnow/reader.h"
#include "winnow/repair.h"
#include "winnow/text_normalize.h"

namespace winnow {
namespace {

struct RepairCase {
  int line = 0;  // of the `in:` line in the case file
  std::string options;
  std::string input;
  std::string expected;
};

// Replaces each \u{XXXX} with the code point's UTF-8.
std::string Unescape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const size_t close = text.find('}', i);
    if (text.compare(i, 3, "\\u{") != 0 || close == std::string::npos) {
      out.push_back(text[i]);
      continue;
    }
    const unsigned long cp = std::stoul(text.substr(i + 3, close - i - 3), nullptr, 16);
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    i = close;
  }
  return out;
}

std::vector<RepairCase> ReadCases() {
  const std::string path = WINNOW_SOURCE_DIR "/tests/cases/repair_cases.txt";
  std::ifstream file(path);
  EXPECT_TRUE(file) << path << ": cannot open";
  std::vector<RepairCase> cases;
  RepairCase current;
  std::string line;
  int number = 0;
  while (std::getline(file, line)) {
    ++number;
    if (line.rfind("options: ", 0) == 0) {
      current.options = line.substr(9);
    } else if (line.rfind("in: ", 0) == 0) {
      current.line = number;
      current.input = Unescape(line.substr(4));
    } else if (line.rfind("out: ", 0) == 0) {
      current.expected = Unescape(line.substr(5));
      cases.push_back(current);
      current = RepairCase();
    } else if (!line.empty() && line[0] != '#') {
      ADD_FAILURE() << path << ":" << number << ": not a case line: " << line;
    }
  }
  return cases;
}

// The options `winnow repair OPTIONS` sets.
RepairOptions ParseOptions(const std::string& options) {
  RepairOptions repair;
  std::istringstream words(options);
  std::string flag, value;
  while (words >> flag) {
    if (flag == "--no-mojibake") {
      repair.mojibake = false;
      continue;
    }
    words >> value;
    bool ok = false;
    if (flag == "--entities") ok = ParseEntityMode(value, &repair.entities);
    if (flag == "--width") ok = ParseWidthPolicy(value, &repair.width);
    if (flag == "--normalize") ok = ParseNormalForm(value, &repair.form);
    EXPECT_TRUE(ok) << "bad options: " << options;
  }
  return repair;
}

std::string RepairDocument(const RepairOptions& options, const std::string& line) {
  TextNormalizer normalizer;
  PlainTextRepairer repairer(options, &normalizer);
  repairer.BeginDocument(nullptr);
  std::string out;
  repairer.RepairLine(line, &out);
  return out;
}

TEST(RepairCases, EveryCaseComesOutAsExpected) {
  const std::vector<RepairCase> cases = ReadCases();
  ASSERT_GT(cases.size(), 50u);
  for (const RepairCase& c : cases) {
    EXPECT_EQ(RepairDocument(ParseOptions(c.options), c.input), c.expected)
        << "tests/cases/repair_cases.txt:" << c.line << ": " << c.input;
  }
}

// A case file that passes by doing nothing would prove little: it needs many cases that
// change their input, and many negative ones.
TEST(RepairCases, HoldsCasesFromBothSides) {
  size_t changed = 0;
  const std::vector<RepairCase> cases = ReadCases();
  for (const RepairCase& c : cases) changed += c.input != c.expected;
  EXPECT_GE(changed, 40u);
  EXPECT_GE(cases.size() - changed, 30u);
}

std::vector<std::string> JsonlField(const std::string& path, const char* field) {
  std::vector<std::string> values;
  std::ifstream file(path, std::ios::binary);
  EXPECT_TRUE(file) << path;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty()) continue;
    values.push_back(nlohmann::json::parse(line).at(field).get<std::string>());
  }
  return values;
}

std::vector<std::string> PageLines() {
  std::vector<std::string> lines;
  const std::string root = WINNOW_SOURCE_DIR "/testdata/pages";
  DIR* dir = opendir(root.c_str());
  EXPECT_NE(dir, nullptr);
  if (dir == nullptr) return lines;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    std::ifstream file(root + "/" + entry->d_name + "/input.txt", std::ios::binary);
    std::string line;
    while (std::getline(file, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(line);
    }
  }
  closedir(dir);
  return lines;
}

// Every test input there is: cases (inputs and outputs), conformance vectors, page lines.
std::vector<std::string> AllTestInputs() {
  std::vector<std::string> inputs;
  for (const RepairCase& c : ReadCases()) {
    inputs.push_back(c.input);
    inputs.push_back(c.expected);
  }
  const std::string conformance = WINNOW_SOURCE_DIR "/testdata/conformance/";
  for (const std::string& s : JsonlField(conformance + "ftfy-cases.jsonl", "original")) {
    inputs.push_back(s);
  }
  for (const std::string& s : JsonlField(conformance + "html5lib-charrefs.jsonl", "input")) {
    inputs.push_back(s);
  }
  for (const std::string& s : PageLines()) inputs.push_back(s);
  return inputs;
}

TEST(RepairCases, RepairingTheOutputAgainChangesNothingOnEveryTestInput) {
  const std::vector<std::string> inputs = AllTestInputs();
  ASSERT_GT(inputs.size(), 6000u);
  for (const char* options : {"", "--width fold", "--normalize nfkc", "--entities none"}) {
    TextNormalizer normalizer;
    PlainTextRepairer repairer(ParseOptions(options), &normalizer);
    size_t failures = 0;
    std::string once, twice;
    for (const std::string& input : inputs) {
      repairer.BeginDocument(nullptr);
      repairer.RepairLine(input, &once);
      repairer.BeginDocument(nullptr);
      repairer.RepairLine(once, &twice);
      if (twice != once && ++failures <= 10) {
        ADD_FAILURE() << "options '" << options << "': " << input << "\n  once:  " << once
                      << "\n  twice: " << twice;
      }
    }
    EXPECT_EQ(failures, 0u) << "of " << inputs.size() << " inputs, options '" << options << "'";
  }
}

// The same at the record level: each page as one record through the repair stage, twice.
TEST(RepairCases, RepairStageIsIdempotentOnEveryTestPage) {
  class Collect : public RecordSink {
   public:
    void Accept(Record&& record) override { records.push_back(std::move(record)); }
    void Reject(Record&&, DropReason, const std::string&) override {}
    std::vector<Record> records;
  };
  TextNormalizer normalizer;
  Collect once, twice;
  RepairStage first(RepairOptions(), &normalizer, &once);
  RepairStage second(RepairOptions(), &normalizer, &twice);
  Record page;
  page.source = "pages";
  for (const std::string& line : PageLines()) {
    BodyLine body;
    body.text = line;
    page.body.push_back(body);
  }
  first.Accept(Record(page));
  ASSERT_EQ(once.records.size(), 1u);
  second.Accept(Record(once.records[0]));
  EXPECT_EQ(twice.records[0].Text(), once.records[0].Text());
}

// Random texts from fragments of everything the stage reacts to, with a fixed seed: the
// output is valid UTF-8 and repairing it again changes nothing.
TEST(RepairCases, RepairIsIdempotentOnRandomMixturesOfDamage) {
  const std::vector<std::string> fragments = {
      "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#xff0c;", "&#65292;", "#xff1a;", "&#55357;",
      "&#56613;", "&copy", "&not", "=", "?", "a=1", "&", "#", ";", "x", "ff0c", "amp;", "lt;",
      "Ã", "©", "â", "€", "™", "œ", "Â", "£", "\xC2\xA0", "\xC2\x9D", "\xC2\x85", "í",
      "½", "¸", "鍙", "傛", "暟", "璁", "剧", "疆", "中文", "，", "：", ",", ":", "(", ")",
      " ", "  ", "转义", "字符实体", "escape", "<", "…", "...", "_x000D_", "\xE2\x80\x8B",
      "\xEF\xBB\xBF", "\x01", "\t", "let sum 0;", "C98", "Г", "Р", "ґ", "√", "├", "Ĺ",
      "™", "Ă", "\xEF\xBF\xBD", "👍", "\xE2\x80\x8D", "ｆｕｌｌ", "ﬁ",
  };
  std::vector<std::string> pool;
  for (const std::string& f : fragments) {
    std::string bytes;
    for (size_t i = 0; i < f.size(); ++i) {
      if (f.compare(i, 2, "\\x") == 0 && i + 3 < f.size()) {
        bytes.push_back(static_cast<char>(std::stoi(f.substr(i + 2, 2), nullptr, 16)));
        i += 3;
      } else if (f.compare(i, 2, "\\t") == 0) {
        bytes.push_back('\t');
        ++i;
      } else {
        bytes.push_back(f[i]);
      }
    }
    pool.push_back(bytes);
  }
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&state]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  size_t failures = 0;
  for (const char* options : {"", "--normalize nfkc", "--width fold"}) {
    TextNormalizer normalizer;
    PlainTextRepairer repairer(ParseOptions(options), &normalizer);
    std::string text, once, twice;
    for (int n = 0; n < 20000; ++n) {
      text.clear();
      const size_t pieces = 1 + next() % 12;
      for (size_t k = 0; k < pieces; ++k) text += pool[next() % pool.size()];
      repairer.BeginDocument(nullptr);
      repairer.RepairLine(text, &once);
      repairer.BeginDocument(nullptr);
      repairer.RepairLine(once, &twice);
      std::string valid;
      size_t first_bad = 0;
      const bool ill_formed = AppendValidUtf8(once, &valid, &first_bad) > 0;
      if ((twice != once || ill_formed) && ++failures <= 10) {
        ADD_FAILURE() << "options '" << options << "': " << text << "\n  once:  " << once
                      << "\n  twice: " << twice << (ill_formed ? "\n  (ill-formed)" : "");
      }
    }
  }
  EXPECT_EQ(failures, 0u);
}

// `winnow repair --entities html5` decodes exactly as the HTML tokenizer: all 4,740 vectors.
TEST(RepairCases, Html5ModeOfTheRepairCommandPassesEveryHtml5libVector) {
  const std::string path = WINNOW_SOURCE_DIR "/testdata/conformance/html5lib-charrefs.jsonl";
  const std::vector<std::string> inputs = JsonlField(path, "input");
  const std::vector<std::string> expected = JsonlField(path, "expected");
  ASSERT_EQ(inputs.size(), 4740u);
  TextNormalizer normalizer;
  PlainTextRepairer repairer(ParseOptions("--entities html5"), &normalizer);
  size_t passed = 0;
  std::string out;
  for (size_t i = 0; i < inputs.size(); ++i) {
    repairer.BeginDocument(nullptr);
    repairer.RepairLine(inputs[i], &out);
    if (out == expected[i]) {
      ++passed;
    } else if (i - passed < 10) {
      ADD_FAILURE() << inputs[i] << " gave " << out << ", expected " << expected[i];
    }
  }
  EXPECT_EQ(passed, inputs.size());
}

}  // namespace
}  // namespace winnow

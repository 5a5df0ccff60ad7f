// Inputs for the differential tests of the repair stage's fast checks: every line of every
// file under testdata/, and random strings made of the pieces the checks look for (references,
// mojibake, code, punctuation of both widths, ill-formed bytes), so that a check that
// answers "nothing here" can be held against the detailed function it stands in front of.
#ifndef WINNOW_TESTS_UNIT_DIFFERENTIAL_INPUTS_H_
#define WINNOW_TESTS_UNIT_DIFFERENTIAL_INPUTS_H_

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace winnow {
namespace testing_inputs {

/// Every line (split at '\n', '\r' kept) of every file under testdata/, in path order.
inline std::vector<std::string> TestdataLines() {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(WINNOW_SOURCE_DIR "/testdata")) {
    if (entry.is_regular_file()) paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> lines;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t start = 0;
    for (size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
      lines.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    lines.push_back(text.substr(start));
  }
  return lines;
}

/// `count` strings of up to 24 random pieces each; the same strings for the same seed.
inline std::vector<std::string> TrickyStrings(size_t count, unsigned seed = 20240601) {
  static const char* const kPieces[] = {
      // references and what is left of them
      "&", "#", "x", "X", ";", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&nbsp;", "&copy",
      "&#xff0c;", "#xff1a;", "&#x1F600;", "&#60;", "&amp;lt;", "&#12290;", "&#xD83D;&#xDE00;",
      "amp;", "lt;", "#x", "#X3C;", "#XFF0C;", "ff0c", "转义", "escape", "HTML实体", " ",
      "&Atilde;", "&copy;", "&eacute;", "&#195;", "&#x80;", "&#133;", "&#xA0;", "&frac14;",
      // text and punctuation of both widths
      "中", "文", "的", "码", "。", "，", "：", "；", "（", "）", "！", "？", ",", ":", "(", ")", "!",
      "?", "a", "Z", "9", "8", "0", "3", "\t", "\xE3\x80\x80", "\xE2\x80\x9C", "\xE2\x80\x94",
      "\xE2\x80\xA6", "\xC2\xB7", "\xEF\xBF\xBD", "\xF0\x9F\x98\x80", "\xE2\x80\x8B", "_x000D_",
      // mojibake and what it is made of
      "\xC3\x83", "\xC2\xA9", "\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2", "\xC3\x82", "\xC2\x85",
      "\xC2\xA0", "\xC3\xA9", "\xD0\x93", "\xE9\x8D\x99", "\xE5\x82\x9B", "\xE6\x9A\x9F",
      "\xE2\x95\x90", "\xCE\xA3", "\xEF\xAC\x81",
      // code
      "let ", "var ", "int ", "for (", "i)", "=", "{", "}", "C98", "C03", "C", "size_t ", "'",
      "short ", "float ", "double ", "char ", "bool ", "auto ", "long ", "le", "t ", "f", "or",
      // ill-formed UTF-8: stray continuations, overlongs, surrogates, cut sequences
      "\x80", "\xBF", "\xC0\xAC", "\xC1\xBF", "\xE0\x80\x80", "\xE0\x9F\xBF", "\xED\xA0\x80",
      "\xF0\x8F\xBC\x8C", "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80", "\xFF", "\xE4\xB8",
      "\xC3", "\xF0\x9F\x98", "\xEF\xBC",
  };
  constexpr size_t kPieceCount = sizeof(kPieces) / sizeof(kPieces[0]);
  std::mt19937 random(seed);
  std::uniform_int_distribution<size_t> piece(0, kPieceCount - 1);
  std::uniform_int_distribution<size_t> length(0, 24);
  std::vector<std::string> strings;
  strings.reserve(count);
  for (size_t k = 0; k < count; ++k) {
    std::string s;
    for (size_t n = length(random); n > 0; --n) s += kPieces[piece(random)];
    strings.push_back(std::move(s));
  }
  return strings;
}

/// TestdataLines() followed by TrickyStrings(count).
inline std::vector<std::string> DifferentialInputs(size_t tricky_count = 100000) {
  std::vector<std::string> inputs = TestdataLines();
  std::vector<std::string> tricky = TrickyStrings(tricky_count);
  inputs.insert(inputs.end(), std::make_move_iterator(tricky.begin()),
                std::make_move_iterator(tricky.end()));
  return inputs;
}

}  // namespace testing_inputs
}  // namespace winnow

#endif  // WINNOW_TESTS_UNIT_DIFFERENTIAL_INPUTS_H_

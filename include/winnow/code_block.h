// Part of the splitter stage: tells code from prose in an article body, so code keeps its
// indentation and the Markdown writer can fence it. Conservative: a line is code on strong
// signals (keywords, statement punctuation), or as part of an indented block that is mostly
// code; prose written in CJK sentences never is.
#ifndef WINNOW_CODE_BLOCK_H_
#define WINNOW_CODE_BLOCK_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "winnow/record.h"

namespace winnow {

enum class CodeSignal {
  kProse,
  kWeak,    ///< indented, mostly ASCII, not an English sentence: code if its block agrees
  kStrong,  ///< code on its own: a keyword start, statement punctuation at the end, braces
};

/// Columns of leading whitespace in a raw line (a tab counts 4, NBSP and U+3000 count 1).
size_t IndentColumns(std::string_view raw_line);

/// The signal of one line, from its match view `key` (entities decoded, NFKC, spaces
/// collapsed) and the indentation of the raw line.
CodeSignal ClassifyCodeLine(std::string_view key, size_t indent_columns);

/// What the splitter knows about one body line when it is read.
struct BodyLineShape {
  size_t indent = 0;
  CodeSignal signal = CodeSignal::kProse;
  bool cjk_sentence = false;  ///< holds "。": prose even inside an indented block
  bool fenced = false;        ///< inside a Markdown code fence: code, whatever it looks like
};

/// Sets `is_code` on the lines of `body` (`shapes` is parallel to it; blank lines are empty
/// entries) and rewrites their text: prose lines trimmed, each run of code lines dedented by
/// its common indentation, keeping the relative indentation.
void MarkCodeBlocks(const std::vector<BodyLineShape>& shapes, std::vector<BodyLine>* body);

}  // namespace winnow

#endif  // WINNOW_CODE_BLOCK_H_

#include "winnow/code_block.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "winnow/text_normalize.h"

namespace winnow {
namespace {

CodeSignal Classify(std::string_view raw) {
  static TextNormalizer normalizer;
  std::string key;
  normalizer.MatchKey(raw, &key);
  return ClassifyCodeLine(key, IndentColumns(raw));
}

// Runs MarkCodeBlocks over raw lines ("" is a blank line); returns "C|text" or "P|text".
std::vector<std::string> Mark(const std::vector<std::string>& raw) {
  TextNormalizer normalizer;
  std::vector<BodyLine> body;
  std::vector<BodyLineShape> shapes;
  std::string key;
  for (const std::string& line : raw) {
    normalizer.MatchKey(line, &key);
    BodyLineShape shape;
    shape.indent = IndentColumns(line);
    shape.signal = ClassifyCodeLine(key, shape.indent);
    shape.cjk_sentence = key.find("。") != std::string::npos;
    shapes.push_back(shape);
    body.push_back(BodyLine{line, 0, false, {}});
  }
  MarkCodeBlocks(shapes, &body);
  std::vector<std::string> out;
  for (const BodyLine& line : body) out.push_back((line.is_code ? "C|" : "P|") + line.text);
  return out;
}

TEST(ClassifyCodeLine, StrongSignals) {
  for (std::string_view s : {"#include <iostream>", "let sum 0;", "for (var i 0; i < n; i)",
                             "import os", "}", "docker system prune -a",
                             "const router = createRouter({ routes })", "std::vector<int> v;",
                             "curl -X POST http://x/api \\"}) {
    EXPECT_EQ(Classify(s), CodeSignal::kStrong) << s;
  }
}

TEST(ClassifyCodeLine, ProseIsProse) {
  for (std::string_view s : {"这是一段中文,里面有 (括号) 和 分号;", "引言", "1.1 安装依赖",
                             "### 小标题", "- 列表项", "From here on we discuss the API.",
                             "@log 只是 add = log(add) 的语法糖。",
                             "可以用下面的命令确认当前系统用的是哪个版本&#xff1a;",
                             "  • 命名实体:&lt;", "std::move 本身什么都不移动,它只是一个类型转换。",
                             "    Indented English prose is still a sentence, not code."}) {
    EXPECT_EQ(Classify(s), CodeSignal::kProse) << s;
  }
}

// The counts behind the signals are taken 16 bytes a step: each test below sits a key at a
// decision that one miscounted byte would turn, for keys of every length up to some blocks.

// Mostly CJK is prose: with k visible ASCII bytes and m CJK characters a code starter is
// code while 2m <= k.
TEST(ClassifyCodeLine, WeighsCjkAgainstVisibleAsciiAtEveryLength) {
  const std::string ascii_fill = "ab1;{ }x9";  // letters, digits, symbols, a space
  // Characters past ASCII of every length, with the lowest and highest trail bytes.
  const std::vector<std::string> others = {"\u4E2D", "\u4E00", "\u4E3F", "\u00E9", "\U0001F525",
                                           "\u07FF"};
  for (size_t m = 0; m <= 24; ++m) {
    for (size_t k : {2 * m + 4, 2 * m + 5}) {  // "const" is 5 of the k
      std::string key = "const ";
      size_t visible = 5;
      for (size_t at = 0; visible < k || at < m; ++at) {
        if (at < m) key += others[(at + m) % others.size()];
        for (size_t j = 0; j < 2 && visible < k; ++j) {
          const char c = ascii_fill[(at * 2 + j) % ascii_fill.size()];
          key += c;
          visible += c != ' ';
        }
        if (at % 3 == 0) key += ' ';
      }
      const CodeSignal expected = 2 * m > k ? CodeSignal::kProse : CodeSignal::kStrong;
      EXPECT_EQ(ClassifyCodeLine(key, 0), expected) << key;
    }
  }
}

// A code starter with no letter and no code symbol is no code: one of either, at any offset,
// makes it code; the characters next to them in the byte order count as neither.
TEST(ClassifyCodeLine, FindsALetterOrSymbolAtEveryOffset) {
  for (size_t offset = 0; offset <= 70; ++offset) {
    for (std::string_view piece : {"a", "z", "A", "Z", "{", "}", "(", ")", ";", "=", "<", ">",
                                   "[", "]"}) {
      const std::string key = "#!/" + std::string(offset, '1') + std::string(piece) + "22";
      EXPECT_EQ(ClassifyCodeLine(key, 0), CodeSignal::kStrong) << key;
    }
    for (std::string_view piece : {"@", "`", "'", "*", "+", ":", "?", "^", "|", "~", "\x7F"}) {
      const std::string key = "#!/" + std::string(offset, '1') + std::string(piece) + "22";
      EXPECT_EQ(ClassifyCodeLine(key, 0), CodeSignal::kProse) << key;
    }
  }
}

TEST(ClassifyCodeLine, IndentedAsciiIsWeak) {
  EXPECT_EQ(Classify("    FROM golang:1.22-alpine AS builder"), CodeSignal::kWeak);
  EXPECT_EQ(Classify("    services:"), CodeSignal::kWeak);
  EXPECT_EQ(Classify("FROM golang:1.22-alpine AS builder"), CodeSignal::kProse);
}

TEST(MarkCodeBlocks, IndentedBlockIsCodeAndKeepsRelativeIndentation) {
  EXPECT_EQ(Mark({"  配置如下:", "", "    services:", "      web:", "        build: .", "",
                  "  完成。"}),
            (std::vector<std::string>{"P|配置如下:", "P|", "C|services:", "C|  web:",
                                      "C|    build: .", "P|", "P|完成。"}));
}

TEST(MarkCodeBlocks, MostlyCodeBlockTakesItsTableHeader) {
  EXPECT_EQ(Mark({"    字符    命名实体", "    <    &amp;lt;", "    &    &amp;amp;"}),
            (std::vector<std::string>{"C|字符    命名实体", "C|<    &amp;lt;", "C|&    &amp;amp;"}));
}

TEST(MarkCodeBlocks, IndentedProseParagraphsStayProse) {
  EXPECT_EQ(Mark({"    这是缩进的段落,它是正文。", "    第二段也是正文,没有代码"}),
            (std::vector<std::string>{"P|这是缩进的段落,它是正文。", "P|第二段也是正文,没有代码"}));
}

TEST(MarkCodeBlocks, ProseLosesEveryKindOfPaddingSpace) {
  EXPECT_EQ(Mark({"\u3000\u00a0 \t正文的第一段。 \t", "  two words  ", "\u3000", "结尾"}),
            (std::vector<std::string>{"P|正文的第一段。", "P|two words", "P|", "P|结尾"}));
}

TEST(MarkCodeBlocks, BackslashContinuationCarriesTheNextLine) {
  EXPECT_EQ(Mark({"curl -X POST http://localhost/api \\", "     -d '{}'"}),
            (std::vector<std::string>{"C|curl -X POST http://localhost/api \\", "C|     -d '{}'"}));
}

}  // namespace
}  // namespace winnow

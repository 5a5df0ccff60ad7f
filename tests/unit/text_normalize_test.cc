#include "winnow/text_normalize.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bitset>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace winnow {
namespace {

std::string Key(std::string_view line) {
  TextNormalizer normalizer;
  std::string key;
  normalizer.MatchKey(line, &key);
  return key;
}

struct Repaired {
  std::string text;
  SpaceRepairCounts counts;
};

Repaired Repair(std::string_view text, NormalForm form = NormalForm::kNfc) {
  TextNormalizer normalizer;
  Repaired result;
  normalizer.Repair(text, form, &result.text, &result.counts);
  return result;
}

void ExpectCounts(const SpaceRepairCounts& counts, size_t odd_spaces, size_t zero_width,
                  size_t controls, size_t normalized) {
  EXPECT_EQ(counts.odd_spaces, odd_spaces);
  EXPECT_EQ(counts.zero_width, zero_width);
  EXPECT_EQ(counts.controls, controls);
  EXPECT_EQ(counts.normalized, normalized);
}

// --- MatchKey ----------------------------------------------------------------------------

// The cheap scan that skips ICU for lines of plain CJK and ASCII must not skip lines that
// need normalizing: a combining accent after Chinese text, a compatibility ellipsis.
TEST(TextNormalizer, PlainCjkLinesSkipIcuButOthersAreStillNormalized) {
  EXPECT_EQ(Repair("中文、“引号”。【标题】").text, "中文、“引号”。【标题】");
  EXPECT_EQ(Repair("中文、“引号”。【标题】").counts.normalized, 0u);
  EXPECT_EQ(Repair("中文e\u0301").text, "中文\u00e9");
  EXPECT_EQ(Repair("中文e\u0301").counts.normalized, 1u);
  EXPECT_EQ(Key("中文……结束"), "中文......结束");
  EXPECT_EQ(Key("中文\u2460"), "中文1");  // ① is no plain CJK character
}

TEST(TextNormalizer, LoadsIcuNormalizers) {
  TextNormalizer normalizer;
  EXPECT_TRUE(normalizer.ok());
}

TEST(TextNormalizer, MatchKeyKeepsAsciiColon) { EXPECT_EQ(Key("相关文章:"), "相关文章:"); }

TEST(TextNormalizer, MatchKeyFoldsFullWidthColon) {
  EXPECT_EQ(Key("相关文章："), "相关文章:");
}

TEST(TextNormalizer, MatchKeyDecodesEntityBeforeFolding) {
  EXPECT_EQ(Key("相关文章&#xff1a;"), "相关文章:");
  EXPECT_EQ(Key("相关文章&#xFF1A;"), "相关文章:");
}

TEST(TextNormalizer, MatchKeyTrimsAndCollapsesSpacesAroundFullWidthColon) {
  EXPECT_EQ(Key(" 相关文章 ： "), "相关文章 :");
}

TEST(TextNormalizer, MatchKeyOfNbspOnlyLineIsEmpty) {
  EXPECT_EQ(Key("\u00A0"), "");
  EXPECT_EQ(Key("\u00A0 \u00A0\t\u3000"), "");
}

TEST(TextNormalizer, MatchKeyOfNbspEntityOnlyLineIsEmpty) {
  EXPECT_EQ(Key("&nbsp;&nbsp; &nbsp;"), "");
}

TEST(TextNormalizer, MatchKeyOfEmptyLineIsEmpty) { EXPECT_EQ(Key(""), ""); }

TEST(TextNormalizer, MatchKeyTurnsNbspIntoSpace) {
  EXPECT_EQ(Key("原文链接\u00A0:\u00A0https://example.com"), "原文链接 : https://example.com");
}

TEST(TextNormalizer, MatchKeyMapsIdeographicAndOddSpaces) {
  EXPECT_EQ(Key("相关文章\u3000推荐"), "相关文章 推荐");
  EXPECT_EQ(Key("a\u2002b\u2009c\u202Fd\u205Fe"), "a b c d e");
  EXPECT_EQ(Key("a\u2028b\u0085c"), "a b c");
}

TEST(TextNormalizer, MatchKeyRemovesZeroWidthCharacters) {
  EXPECT_EQ(Key("\uFEFF相关\u200B文章\u200C:\u200D\u2060"), "相关文章:");
}

TEST(TextNormalizer, MatchKeyCollapsesSpacesLeftAroundRemovedZeroWidth) {
  EXPECT_EQ(Key("点赞 \u200B 收藏"), "点赞 收藏");
}

TEST(TextNormalizer, MatchKeyComposesAcrossRemovedZeroWidth) {
  EXPECT_EQ(Key("Cafe\u200B\u0301"), "Caf\u00E9");
}

TEST(TextNormalizer, MatchKeyFoldsFullWidthLatin) {
  EXPECT_EQ(Key("ＧＰＴ－４"), "GPT-4");
  EXPECT_EQ(Key("（ＧＰＴ）"), "(GPT)");
}

TEST(TextNormalizer, MatchKeyKeepsCjkPunctuationThatNfkcKeeps) {
  EXPECT_EQ(Key("【相关推荐】“标题”。、"), "【相关推荐】“标题”。、");
}

TEST(TextNormalizer, MatchKeyFoldsEllipsisToThreeDots) {
  EXPECT_EQ(Key("阅读全文…"), "阅读全文...");
}

TEST(TextNormalizer, MatchKeyCollapsesTabs) {
  EXPECT_EQ(Key("当前位置:\t首页\t\t> news >正文"), "当前位置: 首页 > news >正文");
}

TEST(TextNormalizer, MatchKeyTrimsAsciiLine) {
  EXPECT_EQ(Key("  Skip   to content \t\r"), "Skip to content");
}

TEST(TextNormalizer, MatchKeyDecodesAsciiEntities) {
  EXPECT_EQ(Key("a&nbsp;&nbsp;b"), "a b");
}

TEST(TextNormalizer, MatchKeyLeavesAmpersandThatIsNoEntity) {
  EXPECT_EQ(Key("make & make install"), "make & make install");
}

TEST(TextNormalizer, MatchKeyReplacesPreviousContents) {
  TextNormalizer normalizer;
  std::string key = "stale";
  normalizer.MatchKey("相关文章：", &key);
  EXPECT_EQ(key, "相关文章:");
  normalizer.MatchKey("  next  ", &key);
  EXPECT_EQ(key, "next");
}

TEST(TextNormalizer, MatchKeyGivesSameKeyWhenInstanceIsReused) {
  TextNormalizer normalizer;
  std::string first;
  std::string second;
  normalizer.MatchKey(" 相关文章 ： ", &first);
  normalizer.MatchKey("Cafe\u0301\u00A0\u00A0x", &second);
  EXPECT_EQ(second, "Caf\u00E9 x");
  normalizer.MatchKey(" 相关文章 ： ", &second);
  EXPECT_EQ(first, second);
}

// --- Repair ------------------------------------------------------------------------------

TEST(TextNormalizer, RepairTurnsNbspIntoSpaceAndCountsIt) {
  const Repaired r = Repair("点击\u00A0这里\u00A0链接");
  EXPECT_EQ(r.text, "点击 这里 链接");
  ExpectCounts(r.counts, 2, 0, 0, 0);
}

TEST(TextNormalizer, RepairTurnsOddSpacesIntoSpace) {
  const Repaired r = Repair("a\u2000b\u2002c\u2009d\u200Ae\u202Ff\u205Fg");
  EXPECT_EQ(r.text, "a b c d e f g");
  ExpectCounts(r.counts, 6, 0, 0, 0);
}

TEST(TextNormalizer, RepairKeepsIdeographicSpace) {
  const Repaired r = Repair("\u3000\u3000第一段");
  EXPECT_EQ(r.text, "\u3000\u3000第一段");
  ExpectCounts(r.counts, 0, 0, 0, 0);
}

TEST(TextNormalizer, RepairRemovesZeroWidthCharactersAndCountsThem) {
  const Repaired r = Repair("\uFEFFa\u200Bb\u200Cc\u2060d\uFEFFe");
  EXPECT_EQ(r.text, "abcde");
  ExpectCounts(r.counts, 0, 5, 0, 0);
}

TEST(TextNormalizer, RepairRemovesJoinerBetweenLetters) {
  const Repaired r = Repair("a\u200Db 中\u200D文");
  EXPECT_EQ(r.text, "ab 中文");
  ExpectCounts(r.counts, 0, 2, 0, 0);
}

TEST(TextNormalizer, RepairKeepsJoinerInsideEmojiSequences) {
  const std::string_view technologist = "\U0001F468\u200D\U0001F4BB";
  const std::string_view with_skin_tone = "\U0001F469\U0001F3FD\u200D\U0001F4BB";
  const std::string_view rainbow_flag = "\U0001F3F3\uFE0F\u200D\U0001F308";
  const std::string_view woman_health = "\U0001F469\u200D\u2695\uFE0F";
  for (std::string_view emoji : {technologist, with_skin_tone, rainbow_flag, woman_health}) {
    const std::string text = "欢迎点赞" + std::string(emoji) + "关注";
    const Repaired r = Repair(text);
    EXPECT_EQ(r.text, text);
    ExpectCounts(r.counts, 0, 0, 0, 0);
  }
}

TEST(TextNormalizer, RepairRemovesJoinerWithEmojiOnOneSideOnly) {
  const Repaired r = Repair("\U0001F525\u200D火 火\u200D\U0001F525 \U0001F525\u200D");
  EXPECT_EQ(r.text, "\U0001F525火 火\U0001F525 \U0001F525");
  ExpectCounts(r.counts, 0, 3, 0, 0);
}

TEST(TextNormalizer, RepairRemovesControlsButKeepsTabAndLineFeed) {
  const Repaired r = Repair("a\x01" "b\tc\x7F\u0085d\u009F\ne\x1B");
  EXPECT_EQ(r.text, "ab\tcd\ne");
  ExpectCounts(r.counts, 0, 0, 5, 0);
}

TEST(TextNormalizer, RepairRemovesNulCharacter) {
  const Repaired r = Repair(std::string_view("a\0b", 3));
  EXPECT_EQ(r.text, "ab");
  ExpectCounts(r.counts, 0, 0, 1, 0);
}

TEST(TextNormalizer, RepairRemovesCarriageReturn) {
  const Repaired r = Repair("line one\r");
  EXPECT_EQ(r.text, "line one");
  ExpectCounts(r.counts, 0, 0, 1, 0);
}

TEST(TextNormalizer, RepairRemovesX000dArtefactAsControl) {
  const Repaired r = Repair("int a = 1;_x000D_");
  EXPECT_EQ(r.text, "int a = 1;");
  ExpectCounts(r.counts, 0, 0, 1, 0);
  const Repaired twice = Repair("第一行_x000D__x000d_");
  EXPECT_EQ(twice.text, "第一行");
  ExpectCounts(twice.counts, 0, 0, 2, 0);
}

TEST(TextNormalizer, RepairKeepsUnderscoresThatAreNoArtefact) {
  const Repaired r = Repair("my_x000_var = _x000D;");
  EXPECT_EQ(r.text, "my_x000_var = _x000D;");
  ExpectCounts(r.counts, 0, 0, 0, 0);
}

TEST(TextNormalizer, RepairKeepsIndentationAndInnerSpaceRuns) {
  const std::string_view code =
      "    for (int i = 0; i < n; ++i) {\n"
      "        sum  +=  i;   // 累加\n"
      "    }  ";
  const Repaired r = Repair(code);
  EXPECT_EQ(r.text, code);
  ExpectCounts(r.counts, 0, 0, 0, 0);
}

TEST(TextNormalizer, RepairTurnsNbspIndentationIntoSpacesOfSameWidth) {
  const Repaired r = Repair("\u00A0\u00A0\u00A0\u00A0return x;");
  EXPECT_EQ(r.text, "    return x;");
  ExpectCounts(r.counts, 4, 0, 0, 0);
}

TEST(TextNormalizer, RepairComposesDecomposedAccentUnderNfc) {
  const Repaired r = Repair("Cafe\u0301");
  EXPECT_EQ(r.text, "Caf\u00E9");
  ExpectCounts(r.counts, 0, 0, 0, 1);
}

TEST(TextNormalizer, RepairComposesAcrossRemovedZeroWidth) {
  const Repaired r = Repair("Cafe\u200B\u0301\u00A0!");
  EXPECT_EQ(r.text, "Caf\u00E9 !");
  ExpectCounts(r.counts, 1, 1, 0, 1);
}

TEST(TextNormalizer, RepairKeepsFullWidthPunctuationUnderNfc) {
  const Repaired r = Repair("你好，世界：ＧＰＴ（一）…");
  EXPECT_EQ(r.text, "你好，世界：ＧＰＴ（一）…");
  ExpectCounts(r.counts, 0, 0, 0, 0);
}

TEST(TextNormalizer, RepairFoldsFullWidthUnderNfkc) {
  const Repaired r = Repair("你好，世界：ＧＰＴ（一）", NormalForm::kNfkc);
  EXPECT_EQ(r.text, "你好,世界:GPT(一)");
  ExpectCounts(r.counts, 0, 0, 0, 1);
}

TEST(TextNormalizer, RepairUnderNfkcStillKeepsIndentation) {
  const Repaired r = Repair("  \u00A0ｘ  =  １", NormalForm::kNfkc);
  EXPECT_EQ(r.text, "   x  =  1");
  ExpectCounts(r.counts, 1, 0, 0, 1);
}

TEST(TextNormalizer, RepairWithoutFormLeavesDecomposedText) {
  const Repaired r = Repair("Cafe\u0301\u00A0x", NormalForm::kNone);
  EXPECT_EQ(r.text, "Cafe\u0301 x");
  ExpectCounts(r.counts, 1, 0, 0, 0);
}

TEST(TextNormalizer, RepairLeavesNormalTextUnchangedWithZeroCounts) {
  const std::string_view text =
      "  引言：本文介绍 C++17 的 std::string_view 🔥\n\t- 第一点，“引号”……\n"
      "English paragraph, café.";
  for (NormalForm form : {NormalForm::kNfc, NormalForm::kNone}) {
    const Repaired r = Repair(text, form);
    EXPECT_EQ(r.text, text);
    ExpectCounts(r.counts, 0, 0, 0, 0);
  }
}

TEST(TextNormalizer, RepairOfEmptyTextIsEmpty) {
  const Repaired r = Repair("");
  EXPECT_EQ(r.text, "");
  ExpectCounts(r.counts, 0, 0, 0, 0);
}

TEST(TextNormalizer, RepairAddsToCounts) {
  TextNormalizer normalizer;
  SpaceRepairCounts counts;
  std::string out;
  normalizer.Repair("a\u00A0b\u200B", NormalForm::kNfc, &out, &counts);
  normalizer.Repair("Cafe\u0301\u00A0\x01", NormalForm::kNfc, &out, &counts);
  EXPECT_EQ(out, "Caf\u00E9 ");
  ExpectCounts(counts, 2, 1, 1, 1);
}

TEST(TextNormalizer, RepairPassesIllFormedUtf8Through) {
  const Repaired r = Repair("a\xFF" "b\xC2\u00A0c\xE4\xB8");
  EXPECT_EQ(r.text, "a\xFF" "b\xC2 c\xE4\xB8");
  ExpectCounts(r.counts, 1, 0, 0, 0);
}

// --- Normalize ---------------------------------------------------------------------------

TEST(TextNormalizer, NormalizeReturnsFalseAndCopiesNormalText) {
  TextNormalizer normalizer;
  std::string out = "stale";
  EXPECT_FALSE(normalizer.Normalize("相关文章：café", NormalForm::kNfc, &out));
  EXPECT_EQ(out, "相关文章：café");
  EXPECT_FALSE(normalizer.Normalize("plain ascii", NormalForm::kNfkc, &out));
  EXPECT_EQ(out, "plain ascii");
}

TEST(TextNormalizer, NormalizeComposesUnderNfc) {
  TextNormalizer normalizer;
  std::string out;
  EXPECT_TRUE(normalizer.Normalize("Cafe\u0301 \uFF1A", NormalForm::kNfc, &out));
  EXPECT_EQ(out, "Caf\u00E9 \uFF1A");
}

TEST(TextNormalizer, NormalizeFoldsUnderNfkc) {
  TextNormalizer normalizer;
  std::string out;
  EXPECT_TRUE(normalizer.Normalize("Cafe\u0301 \uFF1A\u3000", NormalForm::kNfkc, &out));
  EXPECT_EQ(out, "Caf\u00E9 : ");
}

TEST(TextNormalizer, NormalizeWithoutFormCopies) {
  TextNormalizer normalizer;
  std::string out;
  EXPECT_FALSE(normalizer.Normalize("Cafe\u0301", NormalForm::kNone, &out));
  EXPECT_EQ(out, "Cafe\u0301");
}

// --- The single passes against the general paths ----------------------------------------
// MatchKey and Repair take one pass for most text and their reference paths for the rest;
// the two must agree on every input, so these tests feed both the same text.

// `c` (not a surrogate) as UTF-8.
std::string Utf8(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (c >> 18));
    s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
  return s;
}

// Bytes as C escapes, so that a failure shows exactly what was fed.
std::string Escaped(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char ch : text) {
    const auto b = static_cast<unsigned char>(ch);
    if (b >= 0x20 && b < 0x7F && b != '\\') {
      out += ch;
    } else {
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

// Hands `check` each text of `filler` repeated to every length up to `max_length`, and each
// `piece` at every offset of such a text, while `keep_going` says so. The fillers are cut at
// a byte, so a character may be cut too: the cut bytes are then among what is checked.
void ForEachPieceAtEveryOffset(const std::vector<std::string>& pieces,
                               const std::vector<std::string>& fillers, size_t max_length,
                               const std::function<void(const std::string&)>& check,
                               const std::function<bool()>& keep_going) {
  auto fill = [](const std::string& filler, size_t length) {
    std::string text;
    while (text.size() < length) text += filler;
    text.resize(length);
    return text;
  };
  for (const std::string& filler : fillers) {
    for (size_t length = 0; length <= max_length && keep_going(); ++length) {
      check(fill(filler, length));
      for (size_t offset = 0; offset <= length; ++offset) {
        const std::string before = fill(filler, offset);
        const std::string after = fill(filler, length - offset);
        for (const std::string& piece : pieces) check(before + piece + after);
      }
    }
  }
}

// Hands `line` each line of every file under testdata/, raw bytes whatever the file's
// encoding, and `whole` (when given) each file's bytes, while `keep_going` says so. Returns
// the number of lines.
size_t ForEachTestdataLine(const std::function<void(std::string_view)>& line,
                           const std::function<bool()>& keep_going,
                           const std::function<void(std::string_view)>& whole = nullptr) {
  size_t lines = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(WINNOW_SOURCE_DIR "/testdata")) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    for (size_t start = 0; start <= bytes.size() && keep_going();) {
      size_t end = bytes.find('\n', start);
      if (end == std::string::npos) end = bytes.size();
      line(std::string_view(bytes).substr(start, end - start));
      ++lines;
      start = end + 1;
    }
    if (whole) whole(bytes);
  }
  return lines;
}

class SinglePassTest : public ::testing::Test {
 protected:
  // Expects MatchKey and Repair under each form to give what their reference paths give.
  // Returns false on a difference, so that loops can stop at the first few.
  bool AgreesWithReference(std::string_view text) {
    normalizer_.MatchKey(text, &fast_);
    normalizer_.MatchKeyReference(text, &reference_);
    if (fast_ != reference_) {
      ADD_FAILURE() << "MatchKey of \"" << Escaped(text) << "\": \"" << Escaped(fast_)
                    << "\", reference \"" << Escaped(reference_) << "\"";
      return false;
    }
    for (NormalForm form : {NormalForm::kNone, NormalForm::kNfc, NormalForm::kNfkc}) {
      SpaceRepairCounts fast_counts;
      SpaceRepairCounts reference_counts;
      normalizer_.Repair(text, form, &fast_, &fast_counts);
      normalizer_.RepairReference(text, form, &reference_, &reference_counts);
      const bool same_counts = fast_counts.odd_spaces == reference_counts.odd_spaces &&
                               fast_counts.zero_width == reference_counts.zero_width &&
                               fast_counts.controls == reference_counts.controls &&
                               fast_counts.normalized == reference_counts.normalized;
      if (fast_ != reference_ || !same_counts) {
        ADD_FAILURE() << "Repair (form " << static_cast<int>(form) << ") of \""
                      << Escaped(text) << "\": \"" << Escaped(fast_) << "\", reference \""
                      << Escaped(reference_) << "\"" << (same_counts ? "" : ", counts differ");
        return false;
      }
    }
    return true;
  }

  // True while fewer than a handful of inputs have failed.
  bool KeepGoing() { return failures_ < 5; }
  void Check(std::string_view text) {
    if (!AgreesWithReference(text)) ++failures_;
  }

  TextNormalizer normalizer_;
  std::string fast_;
  std::string reference_;
  int failures_ = 0;
};

TEST_F(SinglePassTest, AgreesOnEdgeCases) {
  for (std::string_view text :
       {"", " ", "   ", "\t\n", "\u3000", "\u00A0", " \u00A0 \u3000 ", "a", " a ", "a  b",
        "a\u3000b", "a \u3000 b", "\u3000a\u3000", "a\u00A0\u2003\u202F\u205Fb", "a\u200B b",
        "a \u200Bb", "\u200B a", "a \u200B", "\u200B", "\u200B \u200B", "a\u200Bb",
        "\uFF21\u0301", "\uFF41\u0301", "\uFF1A", " \uFF1A ", "\u3000\uFF1A\u3000", "e\u200B\u0301",
        "\u304B\u200B\u3099", "\u1100\u200B\u1161", "\uAC00\u11A8", "\uFF76\uFF9E", "\uFB01",
        "\u2460", "\u2026", "\u2026\u2026", "\u00A0\u2026", "&", "& b", "a &", "&&", "&#", "&#x",
        "&#x4e2d;", "#", "#x", "#xff1a;", "C#", "#include", "&\u200Bamp;", "\uFF06amp;",
        "\uFF03xff1a;", "&#xff0c;", "&#XFF0C;", "&#xFF0C", "&#65292;", "&#x0000ff0c;",
        "&#xff0c;&#xff1a;", " &#xff0c; ", "a &#xff0c; b", "&#x3000;", "&#x200b;", "&#xff06;",
        "&#xff03;xff1a;", "&#x4e2d;&#x301;", "&#x800;", "&#x7ff;", "&#xd7ff;", "&#xd800;",
        "&#xdbff;&#xdc00;", "&#xffff;", "&#x10000;", "&#xfffff0c;", "&#2048;", "&#12290;",
        "&#x2026;", "&#xff5e;", "&#xff5f;", "&#xff00;", "&#x3002;&amp;", "&#xff0c&#xff0c;",
        "\xFF", "\xC3", "a\xC3", "\xE4\xB8", "\xED\xA0\x80", "\xE0\x80\x80",
        "\xC0\xAF", "\xF4\x90\x80\x80", "\U0001F468\u200D\U0001F4BB", "\U00020000",
        "\U0002F800", "_x000D_", "a_x000d_b", "_x000", "\x7F", "\xC2\x85", "\r\n", "\x01"}) {
    Check(text);
  }
}

TEST_F(SinglePassTest, AgreesOnEveryLineOfTestdata) {
  // Raw bytes, whatever the file's encoding: each line, and the whole file as one text.
  const size_t lines = ForEachTestdataLine(
      [this](std::string_view line) { Check(line); }, [this] { return KeepGoing(); },
      [this](std::string_view bytes) { Check(bytes); });
  EXPECT_GT(lines, 5000u);  // the walk found the test data
}

// Random strings of pieces chosen for what each path treats specially.
TEST_F(SinglePassTest, AgreesOnRandomStringsOfTrickyPieces) {
  const std::vector<std::string> pieces = {
      "a", "Z", "e", "k", "0", ";", ".", "=", "?", "_", " ", "  ", "\t", "\n", "\r", "\x0B",
      "\x01", "\x7F", "&", "&amp;", "&amp;amp;", "&#x4e2d;", "&#20013;", "&#xff1a;", "&nbsp;",
      "&lt", "&copy", "&#", "&#x", "#", "#x", "#xff1a;", "#include", "_x000D_", "_x000d_",
      "&#xff0c;", "&#XFF1A;", "&#65292;", "&#x3002;", "&#x2026;", "&#x3000;", "&#x200B;",
      "&#xff06;", "&#xff03;", "&#x0301;", "&#xD83D;", "&#xDE00;", "&#x800;", "&#xFFFF;",
      "&#x1F525;", "&#0000065292;", "&#xff0c", "&#12290", "xff0c;", "65292;",
      "x000D_",
      "\uFF01", "\uFF06", "\uFF03", "\uFF1A", "\uFF21", "\uFF41", "\uFF5E", "\uFF5F", "\uFF00",
      "\u3000", "\u00A0", "\u2003", "\u2000", "\u200A", "\u202F", "\u205F", "\u1680", "\u2028",
      "\u0085", "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u4E2D", "\u6587", "\u9FFF",
      "\u3001", "\u3002", "\u300C", "\u201C", "\u00B7", "\u2014", "\u2026", "\u00E9", "\u00C5",
      "\u00A8", "\u00B5", "\u2126", "\u212B", "\u0344", "\u0F73", "\u0301", "\u0308", "\u0305",
      "\u0316", "\u05B0", "\u0591", "\u3099",
      "\u309A", "\u304B", "\u30AB", "\u1100", "\u1161", "\u11A8", "\uAC00", "\uD55C", "\uFF76",
      "\uFF9E", "\uFB01", "\u2460", "\u2F3C", "\u3220", "\u338F", "\u01C5", "\u0394", "\u2605",
      "\uFFFD", "\uFFFE", "\xFF", "\xC3", "\xE4\xB8", "\xED\xA0\x80", "\xE0\x80\x80",
      "\xC0\xAF", "\xF4\x90\x80\x80", "\U0001F600", "\U0001F468", "\U0001F3FD", "\uFE0F",
      "\U0001F525", "\U00020000", "\U0002F800", "\U0001D400", "\U000E0041"};
  std::mt19937 random(20240601);
  std::uniform_int_distribution<size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 12);
  std::string text;
  for (int n = 0; n < 300000 && KeepGoing(); ++n) {
    text.clear();
    for (int k = length(random); k > 0; --k) text += pieces[piece(random)];
    Check(text);
  }
}

// Every code point alone and between neighbours it might compose, reorder or collapse with:
// this checks the sets of characters the single passes copy as they are.
TEST_F(SinglePassTest, AgreesOnEveryCodePointInContext) {
  const std::vector<std::pair<std::string, std::string>> contexts = {
      {"", ""},
      {"a", " b"},
      {"\u4E2D \u00A0", "\u0301"},
      {"\u1100", "\u3099\u11A8"},
      {"e", "\u0316"},  // U+0316 has combining class 220: a mark of 230 before it moves
      // Long enough that the character is met inside the match key's 16-byte blocks.
      {"\u4E00\u4E8C\u4E09 abc \u56DB\u4E94", " \u516D\u4E03\u516B\u4E5D\u5341 de"}};
  for (char32_t c = 0; c <= 0x10FFFF && KeepGoing(); ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    // Supplementary planes past the Han extensions: a sample.
    if (c >= 0x40000 && c % 61 != 0) continue;
    const std::string character = Utf8(c);
    for (const auto& [before, after] : contexts) {
      if (c >= 0x10000 && before != "a") continue;
      Check(before + character + after);
    }
  }
}

// The single passes take 16 bytes a step (32 with AVX2) and hand what they do not keep as it
// is to the byte-by-byte code: a piece that needs work (a space run, a reference, a folded or
// removed character, a cut or stray byte) at every offset of lines of 0..72 bytes, so that it
// falls at and across every block edge, in the last block (which ends with the line) after
// whole ones, and at both ends of the line.
TEST_F(SinglePassTest, AgreesWithPiecesAtEveryOffsetAroundBlockEdges) {
  const std::vector<std::string> pieces = {
      " ", "  ", "   ", "\t", " \t", "\n", "\x01", "\x7F", "&", "&amp;", "&#x4e2d;", "#", "#x41;",
      "&#xff0c;", " &#xff0c;", "&#xff0c; ", "&#65292;", "&#x3000;", "&#xff0c",
      "\u3002", "\u3001", "\uFF0C", "\uFF1A", "\u3000", "\u00A0", "\u200B", " \u200B ",
      "\u2026", "\u201C", "\u00B7", "\u0301", "\u4E2D", " \u4E2D", "\u4E2D ", "\u9FFF", "\u4000",
      "\u3400", "\uAC00", "\U0001F525", "\xE4", "\xE4\xB8", "\xE9\xBF", "\x80", "\xBF\xBF",
      "\xE4\xB8\xAD\x80", "\xE4\x20\x20", "\xED\xA0\x80", "\xFF", "_", "_x000D_", "_x000d_",
      "\u200D", "\U0001F468\u200D\U0001F4BB", "e\u0301", "\uFEFF", "\u0085"};
  // Fillers the scan keeps: ASCII, Han, and both with single spaces between.
  const std::vector<std::string> fillers = {"abcdefgh", "\u4E00\u4E8C\u4E09\u56DB",
                                            "ab \u4E2D\u6587 cd\u5B57 e", "\u4E2D \u6587"};
  ForEachPieceAtEveryOffset(pieces, fillers, 72, [this](const std::string& text) { Check(text); },
                            [this] { return KeepGoing(); });
}

// Two single spaces a step apart, at every pair of offsets up to 40: whether a space is kept
// as it is depends on both of its neighbours, which may lie in different blocks.
TEST_F(SinglePassTest, AgreesOnSpacesAtEveryPairOfOffsets) {
  for (const std::string filler : {"abcdefghij", "\u4E00\u4E8C\u4E09\u56DB\u4E94"}) {
    std::string base;
    while (base.size() < 42) base += filler;
    base.resize(42);
    for (size_t first = 0; first < base.size() && KeepGoing(); ++first) {
      for (size_t second = first; second < base.size(); ++second) {
        std::string text = base;
        text[first] = ' ';
        text[second] = ' ';
        Check(text);
        Check(text.substr(0, second + 1));
      }
    }
  }
}

// --- KeyIsCharacterwise ------------------------------------------------------------------

// What the match view of `text` is when it is made of its characters' images, worked out
// here on its own terms: whitespace separates, full-width forms and numeric references to
// them are ASCII, U+2026 is `...`, any other character stands for itself. Sets `*folded` to
// the ASCII images of folded characters and `*start` to the view's first character.
std::string CharacterwiseImage(std::string_view text, std::bitset<128>* folded,
                               std::string* start) {
  folded->reset();
  start->clear();
  std::string image;
  bool space_pending = false;
  auto add = [&](std::string_view piece) {
    if (space_pending && !image.empty()) image += ' ';
    space_pending = false;
    if (image.empty()) *start = std::string(piece.substr(0, 1) == "." ? "." : piece);
    image += piece;
  };
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    length = std::min(length, text.size() - i);
    char32_t c = lead < 0x80 ? lead : lead & (0x3F >> (length - 1));
    for (size_t k = 1; k < length; ++k) {
      c = c << 6 | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    // `&#xHHHH;` or `&#DDDD;`
    if (c == '&' && text.substr(i + 1, 1) == "#") {
      size_t end = i + 2;
      const bool hex = end < text.size() && (text[end] == 'x' || text[end] == 'X');
      if (hex) ++end;
      const size_t digits = end;
      uint64_t value = 0;
      while (end < text.size() && value < 0x110000 &&
             (hex ? std::isxdigit(static_cast<unsigned char>(text[end])) != 0
                  : std::isdigit(static_cast<unsigned char>(text[end])) != 0)) {
        const int digit = std::tolower(static_cast<unsigned char>(text[end]));
        value = value * (hex ? 16 : 10) + (std::isdigit(digit) ? digit - '0' : digit - 'a' + 10);
        ++end;
      }
      if (end > digits && end < text.size() && text[end] == ';' && value >= 0xFF01 &&
          value <= 0xFF5E) {
        const auto ascii = static_cast<char>(value - 0xFEE0);
        folded->set(static_cast<unsigned char>(ascii));
        add(std::string(1, ascii));
        i = end + 1;
        continue;
      }
    }
    const bool space = (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 ||
                       c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
                       c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    if (space) {
      space_pending = true;
    } else if (c >= 0xFF01 && c <= 0xFF5E) {
      const auto ascii = static_cast<char>(c - 0xFEE0);
      folded->set(static_cast<unsigned char>(ascii));
      add(std::string(1, ascii));
    } else if (c == 0x2026) {
      folded->set('.');
      add("...");
    } else {
      add(text.substr(i, length));
    }
    i += length;
  }
  return image;
}

class CharacterwiseKeyTest : public ::testing::Test {
 protected:
  // When KeyIsCharacterwise says yes, expects MatchKey, MatchKeyReference and what it tells
  // of the view to be the images worked out above. Returns its answer.
  bool Check(std::string_view text) {
    CharacterwiseKey view;
    if (!normalizer_.KeyIsCharacterwise(text, &view)) return false;
    ++characterwise_;
    std::bitset<128> folded;
    std::string start;
    const std::string image = CharacterwiseImage(text, &folded, &start);
    normalizer_.MatchKey(text, &key_);
    normalizer_.MatchKeyReference(text, &reference_);
    const bool same = key_ == image && reference_ == image && view.folded == folded &&
                      view.start == start && !image.empty();
    if (!same) {
      ADD_FAILURE() << "characterwise \"" << Escaped(text) << "\": images \"" << Escaped(image)
                    << "\" starting \"" << Escaped(start) << "\", MatchKey \"" << Escaped(key_)
                    << "\", reference \"" << Escaped(reference_) << "\", start \""
                    << Escaped(view.start) << "\", folded " << view.folded.to_string()
                    << " (expected " << folded.to_string() << ")";
      ++failures_;
    }
    return true;
  }
  bool KeepGoing() const { return failures_ < 5; }

  TextNormalizer normalizer_;
  std::string key_;
  std::string reference_;
  size_t characterwise_ = 0;
  int failures_ = 0;
};

TEST_F(CharacterwiseKeyTest, SaysYesForTeasersOfTextPunctuationAndFullWidthReferences) {
  EXPECT_TRUE(Check("Docker 是一种容器化技术&#xff0c;它通过利用 Linux 内核提供的虚拟化技术和"
                    "隔离机制&#xFF0C;实现了更轻量级的应用程序虚拟化方案。命名空间…..."));
  EXPECT_TRUE(Check("  当前位置：首页 > 编程 > 一篇很长的文章标题…"));
  EXPECT_TRUE(Check("\u3000\u00A0（括号）、《书名》【注】“引号”&#65292;C# & a#b;…"));
  EXPECT_TRUE(Check("京ICP备12345678号-1…..."));
  EXPECT_TRUE(Check("ＩＣＰ备12345678号\t\t…"));
  EXPECT_TRUE(Check("\x01\x7F control bytes are copied as they are..."));
  EXPECT_TRUE(Check("🔥 emoji ΔΣ are kept..."));
  // A reference cut short by the marker stays as written.
  EXPECT_TRUE(Check("用户可以是用户或者是用户D&#xff0…..."));
  EXPECT_TRUE(Check("摘要&#…"));
  EXPECT_TRUE(Check("摘要&#X… \t"));
  EXPECT_TRUE(Check("&#6..."));
  EXPECT_EQ(characterwise_, 11u);
}

TEST_F(CharacterwiseKeyTest, SaysNoWhereTheViewIsMadeOtherwise) {
  for (std::string_view text :
       {"", " ", " \t\u3000\u00A0 ", "零\u200B宽", "\uFEFF开头", "⼼ Kangxi radical", "①", "ﬁ",
        "e\u0301", "&amp;", "&lt;tag&gt;", "&nbsp;", "&#x4e2d;", "&#x3000;", "&#xff0c",
        "&#xff0c…", "&#xff1a...", "&#xff0… 后文", "&#xff0…&#xff0c;", "&#x1F525…",
        "#xff1a;", "&#xFF5F;", "&#xFF00;", "\xE4\xB8", "\xFF", "\xED\xA0\x80", "\xC0\xAF",
        "abc\xE4\xB8\xAD" "def\xE4"}) {
    EXPECT_FALSE(Check(text)) << Escaped(text);
  }
}

TEST_F(CharacterwiseKeyTest, ImagesAreTheViewOnEveryLineOfTestdata) {
  const size_t lines = ForEachTestdataLine([this](std::string_view line) { Check(line); },
                                           [this] { return KeepGoing(); });
  EXPECT_GT(lines, 5000u);
  EXPECT_GT(characterwise_, 2000u);  // most lines are made of such characters
}

TEST_F(CharacterwiseKeyTest, ImagesAreTheViewOnRandomStringsOfTrickyPieces) {
  const std::vector<std::string> pieces = {
      "a", "Z", "i", "c", "p", ".", "...", ";", "&", "&&", "& ", "&a", "&#", "&#x", "#", "#x",
      "#xff1a;", "C#", "&amp;", "&nbsp;", "&#xff0c;", "&#XFF0C;", "&#xFF1a;", "&#65292;",
      "&#xff0c", "&#xff0", "&#xff", "&#x1f52", "&#6", "&#xff00;", "&#xff5e;", "&#xff5f;",
      "&#x4e2d;", "&#x3000;", "&#0000065292;", "&#xfffff0c;", " ", "  ", "\t", "\r", "\x0B",
      "\x01", "\x7F", "\u00A0", "\u3000",
      "\u2003", "\u202F", "\u0085", "\u200B", "\uFEFF", "\u4E2D", "\u6587", "\u4000", "\u9FFF",
      "\u3001", "\u3002", "\u300A", "\u3010", "\uFF0C", "\uFF1A", "\uFF29", "\uFF43", "\uFF01",
      "\uFF5E", "\uFF5F", "\uFF00", "\u2026", "\u201C", "\u00B7", "\u00E9", "\u0301", "\u2F3C",
      "\u2460", "\uFB01", "\u0394", "\U0001F525", "\U00020000", "\xE4\xB8", "\xBF", "\xFF",
      "\u516C\u7F51\u5B89\u5907", "ICP\u5907"};
  std::mt19937 random(20240601);
  std::uniform_int_distribution<size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(1, 40);
  std::string text;
  for (int n = 0; n < 200000 && KeepGoing(); ++n) {
    text.clear();
    for (int k = length(random); k > 0; --k) text += pieces[piece(random)];
    Check(text);
  }
  EXPECT_GT(characterwise_, 5000u);
}

// The scan takes 16 bytes a step, or 64 with AVX2, deciding all but the last two bytes of a
// whole step: a piece that needs a closer look at every offset of lines up to 150 bytes, so
// that it falls at and across every step's edge and in the last step, which ends the line.
TEST_F(CharacterwiseKeyTest, ImagesAreTheViewWithPiecesAtEveryOffsetAroundBlockEdges) {
  const std::vector<std::string> pieces = {
      " ", "   ", "\t", "&", "&#xff0c;", "&#65306;", "&#x4e2d;", "#", "#x41;", "\u3002",
      "\uFF0C", "\u2026", "\u3000", "\u00A0", "\u200B", "\u4E2D", "\U0001F525", "\xE4",
      "\xE4\xB8", "\x80", "\xE4\x20\x20", "\u00B7", "\u2F3C"};
  const std::vector<std::string> fillers = {"abcdefgh", "\u4E00\u4E8C\u4E09\u56DB",
                                            "ab \u4E2D\u6587 cd\u5B57 e"};
  ForEachPieceAtEveryOffset(pieces, fillers, 150, [this](const std::string& text) { Check(text); },
                            [this] { return KeepGoing(); });
  EXPECT_GT(characterwise_, 10000u);
}

// --- CountCodePoints ------------------------------------------------------------------

// The count goes 16 and 8 bytes a step: every length up to 80 of text that mixes all byte
// values (ill-formed too), and text long enough to fill its byte-wise tallies many times.
TEST(CountCodePoints, CountsEveryByteButContinuationBytesAtEveryLength) {
  auto expected = [](std::string_view text) {
    size_t count = 0;
    for (const char ch : text) count += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
    return count;
  };
  std::mt19937 random(20240601);
  std::uniform_int_distribution<int> byte(0, 255);
  for (size_t length = 0; length <= 80; ++length) {
    for (int round = 0; round < 20; ++round) {
      std::string text;
      for (size_t k = 0; k < length; ++k) text += static_cast<char>(byte(random));
      EXPECT_EQ(CountCodePoints(text), expected(text)) << length;
    }
  }
  std::string han;
  while (han.size() < 100000) han += "\u4E2D\u6587 abc\u3002\U0001F525\xBF";
  EXPECT_EQ(CountCodePoints(han), expected(han));
  EXPECT_EQ(CountCodePoints(std::string(70000, '\x80')), 0u);
  EXPECT_EQ(CountCodePoints(std::string(70000, 'a')), 70000u);
}

// --- IsCjkCodePoint ----------------------------------------------------------------------

TEST(IsCjkCodePoint, AcceptsHanIdeographs) {
  for (char32_t c : {0x4E00, 0x6587, 0x9FFF, 0x3400, 0x4DBF, 0xF900, 0xFAFF, 0x20000, 0x2A6DF,
                     0x2F800, 0x30000, 0x3134A}) {
    EXPECT_TRUE(IsCjkCodePoint(c)) << std::hex << static_cast<uint32_t>(c);
  }
}

TEST(IsCjkCodePoint, AcceptsKanaAndHangul) {
  for (char32_t c : {0x3042, 0x3093, 0x30A2, 0x30FC, 0x31F0, 0xAC00, 0xD7A3, 0x1100, 0x3131,
                     0x1B001}) {
    EXPECT_TRUE(IsCjkCodePoint(c)) << std::hex << static_cast<uint32_t>(c);
  }
}

TEST(IsCjkCodePoint, AcceptsCjkPunctuationAndWidthForms) {
  for (char32_t c : {0x3000, 0x3001, 0x3002, 0x300C, 0x3010, 0x303F, 0xFF01, 0xFF0C, 0xFF1A,
                     0xFF21, 0xFF65, 0xFFEF, 0xFE30, 0xFE4F, 0xFE10}) {
    EXPECT_TRUE(IsCjkCodePoint(c)) << std::hex << static_cast<uint32_t>(c);
  }
}

TEST(IsCjkCodePoint, RejectsOtherScriptsAndSharedPunctuation) {
  for (char32_t c : {0x41, 0x3A, 0xA0, 0xE9, 0x0410, 0x2014, 0x201C, 0x2026, 0x20AC, 0x2E7F,
                     0x4DC0, 0xA000, 0xFE50, 0xFFF0, 0x1F525, 0x1F468, 0x40000, 0xE0001,
                     0x10FFFF}) {
    EXPECT_FALSE(IsCjkCodePoint(c)) << std::hex << static_cast<uint32_t>(c);
  }
}

}  // namespace
}  // namespace winnow

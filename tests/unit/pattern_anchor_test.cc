// Which patterns IsAnchoredAtStart takes as matching only at the text's start (it may say no
// to an anchored pattern, never yes to one that can match elsewhere), and which of those
// ClassifyPatternStart sees reading on through the line; which first characters
// StartCharacters lets through (it may let through one no match starts with, never keep out
// one that a match starts with).
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <re2/re2.h>

#include "winnow/pattern_anchor.h"

namespace winnow {
namespace {

TEST(IsAnchoredAtStart, EveryAlternativeStartsWithACaret) {
  EXPECT_TRUE(IsAnchoredAtStart("^a"));
  EXPECT_TRUE(IsAnchoredAtStart("^a|^b"));
  EXPECT_TRUE(IsAnchoredAtStart("^(?:当前位置|您的位置).*$|^首页$"));
  EXPECT_TRUE(IsAnchoredAtStart("^"));
  EXPECT_TRUE(IsAnchoredAtStart("^$"));
}

TEST(IsAnchoredAtStart, GroupsCountWhenEachOfTheirAlternativesIsAnchored) {
  EXPECT_TRUE(IsAnchoredAtStart("(?:^a|^b)c"));
  EXPECT_TRUE(IsAnchoredAtStart("(^a)|(^b)"));
  EXPECT_TRUE(IsAnchoredAtStart("(?P<name>^a|(?:^b|^c))d"));
  EXPECT_TRUE(IsAnchoredAtStart("(?i:^a|^b)"));
  EXPECT_FALSE(IsAnchoredAtStart("(?:^a|b)c"));
  EXPECT_FALSE(IsAnchoredAtStart("(?:a)^b"));
  EXPECT_FALSE(IsAnchoredAtStart("(^a)?b"));
  EXPECT_FALSE(IsAnchoredAtStart("(^a)*b"));
  EXPECT_FALSE(IsAnchoredAtStart("(^a){0,1}b"));
  EXPECT_FALSE(IsAnchoredAtStart("(|^a)"));
}

TEST(IsAnchoredAtStart, FlagGroupsBeforeTheCaretAreZeroWidth) {
  EXPECT_TRUE(IsAnchoredAtStart("(?i)^visit site1\\.example\\.(?:com|net) for more"));
  EXPECT_TRUE(IsAnchoredAtStart("(?i)(?s)^a|(?U)^b"));
  EXPECT_FALSE(IsAnchoredAtStart("(?i)a|^b"));
  EXPECT_FALSE(IsAnchoredAtStart("(?i)"));
}

TEST(IsAnchoredAtStart, OnlyTopLevelBarsSplitAlternatives) {
  EXPECT_TRUE(IsAnchoredAtStart("^[|]b"));
  EXPECT_TRUE(IsAnchoredAtStart("^a\\|b"));
  EXPECT_TRUE(IsAnchoredAtStart("^(?:a|b)|^c"));
  EXPECT_TRUE(IsAnchoredAtStart("^[]|]x"));
  EXPECT_TRUE(IsAnchoredAtStart("^[^]|]x"));
  EXPECT_TRUE(IsAnchoredAtStart("^[[:alpha:]|]x"));
  EXPECT_TRUE(IsAnchoredAtStart("^[\\]|]x"));
  EXPECT_TRUE(IsAnchoredAtStart("^\\p{Han}|^\\x{7C}"));
  EXPECT_FALSE(IsAnchoredAtStart("^a|b"));
  EXPECT_FALSE(IsAnchoredAtStart("^(a)|b"));
  EXPECT_FALSE(IsAnchoredAtStart("^[a]|b"));
  EXPECT_FALSE(IsAnchoredAtStart("^a|"));
  EXPECT_FALSE(IsAnchoredAtStart("|^a"));
}

TEST(IsAnchoredAtStart, SaysNoWhenUnsure) {
  EXPECT_FALSE(IsAnchoredAtStart(""));
  EXPECT_FALSE(IsAnchoredAtStart("a"));
  EXPECT_FALSE(IsAnchoredAtStart("\\^a"));
  EXPECT_FALSE(IsAnchoredAtStart("[\\^]a"));
  EXPECT_FALSE(IsAnchoredAtStart("\\A^a"));
  EXPECT_FALSE(IsAnchoredAtStart("^*a"));
  EXPECT_FALSE(IsAnchoredAtStart("^?a"));
  EXPECT_FALSE(IsAnchoredAtStart("^{0}a"));
  EXPECT_FALSE(IsAnchoredAtStart("(?m)^a"));
  EXPECT_FALSE(IsAnchoredAtStart("(?im)^a"));
  EXPECT_FALSE(IsAnchoredAtStart("^a|(?m:^b)"));
  EXPECT_FALSE(IsAnchoredAtStart("\\Q^a\\E"));
  EXPECT_FALSE(IsAnchoredAtStart("^[abc"));
  EXPECT_FALSE(IsAnchoredAtStart("^(a"));
  EXPECT_FALSE(IsAnchoredAtStart("^a)"));
  EXPECT_FALSE(IsAnchoredAtStart("^a\\"));
  EXPECT_FALSE(IsAnchoredAtStart(std::string(300, '(') + "^a" + std::string(300, ')')));
}

TEST(ClassifyPatternStart, TellsAnchoredPatternsThatReadOnThroughTheLine) {
  EXPECT_EQ(ClassifyPatternStart("^.*如有侵权.*$"), PatternStart::kAnchoredScan);
  EXPECT_EQ(ClassifyPatternStart("^[^。]*?(?:转载请注明)"), PatternStart::kAnchoredScan);
  EXPECT_EQ(ClassifyPatternStart("^.+[_\\-\\s]第\\s*\\d+"), PatternStart::kAnchoredScan);
  EXPECT_EQ(ClassifyPatternStart("^\\S+$"), PatternStart::kAnchoredScan);
  EXPECT_EQ(ClassifyPatternStart("^\\p{Han}{2,}会员"), PatternStart::kAnchoredScan);
  EXPECT_EQ(ClassifyPatternStart("^.{1,100}x"), PatternStart::kAnchoredScan);
  EXPECT_EQ(ClassifyPatternStart("^\\pL+x"), PatternStart::kAnchoredScan);
  EXPECT_EQ(ClassifyPatternStart("^免责声明$|^.*本站仅提供信息存储空间服务.*$"),
            PatternStart::kAnchoredScan);
  EXPECT_EQ(ClassifyPatternStart("(?:^a|^.*b)"), PatternStart::kAnchoredScan);
  // Bounded starts: the DFA stops within a few bytes on most lines.
  EXPECT_EQ(ClassifyPatternStart("^(?:目录|目錄)\\s*:?$"), PatternStart::kAnchored);
  EXPECT_EQ(ClassifyPatternStart("^[#\\s]*(?:目录)$"), PatternStart::kAnchored);
  EXPECT_EQ(ClassifyPatternStart("^.?a"), PatternStart::kAnchored);
  EXPECT_EQ(ClassifyPatternStart("^\\p{Han}{2,6}会员专享1"), PatternStart::kAnchored);
  EXPECT_EQ(ClassifyPatternStart("^.{3}$"), PatternStart::kAnchored);
  EXPECT_EQ(ClassifyPatternStart("^.{abc"), PatternStart::kAnchored);
  EXPECT_EQ(ClassifyPatternStart("^.{2,x}"), PatternStart::kAnchored);
  EXPECT_EQ(ClassifyPatternStart("^.{2,99999999999}"), PatternStart::kAnchoredScan);
  EXPECT_EQ(ClassifyPatternStart("^本文.*$"), PatternStart::kAnchored);
  EXPECT_EQ(ClassifyPatternStart("^\\d+$"), PatternStart::kAnchored);
  EXPECT_EQ(ClassifyPatternStart(".*"), PatternStart::kAnywhere);
  EXPECT_EQ(ClassifyPatternStart("^a|.*b"), PatternStart::kAnywhere);
  EXPECT_EQ(ClassifyPatternStart("^\\p{Han"), PatternStart::kAnywhere);
}

// What a yes promises: with ANCHOR_START the pattern matches exactly what it matches
// unanchored, on texts where it could match late.
TEST(IsAnchoredAtStart, AnAnchoredPatternMatchesTheSameFromTheStart) {
  const char* const kPatterns[] = {"^a", "(?:^a|^b)c", "(?i)^ab", "^[|]b", "^(?:x|y)z|^q"};
  const char* const kTexts[] = {"a", "ba", "bc", "xbc", "AB", "zab", "|b", "x|b", "yz", "wq", "q"};
  for (const char* pattern : kPatterns) {
    ASSERT_TRUE(IsAnchoredAtStart(pattern)) << pattern;
    RE2 regex(pattern);
    for (const char* text : kTexts) {
      EXPECT_EQ(RE2::PartialMatch(text, regex),
                regex.Match(text, 0, std::string(text).size(), RE2::ANCHOR_START, nullptr, 0))
          << pattern << " on " << text;
    }
  }
}

TEST(StartCharacters, KeepsOutWhatNoAlternativeStartsWith) {
  const StartCharacters starts = StartCharacters::Of("^(?:当前位置|首[页頁])|^(?i:copy)\\s|^\\d{4}年");
  EXPECT_TRUE(starts.MayStart("当前位置: 首页"));
  EXPECT_TRUE(starts.MayStart("首"));
  EXPECT_TRUE(starts.MayStart("COPY "));
  EXPECT_TRUE(starts.MayStart("copy"));
  EXPECT_TRUE(starts.MayStart("2024年"));
  EXPECT_TRUE(starts.MayStart(""));
  EXPECT_TRUE(starts.MayStart("\u212Aelvin"));  // (?i) letters: anything outside ASCII and Han
  EXPECT_FALSE(starts.MayStart("在当前位置"));
  EXPECT_FALSE(starts.MayStart("x"));
  EXPECT_FALSE(starts.MayStart(" 首页"));
  EXPECT_FALSE(StartCharacters().MayStart("a"));
  EXPECT_TRUE(StartCharacters::All().MayStart("a"));
}

TEST(StartCharacters, ClassesOfSymbolsAndMarksHoldNoIdeographAndFewAsciiCharacters) {
  const StartCharacters starts = StartCharacters::Of("^[\\p{So}\\p{Sk}\\p{Mn}\\p{Cf}\\s]*关注$");
  EXPECT_TRUE(starts.MayStart("关注"));
  EXPECT_TRUE(starts.MayStart("\u2605 关注"));  // ★, So
  EXPECT_TRUE(starts.MayStart("^_^ 关注"));        // ^ is Sk
  EXPECT_TRUE(starts.MayStart("\t关注"));
  EXPECT_FALSE(starts.MayStart("请关注"));
  EXPECT_FALSE(starts.MayStart("a关注"));
  EXPECT_FALSE(starts.MayStart("1关注"));
  EXPECT_FALSE(starts.MayStart("_关注"));
  // A name it does not know lets everything through.
  EXPECT_TRUE(StartCharacters::Of("^\\p{Han}").MayStart("a"));
  EXPECT_TRUE(StartCharacters::Of("^\\pL").MayStart("a"));
}

TEST(StartCharacters, LetsEverythingThroughWhenUnsureOrAMatchMayBeEmpty) {
  for (const char* pattern : {"^a?", "^(?:x|)", "^.*", "(?m)^a", "^\\Qa\\E", "^[[:alpha:]]",
                              "^\\S", "^[^a]", "^\\C", "^(?:ab", "^\\pN"}) {
    EXPECT_TRUE(StartCharacters::Of(pattern).any()) << pattern;
  }
  // `$` ends a match: after it nothing is read, so an empty text is all `^$` can match.
  EXPECT_FALSE(StartCharacters::Of("^$").any());
  EXPECT_FALSE(StartCharacters::Of("^$").MayStart("a"));
  EXPECT_FALSE(StartCharacters::Of("^(?:$|a)b").MayStart("b"));
  EXPECT_TRUE(StartCharacters::Of("^(?:$|a)?b").MayStart("b"));
}

// The general categories StartCharacters knows, asked of re2's own tables: their ASCII
// characters are the ones it lets through, and no CJK ideograph is in any of them.
TEST(StartCharacters, AgreesWithRe2OnTheCategoriesItKnows) {
  const char* const kCategories[] = {"S",  "Sc", "Sk", "Sm", "So", "M",  "Mc", "Me",
                                     "Mn", "Cf", "Cc", "Z",  "Zs", "Zl", "Zp", "P",
                                     "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps"};
  std::string all = "^[";
  for (const char* category : kCategories) {
    const std::string pattern = std::string("^\\p{") + category + "}";
    all += std::string("\\p{") + category + "}";
    RE2 regex(pattern);
    ASSERT_TRUE(regex.ok()) << pattern;
    const StartCharacters starts = StartCharacters::Of(pattern);
    EXPECT_FALSE(starts.any()) << pattern;
    for (int c = 0; c < 128; ++c) {
      const std::string text(1, static_cast<char>(c));
      EXPECT_EQ(starts.MayStart(text), RE2::PartialMatch(text, regex)) << pattern << " on " << c;
    }
  }
  RE2 any_of_them(all + "]");
  ASSERT_TRUE(any_of_them.ok());
  for (char32_t rune = 0x3400; rune < 0xA000; ++rune) {
    if (rune >= 0x4DC0 && rune < 0x4E00) continue;
    const std::string text = {static_cast<char>(0xE0 | rune >> 12),
                              static_cast<char>(0x80 | (rune >> 6 & 0x3F)),
                              static_cast<char>(0x80 | (rune & 0x3F))};
    ASSERT_FALSE(RE2::PartialMatch(text, any_of_them)) << std::hex << static_cast<unsigned>(rune);
  }
}

// Against re2 itself: each pattern on texts made of a first character and a rest; wherever
// the pattern matches anchored at the start, MayStart must say yes.
TEST(StartCharacters, NeverKeepsOutAMatch) {
  const std::vector<std::string> patterns = {
      "^[一-十]{2}测$", "(?i)^\\x{212A}m", "(?i)^\u017Ftop", "^\\p{So}*注意$", "^$|^\\$\\d+",
      "^\\x41\\x{42}[\\x{4E00}-\\x{4E05}]", "^(?i:ab)(?-i:C)|(?i)^é", "^(?:\\b|\\A)x",
      "^[\\]\\-a]z", "^[]a]z", "^a{0}b", "^a{2,}b", "^a{,2}", "^(?:a*?|b+?)c", "^(?P<n>x)(?:y)",
      "^\\w\\d", "^\\s?\\.", "^[\\x{3400}-\\x{4DFF}]", "^[\\x{4DB0}-\\x{4E10}]",
      "^(?i)[k-m]", "^(?i:[^x])", "^\\pP\\p{Zs}", "^[\\p{Ps}\\p{Pe}]x", "^\\p{Cc}", "^\\p{Sm}=",
      "^(?s:.)", "(?U)^a+b", "^\\z", "^\\n\\t\\f\\v\\r\\a"};
  std::vector<std::string> firsts;
  for (int c = 0; c < 128; ++c) firsts.push_back(std::string(1, static_cast<char>(c)));
  for (const char* rune : {"\u212A", "\u017F", "一", "十", "丁", "注", "测", "©", "【", "★", "\u0301",
                           "\u00AD", "\u4DC0", "\u3400", "\u4DBF", "\u4E05", "\u9FFF", "\uA000",
                           "É", "é", "\xFF", "\x80", "\xE4\xB8", "\u2028", "\u3000", "\U0001F600"}) {
    firsts.push_back(rune);
  }
  const std::vector<std::string> rests = {"", "m", "top", "注意", "十测", "B一", "z", "b", "c", "C",
                                          "d", "1", ".", "=", "x", "yc", "\t\f\v\r\a", "2"};
  RE2::Options options;
  options.set_log_errors(false);
  int matched = 0;
  for (const std::string& pattern : patterns) {
    RE2 regex(pattern, options);
    ASSERT_TRUE(regex.ok()) << pattern;
    const StartCharacters starts = StartCharacters::Of(pattern);
    for (const std::string& first : firsts) {
      for (const std::string& rest : rests) {
        const std::string text = first + rest;
        if (!regex.Match(text, 0, text.size(), RE2::ANCHOR_START, nullptr, 0)) continue;
        ++matched;
        EXPECT_TRUE(starts.MayStart(text)) << pattern << " on " << text;
      }
    }
  }
  EXPECT_GT(matched, 100);
}

}  // namespace
}  // namespace winnow

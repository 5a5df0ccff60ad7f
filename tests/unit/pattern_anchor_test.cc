// Which patterns IsAnchoredAtStart takes as matching only at the text's start (it may say no
// to an anchored pattern, never yes to one that can match elsewhere), and which of those
// ClassifyPatternStart sees reading on through the line.
#include <string>

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

}  // namespace
}  // namespace winnow

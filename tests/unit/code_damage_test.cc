#include "winnow/code_damage.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "differential_inputs.h"

namespace winnow {
namespace {

// The signals `line` shows, joined with spaces.
std::string Signal(const char* line) {
  std::vector<const char*> signals;
  FindCodeDamage(line, &signals);
  std::string joined;
  for (const char* signal : signals) joined += (joined.empty() ? "" : " ") + std::string(signal);
  return joined;
}

TEST(CodeDamage, FlagsDeclarationsThatLostTheirEquals) {
  EXPECT_EQ(Signal("      let sum 0;"), "declaration-lost-=");
  EXPECT_EQ(Signal("var name 'winnow';"), "declaration-lost-=");
  EXPECT_EQ(Signal("{let sum 0;let a str.split().reverse();"), "declaration-lost-=");
  EXPECT_EQ(Signal("    int n 10;"), "declaration-lost-=");
  EXPECT_EQ(Signal("for (var i 0; i < a.length; i) {"), "declaration-lost-= for-update-lost-++");
}

TEST(CodeDamage, ReadsCodeBetweenRunsOfChineseText) {
  // Text outside ASCII ends a token and makes none, however long the run.
  EXPECT_EQ(Signal("\xE4\xB8\xAD\xE6\x96\x87int n 10;\xE4\xB8\xAD"), "declaration-lost-=");
  EXPECT_EQ(Signal("int \xE4\xB8\xAD\xE6\x96\x87n 10;"), "declaration-lost-=");
  EXPECT_EQ(Signal("int n\xE4\xB8\xAD" "10\xC3\xA9;"), "declaration-lost-=");
  EXPECT_EQ(Signal("for (i = 0; i < n; \xE4\xB8\xADi)"), "for-update-lost-++");
  EXPECT_EQ(Signal("\xE6\x96\x87" "C98\xE6\x96\x87"), "c++-version-lost-+");
  EXPECT_EQ(Signal("int n 1\xE4\xB8\xAD" "0;"), "");
}

TEST(CodeDamage, FlagsForLoopsThatLostTheirIncrement) {
  EXPECT_EQ(Signal("for (i = 0; i < n; i) {"), "for-update-lost-++");
  EXPECT_EQ(Signal("  for (int k = 0; k < size(v); k)"), "for-update-lost-++");
}

TEST(CodeDamage, FlagsCxxVersionsThatLostTheirPluses) {
  EXPECT_EQ(Signal("在 C98 里,函数返回一个 vector<int> 时"), "c++-version-lost-+");
  EXPECT_EQ(Signal("C03 标准"), "c++-version-lost-+");
}

TEST(CodeDamage, LeavesValidCodeAndProseAlone) {
  for (const char* line : {
           "let sum = 0;", "for (let i = 0; i < nums.length; i++) {", "for (const x of xs) {",
           "for (let k in obj) {", "for (;;) {", "const char* p = s;", "int main() {",
           "let it go, let it go", "var x;", "C99 和 C11 都是 C 标准", "C++98 和 C++03",
           "int n = 10;", "for i in range(10):", "auto it = v.begin();", "本文介绍 let 和 var",
           "", "sum += nums[i];", "long long x;",
       }) {
    EXPECT_EQ(Signal(line), "") << line;
  }
}

TEST(CodeDamage, QuickTestPassesEveryLineWithASignal) {
  // Lines that need each part of the quick test: a `;`, only a `{`, only a version name.
  std::vector<const char*> signals;
  for (const char* line : {"let sum 0;", "{ let a str.split()", "for (var i 0; i < n; i) {",
                           "在 C98 里", "C03"}) {
    EXPECT_TRUE(MayShowCodeDamage(line)) << line;
    EXPECT_GT(FindCodeDamage(line, &signals), 0u) << line;
  }
  EXPECT_FALSE(MayShowCodeDamage("本文介绍 let 和 var, int 与 for"));
  EXPECT_FALSE(MayShowCodeDamage(""));
  EXPECT_FALSE(MayShowCodeDamage("C9"));
}

// MayShowCodeDamage answers false only where FindCodeDamage finds nothing.
TEST(CodeDamage, QuickTestAgreesWithFindCodeDamage) {
  std::vector<const char*> signals;
  size_t damaged = 0;
  for (const std::string& line : testing_inputs::DifferentialInputs()) {
    const size_t found = FindCodeDamage(line, &signals);
    if (found > 0) ++damaged;
    if (!MayShowCodeDamage(line)) {
      EXPECT_EQ(found, 0u) << line;
    }
  }
  EXPECT_GT(damaged, 100u);  // the inputs do hold damage for the quick test to miss
}

// HoldsCodeDamageWord is the search for its fourteen words, one at a time.
TEST(CodeDamage, WordTestIsTheSearchForEachWord) {
  size_t holding = 0;
  for (const std::string& line : testing_inputs::DifferentialInputs()) {
    bool any = false;
    for (std::string_view word : {"let ", "var ", "for", "C98", "C03", "int ", "long ", "short ",
                                  "float ", "double ", "char ", "bool ", "size_t ", "auto "}) {
      any = any || line.find(word) != std::string::npos;
    }
    ASSERT_EQ(HoldsCodeDamageWord(line), any) << line;
    holding += any;
  }
  EXPECT_GT(holding, 1000u);
  for (const char* line : {"short x", "float ", "size_t n", "a double b", "bool ok", "auto it",
                           "long long", "char c", "var v", "print x", "format"}) {
    EXPECT_TRUE(HoldsCodeDamageWord(line)) << line;
  }
  for (const char* line : {"shorts", "floatx", "size_tx", "bool", "autos", "fo r", "C9 8", ""}) {
    EXPECT_FALSE(HoldsCodeDamageWord(line)) << line;
  }
}

// Both searches go 16 bytes a step: each word, and a damaged declaration after a run of
// Chinese text, at every offset up to a few blocks.
TEST(CodeDamage, FindsWordsAndDamageAtEveryOffset) {
  const std::vector<std::string_view> words = {"let ", "var ", "for", "C98", "C03", "int ",
                                               "long ", "short ", "float ", "double ", "char ",
                                               "bool ", "size_t ", "auto "};
  std::vector<const char*> signals;
  for (size_t offset = 0; offset <= 40; ++offset) {
    std::string cjk;
    while (cjk.size() < offset) cjk += "\xE4\xB8\xAD";
    for (const std::string& filler : {std::string(offset, '.'), cjk}) {
      for (std::string_view word : words) {
        const std::string line = filler + std::string(word) + "x";
        EXPECT_TRUE(HoldsCodeDamageWord(line)) << line;
        // Cut short by a byte (a space, for most), the word is none.
        const std::string cut = filler + std::string(word.substr(0, word.size() - 1));
        EXPECT_FALSE(HoldsCodeDamageWord(cut)) << cut;
      }
      EXPECT_FALSE(HoldsCodeDamageWord(filler + "shorts")) << filler;
      // `let` starts a statement after Chinese text (no token), not after dots.
      const std::string damaged = filler + "let sum 0;" + filler;
      EXPECT_EQ(FindCodeDamage(damaged, &signals), filler == cjk || offset == 0 ? 1u : 0u)
          << damaged;
      // Chinese text between two names makes no token; dots make three.
      const std::string between = "int " + filler + "n 10;";
      EXPECT_EQ(FindCodeDamage(between, &signals), filler == cjk || offset == 0 ? 1u : 0u)
          << between;
    }
  }
}

}  // namespace
}  // namespace winnow

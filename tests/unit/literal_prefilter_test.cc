// The literal prefilter: which atoms re2 finds for a pattern and which ones winnow keeps, why
// lowercasing ASCII alone finds them (checked against re2's lowercasing of every rune), and
// the one-pass search against a naive one.
#include <algorithm>
#include <bitset>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <re2/filtered_re2.h>
#include <re2/re2.h>
#include <unicode/utf8.h>

#include "winnow/literal_prefilter.h"

namespace winnow {
namespace {

RE2::Options Utf8Options() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);
  return options;
}

std::vector<std::string> AtomsOf(const std::string& pattern, bool* filtered) {
  std::vector<std::string> atoms;
  *filtered = FindRequiredAtoms(pattern, Utf8Options(), &atoms);
  std::sort(atoms.begin(), atoms.end());
  return atoms;
}

std::vector<std::string> AtomsOf(const std::string& pattern) {
  bool filtered = false;
  std::vector<std::string> atoms = AtomsOf(pattern, &filtered);
  EXPECT_TRUE(filtered) << pattern;
  return atoms;
}

bool IsUnfiltered(const std::string& pattern) {
  bool filtered = true;
  std::vector<std::string> atoms = AtomsOf(pattern, &filtered);
  EXPECT_TRUE(atoms.empty()) << pattern;
  return !filtered;
}

using Atoms = std::vector<std::string>;

TEST(FindRequiredAtoms, KeepsTheLiteralsAMatchNeeds) {
  EXPECT_EQ(AtomsOf("ICP备"), (Atoms{"icp备"}));
  EXPECT_EQ(AtomsOf("^.*(?:如有侵权|若有侵权).*$"), (Atoms{"如有侵权", "若有侵权"}));
  EXPECT_EQ(AtomsOf("^[^。]*版权所有"), (Atoms{"版权所有"}));
  EXPECT_EQ(AtomsOf("(?i:home)"), (Atoms{"home"}));
}

TEST(FindRequiredAtoms, OfAnAndKeepsOneSideFewestCharactersGoFirst) {
  // Either side would do; the one-character atoms are the common ones in Chinese text.
  EXPECT_EQ(AtomsOf("^[^。]*ICP\\s*[备證证]"), (Atoms{"icp"}));
  EXPECT_EQ(AtomsOf("^在\\s*app\\s*打开$"), (Atoms{"app"}));
}

TEST(FindRequiredAtoms, PatternsWithoutAtomsAreUnfiltered) {
  EXPECT_TRUE(IsUnfiltered("^\\d{4}-\\d{2}$"));
  EXPECT_TRUE(IsUnfiltered("^a|b"));     // one-byte atoms are too short to look for
  EXPECT_TRUE(IsUnfiltered("abc|de"));   // an alternative without a long enough atom
  EXPECT_TRUE(IsUnfiltered("^ab|cd"));    // two ASCII bytes are too common to look for
  EXPECT_TRUE(IsUnfiltered(".*"));
  EXPECT_TRUE(IsUnfiltered("(abc"));     // does not compile
}

TEST(FindRequiredAtoms, TwoByteAtomsOutsideAsciiAreKept) {
  EXPECT_EQ(AtomsOf("^©\\s*\\d{4}"), (Atoms{"©"}));
  EXPECT_EQ(AtomsOf("^(?:(?i:copyright)|©|\\(c\\))\\s*\\d{4}"),
            (Atoms{"(c)", "copyright", "©"}));
}

TEST(FindRequiredAtoms, AtomsWithCaseOutsideAsciiAreNotLookedFor) {
  // re2 lowercases É to é; a text holding "CAFÉ" would not show "é" to ASCII lowercasing.
  EXPECT_TRUE(IsUnfiltered("(?i)straße"));
  EXPECT_TRUE(IsUnfiltered("Éclair"));
  // ...but another atom the match needs anyway still filters it.
  EXPECT_EQ(AtomsOf("(?i)^café.*ICP备"), (Atoms{"icp备"}));
}

TEST(FindRequiredAtoms, AtomsWithALetterSomeOtherRuneLowercasesToAlsoLookForThatRune) {
  const std::vector<AsciiFoldHazard>& hazards = AsciiFoldHazards();
  ASSERT_EQ(hazards.size(), 2u);
  EXPECT_EQ(hazards[0].rune, U'\u017F');
  EXPECT_EQ(hazards[0].letter, 's');
  EXPECT_EQ(hazards[0].utf8, "\u017F");
  EXPECT_EQ(hazards[1].rune, U'\u212A');
  EXPECT_EQ(hazards[1].letter, 'k');
  EXPECT_EQ(hazards[1].utf8, "\u212A");

  // (?i)k matches the Kelvin sign, which re2 lowercases to k: "bac\u212A to top" matches.
  EXPECT_EQ(AtomsOf("(?i)back to top"), (Atoms{"back to top", "\u212A"}));
  EXPECT_EQ(AtomsOf("(?i)^skip"), (Atoms{"skip", "\u017F", "\u212A"}));
  EXPECT_EQ(AtomsOf("ICP备"), (Atoms{"icp备"}));
}

// The reason an ASCII-lowercasing search is enough: for every rune re2's prefilter lowercases
// to another rune, that other rune is either an ASCII letter (and the rune is a hazard) or a
// rune HasCaseOutsideAscii flags. Asks re2 itself, 512 runes per pattern.
TEST(FindRequiredAtoms, AsciiLoweringAgreesWithRe2OnEveryRune) {
  re2::FilteredRE2 probe(1);
  int mismatches = 0;
  for (char32_t first = 0x80; first <= 0x10FFFF; first += 512) {
    std::string pattern;
    std::vector<char32_t> runes;
    for (char32_t rune = first; rune < first + 512 && rune <= 0x10FFFF; ++rune) {
      if (rune >= 0xD800 && rune <= 0xDFFF) continue;
      char escape[16];
      snprintf(escape, sizeof escape, "\\x{%X}", static_cast<unsigned>(rune));
      pattern += escape;
      runes.push_back(rune);
    }
    if (runes.empty()) continue;
    re2::FilteredRE2 filter(1);
    int id = 0;
    ASSERT_EQ(filter.Add(pattern, Utf8Options(), &id), RE2::NoError);
    std::vector<std::string> atoms;
    filter.Compile(&atoms);
    ASSERT_EQ(atoms.size(), 1u);
    const std::string& lowered = atoms[0];
    size_t k = 0;
    for (int32_t at = 0; at < static_cast<int32_t>(lowered.size());) {
      UChar32 lower;
      U8_NEXT(lowered.data(), at, static_cast<int32_t>(lowered.size()), lower);
      ASSERT_LT(k, runes.size());
      const char32_t rune = runes[k++];
      if (static_cast<char32_t>(lower) == rune) continue;
      bool explained = false;
      if (lower < 0x80) {
        for (const AsciiFoldHazard& hazard : AsciiFoldHazards()) {
          explained = explained || (hazard.rune == rune && hazard.letter == lower);
        }
      } else {
        explained = HasCaseOutsideAscii(static_cast<char32_t>(lower));
      }
      if (!explained) {
        ++mismatches;
        ADD_FAILURE() << std::hex << "U+" << static_cast<unsigned>(rune) << " -> U+" << lower;
      }
    }
    ASSERT_EQ(k, runes.size());
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(LiteralPrefilter, FindsAtomsAnywhereInAnyAsciiCase) {
  LiteralPrefilter prefilter({"icp备", "Copyright", "如有侵权"});
  EXPECT_TRUE(prefilter.ContainsAny("京ICP备12345678号"));
  EXPECT_TRUE(prefilter.ContainsAny("icp备"));
  EXPECT_TRUE(prefilter.ContainsAny("COPYRIGHT 2024"));
  EXPECT_TRUE(prefilter.ContainsAny("(c) cOpYrIgHt"));
  EXPECT_TRUE(prefilter.ContainsAny("如有侵权"));
  EXPECT_TRUE(prefilter.ContainsAny("本站文章如有侵权"));
  EXPECT_FALSE(prefilter.ContainsAny("ICP 备"));
  EXPECT_FALSE(prefilter.ContainsAny("如有 侵权"));
  EXPECT_FALSE(prefilter.ContainsAny("copyrigh"));
  EXPECT_FALSE(prefilter.ContainsAny(""));
  EXPECT_FALSE(prefilter.ContainsAny("ic"));
  EXPECT_FALSE(LiteralPrefilter().ContainsAny("icp备"));
  EXPECT_TRUE(LiteralPrefilter().empty());
}

TEST(LiteralPrefilter, ShortAtomsAreFoundToo) {
  LiteralPrefilter prefilter({"\u017F", "long atom"});
  EXPECT_TRUE(prefilter.ContainsAny("\u017F"));
  EXPECT_TRUE(prefilter.ContainsAny("\u017Fkip to content"));
  EXPECT_TRUE(prefilter.ContainsAny("a very long line ending in \u017F"));
  EXPECT_FALSE(prefilter.ContainsAny("\xC5"));
  EXPECT_FALSE(prefilter.ContainsAny("skip to content"));
}

TEST(LiteralPrefilter, FindsAnAtomAtEveryOffset) {
  // One byte is looked for on its own; two and three bytes make the scan read every second
  // position, four every third, five and more every fourth; past eight bytes an atom is
  // compared in two parts.
  for (const std::string& atom :
       {std::string("q"), std::string("zz"), std::string("\u00A9"), std::string("abc"),
        std::string("abcd"), std::string("ab目"), std::string("目录"),
        std::string("icp备"), std::string("all rights reserved"),
        std::string("本站仅提供信息存储空间服务")}) {
    LiteralPrefilter prefilter({atom});
    for (size_t before = 0; before < 24; ++before) {
      for (size_t after = 0; after < 10; ++after) {
        const std::string text = std::string(before, '-') + atom + std::string(after, '-');
        EXPECT_TRUE(prefilter.ContainsAny(text)) << before << " " << after << " " << atom;
        std::string cut = text;
        cut.erase(before + atom.size() - 1, 1);  // the atom's last byte gone
        EXPECT_FALSE(prefilter.ContainsAny(cut)) << before << " " << after << " " << atom;
      }
    }
  }
}

// Against a naive search, on random texts made of pieces of the atoms.
TEST(LiteralPrefilter, AgreesWithANaiveSearch) {
  const std::vector<std::string> atoms = {"abc", "abd", "xyz12", "目录", "目標", "第",
                                          "ab目", "\u212A", "\u017F", "zz"};
  const std::vector<std::string> pieces = {"a", "b", "c", "d", "A", "B", "X", "y", "Z", "1", "2",
                                           "目", "录", "標", "第", "\xE7", "\xAC", " ", "z",
                                           "\u212A", "\u017F", "\xC5"};
  LiteralPrefilter prefilter(atoms);
  std::mt19937 random(20240601);
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    const int length = static_cast<int>(random() % 24);
    for (int i = 0; i < length; ++i) text += pieces[random() % pieces.size()];
    std::string lowered = text;
    for (char& c : lowered) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    }
    const bool expected = std::any_of(atoms.begin(), atoms.end(), [&lowered](const std::string& a) {
      return lowered.find(a) != std::string::npos;
    });
    ASSERT_EQ(prefilter.ContainsAny(text), expected) << text;
  }
}

// Many atoms, so many share anchor pairs, and a two-byte one among them anchors on 255
// pairs: random atoms; random texts, half of them with an atom put in, letters in any case.
TEST(LiteralPrefilter, AgreesWithANaiveSearchOnManyAtoms) {
  std::vector<std::string> alphabet = {"目", "录", "\xE7", "-"};
  for (char c = 'a'; c <= 'z'; ++c) alphabet.push_back(std::string(1, c));
  for (char c = '0'; c <= '9'; ++c) alphabet.push_back(std::string(1, c));
  std::mt19937 random(20261202);
  std::vector<std::string> atoms = {"\xE7q"};
  for (int n = 0; n < 700; ++n) {
    std::string atom;
    const int length = 3 + static_cast<int>(random() % 4);
    for (int i = 0; i < length; ++i) atom += alphabet[random() % alphabet.size()];
    atoms.push_back(atom);
  }
  LiteralPrefilter prefilter(atoms);
  const auto random_case = [&random](std::string text) {
    for (char& c : text) {
      if (c >= 'a' && c <= 'z' && random() % 2 == 0) c = static_cast<char>(c - ('a' - 'A'));
    }
    return text;
  };
  int found = 0;
  for (int n = 0; n < 5000; ++n) {
    std::string text;
    const int length = static_cast<int>(random() % 16);
    for (int i = 0; i < length; ++i) text += alphabet[random() % alphabet.size()];
    if (random() % 2 == 0) {
      text.insert(random() % (text.size() + 1), atoms[random() % atoms.size()]);
    }
    text = random_case(text);
    std::string lowered = text;
    for (char& c : lowered) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    }
    const bool expected = std::any_of(atoms.begin(), atoms.end(), [&lowered](const std::string& a) {
      return lowered.find(a) != std::string::npos;
    });
    found += expected ? 1 : 0;
    ASSERT_EQ(prefilter.ContainsAny(text), expected) << text;
  }
  // Both answers are tested often.
  EXPECT_GT(found, 1000);
  EXPECT_LT(found, 4000);
}

// A few atoms are looked for by their first bytes at 32 offsets at once (with AVX2): texts
// long enough for that, an atom (in any case, or short of its last byte) at every offset,
// and random texts, against a naive search.
TEST(LiteralPrefilter, AgreesWithANaiveSearchOnFewAtomsInLongTexts) {
  const std::vector<std::vector<std::string>> atom_sets = {
      {"icp", "網安備", "公网安备"}, {"zz", "\u00A9"}, {"q", "bc"}, {"abcd", "x-y", "目录", "第2"}};
  const std::vector<std::string> pieces = {"a", "b", "c", "d", "i", "C", "P", "q", "x", "-", "y",
                                           "z", "Z", "2", "第", "目", "录", "公", "网", "安", "备",
                                           "網", "\u00A9", "\xC2", " ", "。"};
  auto naive = [](const std::vector<std::string>& atoms, const std::string& text) {
    std::string lowered = text;
    for (char& c : lowered) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    }
    return std::any_of(atoms.begin(), atoms.end(), [&lowered](const std::string& a) {
      return lowered.find(a) != std::string::npos;
    });
  };
  std::mt19937 random(20261203);
  for (const std::vector<std::string>& atoms : atom_sets) {
    const LiteralPrefilter prefilter(atoms);
    for (const std::string& atom : atoms) {
      std::string capitals = atom;
      for (char& c : capitals) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - ('a' - 'A'));
      }
      for (size_t length : {34, 40, 66, 100}) {
        for (size_t offset = 0; offset + atom.size() <= length; ++offset) {
          std::string text;
          while (text.size() < length) text += "-";
          for (const std::string& put : {atom, capitals, atom.substr(0, atom.size() - 1)}) {
            std::string t = text;
            t.replace(offset, put.size(), put);
            ASSERT_EQ(prefilter.ContainsAny(t), naive(atoms, t)) << t;
          }
        }
      }
    }
    std::vector<std::string> with_atoms = pieces;
    with_atoms.insert(with_atoms.end(), atoms.begin(), atoms.end());
    int found = 0;
    for (int n = 0; n < 20000; ++n) {
      std::string text;
      const int length = static_cast<int>(random() % 60);
      for (int i = 0; i < length; ++i) text += with_atoms[random() % with_atoms.size()];
      const bool expected = naive(atoms, text);
      found += expected ? 1 : 0;
      ASSERT_EQ(prefilter.ContainsAny(text), expected) << text;
    }
    EXPECT_GT(found, 100);
    EXPECT_LT(found, 19900);
  }
}

TEST(LiteralPrefilter, TellsWhichAsciiBytesItsAtomsHoldInEitherCase) {
  const LiteralPrefilter prefilter({"ICP", "版权", "a b", "x", "v1.2"});
  auto holds = [&prefilter](std::string_view bytes) {
    std::bitset<128> set;
    for (char c : bytes) set.set(static_cast<unsigned char>(c));
    return prefilter.AnyAtomHoldsAsciiOf(set);
  };
  for (std::string_view byte : {"i", "I", "c", "P", "a", "A", " ", "x", "X", "v", "1", ".", "2"}) {
    EXPECT_TRUE(holds(byte)) << byte;
  }
  for (std::string_view bytes : {"", "d", "D", "\t", ",", ":", "3", "zZ"}) {
    EXPECT_FALSE(holds(bytes)) << bytes;
  }
  EXPECT_TRUE(holds(",:i"));
  EXPECT_FALSE(LiteralPrefilter().AnyAtomHoldsAsciiOf(std::bitset<128>().set()));
}

}  // namespace
}  // namespace winnow

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "winnow/json_text.h"

namespace winnow {
namespace {

// The escaping rules of json_text.h applied one byte at a time, as plainly as they can be
// written; both of the library's paths must produce exactly this.
std::string ReferenceEscape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\b') {
      out += "\\b";
    } else if (c == '\f') {
      out += "\\f";
    } else if (c < 0x20) {
      char escape[7];
      std::snprintf(escape, sizeof escape, "\\u%04x", c);
      out += escape;
    } else if (text.substr(i, 3) == "\xE2\x80\xA8") {
      out += "\\u2028";
      i += 2;
    } else if (text.substr(i, 3) == "\xE2\x80\xA9") {
      out += "\\u2029";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string Fast(std::string_view text) {
  std::string out;
  AppendJsonEscaped(text, &out);
  return out;
}

std::string Portable(std::string_view text) {
  std::string out;
  AppendJsonEscapedPortable(text, &out);
  return out;
}

// Checks both paths against the reference; returns false after the first mismatch.
::testing::AssertionResult EscapesLikeTheReference(std::string_view text) {
  const std::string want = ReferenceEscape(text);
  const std::string fast = Fast(text);
  const std::string portable = Portable(text);
  if (fast == want && portable == want) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "input of " << text.size() << " bytes \"" << ReferenceEscape(text) << "\"\n  fast:     "
         << fast << "\n  portable: " << portable << "\n  want:     " << want;
}

// Everything the escaper treats specially, and near misses of U+2028/9 it must leave alone.
std::vector<std::string> SpecialSequences() {
  std::vector<std::string> specials;
  for (int c = 0; c < 0x20; ++c) specials.emplace_back(1, static_cast<char>(c));
  for (const char* s : {"\"", "\\", "\x7f", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xA7",
                        "\xE2\x80\xAA", "\xE2\x81\xA8", "\xE2\x80", "\xE2", "\xE2\xE2\x80\xA8",
                        "\xE2\x80\xE2\x80\xA9", "\x80\xA8", "\xA8", "\xE2\x80\x9C", "\xFF"}) {
    specials.emplace_back(s);
  }
  return specials;
}

// Fillers the escaper copies through: ASCII, Han, and CJK punctuation led by 0xE2 (“ … ”).
const char* const kFillers[] = {"abcdefgh", "中文标点", "“引号”…—"};

std::string Filler(const char* unit, size_t size) {
  std::string text;
  while (text.size() < size) text += unit;
  text.resize(size);  // may cut a character: the escaper must pass split UTF-8 through
  return text;
}

TEST(JsonText, EscapesEverySpecialSequenceAtEveryOffsetAndLength) {
  for (const char* unit : kFillers) {
    for (const std::string& special : SpecialSequences()) {
      for (size_t size = 0; size <= 40; ++size) {
        for (size_t at = 0; at + special.size() <= size; ++at) {
          std::string text = Filler(unit, size);
          text.replace(at, special.size(), special);
          ASSERT_TRUE(EscapesLikeTheReference(text)) << "at " << at;
        }
      }
    }
  }
}

TEST(JsonText, EscapesTwoSpecialsAtEveryPairOfOffsets) {
  // Two hits in one 16-byte block, in neighbouring blocks, and in the look-ahead bytes.
  for (const char* unit : kFillers) {
    for (const std::string& first : {std::string("\""), std::string("\xE2\x80\xA8")}) {
      for (const std::string& second : {std::string("\x1f"), std::string("\xE2\x80\xA9")}) {
        for (size_t i = 0; i + first.size() <= 40; ++i) {
          for (size_t j = i + first.size(); j + second.size() <= 40; ++j) {
            std::string text = Filler(unit, 40);
            text.replace(i, first.size(), first);
            text.replace(j, second.size(), second);
            ASSERT_TRUE(EscapesLikeTheReference(text)) << i << " " << j;
          }
        }
      }
    }
  }
}

TEST(JsonText, EscapesEveryByteValueAlone) {
  for (int c = 0; c < 256; ++c) {
    const std::string byte(1, static_cast<char>(c));
    EXPECT_TRUE(EscapesLikeTheReference(byte)) << c;
    EXPECT_TRUE(EscapesLikeTheReference(Filler("中文标点", 30) + byte + Filler("ab", 30))) << c;
  }
}

TEST(JsonText, MatchesTheReferenceOnPseudoRandomBytes) {
  // Bytes drawn mostly from the ones the escaper looks at, so hits are dense and varied.
  const unsigned char kPool[] = {'a', ' ', '"', '\\', '\n', 0x01, 0x1f, 0x20, 0x7f, 0x80,
                                 0xA8, 0xA9, 0xE2, 0xE4, 0xB8, 0xAD, 0xFF};
  uint64_t state = 12345;
  for (int round = 0; round < 3000; ++round) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const size_t size = (state >> 33) % 300;
    std::string text;
    for (size_t i = 0; i < size; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      text.push_back(static_cast<char>(kPool[(state >> 33) % sizeof kPool]));
    }
    ASSERT_TRUE(EscapesLikeTheReference(text)) << "round " << round;
  }
}

TEST(JsonText, CopiesLongCleanTextWhole) {
  const std::string text = Filler("这是一段很长的中文“正文”，没有需要转义的字符…", 100000);
  EXPECT_EQ(Fast(text), text);
  EXPECT_EQ(Portable(text), text);
  std::string with_quote = text;
  with_quote[99999] = '"';
  EXPECT_TRUE(EscapesLikeTheReference(with_quote));
}

TEST(JsonText, ReadsNothingPastTheEndOfItsInput) {
  // The bytes after the view would complete U+2028 or be escaped, if they were read.
  const std::pair<std::string, std::string> kEndings[] = {
      {"\xE2", "\x80\xA8"}, {"\xE2\x80", "\xA9"}, {"", "\"\\\n"}};
  for (const char* unit : kFillers) {
    for (const auto& [ending, after] : kEndings) {
      for (size_t size = 0; size <= 40; ++size) {
        const std::string buffer = Filler(unit, size) + ending + after + Filler(unit, 20);
        const std::string_view text(buffer.data(), size + ending.size());
        EXPECT_TRUE(EscapesLikeTheReference(text)) << size << " " << ending.size();
        // The same bytes at the very end of their own allocation, for AddressSanitizer.
        const std::unique_ptr<char[]> exact(new char[text.size()]);
        std::copy(text.begin(), text.end(), exact.get());
        EXPECT_TRUE(EscapesLikeTheReference(std::string_view(exact.get(), text.size())));
      }
    }
  }
}

TEST(JsonText, AppendsAfterWhatIsAlreadyThere) {
  std::string out = "prefix:";
  AppendJsonEscaped("a\"b", &out);
  EXPECT_EQ(out, "prefix:a\\\"b");
  out = "prefix:";
  AppendJsonEscapedPortable("a\"b", &out);
  EXPECT_EQ(out, "prefix:a\\\"b");
}

}  // namespace
}  // namespace winnow

#include "winnow/reader.h"

#include <gtest/gtest.h>
#include <unicode/unistr.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "winnow/diagnostic.h"

namespace winnow {
namespace {

const std::string kReplacement = "\xEF\xBF\xBD";
const std::string kBom = "\xEF\xBB\xBF";

std::string Replacements(size_t count) {
  std::string text;
  for (size_t i = 0; i < count; ++i) text += kReplacement;
  return text;
}

struct ReadOutcome {
  std::vector<std::string> lines;
  std::vector<uint64_t> line_numbers;
  ReaderStats stats;
  bool ok = true;
  std::string error;
};

ReadOutcome ReadAll(ByteSource* source, ReaderOptions options = ReaderOptions()) {
  LineReader reader(source, options);
  ReadOutcome outcome;
  std::string_view line;
  uint64_t line_number = 0;
  while (reader.Next(&line, &line_number)) {
    outcome.lines.emplace_back(line);
    outcome.line_numbers.push_back(line_number);
  }
  outcome.stats = reader.stats();
  outcome.ok = reader.ok();
  outcome.error = reader.error();
  return outcome;
}

ReadOutcome ReadString(std::string input, size_t max_read = SIZE_MAX,
                       ReaderOptions options = ReaderOptions()) {
  std::unique_ptr<ByteSource> source = MakeStringSource(std::move(input), max_read);
  return ReadAll(source.get(), options);
}

ReaderOptions WithChunkBytes(size_t chunk_bytes) {
  ReaderOptions options;
  options.chunk_bytes = chunk_bytes;
  return options;
}

ReaderOptions WithMaxLineBytes(size_t max_line_bytes) {
  ReaderOptions options;
  options.max_line_bytes = max_line_bytes;
  return options;
}

std::string Escape(const std::string& bytes) {
  std::string text;
  for (unsigned char byte : bytes) {
    if (byte >= 0x20 && byte < 0x7F && byte != '\\') {
      text += static_cast<char>(byte);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", byte);
      text += escaped;
    }
  }
  return text;
}

// Everything a read produced, as one string, so a mismatch shows as a readable diff.
std::string Describe(const ReadOutcome& outcome) {
  std::string text;
  for (size_t i = 0; i < outcome.lines.size(); ++i) {
    text += std::to_string(outcome.line_numbers[i]) + ": " + Escape(outcome.lines[i]) + "\n";
  }
  const ReaderStats& stats = outcome.stats;
  text += "bytes=" + std::to_string(stats.bytes) + " lines=" + std::to_string(stats.lines) +
          " invalid=" + std::to_string(stats.invalid_bytes) +
          " has_invalid=" + std::to_string(stats.has_invalid) +
          " first_invalid_offset=" + std::to_string(stats.first_invalid_offset) +
          " first_invalid_line=" + std::to_string(stats.first_invalid_line) +
          " bom=" + std::to_string(stats.had_bom) + " cut=" + std::to_string(stats.lines_cut) +
          " ok=" + std::to_string(outcome.ok) + " error=" + outcome.error;
  return text;
}

using Lines = std::vector<std::string>;
using LineNumbers = std::vector<uint64_t>;

TEST(LineReader, ReturnsNoLinesForEmptyInput) {
  ReadOutcome outcome = ReadString("");
  EXPECT_TRUE(outcome.ok);
  EXPECT_EQ(outcome.lines, Lines{});
  EXPECT_EQ(outcome.stats.lines, 0u);
  EXPECT_EQ(outcome.stats.bytes, 0u);
}

TEST(LineReader, ReturnsOneEmptyLineForLoneNewline) {
  ReadOutcome outcome = ReadString("\n");
  EXPECT_EQ(outcome.lines, Lines{""});
  EXPECT_EQ(outcome.line_numbers, LineNumbers{1});
}

TEST(LineReader, ReturnsFinalLineWithoutNewline) {
  ReadOutcome outcome = ReadString("first\nsecond");
  EXPECT_EQ(outcome.lines, (Lines{"first", "second"}));
  EXPECT_EQ(outcome.line_numbers, (LineNumbers{1, 2}));
  EXPECT_EQ(outcome.stats.lines, 2u);
  EXPECT_EQ(outcome.stats.bytes, 12u);
}

TEST(LineReader, AddsNoLineAfterFinalNewline) {
  ReadOutcome outcome = ReadString("a\n\n");
  EXPECT_EQ(outcome.lines, (Lines{"a", ""}));
  EXPECT_EQ(outcome.line_numbers, (LineNumbers{1, 2}));
}

TEST(LineReader, StripsLeadingBom) {
  ReadOutcome outcome = ReadString(kBom + "hello\nworld\n");
  EXPECT_EQ(outcome.lines, (Lines{"hello", "world"}));
  EXPECT_TRUE(outcome.stats.had_bom);
  EXPECT_EQ(outcome.stats.bytes, 15u);
  EXPECT_EQ(outcome.stats.invalid_bytes, 0u);
}

TEST(LineReader, StripsBomDeliveredOneByteAtATime) {
  ReadOutcome outcome = ReadString(kBom + "hi", /*max_read=*/1, WithChunkBytes(1));
  EXPECT_EQ(outcome.lines, Lines{"hi"});
  EXPECT_TRUE(outcome.stats.had_bom);
}

TEST(LineReader, KeepsBomThatIsNotAtTheStartAsText) {
  ReadOutcome outcome = ReadString("a\n" + kBom + "b");
  EXPECT_EQ(outcome.lines, (Lines{"a", kBom + "b"}));
  EXPECT_FALSE(outcome.stats.had_bom);
}

TEST(LineReader, StripsOnlyTheFirstOfTwoBoms) {
  ReadOutcome outcome = ReadString(kBom + kBom + "x");
  EXPECT_EQ(outcome.lines, Lines{kBom + "x"});
  EXPECT_TRUE(outcome.stats.had_bom);
}

TEST(LineReader, ReturnsNoLinesForInputOfOnlyBom) {
  ReadOutcome outcome = ReadString(kBom);
  EXPECT_EQ(outcome.lines, Lines{});
  EXPECT_TRUE(outcome.stats.had_bom);
  EXPECT_EQ(outcome.stats.bytes, 3u);
}

TEST(LineReader, TreatsTruncatedBomAsOneInvalidSequence) {
  ReadOutcome outcome = ReadString("\xEF\xBB");
  EXPECT_EQ(outcome.lines, Lines{kReplacement});
  EXPECT_FALSE(outcome.stats.had_bom);
  EXPECT_EQ(outcome.stats.invalid_bytes, 1u);
}

TEST(LineReader, TreatsCrLfAsOneLineBreak) {
  ReadOutcome outcome = ReadString("a\r\nb\r\n");
  EXPECT_EQ(outcome.lines, (Lines{"a", "b"}));
  EXPECT_EQ(outcome.line_numbers, (LineNumbers{1, 2}));
}

TEST(LineReader, TreatsLoneCrAsLineBreak) {
  ReadOutcome outcome = ReadString("a\rb\r\rc");
  EXPECT_EQ(outcome.lines, (Lines{"a", "b", "", "c"}));
  EXPECT_EQ(outcome.line_numbers, (LineNumbers{1, 2, 3, 4}));
}

TEST(LineReader, TreatsLfThenCrAsTwoLineBreaks) {
  ReadOutcome outcome = ReadString("a\n\rb");
  EXPECT_EQ(outcome.lines, (Lines{"a", "", "b"}));
}

TEST(LineReader, EndsLineAtCrAtEndOfInput) {
  ReadOutcome outcome = ReadString("a\r");
  EXPECT_EQ(outcome.lines, Lines{"a"});
}

TEST(LineReader, JoinsCrLfSplitAcrossChunks) {
  // "ab\r" fills the first chunk and "\ncd" starts the next.
  ReadOutcome outcome = ReadString("ab\r\ncd", SIZE_MAX, WithChunkBytes(3));
  EXPECT_EQ(outcome.lines, (Lines{"ab", "cd"}));
  EXPECT_EQ(outcome.line_numbers, (LineNumbers{1, 2}));
}

TEST(LineReader, JoinsCrLfSplitAcrossEveryReadSize) {
  for (size_t max_read = 1; max_read <= 7; ++max_read) {
    SCOPED_TRACE("max_read=" + std::to_string(max_read));
    ReadOutcome outcome = ReadString("x\r\ny\r\n\r\nz\r", max_read, WithChunkBytes(max_read));
    EXPECT_EQ(outcome.lines, (Lines{"x", "y", "", "z"}));
    EXPECT_EQ(outcome.line_numbers, (LineNumbers{1, 2, 3, 4}));
  }
}

TEST(LineReader, ReplacesOverlongsWithOneReplacementPerByte) {
  EXPECT_EQ(ReadString("\xC0\x80").lines, Lines{Replacements(2)});
  EXPECT_EQ(ReadString("\xC1\xBF").lines, Lines{Replacements(2)});
  EXPECT_EQ(ReadString("\xE0\x80\xAF").lines, Lines{Replacements(3)});
  ReadOutcome outcome = ReadString("\xF0\x80\x80\xAF");
  EXPECT_EQ(outcome.lines, Lines{Replacements(4)});
  EXPECT_EQ(outcome.stats.invalid_bytes, 4u);
}

TEST(LineReader, ReplacesSurrogatesWithOneReplacementPerByte) {
  ReadOutcome outcome = ReadString("\xED\xA0\x80|\xED\xBF\xBF");
  EXPECT_EQ(outcome.lines, Lines{Replacements(3) + "|" + Replacements(3)});
  EXPECT_EQ(outcome.stats.invalid_bytes, 6u);
}

TEST(LineReader, ReplacesCodePointAboveU10FFFFWithOneReplacementPerByte) {
  ReadOutcome outcome = ReadString("\xF4\x90\x80\x80");
  EXPECT_EQ(outcome.lines, Lines{Replacements(4)});
}

TEST(LineReader, ReplacesTruncatedSequenceOnce) {
  ReadOutcome outcome = ReadString("a\xE4\xB8" "b\n\xE4\xB8\nx\xF0\x9F\x98");
  EXPECT_EQ(outcome.lines, (Lines{"a" + kReplacement + "b", kReplacement, "x" + kReplacement}));
  EXPECT_EQ(outcome.stats.invalid_bytes, 3u);
}

TEST(LineReader, ReplacesEachByteFromF5ToFF) {
  std::string input;
  for (int byte = 0xF5; byte <= 0xFF; ++byte) input += static_cast<char>(byte);
  ReadOutcome outcome = ReadString(input);
  EXPECT_EQ(outcome.lines, Lines{Replacements(11)});
  EXPECT_EQ(outcome.stats.invalid_bytes, 11u);
}

TEST(LineReader, KeepsValidMultibyteTextIncludingFourByteEmoji) {
  const std::string text = "\xF0\x9F\x98\x80 ok \xE4\xB8\xAD\xE6\x96\x87 \xC3\xA9";
  ReadOutcome outcome = ReadString(text + "\n");
  EXPECT_EQ(outcome.lines, Lines{text});
  EXPECT_EQ(outcome.stats.invalid_bytes, 0u);
  EXPECT_FALSE(outcome.stats.has_invalid);
}

TEST(LineReader, ReplacesSequenceInterruptedByLongAsciiRun) {
  // The lead byte ends one 16-byte block and the continuation byte follows a whole block of
  // ASCII, so a validator that skips ASCII blocks mid-sequence would pass this as valid.
  const std::string input = "abcdefghijklmno\xC3" + std::string(16, 'y') + "\xA9";
  ReadOutcome outcome = ReadString(input);
  EXPECT_EQ(outcome.lines,
            Lines{"abcdefghijklmno" + kReplacement + std::string(16, 'y') + kReplacement});
  EXPECT_EQ(outcome.stats.invalid_bytes, 2u);
  EXPECT_EQ(outcome.stats.first_invalid_offset, 15u);
}

// ICU's UTF-8 decoder also gives one U+FFFD per maximal subpart, and shares no code with ours.
std::string DecodeWithIcu(const std::string& bytes) {
  std::string text;
  icu::UnicodeString::fromUTF8(bytes).toUTF8String(text);
  return text;
}

TEST(LineReader, MatchesIcuOnEveryFourByteMixOfBoundaryBytes) {
  // The ends of every range in Unicode Table 3-7, plus ASCII.
  const unsigned char boundary_bytes[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                          0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE,
                                          0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
  std::string input;
  size_t line_count = 0;
  for (unsigned char a : boundary_bytes) {
    for (unsigned char b : boundary_bytes) {
      for (unsigned char c : boundary_bytes) {
        for (unsigned char d : boundary_bytes) {
          const size_t shift = line_count % 17;
          // Whole, and split by 16 bytes of ASCII, at every alignment to 16 bytes; with a
          // 14-byte prefix the ASCII is exactly one block of the validator's fast path.
          input.append(shift, 'x');
          input += {static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                    static_cast<char>(d)};
          input.append(shift, 'y');
          input += '\n';
          input.append(shift, 'x');
          input += {static_cast<char>(a), static_cast<char>(b)};
          input.append(16, 'y');
          input += {static_cast<char>(c), static_cast<char>(d), '\n'};
          line_count += 2;
        }
      }
    }
  }
  // '\n' is ASCII, so it ends any invalid subpart: decoding the whole input at once gives
  // every line's expected text.
  const std::string expected_text = DecodeWithIcu(input);

  std::unique_ptr<ByteSource> source = MakeStringSource(input);
  LineReader reader(source.get());
  std::string_view line;
  uint64_t line_number = 0;
  size_t raw_start = 0;
  size_t expected_start = 0;
  size_t mismatches = 0;
  while (reader.Next(&line, &line_number) && mismatches < 5) {
    const size_t raw_end = input.find('\n', raw_start);
    const size_t expected_end = expected_text.find('\n', expected_start);
    ASSERT_NE(expected_end, std::string::npos);
    const std::string_view expected(expected_text.data() + expected_start,
                                    expected_end - expected_start);
    if (line != expected) {
      ++mismatches;
      ADD_FAILURE() << "line " << line_number
                    << " raw=" << Escape(input.substr(raw_start, raw_end - raw_start))
                    << "\n  got      " << Escape(std::string(line))
                    << "\n  expected " << Escape(std::string(expected));
    }
    raw_start = raw_end + 1;
    expected_start = expected_end + 1;
  }
  if (mismatches == 0) {
    EXPECT_EQ(reader.stats().lines, line_count);
  }
}

TEST(LineReader, RecordsFirstInvalidOffsetCountingBomAndLine) {
  ReadOutcome outcome = ReadString(kBom + "ok\nx\xFFy\n\xFE\n");
  EXPECT_EQ(outcome.lines, (Lines{"ok", "x" + kReplacement + "y", kReplacement}));
  EXPECT_EQ(outcome.stats.invalid_bytes, 2u);
  EXPECT_TRUE(outcome.stats.has_invalid);
  EXPECT_EQ(outcome.stats.first_invalid_offset, 7u);
  EXPECT_EQ(outcome.stats.first_invalid_line, 2u);
}

TEST(LineReader, ReplacesInvalidSequencesSplitAcrossChunksAsIfUnsplit) {
  const std::string input = "ab\xE4\xB8\xFF\xED\xA0\x80\xF0\x9F\x98\x80\n\xE4\xB8\xAD\xC0\n";
  const Lines expected = {"ab" + Replacements(5) + "\xF0\x9F\x98\x80",
                          "\xE4\xB8\xAD" + kReplacement};
  for (size_t max_read = 1; max_read <= 7; ++max_read) {
    SCOPED_TRACE("max_read=" + std::to_string(max_read));
    ReadOutcome outcome = ReadString(input, max_read, WithChunkBytes(max_read));
    EXPECT_EQ(outcome.lines, expected);
    EXPECT_EQ(outcome.stats.invalid_bytes, 6u);
    EXPECT_EQ(outcome.stats.first_invalid_offset, 2u);
    EXPECT_EQ(outcome.stats.first_invalid_line, 1u);
  }
}

TEST(LineReader, CutsLongLineIntoPiecesWithTheSameLineNumber) {
  ReadOutcome outcome = ReadString("abcdefghij\nk", SIZE_MAX, WithMaxLineBytes(4));
  EXPECT_EQ(outcome.lines, (Lines{"abcd", "efgh", "ij", "k"}));
  EXPECT_EQ(outcome.line_numbers, (LineNumbers{1, 1, 1, 2}));
  EXPECT_EQ(outcome.stats.lines_cut, 2u);
  EXPECT_EQ(outcome.stats.lines, 4u);
}

TEST(LineReader, CountsLongLinesApartFromCuts) {
  ReadOutcome outcome = ReadString("abcdefghij\nk\nlmnopq\nr", SIZE_MAX, WithMaxLineBytes(4));
  EXPECT_EQ(outcome.lines, (Lines{"abcd", "efgh", "ij", "k", "lmno", "pq", "r"}));
  EXPECT_EQ(outcome.stats.lines_cut, 3u);
  EXPECT_EQ(outcome.stats.long_lines, 2u);
  EXPECT_EQ(DescribeCutLines(2, 3, 4), "2 overlong lines cut at 4 bytes (3 cuts)");
  EXPECT_EQ(DescribeCutLines(1, 1, 4), "1 overlong line cut at 4 bytes");
}

TEST(LineReader, CutsLongLineAtUtf8CharacterBoundary) {
  ReadOutcome outcome =
      ReadString("ab\xE4\xB8\xAD\xE6\x96\x87", SIZE_MAX, WithMaxLineBytes(4));
  EXPECT_EQ(outcome.lines, (Lines{"ab", "\xE4\xB8\xAD", "\xE6\x96\x87"}));
  EXPECT_EQ(outcome.stats.lines_cut, 2u);
  EXPECT_EQ(outcome.stats.invalid_bytes, 0u);
}

TEST(LineReader, KeepsLineOfExactlyMaxLineBytesWhole) {
  ReadOutcome outcome = ReadString("abcd\r\nefgh", SIZE_MAX, WithMaxLineBytes(4));
  EXPECT_EQ(outcome.lines, (Lines{"abcd", "efgh"}));
  EXPECT_EQ(outcome.stats.lines_cut, 0u);
}

TEST(LineReader, CountsReplacementBytesAgainstMaxLineBytes) {
  ReadOutcome outcome = ReadString("\xFF\xFF\xFF\n", SIZE_MAX, WithMaxLineBytes(7));
  EXPECT_EQ(outcome.lines, (Lines{Replacements(2), Replacements(1)}));
  EXPECT_EQ(outcome.line_numbers, (LineNumbers{1, 1}));
  EXPECT_EQ(outcome.stats.lines_cut, 1u);
  EXPECT_EQ(outcome.stats.invalid_bytes, 3u);
}

TEST(LineReader, TreatsMaxLineBytesBelowFourAsFour) {
  const std::string emoji = "\xF0\x9F\x98\x80";
  ReadOutcome outcome = ReadString(emoji + emoji, SIZE_MAX, WithMaxLineBytes(1));
  EXPECT_EQ(outcome.lines, (Lines{emoji, emoji}));
  EXPECT_EQ(outcome.stats.lines_cut, 1u);
}

TEST(LineReader, TreatsSizeMaxAsNoLineLimit) {
  ReadOutcome outcome =
      ReadString(std::string(100, 'z') + "\nz", 7, WithMaxLineBytes(SIZE_MAX));
  EXPECT_EQ(outcome.lines, (Lines{std::string(100, 'z'), "z"}));
  EXPECT_EQ(outcome.stats.lines_cut, 0u);
}

TEST(LineReader, CutsLineThatSpansManyChunks) {
  ReaderOptions options;
  options.chunk_bytes = 64;
  options.max_line_bytes = 1000;
  ReadOutcome outcome = ReadString(std::string(10000, 'x') + "\ny", 50, options);
  ASSERT_EQ(outcome.lines.size(), 11u);
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(outcome.lines[i], std::string(1000, 'x'));
    EXPECT_EQ(outcome.line_numbers[i], 1u);
  }
  EXPECT_EQ(outcome.lines[10], "y");
  EXPECT_EQ(outcome.line_numbers[10], 2u);
  EXPECT_EQ(outcome.stats.lines_cut, 9u);
}

TEST(LineReader, ReadsLinesLongerThanAChunkWhole) {
  const std::string long_line(300, 'q');
  ReadOutcome outcome = ReadString(long_line + "\r\n" + long_line, 7, WithChunkBytes(16));
  EXPECT_EQ(outcome.lines, (Lines{long_line, long_line}));
  EXPECT_EQ(outcome.stats.lines_cut, 0u);
  EXPECT_EQ(outcome.stats.bytes, 602u);
}

// Returns `data` on the first Read, then fails.
class FailingSource : public ByteSource {
 public:
  explicit FailingSource(std::string data) : data_(std::move(data)) {}
  long Read(char* buffer, size_t size) override {
    if (served_ || size < data_.size()) return -1;
    served_ = true;
    data_.copy(buffer, data_.size());
    return static_cast<long>(data_.size());
  }
  std::string error() const override { return "Input/output error"; }

 private:
  std::string data_;
  bool served_ = false;
};

TEST(LineReader, StopsWithSourceErrorAfterLinesReadBeforeIt) {
  FailingSource source("a\nb");
  LineReader reader(&source);
  std::string_view line;
  uint64_t line_number = 0;
  ASSERT_TRUE(reader.Next(&line, &line_number));
  EXPECT_EQ(line, "a");
  EXPECT_FALSE(reader.Next(&line, &line_number));
  EXPECT_FALSE(reader.ok());
  EXPECT_EQ(reader.error(), "Input/output error");
  EXPECT_FALSE(reader.Next(&line, &line_number));
}

// One line splitter written the obvious way, to check the reader against.
Lines SplitNaively(std::string input) {
  if (input.compare(0, kBom.size(), kBom) == 0) input.erase(0, kBom.size());
  Lines lines;
  std::string raw;
  bool in_line = false;
  for (size_t i = 0; i < input.size(); ++i) {
    const char byte = input[i];
    if (byte == '\n' || byte == '\r') {
      std::string text;
      AppendValidUtf8(raw, &text, nullptr);
      lines.push_back(text);
      raw.clear();
      in_line = false;
      if (byte == '\r' && i + 1 < input.size() && input[i + 1] == '\n') ++i;
    } else {
      raw += byte;
      in_line = true;
    }
  }
  if (in_line) {
    std::string text;
    AppendValidUtf8(raw, &text, nullptr);
    lines.push_back(text);
  }
  return lines;
}

std::vector<std::string> TrickyInputs() {
  std::vector<std::string> inputs = {
      "",  "\n", "\r", "\r\n", "\n\r", kBom, kBom + "\r\n", "a\r\r\n\n\rb",
      "\xE4\xB8\xAD\r\n\xE4\xB8", "\xF0\x9F\x98\x80\xF0\x9F\x98", "\xED\xA0\x80\xC0\x80\xFF\r",
      "x\xEF\xBB\xBF\xEF\xBB", std::string(40, 'a') + "\xFF" + std::string(40, 'b'),
  };
  // Random mixes of the pieces that make reading hard, from a fixed seed so failures repeat.
  const std::vector<std::string> pieces = {
      "a", "bc", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\xC3\xA9", "\r", "\n", "\r\n", kBom,
      "\xFF", "\xE4\xB8", "\xED\xA0\x80", "\xC0\x80", "\xF0\x9F", "\x80", "\xF4\x90"};
  std::mt19937 random(20240611);
  for (int i = 0; i < 200; ++i) {
    std::string input;
    const size_t count = random() % 40;
    for (size_t j = 0; j < count; ++j) input += pieces[random() % pieces.size()];
    inputs.push_back(input);
  }
  return inputs;
}

TEST(LineReader, MatchesNaiveSplitOfWholeInput) {
  for (const std::string& input : TrickyInputs()) {
    SCOPED_TRACE("input=" + Escape(input));
    EXPECT_EQ(ReadString(input).lines, SplitNaively(input));
  }
}

TEST(LineReader, GivesSameResultForEveryReadAndChunkSize) {
  for (const std::string& input : TrickyInputs()) {
    for (size_t max_line_bytes : {size_t{16} * 1024 * 1024, size_t{5}, size_t{9}}) {
      ReaderOptions whole_options;
      whole_options.max_line_bytes = max_line_bytes;
      const std::string whole = Describe(ReadString(input, SIZE_MAX, whole_options));
      for (size_t max_read = 1; max_read <= 7; ++max_read) {
        for (size_t chunk_bytes : {1, 2, 3, 5, 7, 64}) {
          SCOPED_TRACE("input=" + Escape(input) + " max_line_bytes=" +
                       std::to_string(max_line_bytes) + " max_read=" +
                       std::to_string(max_read) + " chunk_bytes=" + std::to_string(chunk_bytes));
          ReaderOptions options = whole_options;
          options.chunk_bytes = chunk_bytes;
          ASSERT_EQ(Describe(ReadString(input, max_read, options)), whole);
        }
      }
    }
  }
}

// A source that lends its bytes is read in place; the lines and counts must not change,
// whatever the pieces it lends (a BOM, a CRLF or a sequence split between them included).
TEST(LineReader, GivesSameResultForLentBytesAsForCopiedOnes) {
  std::vector<std::string> inputs = TrickyInputs();
  inputs.push_back(kBom + "a\r\nb\xE4\xB8\xAD\rc\xFF\n");
  inputs.push_back("ab");
  for (const std::string& input : inputs) {
    for (size_t max_line_bytes : {size_t{16} * 1024 * 1024, size_t{5}}) {
      ReaderOptions options;
      options.max_line_bytes = max_line_bytes;
      const std::string copied = Describe(ReadString(input, SIZE_MAX, options));
      for (size_t max_lend : {1, 2, 3, 4, 7, 64}) {
        SCOPED_TRACE("input=" + Escape(input) + " max_line_bytes=" +
                     std::to_string(max_line_bytes) + " max_lend=" + std::to_string(max_lend));
        std::unique_ptr<ByteSource> source = MakeLendingStringSource(input, max_lend);
        ASSERT_EQ(Describe(ReadAll(source.get(), options)), copied);
      }
    }
  }
}

// Lines that put each case the vector scan treats apart (plain leads, the leads whose second
// byte is narrowed, four-byte sequences, and ill-formed bytes of every kind) at every offset
// of its 16-byte blocks, after Han text, ASCII or both, with the line's end right after it
// or a little later, and every line terminator.
// Whether two Describe() strings are equal, showing only the first line where they differ:
// gtest's own diff of descriptions this long takes minutes.
::testing::AssertionResult SameDescription(const std::string& got, const std::string& want) {
  if (got == want) return ::testing::AssertionSuccess();
  size_t at = 0;
  size_t line = 1;
  while (at < got.size() && at < want.size() && got[at] == want[at]) {
    if (got[at++] == '\n') ++line;
  }
  const auto line_at = [](const std::string& text, size_t offset) {
    const size_t start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    const size_t from = start == std::string::npos || offset == 0 ? 0 : start + 1;
    return text.substr(from, text.find('\n', from) - from);
  };
  return ::testing::AssertionFailure() << "description line " << line << " differs:\n  got:  "
                                       << line_at(got, at) << "\n  want: " << line_at(want, at);
}

std::string BlockEdgeInput() {
  const std::vector<std::string> cases = {
      // well-formed: plain leads, then the narrowed ones at the ends of their ranges
      "\xE4\xB8\xAD", "\xC3\xA9", "\xEF\xBC\x8C", "\xEF\xBF\xBD", "\xE1\x80\x80", "\xEC\xBF\xBF",
      "\xEE\x80\x80", "\xDF\xBF", "\xC2\x80", "\xE0\xA0\x80", "\xED\x9F\xBF",
      "\xF0\x90\x80\x80", "\xF0\x9F\x98\x80", "\xF3\xBF\xBF\xBF", "\xF4\x8F\xBF\xBF",
      // overlongs, surrogates, past U+10FFFF, bytes that never occur
      "\xC0\xAF", "\xC1\xBF", "\xE0\x9F\xBF", "\xE0\x80\x80", "\xED\xA0\x80", "\xED\xBF\xBF",
      "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xFE",
      // lone continuations, cut sequences, a continuation too many
      "\x80", "\xBF", "\x80\x80\x80", "\xE4", "\xE4\xB8", "\xC3", "\xF0\x9F", "\xF0\x9F\x98",
      "\xE4\xB8\xAD\xAD", "\xC3\xA9\xA9", "\xE4\xB8\xE4\xB8\xAD", "\xE4\x41\x41",
  };
  const std::vector<std::string> fillers = {"a", "\xE4\xB8\xAD", "a\xE4\xB8\xAD", "\xC3\xA9"};
  const std::vector<std::string> ends = {"", "z", "\xE4\xB8\xAD", "xyz\xE6\x96\x87",
                                         std::string(17, 'w')};
  const std::vector<std::string> terminators = {"\n", "\r\n", "\r"};
  std::string input;
  size_t count = 0;
  for (const std::string& filler : fillers) {
    for (const std::string& hard : cases) {
      for (size_t before = 0; before < 36; ++before) {
        std::string prefix;
        while (prefix.size() < before) prefix += filler;
        for (const std::string& end : ends) {
          input += prefix + hard + end + terminators[count++ % terminators.size()];
        }
      }
    }
  }
  return input;
}

TEST(LineReader, VectorScanMatchesPortablePathAtEveryBlockOffset) {
  const std::string input = BlockEdgeInput();
  ReaderOptions portable;
  portable.vector_scan = false;
  const ReadOutcome expected = ReadString(input, SIZE_MAX, portable);
  EXPECT_EQ(expected.lines, SplitNaively(input));
  EXPECT_GT(expected.stats.invalid_bytes, 10000u);
  EXPECT_TRUE(SameDescription(Describe(ReadString(input)), Describe(expected)));
  // Chunks and reads that cut lines, and sequences, at every offset: the cut-off part of a
  // line is decoded from the carry, the rest by the scan.
  for (size_t chunk_bytes : {15, 16, 17, 31, 33, 64, 1000}) {
    for (size_t max_read : {size_t{7}, size_t{16}, SIZE_MAX}) {
      SCOPED_TRACE("chunk_bytes=" + std::to_string(chunk_bytes) +
                   " max_read=" + std::to_string(max_read));
      ReaderOptions options;
      options.chunk_bytes = chunk_bytes;
      portable.chunk_bytes = chunk_bytes;
      const std::string want = Describe(ReadString(input, max_read, portable));
      ASSERT_TRUE(SameDescription(Describe(ReadString(input, max_read, options)), want));
      ASSERT_TRUE(SameDescription(want, Describe(expected)));
    }
  }
}

TEST(LineReader, VectorScanMatchesPortablePathWhenCuttingLongLines) {
  // A cut leaves the rest of the line to the check in DecodePiece, not to the scan.
  const std::string input = BlockEdgeInput();
  for (size_t max_line_bytes : {size_t{5}, size_t{16}, size_t{40}}) {
    SCOPED_TRACE("max_line_bytes=" + std::to_string(max_line_bytes));
    ReaderOptions options = WithMaxLineBytes(max_line_bytes);
    ReaderOptions portable = options;
    portable.vector_scan = false;
    ASSERT_TRUE(SameDescription(Describe(ReadString(input, SIZE_MAX, options)),
                                Describe(ReadString(input, SIZE_MAX, portable))));
  }
}

// A lent buffer is far longer than the stretch the vector scan checks in one go, so its lines
// (valid or not) cross the ends of those stretches and of the lent pieces.
TEST(LineReader, VectorScanMatchesPortablePathOnLentBuffers) {
  const std::string input = BlockEdgeInput();
  ASSERT_GT(input.size(), size_t{4} * 64 * 1024);
  ReaderOptions portable;
  portable.vector_scan = false;
  const std::string expected = Describe(ReadString(input, SIZE_MAX, portable));
  for (size_t max_lend : {SIZE_MAX, size_t{100000}, size_t{65537}}) {
    SCOPED_TRACE("max_lend=" + std::to_string(max_lend));
    std::unique_ptr<ByteSource> source = MakeLendingStringSource(input, max_lend);
    ASSERT_TRUE(SameDescription(Describe(ReadAll(source.get())), expected));
  }
}

// Every pair of bytes, and every lead of three and four bytes with every second byte, each
// at a shifting offset in its line, so that each pair the vector check looks up meets it on
// both sides of a block edge: the lines and their repairs must be the portable path's.
TEST(LineReader, VectorScanMatchesPortablePathOnEveryBytePair) {
  std::string input;
  size_t shift = 0;
  const auto add = [&input, &shift](const std::string& bytes) {
    input += std::string(shift++ % 37, 'a') + bytes + "z\n";
  };
  for (int first = 0; first < 256; ++first) {
    for (int second = 0; second < 256; ++second) {
      if (first == '\n' || first == '\r' || second == '\n' || second == '\r') continue;
      add({static_cast<char>(first), static_cast<char>(second)});
    }
  }
  for (int lead = 0xE0; lead <= 0xF7; ++lead) {
    for (int second = 0x00; second < 256; ++second) {
      if (second == '\n' || second == '\r') continue;
      for (const char* rest : {"\x80", "\xBF", "A", "\x80\x80", "\xBF\xBF", "\x80" "A"}) {
        add(std::string{static_cast<char>(lead), static_cast<char>(second)} + rest);
      }
    }
  }
  ReaderOptions portable;
  portable.vector_scan = false;
  const ReadOutcome expected = ReadString(input, SIZE_MAX, portable);
  EXPECT_GT(expected.stats.invalid_bytes, 50000u);
  EXPECT_TRUE(SameDescription(Describe(ReadString(input)), Describe(expected)));
}

TEST(LineReader, VectorScanMatchesPortablePathOnRandomMixes) {
  for (const std::string& input : TrickyInputs()) {
    SCOPED_TRACE("input=" + Escape(input));
    ReaderOptions portable;
    portable.vector_scan = false;
    // Repeated so that the lines reach past the 16-byte blocks.
    const std::string longer = input + input + input + input;
    ASSERT_EQ(Describe(ReadString(longer)), Describe(ReadString(longer, SIZE_MAX, portable)));
  }
}

TEST(OpenFileSource, ReportsMissingFile) {
  std::string error;
  std::unique_ptr<ByteSource> source =
      OpenFileSource(::testing::TempDir() + "winnow-reader-test-no-such-file", &error);
  EXPECT_EQ(source, nullptr);
  EXPECT_EQ(error, "No such file or directory");
}

TEST(OpenFileSource, ReportsDirectory) {
  std::string error;
  std::unique_ptr<ByteSource> source = OpenFileSource(::testing::TempDir(), &error);
  EXPECT_EQ(source, nullptr);
  EXPECT_EQ(error, "Is a directory");
}

TEST(OpenFileSource, ReadsFileContents) {
  std::string path = ::testing::TempDir() + "winnow-reader-test-XXXXXX";
  const int fd = ::mkstemp(path.data());
  ASSERT_GE(fd, 0);
  const std::string contents = kBom + "one\r\ntwo\xFF";
  ASSERT_EQ(::write(fd, contents.data(), contents.size()),
            static_cast<ssize_t>(contents.size()));
  ::close(fd);

  std::string error;
  std::unique_ptr<ByteSource> source = OpenFileSource(path, &error);
  ASSERT_NE(source, nullptr) << error;
  ReadOutcome outcome = ReadAll(source.get(), WithChunkBytes(4));
  ::unlink(path.c_str());
  EXPECT_TRUE(outcome.ok);
  EXPECT_EQ(outcome.lines, (Lines{"one", "two" + kReplacement}));
  EXPECT_TRUE(outcome.stats.had_bom);
  EXPECT_EQ(outcome.stats.bytes, 12u);
  EXPECT_EQ(outcome.stats.first_invalid_offset, 11u);
}

TEST(MakeStringSource, ReadsAtMostMaxReadBytesPerCall) {
  std::unique_ptr<ByteSource> source = MakeStringSource("hello", 2);
  char buffer[16];
  EXPECT_EQ(source->Read(buffer, sizeof buffer), 2);
  EXPECT_EQ(std::string(buffer, 2), "he");
  EXPECT_EQ(source->Read(buffer, 1), 1);
  EXPECT_EQ(source->Read(buffer, sizeof buffer), 2);
  EXPECT_EQ(std::string(buffer, 2), "lo");
  EXPECT_EQ(source->Read(buffer, sizeof buffer), 0);
}

TEST(AppendValidUtf8, LeavesValidTextAndFirstBadUntouched) {
  std::string out;
  size_t first_bad = 99;
  const std::string text = "plain \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80";
  EXPECT_EQ(AppendValidUtf8(text, &out, &first_bad), 0u);
  EXPECT_EQ(out, text);
  EXPECT_EQ(first_bad, 99u);
}

TEST(AppendValidUtf8, AppendsToExistingOutput) {
  std::string out = "kept:";
  size_t first_bad = 0;
  EXPECT_EQ(AppendValidUtf8("a\xFF", &out, &first_bad), 1u);
  EXPECT_EQ(out, "kept:a" + kReplacement);
  EXPECT_EQ(first_bad, 1u);
}

TEST(AppendValidUtf8, ReturnsZeroForEmptyInput) {
  std::string out;
  EXPECT_EQ(AppendValidUtf8("", &out, nullptr), 0u);
  EXPECT_EQ(out, "");
}

// The example of Unicode 15, section 3.9, Table 3-8 ("U+FFFD for maximal subparts").
TEST(AppendValidUtf8, ReplacesMaximalSubpartsAsUnicodeTable3_8) {
  std::string out;
  size_t first_bad = 0;
  EXPECT_EQ(AppendValidUtf8("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", &out,
                            &first_bad),
            6u);
  EXPECT_EQ(out, "a" + Replacements(3) + "b" + Replacements(1) + "c" + Replacements(2) + "d");
  EXPECT_EQ(first_bad, 1u);
}

TEST(AppendValidUtf8, ReplacesStrayContinuationBytesOneEach) {
  std::string out;
  EXPECT_EQ(AppendValidUtf8("\x80\xBF\x80", &out, nullptr), 3u);
  EXPECT_EQ(out, Replacements(3));
}

TEST(AppendValidUtf8, ReplacesTruncatedFourByteSequenceOnce) {
  std::string out;
  EXPECT_EQ(AppendValidUtf8("\xF0\x9F\x98", &out, nullptr), 1u);
  EXPECT_EQ(out, kReplacement);
}

TEST(AppendValidUtf8, FindsInvalidByteAfterLongAsciiRun) {
  std::string out;
  size_t first_bad = 0;
  const std::string input = std::string(40, 'a') + "\xFF" + std::string(33, 'b') + "\xC3";
  EXPECT_EQ(AppendValidUtf8(input, &out, &first_bad), 2u);
  EXPECT_EQ(out, std::string(40, 'a') + kReplacement + std::string(33, 'b') + kReplacement);
  EXPECT_EQ(first_bad, 40u);
}

Diagnostic MakeDiagnostic(Severity severity, uint64_t line, bool has_offset, uint64_t offset) {
  Diagnostic diagnostic;
  diagnostic.severity = severity;
  diagnostic.file = "pages/a.txt";
  diagnostic.line = line;
  diagnostic.has_offset = has_offset;
  diagnostic.byte_offset = offset;
  diagnostic.message = "invalid UTF-8 replaced";
  return diagnostic;
}

TEST(FormatDiagnostic, NamesFileAndLine) {
  EXPECT_EQ(FormatDiagnostic(MakeDiagnostic(Severity::kWarning, 12, false, 0)),
            "pages/a.txt:12: warning: invalid UTF-8 replaced");
}

TEST(FormatDiagnostic, NamesByteOffsetWhenThereIsNoLine) {
  EXPECT_EQ(FormatDiagnostic(MakeDiagnostic(Severity::kWarning, 0, true, 0)),
            "pages/a.txt: byte 0: warning: invalid UTF-8 replaced");
}

TEST(FormatDiagnostic, NamesLineThenByteOffsetWhenBothAreKnown) {
  EXPECT_EQ(FormatDiagnostic(MakeDiagnostic(Severity::kWarning, 3, true, 417)),
            "pages/a.txt:3: byte 417: warning: invalid UTF-8 replaced");
}

TEST(FormatDiagnostic, NamesOnlyFileWhenNoPlaceIsKnown) {
  EXPECT_EQ(FormatDiagnostic(MakeDiagnostic(Severity::kWarning, 0, false, 0)),
            "pages/a.txt: warning: invalid UTF-8 replaced");
}

TEST(FormatDiagnostic, SpellsEachSeverity) {
  EXPECT_EQ(FormatDiagnostic(MakeDiagnostic(Severity::kNote, 0, false, 0)),
            "pages/a.txt: note: invalid UTF-8 replaced");
  EXPECT_EQ(FormatDiagnostic(MakeDiagnostic(Severity::kError, 0, false, 0)),
            "pages/a.txt: error: invalid UTF-8 replaced");
}

}  // namespace
}  // namespace winnow

#include "winnow/encoding.h"

#include <gtest/gtest.h>
#include <unicode/ucnv.h>

#include <string>

namespace winnow {
namespace {

/// `utf8` in the encoding `to`, made with ICU (as iconv would).
std::string Encode(const std::string& utf8, const char* to) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 16, '\0');
  const int32_t n = ucnv_convert(to, "UTF-8", &out[0], static_cast<int32_t>(out.size()),
                                 utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string ReadAll(ByteSource* source) {
  std::string text;
  char buffer[5];  // small, so characters are cut across reads
  long n;
  while ((n = source->Read(buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
  EXPECT_EQ(n, 0) << source->error();
  return text;
}

const std::string kSimplified =
    "当前位置：首页 > 数据库 > 正文\n\nRedis 持久化机制：RDB 与 AOF 该怎么选\n\n"
    "Redis 是内存数据库，一旦服务重启，内存里的数据就全部没了。为了避免这种情况，Redis "
    "提供了两种持久化方式：RDB 快照和 AOF 日志。本文整理两者的原理、优缺点以及实务上的设定建议。\n"
    "相关文章\n";
const std::string kTraditional =
    "當前位置：首頁 > 資料庫 > 正文\n\nRedis 持久化機制：RDB 與 AOF 該怎麼選\n\n"
    "Redis 是記憶體資料庫，一旦服務重啟，記憶體裡的資料就全部沒了。為了避免這種情況，Redis "
    "提供了兩種持久化方式：RDB 快照和 AOF 日誌。本文整理兩者的原理、優缺點以及實務上的設定建議。\n"
    "相關文章\n";

TEST(GuessEncoding, ValidUtf8IsUtf8) {
  const EncodingGuess guess = GuessEncoding(kSimplified, true);
  EXPECT_EQ(guess.encoding, "UTF-8");
  EXPECT_EQ(guess.basis, EncodingBasis::kUtf8);
  EXPECT_FALSE(guess.binary);
}

TEST(GuessEncoding, Utf8CutAtTheEndOfTheFirstChunkIsStillUtf8) {
  const std::string head = kSimplified.substr(0, kSimplified.find("首") + 1);
  EXPECT_EQ(GuessEncoding(head, false).basis, EncodingBasis::kUtf8);
}

TEST(GuessEncoding, AFewDamagedBytesStayUtf8) {
  std::string damaged = kSimplified;
  damaged[damaged.find("内") + 1] = 'x';
  EXPECT_EQ(GuessEncoding(damaged, true).encoding, "UTF-8");
}

// A lone bad byte in ASCII text is no sign of another encoding (the charset detector had
// called `ab\xFFcd` Shift_JIS).
TEST(GuessEncoding, ALoneBadByteInAsciiStaysUtf8) {
  EXPECT_EQ(GuessEncoding("ab\xFF" "cd\n", true).basis, EncodingBasis::kUtf8);
  EXPECT_EQ(GuessEncoding("ab\xFF" "cd\xFE" "ef\xFD\n", true).encoding, "UTF-8");
}

TEST(GuessEncoding, Boms) {
  EXPECT_EQ(GuessEncoding("\xEF\xBB\xBFok", true).basis, EncodingBasis::kBom);
  EXPECT_EQ(GuessEncoding("\xFF\xFEo\0k\0", true).encoding, "UTF-16LE");
  EXPECT_EQ(GuessEncoding("\xFE\xFF\0o\0k", true).encoding, "UTF-16BE");
}

TEST(GuessEncoding, Utf16WithoutBom) {
  EXPECT_EQ(GuessEncoding(Encode(kSimplified, "UTF-16LE"), true).encoding, "UTF-16LE");
  EXPECT_EQ(GuessEncoding(Encode(kTraditional, "UTF-16BE"), true).encoding, "UTF-16BE");
}

TEST(GuessEncoding, Gb18030AndBig5) {
  const EncodingGuess gb = GuessEncoding(Encode(kSimplified, "GB18030"), true);
  EXPECT_EQ(gb.encoding, "GB18030");
  EXPECT_EQ(gb.basis, EncodingBasis::kDetected);
  EXPECT_EQ(GuessEncoding(Encode(kSimplified, "GBK"), true).encoding, "GB18030");
  EXPECT_EQ(GuessEncoding(Encode(kTraditional, "Big5"), true).encoding, "Big5");
}

TEST(GuessEncoding, BinaryByNulOrControlDensity) {
  EXPECT_TRUE(GuessEncoding(std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16), true)
                  .binary);
  EXPECT_TRUE(LooksBinary("ab\x01\x02\x03\x04\x05\x06xyz"));
  EXPECT_FALSE(LooksBinary("line\tone\r\n\x1b[31mred\x1b[0m\n\f"));
}

TEST(CanonicalEncodingName, KnownAndUnknownNames) {
  std::string error;
  EXPECT_EQ(CanonicalEncodingName("gb18030", &error), "GB18030");
  EXPECT_EQ(CanonicalEncodingName("big5", &error), "Big5");
  EXPECT_EQ(CanonicalEncodingName("gb1803", &error), "");
  EXPECT_EQ(error.rfind("unknown encoding 'gb1803'; did you mean '", 0), 0u) << error;
}

TEST(TextSource, ConvertsInChunksToUtf8) {
  for (const char* encoding : {"GB18030", "UTF-16LE", "UTF-16BE"}) {
    std::string error;
    EncodingOptions options;
    options.sniff_bytes = 64;  // the sniffed head and the rest both go through the converter
    std::unique_ptr<TextSource> text =
        TextSource::Open(MakeStringSource(Encode(kSimplified, encoding), 3), options, &error);
    ASSERT_NE(text, nullptr) << error;
    EXPECT_EQ(text->guess().encoding, encoding);
    EXPECT_EQ(ReadAll(text.get()), kSimplified) << encoding;
    EXPECT_EQ(text->replacements(), 0u);
  }
}

TEST(TextSource, ForcedEncodingAndCountedReplacements) {
  std::string error;
  EncodingOptions options;
  options.forced = "Big5";
  std::string bytes = Encode(kTraditional, "Big5") + "\xA4\x20\n";  // a lead without trail
  std::unique_ptr<TextSource> text = TextSource::Open(MakeStringSource(bytes), options, &error);
  ASSERT_NE(text, nullptr) << error;
  EXPECT_EQ(text->guess().basis, EncodingBasis::kForced);
  const std::string utf8 = ReadAll(text.get());
  EXPECT_EQ(utf8.substr(0, kTraditional.size()), kTraditional);
  EXPECT_GE(text->replacements(), 1u);
}

TEST(TextSource, Utf8PassesThroughUnchanged) {
  std::string error;
  std::unique_ptr<TextSource> text =
      TextSource::Open(MakeStringSource(kSimplified, 2), EncodingOptions(), &error);
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(ReadAll(text.get()), kSimplified);
}

}  // namespace
}  // namespace winnow

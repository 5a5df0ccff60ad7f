#include "winnow/compressed_source.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <string>

#include "gzip_text.h"

namespace winnow {
namespace {

std::string Gzip(const std::string& text) { return testing_inputs::GzipText(text, 9); }

std::string Zstd(const std::string& text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  out.resize(ZSTD_compress(&out[0], out.size(), text.data(), text.size(), 3));
  return out;
}

/// Reads everything; returns false (and the error) when a read fails.
bool ReadAll(ByteSource* source, std::string* text, std::string* error) {
  char buffer[7];  // tiny, so every decoder crosses many buffer boundaries
  while (true) {
    const long n = source->Read(buffer, sizeof buffer);
    if (n < 0) {
      *error = source->error();
      return false;
    }
    if (n == 0) return true;
    text->append(buffer, static_cast<size_t>(n));
  }
}

std::string Decode(const std::string& bytes, Compression* found, std::string* error,
                   size_t max_read = SIZE_MAX) {
  std::unique_ptr<ByteSource> source =
      OpenDecompressingSource(MakeStringSource(bytes, max_read), found, error);
  std::string text;
  if (source == nullptr || !ReadAll(source.get(), &text, error)) return "<error>";
  return text;
}

const std::string kPage = "当前位置：首页 > 正文\n\n标题\n\n" + std::string(5000, 'x') + "\n";

TEST(CompressedSource, PassesPlainTextThrough) {
  Compression found;
  std::string error;
  EXPECT_EQ(Decode(kPage, &found, &error, 3), kPage);
  EXPECT_EQ(found, Compression::kNone);
  EXPECT_EQ(Decode("ab", &found, &error), "ab");  // shorter than any magic
  EXPECT_EQ(Decode("", &found, &error), "");
}

TEST(CompressedSource, RecognisesGzipByMagicBytes) {
  Compression found;
  std::string error;
  EXPECT_EQ(Decode(Gzip(kPage), &found, &error, 5), kPage);
  EXPECT_EQ(found, Compression::kGzip);
}

TEST(CompressedSource, ReadsConcatenatedGzipMembers) {
  Compression found;
  std::string error;
  EXPECT_EQ(Decode(Gzip("one\n") + Gzip("two\n"), &found, &error), "one\ntwo\n");
}

TEST(CompressedSource, RecognisesZstdByMagicBytes) {
  Compression found;
  std::string error;
  EXPECT_EQ(Decode(Zstd(kPage), &found, &error, 5), kPage);
  EXPECT_EQ(found, Compression::kZstd);
  EXPECT_EQ(Decode(Zstd("one\n") + Zstd("two\n"), &found, &error), "one\ntwo\n");
}

TEST(CompressedSource, TruncatedGzipIsAnError) {
  Compression found;
  std::string error;
  const std::string gz = Gzip(kPage);
  EXPECT_EQ(Decode(gz.substr(0, gz.size() - 6), &found, &error), "<error>");
  EXPECT_EQ(error, "truncated gzip stream (the input ends inside compressed data)");
}

TEST(CompressedSource, TruncatedZstdIsAnError) {
  Compression found;
  std::string error;
  const std::string zst = Zstd(kPage);
  EXPECT_EQ(Decode(zst.substr(0, zst.size() - 3), &found, &error), "<error>");
  EXPECT_EQ(error, "truncated zstd stream (the input ends inside a frame)");
}

TEST(CompressedSource, CorruptGzipNamesZlibsMessage) {
  Compression found;
  std::string error;
  std::string gz = Gzip(kPage);
  gz[3] = '\xff';  // reserved flag bits
  EXPECT_EQ(Decode(gz, &found, &error), "<error>");
  EXPECT_EQ(error.rfind("corrupt gzip stream: ", 0), 0u) << error;
}

}  // namespace
}  // namespace winnow

// Before the reader, after decompression: decides what the bytes of one input are (UTF-8,
// UTF-16, GB18030, Big5, ... or binary) from its first chunk, then hands the reader UTF-8,
// converting with an ICU converter chunk by chunk, so memory stays bounded.
#ifndef WINNOW_ENCODING_H_
#define WINNOW_ENCODING_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "winnow/reader.h"

namespace winnow {

/// What to do with an input that looks binary.
enum class BinaryPolicy {
  kSkip,  ///< report it and read nothing
  kText,  ///< read it as text anyway (`--binary=text`)
};

struct EncodingOptions {
  /// An encoding name ICU knows ("GB18030", "Big5", "UTF-16LE", ...): no detection, no BOM
  /// sniffing, no binary check. Empty means detect.
  std::string forced;
  BinaryPolicy binary = BinaryPolicy::kSkip;
  /// How much of the input detection looks at.
  size_t sniff_bytes = 64 * 1024;
};

/// How an encoding was chosen.
enum class EncodingBasis {
  kBom,       ///< a byte order mark
  kUtf8,      ///< the first chunk is (almost all) valid UTF-8
  kDetected,  ///< NUL-byte layout (UTF-16) or ICU's charset detector
  kFallback,  ///< nothing was recognised; read as UTF-8 with replacements
  kForced,    ///< --encoding
};

/// "bom", "utf-8", "detected", "fallback", "forced".
const char* EncodingBasisName(EncodingBasis basis);

struct EncodingGuess {
  std::string encoding = "UTF-8";  ///< "UTF-8", "UTF-16LE", "UTF-16BE", "GB18030", "Big5", ...
  EncodingBasis basis = EncodingBasis::kUtf8;
  bool binary = false;  ///< NUL bytes or many control characters, and not UTF-16
  int confidence = 100;  ///< ICU's 0-100 confidence when basis is kDetected
};

/// Guesses the encoding of an input from its first bytes `head`; `at_end` says `head` is the
/// whole input (so a sequence cut at its end is an error, not a chunk boundary). Checks, in
/// order: a BOM; NUL bytes in the layout of UTF-16 text; binary content; UTF-8 validity;
/// ICU's detector, restricted to the East Asian multi-byte encodings and UTF-16.
EncodingGuess GuessEncoding(std::string_view head, bool at_end);

/// True when `head` holds a NUL byte or more than 10% control characters other than
/// whitespace and ESC.
bool LooksBinary(std::string_view head);

/// Checks that ICU has a converter called `name`. Returns its MIME or IANA name
/// ("gbk" -> "GBK"), or empty and sets `*error` ("unknown encoding 'gb1830'; did you mean
/// 'gb18030'?") when it has none.
std::string CanonicalEncodingName(const std::string& name, std::string* error);

/// The reader's view of one input: UTF-8 bytes, whatever the input's encoding.
class TextSource : public ByteSource {
 public:
  /// Reads the first chunk of `raw`, decides its encoding per `options`, and returns the
  /// source. Returns null and sets `*error` when `raw` cannot be read or ICU cannot open the
  /// converter. A binary input (see binary()) is still returned; the caller decides.
  static std::unique_ptr<TextSource> Open(std::unique_ptr<ByteSource> raw,
                                          const EncodingOptions& options, std::string* error);
  ~TextSource() override;

  long Read(char* buffer, size_t size) override;
  std::string error() const override;

  const EncodingGuess& guess() const { return guess_; }
  /// True when the input's bytes are converted; false when they pass through as they are
  /// (UTF-8, or a binary input read as text).
  bool converts() const { return converter_ != nullptr; }
  /// Input sequences the converter could not map, each replaced by U+FFFD (0 for UTF-8
  /// input, whose invalid bytes the reader itself counts).
  uint64_t replacements() const { return replacements_; }

 private:
  struct Converter;
  TextSource() = default;

  std::unique_ptr<ByteSource> raw_;
  std::unique_ptr<Converter> converter_;  // null when the input is UTF-8
  EncodingGuess guess_;
  uint64_t replacements_ = 0;
  std::string error_;
};

}  // namespace winnow

#endif  // WINNOW_ENCODING_H_

#include "winnow/encoding.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "winnow/compressed_source.h"
#include "winnow/rule_file.h"

namespace winnow {
namespace {

constexpr size_t kInputBytes = 64 * 1024;
constexpr size_t kPivotUnits = 16 * 1024;

bool IsControl(unsigned char c) {
  // Whitespace controls (\t \n \v \f \r) and ESC (terminal colours in pasted logs) are text.
  return c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' &&
         c != 0x1b;
}

/// Returns "UTF-16LE" or "UTF-16BE" when the NUL bytes of `head` sit almost all on one
/// parity, as the high bytes of ASCII characters (newlines at least) do in UTF-16.
std::string Utf16ByNulLayout(std::string_view head) {
  size_t nul_even = 0;
  size_t nul_odd = 0;
  const size_t n = head.size() & ~size_t{1};
  for (size_t i = 0; i < n; i += 2) {
    nul_even += head[i] == '\0';
    nul_odd += head[i + 1] == '\0';
  }
  const size_t pairs = n / 2;
  const size_t nuls = nul_even + nul_odd;
  // Every line ends in a one-unit newline, so even text of CJK characters only has ASCII
  // units in more than 1% of its pairs. Characters U+xx00 (U+3000, U+4E00) put some NULs on
  // the other side; binary data rarely has nine in ten of its NULs on one side.
  if (pairs < 8 || nuls * 100 < pairs) return "";
  if (nul_odd * 100 >= nuls * 90) return "UTF-16LE";
  if (nul_even * 100 >= nuls * 90) return "UTF-16BE";
  return "";
}

/// Counts valid multi-byte and invalid UTF-8 sequences in `head`, ignoring a sequence cut at
/// its end unless `at_end`.
void CountUtf8(std::string_view head, bool at_end, size_t* multibyte, size_t* invalid) {
  *multibyte = 0;
  *invalid = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(head.data());
  const size_t n = head.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    if (c >= 0xC2 && c < 0xE0) length = 2;
    else if (c >= 0xE0 && c < 0xF0) length = 3;
    else if (c >= 0xF0 && c < 0xF5) length = 4;
    if (length == 0) {
      ++*invalid;
      ++i;
      continue;
    }
    if (i + length > n && !at_end) break;
    size_t k = 1;
    while (k < length && i + k < n && (p[i + k] & 0xC0) == 0x80) ++k;
    bool ok = k == length;
    if (ok && length == 3) {
      ok = !(c == 0xE0 && p[i + 1] < 0xA0) && !(c == 0xED && p[i + 1] > 0x9F);
    } else if (ok && length == 4) {
      ok = !(c == 0xF0 && p[i + 1] < 0x90) && !(c == 0xF4 && p[i + 1] > 0x8F);
    }
    if (ok) {
      ++*multibyte;
      i += length;
    } else {
      ++*invalid;
      i += std::max<size_t>(k, 1);
    }
  }
}

// Invalid UTF-8 sequences a sniffed head must hold before the charset detector is asked.
constexpr size_t kMinInvalidForDetection = 4;

bool IsEastAsianMultibyte(std::string_view name) {
  return name == "GB18030" || name == "Big5" || name == "EUC-JP" || name == "Shift_JIS" ||
         name == "EUC-KR";
}

struct ReplacementCounter {
  uint64_t* count;
};

void CountingToUCallback(const void* context, UConverterToUnicodeArgs* args,
                         const char* code_units, int32_t length, UConverterCallbackReason reason,
                         UErrorCode* status) {
  if (reason == UCNV_UNASSIGNED || reason == UCNV_ILLEGAL || reason == UCNV_IRREGULAR) {
    ++*static_cast<const ReplacementCounter*>(context)->count;
  }
  UCNV_TO_U_CALLBACK_SUBSTITUTE(nullptr, args, code_units, length, reason, status);
}

}  // namespace

const char* EncodingBasisName(EncodingBasis basis) {
  switch (basis) {
    case EncodingBasis::kBom: return "bom";
    case EncodingBasis::kUtf8: return "utf-8";
    case EncodingBasis::kDetected: return "detected";
    case EncodingBasis::kFallback: return "fallback";
    case EncodingBasis::kForced: return "forced";
  }
  return "utf-8";
}

bool LooksBinary(std::string_view head) {
  if (head.find('\0') != std::string_view::npos) return true;
  size_t controls = 0;
  for (char c : head) controls += IsControl(static_cast<unsigned char>(c));
  return controls * 10 > head.size();
}

EncodingGuess GuessEncoding(std::string_view head, bool at_end) {
  EncodingGuess guess;
  if (head.size() >= 3 && head.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    guess.basis = EncodingBasis::kBom;
    return guess;
  }
  if (head.size() >= 2 && (head.compare(0, 2, "\xFF\xFE") == 0 ||
                           head.compare(0, 2, "\xFE\xFF") == 0)) {
    guess.encoding = head[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
    guess.basis = EncodingBasis::kBom;
    return guess;
  }
  const std::string utf16 = Utf16ByNulLayout(head);
  if (!utf16.empty()) {
    guess.encoding = utf16;
    guess.basis = EncodingBasis::kDetected;
    return guess;
  }
  if (LooksBinary(head)) {
    guess.binary = true;
    return guess;
  }
  size_t multibyte = 0;
  size_t invalid = 0;
  CountUtf8(head, at_end, &multibyte, &invalid);
  // A UTF-8 page with a few damaged bytes stays UTF-8 (the reader counts the damage); text in
  // a legacy encoding has far more invalid sequences than accidental valid ones.
  if (invalid == 0 || multibyte >= 8 * invalid) return guess;
  // A stray byte or two is no evidence of another encoding: the detector names one for any
  // input (`ab\xFFcd` came back as Shift_JIS), so such text stays UTF-8, its bad bytes
  // U+FFFD and counted by the reader.
  if (invalid < kMinInvalidForDetection) return guess;

  UErrorCode status = U_ZERO_ERROR;
  UCharsetDetector* detector = ucsdet_open(&status);
  if (U_SUCCESS(status)) {
    ucsdet_setText(detector, head.data(), static_cast<int32_t>(head.size()), &status);
    int32_t count = 0;
    const UCharsetMatch** matches = ucsdet_detectAll(detector, &count, &status);
    for (int32_t i = 0; U_SUCCESS(status) && i < count; ++i) {
      const char* name = ucsdet_getName(matches[i], &status);
      const int32_t confidence = ucsdet_getConfidence(matches[i], &status);
      if (U_FAILURE(status) || name == nullptr) break;
      if (IsEastAsianMultibyte(name) && confidence >= 10) {
        guess.encoding = name;
        guess.basis = EncodingBasis::kDetected;
        guess.confidence = confidence;
        break;
      }
    }
  }
  ucsdet_close(detector);
  if (guess.basis != EncodingBasis::kDetected) {
    guess.basis = EncodingBasis::kFallback;
    guess.confidence = 0;
  }
  return guess;
}

std::string CanonicalEncodingName(const std::string& name, std::string* error) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* converter = ucnv_open(name.c_str(), &status);
  if (U_FAILURE(status) || converter == nullptr || name.empty()) {
    if (converter != nullptr) ucnv_close(converter);
    std::vector<std::string> known;
    const int32_t count = ucnv_countAvailable();
    for (int32_t i = 0; i < count; ++i) known.emplace_back(ucnv_getAvailableName(i));
    for (const char* alias : {"GBK", "GB18030", "Big5", "UTF-8", "UTF-16LE", "UTF-16BE"}) {
      known.emplace_back(alias);
    }
    *error = "unknown encoding '" + name + "'";
    const std::string closest = ClosestName(name, known);
    if (!closest.empty()) *error += "; did you mean '" + closest + "'?";
    return "";
  }
  ucnv_close(converter);
  status = U_ZERO_ERROR;
  const char* standard = ucnv_getStandardName(name.c_str(), "MIME", &status);
  if (standard == nullptr || U_FAILURE(status)) {
    status = U_ZERO_ERROR;
    standard = ucnv_getStandardName(name.c_str(), "IANA", &status);
  }
  if (standard == nullptr || U_FAILURE(status)) return name;
  return standard;
}

struct TextSource::Converter {
  UConverter* from = nullptr;
  UConverter* to_utf8 = nullptr;
  ReplacementCounter counter;
  std::vector<char> input = std::vector<char>(kInputBytes);
  size_t input_pos = 0;
  size_t input_size = 0;
  bool input_eof = false;
  std::vector<UChar> pivot = std::vector<UChar>(kPivotUnits);
  UChar* pivot_source = nullptr;
  UChar* pivot_target = nullptr;
  bool reset = true;
  bool finished = false;

  ~Converter() {
    if (from != nullptr) ucnv_close(from);
    if (to_utf8 != nullptr) ucnv_close(to_utf8);
  }
};

TextSource::~TextSource() = default;

std::unique_ptr<TextSource> TextSource::Open(std::unique_ptr<ByteSource> raw,
                                             const EncodingOptions& options,
                                             std::string* error) {
  std::unique_ptr<TextSource> text(new TextSource());
  std::string head;
  if (!options.forced.empty()) {
    text->guess_.encoding = options.forced;
    text->guess_.basis = EncodingBasis::kForced;
  } else {
    if (!ReadPrefix(raw.get(), options.sniff_bytes, &head, error)) return nullptr;
    text->guess_ = GuessEncoding(head, head.size() < options.sniff_bytes);
  }
  text->raw_ = MakePrefixedSource(std::move(head), std::move(raw));
  const std::string& encoding = text->guess_.encoding;
  if (encoding == "UTF-8" || text->guess_.binary) return text;

  auto converter = std::make_unique<Converter>();
  UErrorCode status = U_ZERO_ERROR;
  converter->from = ucnv_open(encoding.c_str(), &status);
  if (U_SUCCESS(status)) converter->to_utf8 = ucnv_open("UTF-8", &status);
  if (U_FAILURE(status)) {
    *error = "cannot open a converter for " + encoding + ": " + u_errorName(status);
    return nullptr;
  }
  converter->counter.count = &text->replacements_;
  ucnv_setToUCallBack(converter->from, CountingToUCallback, &converter->counter, nullptr,
                      nullptr, &status);
  converter->pivot_source = converter->pivot.data();
  converter->pivot_target = converter->pivot.data();
  text->converter_ = std::move(converter);
  return text;
}

long TextSource::Read(char* buffer, size_t size) {
  if (converter_ == nullptr) return raw_->Read(buffer, size);
  if (!error_.empty()) return -1;
  Converter& c = *converter_;
  size = std::min<size_t>(size, 1u << 30);
  while (!c.finished) {
    if (c.input_pos == c.input_size && !c.input_eof) {
      const long n = raw_->Read(c.input.data(), c.input.size());
      if (n < 0) {
        error_ = raw_->error();
        return -1;
      }
      c.input_pos = 0;
      c.input_size = static_cast<size_t>(n);
      c.input_eof = n == 0;
    }
    char* target = buffer;
    const char* source = c.input.data() + c.input_pos;
    UErrorCode status = U_ZERO_ERROR;
    ucnv_convertEx(c.to_utf8, c.from, &target, buffer + size, &source,
                   c.input.data() + c.input_size, c.pivot.data(), &c.pivot_source,
                   &c.pivot_target, c.pivot.data() + c.pivot.size(), c.reset, c.input_eof,
                   &status);
    c.reset = false;
    c.input_pos = static_cast<size_t>(source - c.input.data());
    const size_t produced = static_cast<size_t>(target - buffer);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      if (produced > 0) return static_cast<long>(produced);
      error_ = "conversion buffer too small";
      return -1;
    }
    if (U_FAILURE(status)) {
      error_ = "cannot convert from " + guess_.encoding + ": " + u_errorName(status);
      return -1;
    }
    if (c.input_eof) c.finished = true;
    if (produced > 0) return static_cast<long>(produced);
  }
  return 0;
}

std::string TextSource::error() const { return error_; }

}  // namespace winnow

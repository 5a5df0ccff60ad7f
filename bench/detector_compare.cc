// ICU's charset detector beside uchardet, on the test pages in the legacy encodings a dump
// may come in (issue 6 asks which one to use, measured). Each page is converted in process:
// to GB18030 and GBK as it is, to Big5 after ICU's Simplified-Traditional transliterator (a
// Big5 page is written in traditional characters, so converting simplified text would mostly
// make substitution bytes), and to UTF-16LE/BE without a BOM. Each converted page is then
// cut to heads of several sizes, since the detectors differ most on little text, and given
// to three deciders: ICU's top answer, winnow's GuessEncoding (which asks ICU only after its
// own BOM, NUL-layout and UTF-8 checks) and uchardet.
// Usage: detector_compare PAGE...   (see bench/compare_detectors.sh)
#include <uchardet.h>
#include <unicode/translit.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "winnow/encoding.h"

namespace {

struct Target {
  const char* label;      // the encoding the page is converted to
  const char* converter;  // ICU converter name
  bool traditional;       // transliterate to traditional characters first
};

constexpr Target kTargets[] = {
    {"GB18030", "GB18030", false},   {"GBK", "GBK", false},
    {"Big5", "Big5", true},          {"UTF-16LE", "UTF-16LE", false},
    {"UTF-16BE", "UTF-16BE", false},
};
constexpr size_t kHeadSizes[] = {65536, 1024, 256, 128, 64};

std::string Upper(std::string name) {
  for (char& c : name) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return name;
}

// Whether a detector's answer names an encoding that decodes `label` text right: GB2312 and
// GBK text is GB18030 text, and any of the Chinese GB names reads GBK text (the pages hold no
// GB18030-only characters); UTF-16 with the right byte order.
bool Accepts(const std::string& label, const std::string& answer) {
  const std::string a = Upper(answer);
  const std::string l = Upper(label);
  if (l == "GB18030" || l == "GBK") return a == "GB18030" || a == "GBK" || a == "GB2312";
  if (l == "BIG5") return a == "BIG5" || a == "BIG5-HKSCS";
  return a == l;
}

std::string Convert(const std::string& utf8, const Target& target, icu::Transliterator* to_hant) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(utf8);
  if (target.traditional) to_hant->transliterate(text);
  UErrorCode status = U_ZERO_ERROR;
  UConverter* converter = ucnv_open(target.converter, &status);
  if (U_FAILURE(status)) return "";
  std::string out(static_cast<size_t>(text.length()) * 4 + 16, '\0');
  const int32_t length = ucnv_fromUChars(converter, out.data(), static_cast<int32_t>(out.size()),
                                         text.getBuffer(), text.length(), &status);
  ucnv_close(converter);
  if (U_FAILURE(status)) return "";
  out.resize(static_cast<size_t>(length));
  return out;
}

std::string IcuTopAnswer(const std::string& head) {
  UErrorCode status = U_ZERO_ERROR;
  UCharsetDetector* detector = ucsdet_open(&status);
  ucsdet_setText(detector, head.data(), static_cast<int32_t>(head.size()), &status);
  const UCharsetMatch* match = ucsdet_detect(detector, &status);
  std::string name;
  if (U_SUCCESS(status) && match != nullptr) {
    const char* found = ucsdet_getName(match, &status);
    if (U_SUCCESS(status) && found != nullptr) name = found;
  }
  ucsdet_close(detector);
  return name;
}

std::string UchardetAnswer(const std::string& head) {
  uchardet_t detector = uchardet_new();
  uchardet_handle_data(detector, head.data(), head.size());
  uchardet_data_end(detector);
  std::string name = uchardet_get_charset(detector);
  uchardet_delete(detector);
  return name;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: detector_compare PAGE...\n");
    return 2;
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> to_hant(icu::Transliterator::createInstance(
      "Simplified-Traditional", UTRANS_FORWARD, status));
  if (U_FAILURE(status)) {
    std::fprintf(stderr, "detector_compare: no Simplified-Traditional transliterator\n");
    return 1;
  }
  constexpr const char* kDeciders[] = {"icu", "winnow", "uchardet"};
  // (target, head size, decider) -> right answers; misses are listed as they happen.
  std::map<std::string, int> right;
  std::map<std::string, int> tried;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    const std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const Target& target : kTargets) {
      const std::string bytes = Convert(page, target, to_hant.get());
      if (bytes.empty()) continue;
      for (size_t size : kHeadSizes) {
        if (size > bytes.size() && size != kHeadSizes[0]) continue;  // the page is shorter
        const std::string head = bytes.substr(0, size);
        const bool whole = head.size() == bytes.size();
        const std::string answers[] = {IcuTopAnswer(head),
                                       winnow::GuessEncoding(head, whole).encoding,
                                       UchardetAnswer(head)};
        for (size_t d = 0; d < 3; ++d) {
          const std::string key = std::string(target.label) + "\t" + std::to_string(size) + "\t" +
                                  kDeciders[d];
          ++tried[key];
          if (Accepts(target.label, answers[d])) {
            ++right[key];
          } else {
            std::printf("miss\t%s\t%s\t%zu\t%s: '%s'\n", argv[i], target.label, size,
                        kDeciders[d], answers[d].c_str());
          }
        }
      }
    }
  }
  std::printf("encoding\thead bytes\tdecider\tright\n");
  for (const Target& target : kTargets) {
    for (size_t size : kHeadSizes) {
      for (const char* decider : kDeciders) {
        const std::string key =
            std::string(target.label) + "\t" + std::to_string(size) + "\t" + decider;
        if (tried.count(key) == 0) continue;
        std::printf("%s\t%d/%d\n", key.c_str(), right[key], tried[key]);
      }
    }
  }
  return 0;
}

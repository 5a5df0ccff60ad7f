// Fuzzes the character-reference decoder in every mode: it never reads out of bounds, keeps
// valid UTF-8 valid, and a scrape-mode decode of its own output changes nothing
// (idempotence, the property `winnow repair` promises).
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "winnow/entity_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using winnow::fuzz::Require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool valid = winnow::fuzz::IsValidUtf8(text);
  for (winnow::EntityMode mode :
       {winnow::EntityMode::kNone, winnow::EntityMode::kHtml5, winnow::EntityMode::kScrape}) {
    for (bool about : {false, true}) {
      winnow::EntityDecodeOptions options;
      options.mode = mode;
      options.text_about_escaping = about;
      options.fold_decoded_fullwidth = about;
      std::string out;
      winnow::DecodeEntities(text, options, &out);
      if (valid) Require(winnow::fuzz::IsValidUtf8(out), "decoding keeps UTF-8 valid");
      if (mode == winnow::EntityMode::kNone) Require(out == text, "mode none copies");
      if (!winnow::MayContainEntity(text)) Require(out == text, "fast path agrees");
    }
  }
  winnow::LooksAboutEscaping(text);
  return 0;
}

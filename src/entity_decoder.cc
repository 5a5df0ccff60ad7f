// Character-reference decoding. kHtml5 follows the HTML Standard's character reference state
// (13.2.5.72 and following) as reached from the data state. kScrape reads each occurrence the
// same way, then decides whether the scraped text really holds a reference there:
//
//   numeric `&#NNN;` `&#xHHH;` `&#XHHH;`   decoded as HTML does (U+FFFD for 0, surrogates and
//                                         values above U+10FFFF; 0x80-0x9F as windows-1252);
//                                         a UTF-16 pair written as two references with `;`
//                                         becomes one character, a lone surrogate U+FFFD.
//   numeric without `;`                   decoded when it stands for text (not for a control
//                                         character other than tab, LF and CR, a
//                                         noncharacter, or a value HTML replaces with
//                                         U+FFFD), except when it ends the text or a line or
//                                         is followed by `…` or `...`: a teaser cut inside a
//                                         reference (`&#xff0…...`) stays as written, unless
//                                         its value is a CJK character or punctuation from
//                                         U+2010 up or an emoji from U+1F000 up, which no
//                                         real reference begins with (`&#xff0c…` is `，…`).
//   named with `;`                        decoded from the full WHATWG table.
//   legacy name without `;` (`&copy`)     decoded only when it stands alone: not followed by
//                                         an ASCII letter, digit or one of `_ = - . ( ) [ ] ,`,
//                                         not preceded by an ASCII letter, digit or `_`, and
//                                         not inside a URL query (the output since the last
//                                         whitespace, at most 2 KiB back, holds `=` or a `?`
//                                         followed by an ASCII letter or digit).
//   unknown names, `&`, `&&`, `&#`        left as written.
//   `#xHHHH;` without `&`                 decoded when the value is a CJK character or CJK,
//                                         general (U+2010-U+2027, U+00B7) or full-width
//                                         punctuation (see IsCjkCharacter); never decimal.
//   `&amp;`, `&#38;`, `&#x26;` layers      a reference that gives `&` followed by another
//                                         reference that scrape mode would decode collapses
//                                         with it: `&amp;amp;lt;` is `<`; `&amp;` before
//                                         anything else is `&`.
//
// With text_about_escaping the references are content, and only damage is repaired:
//   - the `&`-less form, as above;
//   - a numeric reference with `;` to a CJK character, CJK or full-width punctuation or an
//     emoji, behind any number of `&amp;` layers, unless it is set apart as an example:
//     preceded by the start of the text, an ASCII space or a quote (' " `) and followed by
//     the end, an ASCII space or a quote (`比如 &#x1F600; 就是` stays, `编程初步&#x1f525;数组`
//     decodes);
//   - with strip_escaping_layer (the record carries the scraper's layer, see
//     CarriesEscapingLayer), exactly one `&amp;` layer comes off a reference with `;`
//     (`&amp;lt;` is `&lt;`, `&amp;amp;lt;` is `&amp;lt;`).
// Everything else stays as written.
//
// The context tests look at the output written so far (not the input), so that decoding the
// output again changes nothing.

#include "winnow/entity_decoder.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "entity_table.h"

namespace winnow {
namespace {

using internal::NamedReference;

constexpr char32_t kReplacementCharacter = 0xFFFD;
constexpr uint32_t kLastCodePoint = 0x10FFFF;
// Numeric values saturate here: anything larger is as invalid as this.
constexpr uint32_t kTooLarge = kLastCodePoint + 1;
// How far back the URL-query test looks for `=` or `?`.
constexpr size_t kQueryLookBehind = 2048;

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiAlnum(char c) { return IsAsciiDigit(c) || IsAsciiAlpha(c); }
bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Each byte's value as a digit up to base 16, and 0xFF for a byte that is no digit: a
// numeric reference's digits are read with one load and one compare each.
constexpr std::array<uint8_t, 256> MakeDigitValues() {
  std::array<uint8_t, 256> values{};
  for (auto& value : values) value = 0xFF;
  for (unsigned c = '0'; c <= '9'; ++c) values[c] = static_cast<uint8_t>(c - '0');
  for (unsigned c = 'a'; c <= 'f'; ++c) values[c] = static_cast<uint8_t>(c - 'a' + 10);
  for (unsigned c = 'A'; c <= 'F'; ++c) values[c] = static_cast<uint8_t>(c - 'A' + 10);
  return values;
}

constexpr std::array<uint8_t, 256> kDigitValues = MakeDigitValues();

bool IsSurrogate(uint32_t v) { return v >= 0xD800 && v <= 0xDFFF; }
bool IsHighSurrogate(uint32_t v) { return v >= 0xD800 && v <= 0xDBFF; }
bool IsLowSurrogate(uint32_t v) { return v >= 0xDC00 && v <= 0xDFFF; }

// The HTML Standard's replacements for numeric references to 0x80-0x9F (windows-1252);
// zero where the code point is kept (0x81, 0x8D, 0x8F, 0x90, 0x9D).
constexpr char16_t kC1Replacements[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80-87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,       // 88-8F
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90-97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,  // 98-9F
};

// The character a numeric reference with value `v` stands for, as the HTML tokenizer's
// "numeric character reference end state" decides it.
char32_t Html5NumericCharacter(uint32_t v) {
  if (v == 0 || v > kLastCodePoint || IsSurrogate(v)) return kReplacementCharacter;
  if (v >= 0x80 && v <= 0x9F && kC1Replacements[v - 0x80] != 0) {
    return kC1Replacements[v - 0x80];
  }
  return v;
}

// CJK characters and the punctuation written in CJK text: what a reference that lost its `&`
// (`#xff1a;`) may stand for.
bool IsCjkCharacter(uint32_t c) {
  return c == 0x00B7 ||                      // middle dot, in transliterated names
         (c >= 0x2010 && c <= 0x2027) ||     // dashes, quotes, ellipsis
         (c >= 0x2E80 && c <= 0x2FDF) ||     // radicals
         (c >= 0x3000 && c <= 0x33FF) ||     // CJK punctuation, kana, bopomofo, enclosed
         (c >= 0x3400 && c <= 0x4DBF) ||     // extension A
         (c >= 0x4E00 && c <= 0x9FFF) ||     // unified ideographs
         (c >= 0xF900 && c <= 0xFAFF) ||     // compatibility ideographs
         (c >= 0xFE10 && c <= 0xFE1F) ||     // vertical forms
         (c >= 0xFE30 && c <= 0xFE6F) ||     // compatibility and small forms
         (c >= 0xFF00 && c <= 0xFFEF) ||     // half-width and full-width forms
         (c >= 0x20000 && c <= 0x3FFFD);     // extensions B and later
}

bool IsEmoji(uint32_t c) {
  return c == 0x200D ||                      // zero-width joiner of emoji sequences
         (c >= 0x2300 && c <= 0x23FF) ||     // watch, hourglass, ...
         (c >= 0x2600 && c <= 0x27BF) ||     // symbols and dingbats
         (c >= 0x2B00 && c <= 0x2BFF) ||     // stars, arrows
         (c >= 0xFE00 && c <= 0xFE0F) ||     // variation selectors
         (c >= 0x1F000 && c <= 0x1FAFF) ||   // emoji blocks
         (c >= 0xE0020 && c <= 0xE007F);     // tag characters of flag sequences
}

// Writes `cp` (at most U+10FFFF) as UTF-8 to `buffer`, which has room for 4 bytes.
// Returns the number of bytes written.
size_t EncodeUtf8(char32_t cp, char* buffer) {
  if (cp < 0x80) {
    buffer[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    buffer[0] = static_cast<char>(0xC0 | (cp >> 6));
    buffer[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    buffer[0] = static_cast<char>(0xE0 | (cp >> 12));
    buffer[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buffer[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  buffer[0] = static_cast<char>(0xF0 | (cp >> 18));
  buffer[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  buffer[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  buffer[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

const NamedReference* FindName(std::string_view name) {
  const NamedReference* begin = internal::kNamedReferences;
  const NamedReference* end = begin + internal::kNamedReferenceCount;
  const NamedReference* it =
      std::lower_bound(begin, end, name, [](const NamedReference& entry, std::string_view key) {
        return std::string_view(entry.name, entry.name_length) < key;
      });
  if (it == end || std::string_view(it->name, it->name_length) != name) return nullptr;
  return it;
}

// A reference as the HTML tokenizer reads it after an `&`.
struct Reference {
  size_t end = 0;          // input offset just past it, past the `;` if there is one
  bool semicolon = false;  // it ended with `;`
  const NamedReference* named = nullptr;  // set for a named reference
  bool hex = false;                       // numeric: written `#x` or `#X`
  uint32_t value = 0;                     // numeric: as written, saturated at kTooLarge
};

// Reads a numeric reference whose `#` is just before `in[pos]`, its value saturated at
// `limit` (at most kTooLarge). Returns false when no digit follows (`&#`, `&#x`, `&#x;`),
// which the tokenizer leaves as written.
inline bool ReadNumeric(std::string_view in, size_t pos, Reference* ref,
                        uint32_t limit = kTooLarge) {
  size_t i = pos;
  const bool hex = i < in.size() && (in[i] == 'x' || in[i] == 'X');
  if (hex) ++i;
  const size_t digits = i;
  const uint32_t base = hex ? 16 : 10;
  uint32_t value = 0;
  for (; i < in.size(); ++i) {
    // A hex digit past 9 is no decimal digit: it is at least `base` then, as a non-digit is.
    const uint32_t digit = kDigitValues[static_cast<unsigned char>(in[i])];
    if (digit >= base) break;
    // value < limit <= kTooLarge here, so this cannot overflow 32 bits; past that it only
    // saturates.
    if (value < limit) value = std::min(value * base + digit, limit);
  }
  if (i == digits) return false;
  ref->named = nullptr;
  ref->hex = hex;
  ref->value = value;
  ref->semicolon = i < in.size() && in[i] == ';';
  ref->end = ref->semicolon ? i + 1 : i;
  return true;
}

// Reads a named reference starting at `in[pos]`: the longest name of the table, where only
// legacy names may go without `;`.
bool ReadNamed(std::string_view in, size_t pos, Reference* ref) {
  const size_t limit = std::min(in.size(), pos + internal::kLongestReferenceName + 1);
  size_t run_end = pos;
  while (run_end < limit && IsAsciiAlnum(in[run_end])) ++run_end;
  const size_t run = run_end - pos;
  if (run == 0) return false;
  // A name with `;` can only be the whole alphanumeric run: `;` is not alphanumeric.
  if (run <= internal::kLongestReferenceName && run_end < in.size() && in[run_end] == ';') {
    if (const NamedReference* entry = FindName(in.substr(pos, run))) {
      ref->named = entry;
      ref->semicolon = true;
      ref->end = run_end + 1;
      return true;
    }
  }
  for (size_t length = std::min(run, internal::kLongestLegacyReferenceName); length > 0;
       --length) {
    const NamedReference* entry = FindName(in.substr(pos, length));
    if (entry != nullptr && entry->legacy) {
      ref->named = entry;
      ref->semicolon = false;
      ref->end = pos + length;
      return true;
    }
  }
  return false;
}

// Reads the reference whose `&` is just before `in[pos]`.
bool ReadReference(std::string_view in, size_t pos, Reference* ref) {
  if (pos >= in.size()) return false;
  if (in[pos] == '#') return ReadNumeric(in, pos + 1, ref);
  return ReadNamed(in, pos, ref);
}

// `&amp;`, `&AMP;`, `&#38;`, `&#x26;`: a reference that stands for `&`.
bool ProducesAmpersand(const Reference& ref) {
  if (ref.named != nullptr) return ref.named->text_length == 1 && ref.named->text[0] == '&';
  return ref.value == '&';
}

// What sets a reference apart as an example: the ends of the text, ASCII spaces, quotes.
bool IsExampleBoundary(char c) {
  return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\'' ||
         c == '"' || c == '`';
}

// What a reference, or a run of them, decodes to.
struct Decoded {
  size_t end = 0;            // input offset just past what was consumed
  char32_t code_point = 0;   // for a numeric reference, before folding
  char text[8] = {};
  size_t length = 0;

  bool Is(char c) const { return length == 1 && text[0] == c; }
};

class Decoder {
 public:
  Decoder(std::string_view in, const EntityDecodeOptions& options, std::string* out,
          std::vector<DecodedSpan>* spans)
      : in_(in), options_(options), out_(out), out_start_(out->size()), spans_(spans) {}

  size_t Run() {
    const bool scrape = options_.mode == EntityMode::kScrape;
    size_t pos = 0;
    size_t next_ampersand = Find('&', 0);
    size_t next_hash = scrape ? Find('#', 0) : std::string_view::npos;
    for (;;) {
      if (next_ampersand < pos) next_ampersand = Find('&', pos);
      if (next_hash < pos) next_hash = Find('#', pos);
      const size_t at = std::min(next_ampersand, next_hash);
      if (at == std::string_view::npos) break;
      out_->append(in_.data() + pos, at - pos);
      if (in_[at] == '#') {
        pos = AtLostAmpersand(at);
      } else if (!scrape) {
        pos = AtAmpersandHtml5(at);
      } else if (options_.text_about_escaping) {
        pos = AtAmpersandAboutEscaping(at);
      } else {
        pos = AtAmpersandScrape(at);
      }
    }
    out_->append(in_.data() + pos, in_.size() - pos);
    return decoded_;
  }

 private:
  size_t Find(char c, size_t from) const {
    if (from >= in_.size()) return std::string_view::npos;
    const void* hit = std::memchr(in_.data() + from, c, in_.size() - from);
    return hit == nullptr ? std::string_view::npos
                          : static_cast<size_t>(static_cast<const char*>(hit) - in_.data());
  }

  // Each At* handler writes the output for in_[at, returned offset), at least one byte.

  size_t AtAmpersandHtml5(size_t at) {
    Reference ref;
    if (!ReadReference(in_, at + 1, &ref)) return Keep(at);
    Emit(Resolve(ref, /*join_surrogates=*/false));
    return ref.end;
  }

  size_t AtAmpersandScrape(size_t at) {
    Reference ref;
    if (!ReadReference(in_, at + 1, &ref) || !ScrapeAccepts(ref)) return Keep(at);
    Decoded decoded = Resolve(ref, /*join_surrogates=*/true);
    // Escape layers: `&amp;` (or `&#38;`) in front of what scrape mode would decode anyway.
    for (;;) {
      Reference next;
      if (decoded.Is('&')) {
        if (!ReadReference(in_, decoded.end, &next) || !ScrapeAccepts(next)) break;
        ref = next;
        decoded = Resolve(ref, /*join_surrogates=*/true);
      } else if (decoded.Is('#')) {
        // `&#35;xff0c;` would become `#xff0c;`, which a second pass decodes.
        Decoded cjk;
        if (!ReadLostAmpersand(decoded.end, &cjk)) break;
        decoded = cjk;
        break;
      } else {
        break;
      }
    }
    if (WouldJoinKeptReference(decoded)) return Keep(at);
    Emit(decoded);
    return decoded.end;
  }

  // Emitting `decoded` right after a kept `&`, `&#` or `&#3`, or a kept `#xff1f` whose `&`
  // was lost, would make one reference of them (`&#3&#56 ` would read `&#38 ` the next time,
  // `#xff1f` + a folded `;` would read `？`): such a reference stays as written.
  bool WouldJoinKeptReference(const Decoded& decoded) const {
    if (decoded.length == 0) return false;
    const char first = decoded.text[0];
    if (!IsAsciiAlnum(first) && first != ';' && first != '#') return false;
    const std::string& out = *out_;
    char after = first;  // the byte after the one being looked at
    for (size_t i = out.size(), n = 0; i > out_start_ && n <= internal::kLongestReferenceName + 2;
         --i, ++n) {
      const char c = out[i - 1];
      if (c == '&') return true;
      if (c == '#' && (after == 'x' || after == 'X')) return true;
      if (!IsAsciiAlnum(c) && c != '#') return false;
      after = c;
    }
    return false;
  }

  size_t AtAmpersandAboutEscaping(size_t at) {
    Reference ref;
    if (!ReadReference(in_, at + 1, &ref)) return Keep(at);
    if (ref.semicolon && ProducesAmpersand(ref)) {
      // `&amp;#xff0c;`: a reference to CJK text or an emoji is damage behind any layers.
      Reference inner = ref;
      Reference next;
      while (ProducesAmpersand(inner) && inner.semicolon &&
             ReadReference(in_, inner.end, &next) && next.semicolon) {
        inner = next;
      }
      if (inner.named == nullptr && inner.end != ref.end) {
        Decoded decoded = Resolve(inner, /*join_surrogates=*/true);
        if ((IsCjkCharacter(decoded.code_point) || IsEmoji(decoded.code_point)) &&
            !SetApartAsExample(decoded.end) && !WouldJoinKeptReference(decoded)) {
          Emit(decoded);
          return decoded.end;
        }
      }
      // The scraper's layer: `&amp;lt;` is `&lt;`, `&amp;amp;lt;` is `&amp;lt;`.
      if (!options_.strip_escaping_layer || !ReadReference(in_, ref.end, &next) ||
          !next.semicolon) {
        return Keep(at);
      }
      out_->push_back('&');
      ++decoded_;
      if (spans_ != nullptr) spans_->push_back({out_->size() - 1, out_->size()});
      return ref.end;
    }
    if (ref.named == nullptr && ref.semicolon) {
      // A reference to CJK text or an emoji is damage even in an article about escaping.
      Decoded decoded = Resolve(ref, /*join_surrogates=*/true);
      if ((IsCjkCharacter(decoded.code_point) || IsEmoji(decoded.code_point)) &&
          !SetApartAsExample(decoded.end) && !WouldJoinKeptReference(decoded)) {
        Emit(decoded);
        return decoded.end;
      }
    }
    return Keep(at);
  }

  // The reference being read ends at `end`; the output so far holds what comes before it.
  bool SetApartAsExample(size_t end) const {
    return IsExampleBoundary(LastOutputByte()) &&
           IsExampleBoundary(end < in_.size() ? in_[end] : '\0');
  }

  // `#xHHHH;` with its `&` lost, at in_[at] == '#'.
  size_t AtLostAmpersand(size_t at) {
    Decoded decoded;
    // After an `&` the `#` was already judged as part of `&#...`, and after a kept `&amp;`
    // it is that reference's escaped `#`.
    if (LastOutputByte() == '&' || AfterKeptAmpersand() ||
        !ReadLostAmpersand(at + 1, &decoded) || WouldJoinKeptReference(decoded)) {
      return Keep(at);
    }
    Emit(decoded);
    return decoded.end;
  }

  // The output written so far ends with `&amp;`, `&#38;` or `&#x26;` as written.
  bool AfterKeptAmpersand() const {
    const std::string_view written(out_->data() + out_start_, out_->size() - out_start_);
    for (std::string_view tail : {"&amp;", "&AMP;", "&#38;", "&#x26;", "&#X26;"}) {
      if (written.size() >= tail.size() && written.substr(written.size() - tail.size()) == tail) {
        return true;
      }
    }
    return false;
  }

  // Reads `xHHHH;` at in_[pos], just after a `#`, when it stands for a CJK character.
  bool ReadLostAmpersand(size_t pos, Decoded* decoded) {
    Reference ref;
    if (!ReadNumeric(in_, pos, &ref) || !ref.hex || !ref.semicolon) return false;
    if (!IsCjkCharacter(ref.value)) return false;
    *decoded = Resolve(ref, /*join_surrogates=*/false);
    return true;
  }

  // Writes in_[at] unchanged.
  size_t Keep(size_t at) {
    out_->push_back(in_[at]);
    return at + 1;
  }

  void Emit(const Decoded& decoded) {
    out_->append(decoded.text, decoded.length);
    ++decoded_;
    if (spans_ != nullptr) spans_->push_back({out_->size() - decoded.length, out_->size()});
  }

  Decoded Resolve(const Reference& ref, bool join_surrogates) const {
    Decoded decoded;
    decoded.end = ref.end;
    if (ref.named != nullptr) {
      std::memcpy(decoded.text, ref.named->text, ref.named->text_length);
      decoded.length = ref.named->text_length;
      return decoded;
    }
    uint32_t value = ref.value;
    Reference low;
    if (join_surrogates && IsHighSurrogate(value) && ref.semicolon && ref.end + 1 < in_.size() &&
        in_[ref.end] == '&' && in_[ref.end + 1] == '#' &&
        ReadNumeric(in_, ref.end + 2, &low) && low.semicolon && IsLowSurrogate(low.value)) {
      value = 0x10000 + ((value - 0xD800) << 10) + (low.value - 0xDC00);
      decoded.end = low.end;
    }
    char32_t cp = Html5NumericCharacter(value);
    decoded.code_point = cp;
    if (options_.fold_decoded_fullwidth && cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    decoded.length = EncodeUtf8(cp, decoded.text);
    return decoded;
  }

  bool ScrapeAccepts(const Reference& ref) const {
    if (ref.named == nullptr) {
      if (ref.semicolon) return true;
      if (AtTeaserCut(ref.end)) return CannotBeCutShort(ref.value);
      return IsTextCharacter(ref.value);
    }
    if (ref.semicolon) return true;
    return LegacyNameStandsAlone(ref.end);
  }

  // Without its `;` a reference counts only when it stands for text: not for a control
  // character, a noncharacter or an invalid value (`&#20x6;` is no U+0014).
  static bool IsTextCharacter(uint32_t value) {
    const char32_t c = Html5NumericCharacter(value);
    if (c == kReplacementCharacter && value != kReplacementCharacter) return false;
    if (c < 0x20) return c == '\t' || c == '\n' || c == '\r';
    if ((c >= 0x7F && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF)) return false;
    return (c & 0xFFFE) != 0xFFFE;
  }

  // A value that is not the first digits of a longer reference in practice: a CJK character
  // or punctuation from U+2010 up (four hex digits, five decimal), or an emoji from U+1F000
  // (five hex digits; six would pass U+10FFFF). `&#xff0c…` is whole, `&#xff0…` is not.
  static bool CannotBeCutShort(uint32_t value) {
    return (value >= 0x2010 && IsCjkCharacter(value)) || (value >= 0x1F000 && IsEmoji(value));
  }

  // The text ends, or a line ends, or a teaser's `…`/`...` follows.
  bool AtTeaserCut(size_t pos) const {
    if (pos >= in_.size() || in_[pos] == '\n' || in_[pos] == '\r') return true;
    std::string_view rest = in_.substr(pos);
    return rest.substr(0, 3) == "\xE2\x80\xA6" || rest.substr(0, 3) == "...";
  }

  bool LegacyNameStandsAlone(size_t end) const {
    if (end < in_.size()) {
      const char next = in_[end];
      if (IsAsciiAlnum(next) || (next != '\0' && std::strchr("_=-.()[],", next) != nullptr)) {
        return false;
      }
    }
    const char before = LastOutputByte();
    if (IsAsciiAlnum(before) || before == '_') return false;
    return !InUrlQuery();
  }

  // The output since the last whitespace looks like part of a URL query string.
  bool InUrlQuery() const {
    const std::string& out = *out_;
    const size_t stop = std::max(out_start_, out.size() > kQueryLookBehind
                                                 ? out.size() - kQueryLookBehind
                                                 : size_t{0});
    for (size_t i = out.size(); i > stop; --i) {
      const char c = out[i - 1];
      if (IsAsciiSpace(c)) return false;
      if (c == '=') return true;
      if (c == '?' && i < out.size() && IsAsciiAlnum(out[i])) return true;
    }
    return false;
  }

  // The last byte written by this call, or NUL at the start.
  char LastOutputByte() const { return out_->size() > out_start_ ? out_->back() : '\0'; }

  const std::string_view in_;
  const EntityDecodeOptions& options_;
  std::string* const out_;
  const size_t out_start_;
  std::vector<DecodedSpan>* const spans_;
  size_t decoded_ = 0;
};

// ASCII case-insensitive search of `needle` (lower case, not empty) in `haystack`, from
// `from`. Candidates are found with memchr on the first byte, in both cases for a letter.
size_t FindFolded(std::string_view haystack, std::string_view needle, size_t from) {
  if (needle.empty() || needle.size() > haystack.size()) return std::string_view::npos;
  const char first = needle[0];
  const char other = first >= 'a' && first <= 'z' ? static_cast<char>(first - 'a' + 'A') : first;
  const size_t last_start = haystack.size() - needle.size();
  auto next = [&haystack, last_start](char c, size_t at) -> size_t {
    if (at > last_start) return std::string_view::npos;
    const void* hit = std::memchr(haystack.data() + at, c, last_start - at + 1);
    return hit == nullptr ? std::string_view::npos
                          : static_cast<size_t>(static_cast<const char*>(hit) - haystack.data());
  };
  size_t lower = next(first, from);
  size_t upper = other == first ? std::string_view::npos : next(other, from);
  while (lower != std::string_view::npos || upper != std::string_view::npos) {
    const size_t i = std::min(lower, upper);
    size_t k = 1;
    while (k < needle.size()) {
      char c = haystack[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != needle[k]) break;
      ++k;
    }
    if (k == needle.size()) return i;
    if (i == lower) lower = next(first, i + 1);
    if (i == upper) upper = next(other, i + 1);
  }
  return std::string_view::npos;
}

// Terms that name HTML escaping; see LooksAboutEscaping in the header.
constexpr const char* kEscapingTerms[] = {
    "转义", "轉義", "字符实体", "实体字符", "实体编码", "实体引用", "html实体", "html 实体",
    "字元實體", "html實體", "html 實體", "html entit", "character entit", "named entit",
    "character reference", "escape", "htmlspecialchars", "htmlentities",
};

// The references an explanation of escaping shows: to < > & " ' and no-break space.
bool IsEscapingExample(const Reference& ref) {
  if (!ref.semicolon) return false;
  uint32_t value = ref.value;
  if (ref.named != nullptr) {
    if (ref.named->text_length > 2) return false;
    value = static_cast<unsigned char>(ref.named->text[0]);
    if (ref.named->text_length == 2) {
      if (std::string_view(ref.named->text, 2) != "\xC2\xA0") return false;
      value = 0xA0;
    }
  }
  return value == '<' || value == '>' || value == '&' || value == '"' || value == '\'' ||
         value == 0xA0;
}

}  // namespace

bool ParseEntityMode(std::string_view name, EntityMode* mode) {
  if (name == "html5") {
    *mode = EntityMode::kHtml5;
  } else if (name == "scrape") {
    *mode = EntityMode::kScrape;
  } else if (name == "none") {
    *mode = EntityMode::kNone;
  } else {
    return false;
  }
  return true;
}

int32_t ContextFreeThreeByteReferenceAt(std::string_view text, size_t at, size_t* end) {
  // `&#xffHH;`, the form nearly all references in scraped Chinese text take (full-width
  // punctuation), read without the general loop: ReadNumeric gives it the same value.
  if (text.size() - at >= 8 && text[at] == '&' && text[at + 1] == '#' &&
      (text[at + 2] | 0x20) == 'x' && (text[at + 3] | 0x20) == 'f' &&
      (text[at + 4] | 0x20) == 'f' && text[at + 7] == ';') {
    const uint32_t high = kDigitValues[static_cast<unsigned char>(text[at + 5])];
    const uint32_t low = kDigitValues[static_cast<unsigned char>(text[at + 6])];
    if (high < 16 && low < 16) {
      *end = at + 8;
      return static_cast<int32_t>(0xFF00 | high << 4 | low);
    }
  }
  // Saturated past U+FFFF: the match view's single pass asks this at every `&#`.
  Reference ref;
  if (at + 1 >= text.size() || text[at] != '&' || text[at + 1] != '#' ||
      !ReadNumeric(text, at + 2, &ref, 0x10000) || !ref.semicolon) {
    return -1;
  }
  if (ref.value < 0x800 || ref.value > 0xFFFF || IsSurrogate(ref.value)) return -1;
  *end = ref.end;
  return static_cast<int32_t>(ref.value);
}

bool MayContainEntity(std::string_view text) {
  if (std::memchr(text.data(), '&', text.size()) != nullptr) return true;
  // Without an `&` only the `#xHHHH;` of a lost `&` decodes: a `#` before anything but `x`
  // or `X` (a heading, `#include`, `C#`) is no reference.
  const char* const end = text.data() + text.size();
  for (const char* p = text.data(); p < end; ++p) {
    p = static_cast<const char*>(std::memchr(p, '#', static_cast<size_t>(end - p)));
    if (p == nullptr) return false;
    if (end - p >= 2 && (p[1] == 'x' || p[1] == 'X')) return true;
  }
  return false;
}

size_t DecodeEntities(std::string_view in, const EntityDecodeOptions& options, std::string* out,
                      std::vector<DecodedSpan>* spans) {
  // Text without an `&` (in scrape mode: nor a `#`) is copied unread. MayContainEntity, a
  // finer test, is the callers' to make, so that this stays the decoder it is tested against.
  const bool nothing_to_do =
      options.mode == EntityMode::kNone ||
      (std::memchr(in.data(), '&', in.size()) == nullptr &&
       (options.mode == EntityMode::kHtml5 || std::memchr(in.data(), '#', in.size()) == nullptr));
  if (nothing_to_do) {
    out->append(in.data(), in.size());
    return 0;
  }
  return Decoder(in, options, out, spans).Run();
}

const char* LookupNamedEntity(std::string_view name) {
  const bool semicolon = !name.empty() && name.back() == ';';
  if (semicolon) name.remove_suffix(1);
  const NamedReference* entry = FindName(name);
  if (entry == nullptr || (!semicolon && !entry->legacy)) return nullptr;
  return entry->text;
}

bool CarriesEscapingLayer(std::string_view text) {
  if (text.find('<') != std::string_view::npos) return false;
  bool evidence = false;
  for (size_t at = 0; at < text.size(); ++at) {
    if (text[at] != '&' && text[at] != '#') continue;
    Reference ref;
    if (text[at] == '#') {
      // `#xff1a;` with its `&` lost
      if (!evidence && (at == 0 || text[at - 1] != '&') && ReadNumeric(text, at + 1, &ref) &&
          ref.hex && ref.semicolon && IsCjkCharacter(ref.value)) {
        evidence = true;
      }
      continue;
    }
    if (!ReadReference(text, at + 1, &ref)) return false;  // a bare `&`: what the reader saw
    const char before = at == 0 ? '\0' : text[at - 1];
    Reference inner = ref;
    Reference next;
    while (ProducesAmpersand(inner) && inner.semicolon && ReadReference(text, inner.end, &next) &&
           next.semicolon) {
      inner = next;
    }
    if (inner.named == nullptr && inner.semicolon &&
        (IsCjkCharacter(inner.value) || IsEmoji(inner.value) || IsHighSurrogate(inner.value)) &&
        !(IsExampleBoundary(before) &&
          IsExampleBoundary(inner.end < text.size() ? text[inner.end] : '\0'))) {
      evidence = true;
    }
    at = ref.end - 1;
  }
  return evidence;
}

bool LooksAboutEscaping(std::string_view text) {
  constexpr size_t kNear = 64;
  // Offsets of the examples, and their spellings without the `&` all of them start with
  // (views into `text`, so that no spelling is copied).
  std::vector<size_t> examples;
  std::vector<std::string_view> spellings;
  for (size_t at = text.find('&'); at != std::string_view::npos; at = text.find('&', at + 1)) {
    Reference ref;
    if (!ReadReference(text, at + 1, &ref) || !IsEscapingExample(ref)) continue;
    // A chain of layers is spelled as its innermost reference (`&amp;amp;lt;` as `&lt;`), so
    // that taking a layer off changes nothing here; a chain ending in a reference that is
    // not an example (`&amp;#xff1a;`, `&amp;copy;`) is no example at all.
    const size_t start = at;
    size_t inner_start = at + 1;  // just past the `&` of the innermost reference
    Reference inner;
    bool damage = false;
    while (ProducesAmpersand(ref) && ref.semicolon && ReadReference(text, ref.end, &inner)) {
      if (!IsEscapingExample(inner)) {
        damage = true;
        break;
      }
      inner_start = ref.end;
      ref = inner;
    }
    at = ref.end - 1;
    if (damage) continue;
    examples.push_back(start);
    spellings.push_back(text.substr(inner_start, ref.end - inner_start));
  }
  std::sort(spellings.begin(), spellings.end());
  if (std::unique(spellings.begin(), spellings.end()) - spellings.begin() < 2) return false;

  // A term at `at` counts when an example starts in [at - kNear, at + size + kNear], that is
  // when the term starts in [x - size - kNear, x + kNear] for an example at x: only those
  // windows are searched (merged where they meet), not the whole text, which in a long
  // Chinese article meets the first byte of a CJK term everywhere.
  for (const char* term : kEscapingTerms) {
    const std::string_view needle(term);
    const size_t before = needle.size() + kNear;
    for (size_t k = 0; k < examples.size();) {
      const size_t first = examples[k] > before ? examples[k] - before : 0;  // first start
      size_t last = examples[k] + kNear;                                     // last start
      for (++k; k < examples.size() && examples[k] - std::min(examples[k], before) <= last + 1;
           ++k) {
        last = examples[k] + kNear;
      }
      const size_t end = std::min(text.size(), last + needle.size());
      if (first < end && FindFolded(text.substr(first, end - first), needle, 0) !=
                             std::string_view::npos) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace winnow

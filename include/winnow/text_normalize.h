// Unicode and whitespace normalization shared by the rules stage (the match view of a line)
// and the repair stage (the text that is emitted). Built on ICU; one instance per thread.
#ifndef WINNOW_TEXT_NORMALIZE_H_
#define WINNOW_TEXT_NORMALIZE_H_

#include <bitset>
#include <cstddef>
#include <string>
#include <string_view>

namespace winnow {

enum class NormalForm { kNone, kNfc, kNfkc };

/// Counts of what TextNormalizer::Repair changed in one piece of text.
struct SpaceRepairCounts {
  size_t odd_spaces = 0;   ///< NBSP and other odd spaces made U+0020
  size_t zero_width = 0;   ///< zero-width characters and stray BOMs removed
  size_t controls = 0;     ///< C0/C1 controls and DEL removed (tab and LF are kept), and
                           ///< `_x000D_` artefacts (an escaped CR) removed
  size_t normalized = 0;   ///< 1 when normalization changed the text
};

/// What TextNormalizer::KeyIsCharacterwise tells of a line whose match view is made of its
/// characters' images alone.
struct CharacterwiseKey {
  /// The ASCII bytes the view holds in place of a character the line writes otherwise: the
  /// ASCII forms of full-width forms (written as such or as references, `&#xff0c;`), `.`
  /// for U+2026.
  std::bitset<128> folded;
  /// The view's first character (a view of the line or of static storage).
  std::string_view start;
};

class TextNormalizer {
 public:
  TextNormalizer();
  ~TextNormalizer();
  TextNormalizer(const TextNormalizer&) = delete;
  TextNormalizer& operator=(const TextNormalizer&) = delete;

  /// False when ICU's normalization data could not be loaded; then no text is normalized.
  bool ok() const;

  /// Writes `text` with traditional Chinese characters mapped to simplified ones (ICU's
  /// Traditional-Simplified transliterator, created on first use) into `*out`. Used to see
  /// that a title repeated in traditional form is the same title. Slow: call it rarely.
  void ToSimplified(std::string_view text, std::string* out);

  /// The view rules match against: entities decoded (scrape policy), NFKC (which also folds
  /// full-width forms such as `：` to `:`), odd and zero-width spaces handled, runs of
  /// whitespace collapsed to one U+0020, trimmed at both ends. Replaces `*key`. Allocates
  /// nothing once its buffers have grown to the longest line.
  /// Most lines take one pass over their bytes; one with a reference takes it after the
  /// decoder. A character that NFKC changes or that may compose with a neighbour (beyond the
  /// full-width forms, odd spaces and U+2026, which the pass maps as NFKC does), or ill-formed
  /// UTF-8, sends the line down the general path, MatchKeyReference.
  void MatchKey(std::string_view line, std::string* key);

  /// True when MatchKey of `line` is, provably, the line with each character replaced by an
  /// image that depends on that character alone, runs of whitespace collapsed to one U+0020
  /// and none at either end, and not empty. The images: the character itself for ASCII
  /// (controls too; `&` and `#` when they start no reference) and for the characters the
  /// view keeps as they are; the ASCII form for U+FF01..U+FF5E and for a reference to one
  /// (`&#xff0c;` is `,`); `...` for U+2026; whitespace (ASCII, NBSP, U+3000, the other odd
  /// spaces) is a separator. Any other character (a zero-width character, one NFKC changes
  /// otherwise, another reference, ill-formed UTF-8) gives false, as may a line too long
  /// for ICU. Fills `*key` when true. A scan of the line's bytes, far cheaper than MatchKey:
  /// for callers that need only what the view can hold, such as a rule's literal atoms.
  bool KeyIsCharacterwise(std::string_view line, CharacterwiseKey* key);

  /// MatchKey's general path: entity decoding, zero-width removal, width folding, ICU's NFKC
  /// and collapsing as separate passes. Same output as MatchKey for every line, slower; kept
  /// as the reference the tests compare the single pass with.
  void MatchKeyReference(std::string_view line, std::string* key);

  /// The emitted text's Unicode clean-up, entities aside: odd spaces (NBSP, U+2000..U+200A,
  /// U+202F, U+205F, U+3000 is kept as CJK text) to U+0020; zero-width characters
  /// (U+200B..U+200D, U+2060, U+FEFF) removed, except a U+200D joining two emoji (👨‍💻);
  /// C0/C1 controls and DEL removed except tab and LF; the literal `_x000D_` removed;
  /// then `form`. Nothing else changes: no trimming, no collapsing, no width folding beyond
  /// what `form` does; ill-formed UTF-8 passes through. Replaces `*out` (which must not alias
  /// `text`), adds to `*counts`.
  /// Text with nothing to repair and only characters `form` leaves alone takes one pass.
  void Repair(std::string_view text, NormalForm form, std::string* out, SpaceRepairCounts* counts);

  /// Repair's general path, which Repair takes for any text its single pass does not clear.
  /// Same output and counts as Repair, slower; kept as the reference for tests.
  void RepairReference(std::string_view text, NormalForm form, std::string* out,
                       SpaceRepairCounts* counts);

  /// Applies `form` to `text` into `*out`. Returns false when `text` was already normal
  /// (then `*out` is a copy). Uses ICU's quick check first. `*out` must not alias `text`.
  bool Normalize(std::string_view text, NormalForm form, std::string* out);

 private:
  /// Repair's first step, the same in both paths: `text` without its controls, `_x000D_`
  /// and zero-width characters, its odd spaces made U+0020 (a view of a scratch buffer, or
  /// `text` itself when there is nothing to remove); adds to `*counts`.
  std::string_view RemoveRepairables(std::string_view text, SpaceRepairCounts* counts);
  struct Impl;
  Impl* impl_;
};

/// The code point of the character at `text[i]` of valid UTF-8 text (what the reader hands
/// out), and its length in `*length`; U+FFFD, length 1, for a sequence cut off at the end.
char32_t DecodeCodePointAt(std::string_view text, size_t i, size_t* length);

/// The code points of UTF-8 `text` (continuation bytes are not counted), sixteen bytes a step
/// with SSE2, else eight.
size_t CountCodePoints(std::string_view text);

/// True for a code point in the CJK ranges that decide punctuation width (Han, kana, Hangul,
/// CJK punctuation, full-width and CJK compatibility forms).
bool IsCjkCodePoint(char32_t c);

}  // namespace winnow

#endif  // WINNOW_TEXT_NORMALIZE_H_

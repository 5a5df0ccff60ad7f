// Whether a regex can match only at the start of the text, read from its syntax. An RE2::Set
// of such patterns can be compiled with RE2::ANCHOR_START, so its DFA stops as soon as no
// pattern can go on, instead of scanning every line to its end; unless a pattern starts
// with something like `^.*`, which keeps it going.
#ifndef WINNOW_PATTERN_ANCHOR_H_
#define WINNOW_PATTERN_ANCHOR_H_

#include <bitset>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace winnow {

/// How a pattern's matches start, read from its syntax (RE2 syntax, already known to
/// compile).
enum class PatternStart {
  /// Not known to match only at the text's start.
  kAnywhere,
  /// Every top-level alternative begins with `^`, or with a group each of whose alternatives
  /// does, possibly after flag groups such as `(?i)`.
  kAnchored,
  /// Anchored, but some alternative goes on from its `^` with an unbounded run of `.`, a
  /// negated class or a broad escape (`^.*X`, `^[^。]*X`, `^\S+`): a DFA reads far into the
  /// line before it can tell.
  kAnchoredScan,
};

/// kAnywhere whenever it is unsure: a multi-line flag anywhere, `\Q`, an empty alternative,
/// a quantified `^` or group.
PatternStart ClassifyPatternStart(std::string_view pattern);

/// Not kAnywhere: the pattern can match only at the start of the text.
bool IsAnchoredAtStart(std::string_view pattern);

/// The characters a match starting at the text's start may begin with, read from patterns'
/// syntax, so an anchored RE2::Set can be skipped on a line that starts with none of them.
/// Exact where it says no: ASCII is kept one character at a time, and so are CJK ideographs
/// (U+3400-U+4DBF, U+4E00-U+9FFF: letters without case in every Unicode version, so no
/// \p{So}-like class or case folding reaches them); any other character is either all in or
/// all out.
class StartCharacters {
 public:
  /// Nothing may start a match.
  StartCharacters();
  /// Anything may.
  static StartCharacters All() {
    StartCharacters all;
    all.any_ = true;
    return all;
  }

  /// What `pattern` (RE2 syntax, known to compile) can begin a match with, when matched
  /// anchored at the text's start; every character when unsure (a multi-line flag, `\Q`,
  /// `[:alpha:]`, a class such as \pL, a match that may be empty).
  static StartCharacters Of(std::string_view pattern);

  void Add(const StartCharacters& other);
  bool any() const { return any_; }

  /// False only when no match at `text`'s start can begin with its first character; true for
  /// an empty text.
  bool MayStart(std::string_view text) const;

 private:
  friend class StartScanner;
  static constexpr char32_t kHanFirst = 0x3400;
  static constexpr char32_t kHanEnd = 0xA000;  // the blocks' end; U+4DC0-U+4DFF is not Han
  static bool IsHan(char32_t rune) {
    return rune >= kHanFirst && rune < kHanEnd && (rune < 0x4DC0 || rune >= 0x4E00);
  }
  // Adds the characters from `first` to `last`; `fold`: in either ASCII case, and whatever
  // else folds to one of them.
  void AddRange(char32_t first, char32_t last, bool fold);
  void AddAll() { any_ = true; }
  // Add, leaving han_bits_ as they are: while a pattern is read.
  void Append(const StartCharacters& other);
  // Sets the bits of han_ in han_bits_, once a pattern is read.
  void SetHanBits();

  bool any_ = false;
  bool other_ = false;  // every character that is neither ASCII nor a CJK ideograph
  std::bitset<128> ascii_;
  // The ideographs that may, as ranges, and once SetHanBits has run as bits
  // (rune - kHanFirst), which MayStart reads.
  std::vector<std::pair<char32_t, char32_t>> han_;
  std::vector<uint64_t> han_bits_;
};

}  // namespace winnow

#endif  // WINNOW_PATTERN_ANCHOR_H_

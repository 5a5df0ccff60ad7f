// Literal atoms a regex match must contain, and a one-pass search for them, so the rule
// engine can skip its RE2::Set on the many lines that hold none of them.
//
// The atoms come from re2's own prefilter (re2::FilteredRE2), which lowercases them: an atom
// stands for its text in any ASCII case. The search lowercases only ASCII, so an atom is kept
// only where that is enough (see FindRequiredAtoms).
#ifndef WINNOW_LITERAL_PREFILTER_H_
#define WINNOW_LITERAL_PREFILTER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

namespace winnow {

/// Finds literal atoms such that every text `pattern` matches (partially, anywhere) contains
/// at least one of them after ASCII lowercasing. Returns false, with `*atoms` empty, when re2
/// finds no such atoms for the pattern (it is then "unfiltered": it must always be run). The
/// atoms are lowercase, at least two bytes long and a small subset of what re2 found: an atom
/// the others make unnecessary is left out, longer atoms are kept over shorter ones.
/// `options` must be the options the pattern is matched with (UTF-8).
bool FindRequiredAtoms(std::string_view pattern, const RE2::Options& options,
                       std::vector<std::string>* atoms);

/// A rune outside ASCII that re2's prefilter lowercases to an ASCII letter (in re2 20220601:
/// U+017F LATIN SMALL LETTER LONG S to 's', U+212A KELVIN SIGN to 'k'). A text holding one
/// can match a pattern whose atom has the letter without holding the atom in ASCII lowercase,
/// so FindRequiredAtoms adds the rune itself as an atom wherever an atom has the letter.
struct AsciiFoldHazard {
  char32_t rune;
  char letter;
  std::string utf8;  ///< the rune's UTF-8 bytes
};
/// Asked of re2 once, so it follows the installed re2's own case tables.
const std::vector<AsciiFoldHazard>& AsciiFoldHazards();

/// True when `rune` (outside ASCII) has case: some other rune may lowercase to it, so an atom
/// holding it cannot be found by lowercasing ASCII only.
bool HasCaseOutsideAscii(char32_t rune);

/// Whether a text contains at least one of a fixed set of byte strings, ASCII letters in any
/// case. One pass over the text: the three bytes at each position are hashed into a 4 KB
/// bitmap that marks how stored atoms start (in every ASCII case), and only where a bit is
/// set are the atoms with those first three bytes, lowercased, compared. Atoms of one or two
/// bytes (rare: ©, AsciiFoldHazards) are looked for separately. Allocates nothing;
/// thread-safe once built.
class LiteralPrefilter {
 public:
  LiteralPrefilter() = default;
  /// `atoms`' ASCII letters are lowercased; empty atoms are ignored.
  explicit LiteralPrefilter(const std::vector<std::string>& atoms);

  bool empty() const { return long_atoms_.empty() && short_atoms_.empty(); }
  bool ContainsAny(std::string_view text) const;

 private:
  static constexpr int kBitmapBits = 1 << 15;

  struct Span {
    uint32_t offset;  // in atom_bytes_
    uint32_t length;
  };

  static uint32_t BitOf(uint32_t trigram) { return (trigram * 0x9E3779B1u) >> 17; }
  // 1 when some stored atom may start with the three bytes `trigram` (the first lowest).
  uint32_t MarkOf(uint32_t trigram) const {
    const uint32_t bit = BitOf(trigram);
    return static_cast<uint32_t>(bitmap_[bit >> 6] >> (bit & 63)) & 1;
  }
  // Whether a stored atom starts at `text[at]`, `at + 3 <= size`.
  bool AtomStartsAt(const unsigned char* text, size_t at, size_t size) const;

  std::array<uint64_t, kBitmapBits / 64> bitmap_{};
  // Atoms of three bytes or more, sorted by their first three bytes read as a number (the
  // first byte lowest), which trigrams_ holds for a cache-friendly binary search;
  // long_atoms_[i] is the atom itself.
  std::vector<uint32_t> trigrams_;
  std::vector<Span> long_atoms_;
  std::string atom_bytes_;
  std::vector<std::string> short_atoms_;  // one or two bytes
};

}  // namespace winnow

#endif  // WINNOW_LITERAL_PREFILTER_H_

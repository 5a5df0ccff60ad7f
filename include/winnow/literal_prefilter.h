// Literal atoms a regex match must contain, and a one-pass search for them, so the rule
// engine can skip its RE2::Set on the many lines that hold none of them.
//
// The atoms come from re2's own prefilter (re2::FilteredRE2), which lowercases them: an atom
// stands for its text in any ASCII case. The search lowercases only ASCII, so an atom is kept
// only where that is enough (see FindRequiredAtoms).
#ifndef WINNOW_LITERAL_PREFILTER_H_
#define WINNOW_LITERAL_PREFILTER_H_

#include <bitset>
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
/// case. The text is read two bytes at every `stride`-th position, and each pair read indexes
/// a 128 KB table that marks the pairs atoms are anchored on, in every ASCII case; only where
/// a pair is marked, and the pair after it may follow it in an atom (a 64-bit filter), are
/// the atoms anchored on it compared, eight bytes at once. An atom of
/// three bytes or more is anchored on `stride` of its pairs side by side, where stride is
/// one less than the shortest such atom (at most kMaxStride), so one of the reads falls on
/// them wherever the atom occurs. A two-byte atom (©, AsciiFoldHazards) makes the stride two:
/// every byte is then read, so it is anchored on itself and on every pair that ends with its
/// first byte. One-byte atoms are looked for separately. A set of at most eight atoms is, with
/// AVX2, looked for 32 offsets at a time instead (see ContainsAnyOfFew). Allocates nothing;
/// thread-safe once built.
class LiteralPrefilter {
 public:
  LiteralPrefilter() = default;
  /// `atoms`' ASCII letters are lowercased; empty atoms are ignored.
  explicit LiteralPrefilter(const std::vector<std::string>& atoms);

  bool empty() const { return atoms_.empty() && single_bytes_.empty(); }
  bool ContainsAny(std::string_view text) const;
  /// True when some atom holds one of the ASCII bytes `bytes` has, in either ASCII case.
  bool AnyAtomHoldsAsciiOf(const std::bitset<128>& bytes) const {
    return (ascii_in_atoms_ & bytes).any();
  }

 private:
  static constexpr size_t kMaxStride = 4;

  struct Atom {
    uint32_t offset;  // in atom_bytes_
    uint32_t length;
    // The first eight bytes (zero past the end) as one load of them reads them, letters
    // uppercased, and the mask that uppercases a text's letters where the atom has one and
    // drops bytes past its end: ASCII case aside, only the atom's own bytes pass the mask
    // as `head`.
    uint64_t head;
    uint64_t head_mask;
  };
  // A pair an atom is anchored on: atoms_[atom] starts `shift` bytes before the pair (one
  // byte after it when -1).
  struct Anchor {
    uint32_t pair;  // the two bytes lowercased, the first lowest
    int32_t shift;
    uint32_t atom;
  };

  // With few atoms, an AVX2 scan looks at two bytes of every offset at once, the first and
  // the one `probe_gap_` on (1, or 2 when every atom has three bytes): a byte may be the
  // probe's byte of atoms_[a] only where bit a is set in both the table of its low nibble and
  // that of its high nibble. The few offsets that pass are compared whole.
  static constexpr size_t kMaxFewAtoms = 8;
  // ContainsAny of the atoms of two bytes or more, when there are few (`probe_gap_` not 0).
  // `size >= 32 + probe_gap_`.
  bool ContainsAnyOfFew(const unsigned char* text, size_t size) const;
  // Whether an atom anchored on the pair at `text[at]`, whose mark is `mark` (not 0),
  // occurs there.
  bool AtomAround(const unsigned char* text, size_t at, size_t size, unsigned mark) const;
  // Whether atoms_[index] occurs at `text[start]`, `start <= size`.
  bool AtomAt(const unsigned char* text, size_t start, size_t size, uint32_t index) const;

  size_t stride_ = 1;
  size_t shortest_ = 0;  // of atoms_
  // Per pair (the first byte lowest): 0, or one more than the index of its group in
  // group_start_. A group is a pair in lowercase: fewer than 65535 of them.
  std::vector<uint16_t> marks_;
  std::vector<Anchor> anchors_;        // sorted by pair: the anchors of a group side by side
  std::vector<uint32_t> group_start_;  // per group, in anchors_; then anchors_.size()
  // Per group, one bit (FollowerBit) for each pair that may follow its pair two bytes on in
  // an atom anchored there; all bits when an atom may end sooner.
  std::vector<uint64_t> followers_;
  std::vector<Atom> atoms_;            // two bytes or more
  std::string atom_bytes_;
  std::vector<unsigned char> single_bytes_;  // one-byte atoms
  std::bitset<128> ascii_in_atoms_;  // the ASCII bytes of all atoms, letters in both cases
  size_t probe_gap_ = 0;  // 0 when there are more than kMaxFewAtoms atoms
  // Per probe (the first byte, the one `probe_gap_` on), by nibble: the atoms a byte with
  // that nibble may be the probe's byte of, one bit each (low nibble, then high).
  unsigned char probe_nibbles_[2][2][16] = {};
};

}  // namespace winnow

#endif  // WINNOW_LITERAL_PREFILTER_H_

#include "winnow/literal_prefilter.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include <re2/filtered_re2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace winnow {

namespace {

// re2's prefilter drops atoms shorter than this. Two bytes keep © and the like; ASCII atoms
// that short are too common to look for, and are not (see FindRequiredAtoms).
constexpr int kMinAtomLength = 2;

constexpr std::array<unsigned char, 256> MakeAsciiLower() {
  std::array<unsigned char, 256> table{};
  for (int byte = 0; byte < 256; ++byte) {
    table[byte] = static_cast<unsigned char>(byte >= 'A' && byte <= 'Z' ? byte + ('a' - 'A') : byte);
  }
  return table;
}
constexpr std::array<unsigned char, 256> kAsciiLower = MakeAsciiLower();

// Three bytes as one number, the first lowest.
uint32_t TrigramOf(const char* bytes) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes);
  return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16;
}

std::string AsciiLowercased(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) c = static_cast<char>(kAsciiLower[static_cast<unsigned char>(c)]);
  return lowered;
}

std::string Utf8Of(char32_t rune) {
  char bytes[U8_MAX_LENGTH];
  int32_t length = 0;
  UBool failed = false;
  U8_APPEND(bytes, length, U8_MAX_LENGTH, static_cast<UChar32>(rune), failed);
  return failed ? std::string() : std::string(bytes, static_cast<size_t>(length));
}

// Characters, not bytes, of well-formed UTF-8: continuation bytes are not counted.
size_t Utf8Length(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// True when lowercasing ASCII alone turns every text re2 would lowercase to `atom` into
// `atom`, AsciiFoldHazards aside: no ASCII capital (re2 never leaves one) and no rune outside
// ASCII that has case.
bool AsciiLoweringFinds(std::string_view atom) {
  const int32_t size = static_cast<int32_t>(atom.size());
  for (int32_t at = 0; at < size;) {
    UChar32 rune;
    U8_NEXT(atom.data(), at, size, rune);
    if (rune < 0) return false;
    if (rune < 0x80) {
      if (rune >= 'A' && rune <= 'Z') return false;
    } else if (HasCaseOutsideAscii(static_cast<char32_t>(rune))) {
      return false;
    }
  }
  return true;
}

// The pattern's prefilter as a predicate: may the pattern match a text in which exactly the
// atoms `present` (indices into the atoms FilteredRE2::Compile returned) occur?
bool MayMatch(const re2::FilteredRE2& filter, const std::vector<int>& present) {
  std::vector<int> potentials;
  filter.AllPotentials(present, &potentials);
  return !potentials.empty();
}

}  // namespace

bool HasCaseOutsideAscii(char32_t rune) {
  const UChar32 c = static_cast<UChar32>(rune);
  return u_hasBinaryProperty(c, UCHAR_CASED) ||
         u_hasBinaryProperty(c, UCHAR_CHANGES_WHEN_CASEMAPPED) ||
         u_hasBinaryProperty(c, UCHAR_CHANGES_WHEN_CASEFOLDED);
}

const std::vector<AsciiFoldHazard>& AsciiFoldHazards() {
  static const std::vector<AsciiFoldHazard> hazards = [] {
    // The runes outside ASCII that Unicode relates by case to an ASCII letter (İ, ı, ſ, K);
    // which of them re2 lowercases to ASCII depends on its tables, so ask it.
    constexpr char32_t kCandidates[] = {0x0130, 0x0131, 0x017F, 0x212A};
    std::vector<AsciiFoldHazard> found;
    RE2::Options options;
    options.set_encoding(RE2::Options::EncodingUTF8);
    options.set_log_errors(false);
    for (char32_t rune : kCandidates) {
      std::string utf8 = Utf8Of(rune);
      re2::FilteredRE2 filter(1);
      int id = 0;
      if (filter.Add(RE2::QuoteMeta(utf8), options, &id) != RE2::NoError) continue;
      std::vector<std::string> atoms;
      filter.Compile(&atoms);
      if (atoms.size() == 1 && atoms[0].size() == 1 && atoms[0][0] >= 'a' && atoms[0][0] <= 'z') {
        found.push_back({rune, atoms[0][0], std::move(utf8)});
      }
    }
    return found;
  }();
  return hazards;
}

bool FindRequiredAtoms(std::string_view pattern, const RE2::Options& options,
                       std::vector<std::string>* atoms) {
  atoms->clear();
  re2::FilteredRE2 filter(kMinAtomLength);
  int id = 0;
  if (filter.Add(pattern, options, &id) != RE2::NoError) return false;
  std::vector<std::string> found;
  filter.Compile(&found);

  // Look for a cut: atoms of which any match must contain one. The atoms ASCII lowering may
  // miss, and ASCII atoms under three bytes, are assumed present from the start; if the
  // pattern may then match, there is none.
  std::vector<int> present;
  std::vector<int> candidates;
  for (size_t i = 0; i < found.size(); ++i) {
    const bool short_ascii = found[i].size() < 3 && Utf8Length(found[i]) == found[i].size();
    const bool usable = !short_ascii && AsciiLoweringFinds(found[i]);
    (usable ? candidates : present).push_back(static_cast<int>(i));
  }
  if (MayMatch(filter, present)) return false;

  // Shrink it greedily, atoms of fewest characters first: they are the most common in text
  // (one CJK character is in many lines, "icp" in few) and so would open the gate most often.
  // An atom can go when the pattern still cannot match with it, and all atoms already gone,
  // present.
  std::vector<size_t> characters(found.size());
  for (size_t i = 0; i < found.size(); ++i) characters[i] = Utf8Length(found[i]);
  std::sort(candidates.begin(), candidates.end(), [&](int a, int b) {
    const size_t i = static_cast<size_t>(a);
    const size_t j = static_cast<size_t>(b);
    if (characters[i] != characters[j]) return characters[i] < characters[j];
    return found[i].size() != found[j].size() ? found[i].size() < found[j].size()
                                              : found[i] < found[j];
  });
  for (int candidate : candidates) {
    present.push_back(candidate);
    if (MayMatch(filter, present)) {
      present.pop_back();
      atoms->push_back(found[static_cast<size_t>(candidate)]);
    }
  }

  for (const AsciiFoldHazard& hazard : AsciiFoldHazards()) {
    bool letter_used = std::any_of(atoms->begin(), atoms->end(), [&hazard](const std::string& a) {
      return a.find(hazard.letter) != std::string::npos;
    });
    if (letter_used) atoms->push_back(hazard.utf8);
  }
  return true;
}

LiteralPrefilter::LiteralPrefilter(const std::vector<std::string>& atoms) {
  std::vector<std::string> lowered;
  for (const std::string& atom : atoms) {
    if (!atom.empty()) lowered.push_back(AsciiLowercased(atom));
  }
  // Only whether some atom occurs matters, so an atom holding another adds nothing.
  std::sort(lowered.begin(), lowered.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  lowered.erase(std::unique(lowered.begin(), lowered.end()), lowered.end());
  std::vector<std::string> needed;
  for (std::string& atom : lowered) {
    const bool holds_another = std::any_of(needed.begin(), needed.end(), [&atom](const std::string& shorter) {
      return atom.find(shorter) != std::string::npos;
    });
    if (!holds_another) needed.push_back(std::move(atom));
  }

  // Sorting by first three bytes, then length, puts each trigram's atoms side by side.
  std::sort(needed.begin(), needed.end(), [](const std::string& a, const std::string& b) {
    if (a.size() < 3 || b.size() < 3) return a.size() < b.size();
    const uint32_t x = TrigramOf(a.data()), y = TrigramOf(b.data());
    return x != y ? x < y : a < b;
  });
  for (std::string& atom : needed) {
    if (atom.size() < 3) {
      short_atoms_.push_back(std::move(atom));
      continue;
    }
    trigrams_.push_back(TrigramOf(atom.data()));
    long_atoms_.push_back(
        {static_cast<uint32_t>(atom_bytes_.size()), static_cast<uint32_t>(atom.size())});
    atom_bytes_ += atom;
    // The scan reads the text as it is, so mark how the atom starts in every ASCII case.
    for (int capitals = 0; capitals < 8; ++capitals) {
      char start[3] = {atom[0], atom[1], atom[2]};
      bool exists = true;
      for (int i = 0; i < 3; ++i) {
        if ((capitals >> i & 1) == 0) continue;
        if (start[i] < 'a' || start[i] > 'z') exists = false;
        start[i] = static_cast<char>(start[i] - ('a' - 'A'));
      }
      if (!exists) continue;
      const uint32_t bit = BitOf(TrigramOf(start));
      bitmap_[bit >> 6] |= uint64_t{1} << (bit & 63);
    }
  }
}

namespace {

// `atom` is one or two lowercased bytes.
bool ContainsShortAtom(const std::string& atom, const unsigned char* text, size_t size) {
  const auto* wanted = reinterpret_cast<const unsigned char*>(atom.data());
  if (size < atom.size()) return false;
  const size_t last = size - atom.size();
  const bool first_is_letter = wanted[0] >= 'a' && wanted[0] <= 'z';
  for (size_t at = 0; at <= last; ++at) {
    if (!first_is_letter) {
      // The hazards start with a byte outside ASCII: let memchr jump to it.
      const void* found = std::memchr(text + at, wanted[0], last + 1 - at);
      if (found == nullptr) return false;
      at = static_cast<size_t>(static_cast<const unsigned char*>(found) - text);
    } else if (kAsciiLower[text[at]] != wanted[0]) {
      continue;
    }
    if (atom.size() == 1 || kAsciiLower[text[at + 1]] == wanted[1]) return true;
  }
  return false;
}

}  // namespace

bool LiteralPrefilter::AtomStartsAt(const unsigned char* text, size_t at, size_t size) const {
  const char lowered[3] = {static_cast<char>(kAsciiLower[text[at]]),
                           static_cast<char>(kAsciiLower[text[at + 1]]),
                           static_cast<char>(kAsciiLower[text[at + 2]])};
  const uint32_t trigram = TrigramOf(lowered);
  size_t i = static_cast<size_t>(std::lower_bound(trigrams_.begin(), trigrams_.end(), trigram) -
                                 trigrams_.begin());
  for (; i < trigrams_.size() && trigrams_[i] == trigram; ++i) {
    const Span& atom = long_atoms_[i];
    if (atom.length > size - at) continue;
    // The first three bytes are the trigram; compare the rest.
    const char* bytes = atom_bytes_.data() + atom.offset;
    size_t n = 3;
    while (n < atom.length && kAsciiLower[text[at + n]] == static_cast<unsigned char>(bytes[n])) ++n;
    if (n == atom.length) return true;
  }
  return false;
}

bool LiteralPrefilter::ContainsAny(std::string_view text) const {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  if (!trigrams_.empty() && size >= 3) {
    size_t at = 0;
    // Six starts out of each eight-byte load, tested independently of one another (a
    // rolling window makes each test wait for the one before: measured 1.3x slower).
    for (; at + 8 <= size; at += 6) {
      uint64_t word;
      std::memcpy(&word, bytes + at, sizeof word);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
      word = __builtin_bswap64(word);
#endif
      const auto start = [word](int k) { return static_cast<uint32_t>(word >> (8 * k)) & 0xFFFFFF; };
      uint32_t marked = MarkOf(start(0)) | MarkOf(start(1)) << 1 | MarkOf(start(2)) << 2 |
                        MarkOf(start(3)) << 3 | MarkOf(start(4)) << 4 | MarkOf(start(5)) << 5;
      for (; marked != 0; marked &= marked - 1) {
        if (AtomStartsAt(bytes, at + static_cast<size_t>(__builtin_ctz(marked)), size)) return true;
      }
    }
    for (; at + 3 <= size; ++at) {
      if (MarkOf(TrigramOf(reinterpret_cast<const char*>(bytes + at))) != 0 &&
          AtomStartsAt(bytes, at, size)) {
        return true;
      }
    }
  }
  for (const std::string& atom : short_atoms_) {
    if (ContainsShortAtom(atom, bytes, size)) return true;
  }
  return false;
}

}  // namespace winnow

#include "winnow/literal_prefilter.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include <re2/filtered_re2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "wide_scans.h"

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

// Two bytes as one number, the first lowest.
uint16_t PairOf(unsigned char first, unsigned char second) {
  return static_cast<uint16_t>(first | second << 8);
}

// A bit of LiteralPrefilter's followers_ for the pair `first`, `second`, the same in any ASCII
// case (setting 0x20 lowercases letters; that it merges other bytes only costs precision).
unsigned FollowerBit(unsigned char first, unsigned char second) {
  const uint32_t key = PairOf(first, second) | 0x2020u;
  return (key * 0x9E37u) >> 10 & 63;
}

// How common a byte pair may be expected to be in Chinese pages, roughly, to anchor atoms on
// their rarest pairs. A UTF-8 lead byte and a continuation byte are the start of any of 64
// characters; two continuation bytes end one of a handful; spaces are everywhere.
int PairCommonness(unsigned char first, unsigned char second) {
  const auto continuation = [](unsigned char byte) { return byte >= 0x80 && byte <= 0xBF; };
  const auto space = [](unsigned char byte) { return byte == ' ' || byte == '\t' || byte == '\n'; };
  if (space(first) || space(second)) return 8;
  if (first >= 0xC0 && continuation(second)) return 6;
  if (continuation(first)) return continuation(second) ? 1 : 3;
  return 4;
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

  for (std::string& atom : needed) {
    for (char c : atom) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte >= 0x80) continue;
      ascii_in_atoms_.set(byte);
      if (byte >= 'a' && byte <= 'z') ascii_in_atoms_.set(byte - ('a' - 'A'));
    }
    if (atom.size() == 1) {
      single_bytes_.push_back(static_cast<unsigned char>(atom[0]));
      continue;
    }
    if (shortest_ == 0 || atom.size() < shortest_) shortest_ = atom.size();
    unsigned char head[8] = {};
    unsigned char mask[8] = {};
    for (size_t i = 0; i < atom.size() && i < 8; ++i) {
      const bool letter = atom[i] >= 'a' && atom[i] <= 'z';
      mask[i] = letter ? 0xDF : 0xFF;
      head[i] = static_cast<unsigned char>(atom[i] & mask[i]);
    }
    Atom entry{static_cast<uint32_t>(atom_bytes_.size()), static_cast<uint32_t>(atom.size()), 0, 0};
    std::memcpy(&entry.head, head, sizeof head);
    std::memcpy(&entry.head_mask, mask, sizeof mask);
    atoms_.push_back(entry);
    atom_bytes_ += atom;
  }
  if (atoms_.empty()) return;
  if (atoms_.size() <= kMaxFewAtoms) {
    probe_gap_ = shortest_ >= 3 ? 2 : 1;
    for (uint32_t index = 0; index < atoms_.size(); ++index) {
      const auto bit = static_cast<unsigned char>(1u << index);
      for (size_t probe = 0; probe < 2; ++probe) {
        const auto byte = static_cast<unsigned char>(
            atom_bytes_[atoms_[index].offset + (probe == 0 ? 0 : probe_gap_)]);
        // The text is read as it is: a letter stands for its capital too.
        const bool letter = byte >= 'a' && byte <= 'z';
        const auto capital = static_cast<unsigned char>(letter ? byte - 0x20 : byte);
        for (const unsigned char form : {byte, capital}) {
          probe_nibbles_[probe][0][form & 0x0F] |= bit;
          probe_nibbles_[probe][1][form >> 4] |= bit;
        }
      }
    }
  }

  // Every occurrence of an atom spans `stride_` pair positions side by side from any offset
  // of it, and one of them is a multiple of `stride_`: the scan's.
  stride_ = shortest_ == 2 ? 2 : std::min(kMaxStride, shortest_ - 1);
  for (uint32_t index = 0; index < atoms_.size(); ++index) {
    const Atom& span = atoms_[index];
    const auto* atom = reinterpret_cast<const unsigned char*>(atom_bytes_.data() + span.offset);
    if (span.length == 2) {
      // Read at an even position, or as the second byte of the pair read before it.
      anchors_.push_back({PairOf(atom[0], atom[1]), 0, index});
      for (int before = 0; before < 256; ++before) {
        if (before >= 'A' && before <= 'Z') continue;  // the lowercase pair stands for it
        anchors_.push_back({PairOf(static_cast<unsigned char>(before), atom[0]), -1, index});
      }
      continue;
    }
    // The anchor is the `stride_` pairs of the atom, side by side, that look rarest; the
    // last of equals, since a Chinese phrase more often starts with a common character
    // (如, 本, 对, 不, 请) than it ends with one.
    size_t anchor = 0;
    int best = 0;
    for (size_t at = 0; at + stride_ < span.length; ++at) {
      int commonness = 0;
      for (size_t k = at; k < at + stride_; ++k) commonness += PairCommonness(atom[k], atom[k + 1]);
      if (at == 0 || commonness <= best) {
        anchor = at;
        best = commonness;
      }
    }
    for (size_t at = anchor; at < anchor + stride_; ++at) {
      anchors_.push_back({PairOf(atom[at], atom[at + 1]), static_cast<int32_t>(at), index});
    }
  }
  std::sort(anchors_.begin(), anchors_.end(), [](const Anchor& a, const Anchor& b) {
    return a.pair != b.pair ? a.pair < b.pair : a.atom < b.atom;
  });

  marks_.assign(size_t{1} << 16, 0);
  for (size_t i = 0; i < anchors_.size(); ++i) {
    const Anchor& anchor = anchors_[i];
    const Atom& atom = atoms_[anchor.atom];
    const uint64_t follower =
        anchor.shift < 0 || static_cast<uint32_t>(anchor.shift) + 3 >= atom.length
            ? ~uint64_t{0}
            : uint64_t{1} << FollowerBit(
                  static_cast<unsigned char>(atom_bytes_[atom.offset + anchor.shift + 2]),
                  static_cast<unsigned char>(atom_bytes_[atom.offset + anchor.shift + 3]));
    if (i > 0 && anchor.pair == anchors_[i - 1].pair) {
      followers_.back() |= follower;
      continue;
    }
    followers_.push_back(follower);
    group_start_.push_back(static_cast<uint32_t>(i));
    const auto mark = static_cast<uint16_t>(group_start_.size());
    // The scan reads the text as it is, so mark the pair in every ASCII case.
    for (int capitals = 0; capitals < 4; ++capitals) {
      unsigned char pair[2] = {static_cast<unsigned char>(anchors_[i].pair & 0xFF),
                               static_cast<unsigned char>(anchors_[i].pair >> 8)};
      bool exists = true;
      for (int k = 0; k < 2; ++k) {
        if ((capitals >> k & 1) == 0) continue;
        if (pair[k] < 'a' || pair[k] > 'z') exists = false;
        pair[k] = static_cast<unsigned char>(pair[k] - ('a' - 'A'));
      }
      if (exists) marks_[PairOf(pair[0], pair[1])] = mark;
    }
  }
  group_start_.push_back(static_cast<uint32_t>(anchors_.size()));
}

bool LiteralPrefilter::AtomAt(const unsigned char* text, size_t start, size_t size,
                              uint32_t index) const {
  const Atom& atom = atoms_[index];
  if (atom.length > size - start) return false;
  const auto* bytes = reinterpret_cast<const unsigned char*>(atom_bytes_.data() + atom.offset);
  size_t n = 0;
  if (size - start >= 8) {
    uint64_t word;
    std::memcpy(&word, text + start, sizeof word);
    if ((word & atom.head_mask) != atom.head) return false;
    n = std::min<size_t>(atom.length, 8);
  }
  while (n < atom.length && kAsciiLower[text[start + n]] == bytes[n]) ++n;
  return n == atom.length;
}

bool LiteralPrefilter::AtomAround(const unsigned char* text, size_t at, size_t size,
                                  unsigned mark) const {
  if (at + 3 < size && (followers_[mark - 1] >> FollowerBit(text[at + 2], text[at + 3]) & 1) == 0) {
    return false;
  }
  for (uint32_t i = group_start_[mark - 1]; i < group_start_[mark]; ++i) {
    const Anchor& anchor = anchors_[i];
    if (anchor.shift > 0 && static_cast<size_t>(anchor.shift) > at) continue;
    const size_t start = anchor.shift < 0 ? at + 1 : at - static_cast<size_t>(anchor.shift);
    if (AtomAt(text, start, size, anchor.atom)) return true;
  }
  return false;
}

#if defined(WINNOW_HAVE_AVX2_SCANS)
namespace {

// Functions, not lambdas: a lambda does not take on the AVX2 target of the function it is
// written in.

/// A 16-byte table in both 16-byte lanes, for the in-lane byte shuffle.
__attribute__((target("avx2"), always_inline)) inline __m256i InBothLanes(
    const unsigned char* table) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(table)));
}

/// Per byte of `v`: the bits its low nibble has in `low` and its high nibble in `high`.
__attribute__((target("avx2"), always_inline)) inline __m256i NibbleBits(__m256i v, __m256i low,
                                                                         __m256i high) {
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  return _mm256_and_si256(
      _mm256_shuffle_epi8(low, _mm256_and_si256(v, nibble)),
      _mm256_shuffle_epi8(high, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble)));
}

}  // namespace

__attribute__((target("avx2"))) bool LiteralPrefilter::ContainsAnyOfFew(const unsigned char* text,
                                                                        size_t size) const {
  const __m256i first_low = InBothLanes(probe_nibbles_[0][0]);
  const __m256i first_high = InBothLanes(probe_nibbles_[0][1]);
  const __m256i gap_low = InBothLanes(probe_nibbles_[1][0]);
  const __m256i gap_high = InBothLanes(probe_nibbles_[1][1]);
  // 32 offsets a step; the last step ends with the text, so it reaches every offset an atom
  // may start at.
  const size_t last = size - 32 - probe_gap_;
  for (size_t at = 0;; at = std::min(at + 32, last)) {
    const __m256i first = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text + at));
    const __m256i gap =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text + at + probe_gap_));
    const __m256i both = _mm256_and_si256(NibbleBits(first, first_low, first_high),
                                          NibbleBits(gap, gap_low, gap_high));
    const uint64_t none = internal::Avx2ByteMask(_mm256_cmpeq_epi8(both, _mm256_setzero_si256()));
    for (uint64_t offsets = ~none & 0xFFFFFFFF; offsets != 0; offsets &= offsets - 1) {
      const size_t start = at + static_cast<size_t>(__builtin_ctzll(offsets));
      for (uint32_t index = 0; index < atoms_.size(); ++index) {
        if (AtomAt(text, start, size, index)) return true;
      }
    }
    if (at == last) return false;
  }
}
#else
bool LiteralPrefilter::ContainsAnyOfFew(const unsigned char*, size_t) const { return false; }
#endif

bool LiteralPrefilter::ContainsAny(std::string_view text) const {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  if (probe_gap_ != 0 && size >= 32 + probe_gap_ && internal::UseAvx2Scans()) {
    if (ContainsAnyOfFew(bytes, size)) return true;
  } else if (!atoms_.empty() && size >= shortest_) {
    const uint16_t* marks = marks_.data();
    const size_t stride = stride_;
    // PairOf(bytes[at], bytes[at + 1]), in one load.
    const auto marked = [bytes, marks](size_t at) {
      uint16_t pair;
      std::memcpy(&pair, bytes + at, sizeof pair);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
      pair = __builtin_bswap16(pair);
#endif
      return marks[pair];
    };
    size_t at = 0;
    // Four reads a step, tested together: most steps find nothing marked.
    for (; at + 3 * stride + 1 < size; at += 4 * stride) {
      if ((marked(at) | marked(at + stride) | marked(at + 2 * stride) |
           marked(at + 3 * stride)) == 0) {
        continue;
      }
      for (size_t k = at; k <= at + 3 * stride; k += stride) {
        const unsigned mark = marked(k);
        if (mark != 0 && AtomAround(bytes, k, size, mark)) return true;
      }
    }
    for (; at + 1 < size; at += stride) {
      const unsigned mark = marked(at);
      if (mark != 0 && AtomAround(bytes, at, size, mark)) return true;
    }
  }
  for (unsigned char byte : single_bytes_) {
    const bool letter = byte >= 'a' && byte <= 'z';
    if (std::memchr(bytes, byte, size) != nullptr ||
        (letter && std::memchr(bytes, byte - ('a' - 'A'), size) != nullptr)) {
      return true;
    }
  }
  return false;
}

}  // namespace winnow

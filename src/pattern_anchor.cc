#include "winnow/pattern_anchor.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <utility>

namespace winnow {

namespace {

// Reads a pattern's alternations and groups, tracking escapes and character classes, just far
// enough to tell where each alternative starts. Gives up (ok() false) on anything it does not
// expect; callers then take the pattern as unanchored.
class AnchorScanner {
 public:
  explicit AnchorScanner(std::string_view pattern) : pattern_(pattern) {}

  bool ok() const { return ok_; }
  bool at_end() const { return pos_ >= pattern_.size(); }
  // Some anchored alternative went on with an unbounded run of a broad class.
  bool scans() const { return scans_; }

  // Reads alternatives up to an unmatched ')' or the end (left unread). True when each one
  // starts anchored.
  bool Alternation() {
    if (++depth_ > kMaxDepth) ok_ = false;
    bool all_anchored = true;
    while (ok_) {
      if (!Alternative()) all_anchored = false;
      if (!ok_ || at_end() || peek() == ')') break;
      ++pos_;  // the '|'
    }
    --depth_;
    return ok_ && all_anchored;
  }

 private:
  enum class Group { kFlags, kGroup, kBad };
  static constexpr int kMaxDepth = 200;

  char peek() const { return pattern_[pos_]; }

  // `*`, `+`, `?` or `{` next: the thing before may repeat zero times (or `{` is literal).
  bool AtQuantifier() const {
    if (at_end()) return false;
    const char c = peek();
    return c == '*' || c == '+' || c == '?' || c == '{';
  }

  // `*`, `+`, `{n,}` or `{n,m}` with m over 16 next: the thing before may repeat without a
  // small bound.
  bool AtLongRepeat() const {
    if (at_end()) return false;
    const char c = peek();
    if (c == '*' || c == '+') return true;
    if (c != '{') return false;
    const size_t close = pattern_.find('}', pos_);
    if (close == std::string_view::npos) return false;  // a literal '{'
    const std::string_view bounds = pattern_.substr(pos_ + 1, close - pos_ - 1);
    const size_t comma = bounds.find(',');
    if (comma == std::string_view::npos) return false;  // {n}
    const std::string_view most = bounds.substr(comma + 1);
    if (most.empty()) return true;  // {n,}
    int bound = 0;
    for (char digit : most) {
      if (digit < '0' || digit > '9') return false;  // not a repeat: a literal '{'
      bound = std::min(bound * 10 + (digit - '0'), 1000);
    }
    return bound > 16;
  }

  // Right after a `^`: reads an unbounded run of `.`, a negated class or a broad escape
  // (`\S`, `\D`, `\W`, `\p{..}`, `\P{..}`), if that comes next.
  void NoteScanAfterCaret() {
    if (at_end()) return;
    const char c = peek();
    const char next = pos_ + 1 < pattern_.size() ? pattern_[pos_ + 1] : '\0';
    if (c == '.') {
      ++pos_;
    } else if (c == '[' && next == '^') {
      SkipClass();
    } else if (c == '\\' && (next == 'S' || next == 'D' || next == 'W')) {
      pos_ += 2;
    } else if (c == '\\' && (next == 'p' || next == 'P')) {
      pos_ += 2;
      if (at_end()) {
        ok_ = false;
      } else if (peek() != '{') {
        ++pos_;  // a one-letter class name: \pL
      } else {
        const size_t close = pattern_.find('}', pos_);
        if (close == std::string_view::npos) ok_ = false;
        pos_ = close == std::string_view::npos ? pattern_.size() : close + 1;
      }
    } else {
      return;
    }
    if (ok_ && AtLongRepeat()) scans_ = true;
  }

  // One alternative: whether it starts anchored; then on to its end.
  bool Alternative() {
    const bool anchored = StartsAnchored();
    while (ok_ && !at_end() && peek() != '|' && peek() != ')') SkipItem();
    return anchored;
  }

  // Whether the alternative at pos_ begins with `^` (after flag groups) or with a group whose
  // alternatives all do. Reads no further than that.
  bool StartsAnchored() {
    while (ok_ && !at_end()) {
      if (peek() == '^') {
        ++pos_;
        if (AtQuantifier()) return false;
        NoteScanAfterCaret();
        return true;
      }
      if (peek() != '(') return false;
      const Group group = OpenGroup();
      if (group == Group::kFlags) continue;  // zero width: the next item starts it
      if (group == Group::kBad) return false;
      const bool inner = Alternation();
      if (!CloseGroup()) return false;
      return inner && !AtQuantifier();
    }
    return false;
  }

  // At '(': reads it and the group's header: `(`, `(?:`, `(?flags:`, `(?P<name>`, or a whole
  // flag group `(?flags)`.
  Group OpenGroup() {
    ++pos_;
    if (at_end() || peek() != '?') return Group::kGroup;
    ++pos_;
    if (!at_end() && (peek() == 'P' || peek() == '<')) {
      const size_t close = pattern_.find('>', pos_);
      if (close == std::string_view::npos) return Fail();
      pos_ = close + 1;
      return Group::kGroup;
    }
    while (!at_end() && (peek() == '-' || (peek() >= 'a' && peek() <= 'z') ||
                         (peek() >= 'A' && peek() <= 'Z'))) {
      ++pos_;
    }
    if (at_end()) return Fail();
    if (peek() == ':') {
      ++pos_;
      return Group::kGroup;
    }
    if (peek() == ')') {
      ++pos_;
      return Group::kFlags;
    }
    return Fail();
  }

  bool CloseGroup() {
    if (at_end() || peek() != ')') {
      ok_ = false;
      return false;
    }
    ++pos_;
    return true;
  }

  Group Fail() {
    ok_ = false;
    return Group::kBad;
  }

  // Reads one item of an alternative: an escape, a class, a group, or one byte.
  void SkipItem() {
    const char c = peek();
    if (c == '\\') {
      pos_ += 2;  // `\x{...}` and `\p{...}` go on as plain bytes, which is harmless here
      if (pos_ > pattern_.size()) ok_ = false;
    } else if (c == '[') {
      SkipClass();
    } else if (c == '(') {
      const Group group = OpenGroup();
      if (group == Group::kGroup) {
        Alternation();
        CloseGroup();
      }
    } else {
      ++pos_;
    }
  }

  // At '[': reads the class up to its ']'. A ']' first (after an optional '^') is a member,
  // `[:name:]` is a POSIX class, and escapes may hide a ']'.
  void SkipClass() {
    ++pos_;
    if (!at_end() && peek() == '^') ++pos_;
    if (!at_end() && peek() == ']') ++pos_;
    while (!at_end()) {
      const char c = peek();
      if (c == ']') {
        ++pos_;
        return;
      }
      if (c == '\\') {
        pos_ += 2;
      } else if (c == '[' && pos_ + 1 < pattern_.size() && pattern_[pos_ + 1] == ':') {
        const size_t close = pattern_.find(":]", pos_ + 2);
        if (close == std::string_view::npos) break;
        pos_ = close + 2;
      } else {
        ++pos_;
      }
    }
    ok_ = false;  // no closing ']'
  }

  std::string_view pattern_;
  size_t pos_ = 0;
  int depth_ = 0;
  bool ok_ = true;
  bool scans_ = false;
};

// A flag group or flagged group that turns on multi-line mode, where `^` also matches after
// each newline. Read loosely (even inside classes): a false alarm only costs the anchoring.
bool MayBeMultiLine(std::string_view pattern) {
  for (size_t open = pattern.find("(?"); open != std::string_view::npos;
       open = pattern.find("(?", open + 1)) {
    for (size_t i = open + 2; i < pattern.size(); ++i) {
      const char c = pattern[i];
      if (c == 'm') return true;
      if (c != '-' && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z')) break;
    }
  }
  return false;
}

}  // namespace

PatternStart ClassifyPatternStart(std::string_view pattern) {
  // `\Q...\E` quotes everything up to `\E`, `^` and `|` included; not worth reading.
  if (pattern.find("\\Q") != std::string_view::npos || MayBeMultiLine(pattern)) {
    return PatternStart::kAnywhere;
  }
  AnchorScanner scanner(pattern);
  const bool anchored = scanner.Alternation();
  if (!anchored || !scanner.ok() || !scanner.at_end()) return PatternStart::kAnywhere;
  return scanner.scans() ? PatternStart::kAnchoredScan : PatternStart::kAnchored;
}

bool IsAnchoredAtStart(std::string_view pattern) {
  return ClassifyPatternStart(pattern) != PatternStart::kAnywhere;
}

// --- StartCharacters ------------------------------------------------------------------------

StartCharacters::StartCharacters() = default;

void StartCharacters::Add(const StartCharacters& other) {
  Append(other);
  if (other.han_bits_.empty()) return;
  han_bits_.resize(other.han_bits_.size(), 0);
  for (size_t i = 0; i < han_bits_.size(); ++i) han_bits_[i] |= other.han_bits_[i];
}

void StartCharacters::Append(const StartCharacters& other) {
  any_ = any_ || other.any_;
  other_ = other_ || other.other_;
  ascii_ |= other.ascii_;
  han_.insert(han_.end(), other.han_.begin(), other.han_.end());
}

void StartCharacters::SetHanBits() {
  if (han_.empty()) return;
  han_bits_.resize((kHanEnd - kHanFirst) / 64, 0);
  for (const auto& [first, last] : han_) {
    for (char32_t c = first; c <= last; ++c) {
      han_bits_[(c - kHanFirst) / 64] |= uint64_t{1} << ((c - kHanFirst) % 64);
    }
  }
}

void StartCharacters::AddRange(char32_t first, char32_t last, bool fold) {
  for (char32_t c = first; c <= last && c < 0x80; ++c) {
    ascii_.set(c);
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (fold && letter) {
      ascii_.set(c ^ 0x20);
      other_ = true;  // the Kelvin sign folds to k, the long s to s
    }
  }
  if (last < 0x80) return;
  first = std::max<char32_t>(first, 0x80);
  const bool all_han = IsHan(first) && IsHan(last) && (last < 0x4DC0 || first >= 0x4E00);
  if (fold && !all_han) {
    // The Kelvin sign and the long s fold to ASCII letters.
    AddRange('A', 'Z', false);
    AddRange('a', 'z', false);
  }
  // The two runs of ideographs, and what of [first, last] lies outside them.
  const std::pair<char32_t, char32_t> kRuns[] = {{kHanFirst, 0x4DBF}, {0x4E00, kHanEnd - 1}};
  char32_t covered = 0;
  for (const auto& run : kRuns) {
    const char32_t low = std::max(first, run.first);
    const char32_t high = std::min(last, run.second);
    if (low > high) continue;
    han_.push_back({low, high});
    covered += high - low + 1;
  }
  if (covered < last - first + 1) other_ = true;
}

bool StartCharacters::MayStart(std::string_view text) const {
  if (any_ || text.empty()) return true;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  if (bytes[0] < 0x80) return ascii_.test(bytes[0]);
  // A CJK ideograph is three bytes, E3 90 80 to E9 BF BF; anything else is "other".
  if (text.size() >= 3 && bytes[0] >= 0xE3 && bytes[0] <= 0xE9 && (bytes[1] & 0xC0) == 0x80 &&
      (bytes[2] & 0xC0) == 0x80) {
    const char32_t rune = static_cast<char32_t>((bytes[0] & 0x0F) << 12 | (bytes[1] & 0x3F) << 6 |
                                                (bytes[2] & 0x3F));
    if (IsHan(rune)) {
      const size_t bit = rune - kHanFirst;
      return !han_bits_.empty() && (han_bits_[bit / 64] >> (bit % 64) & 1) != 0;
    }
  }
  return other_;
}

// Reads a pattern's syntax for the characters its matches can begin with (First) and
// whether they can be empty (nullable). Anything it does not know makes the answer "every
// character".
class StartScanner {
 public:
  explicit StartScanner(std::string_view pattern) : pattern_(pattern) {}

  StartCharacters Scan() {
    bool fold = false;
    Piece whole = Alternation(&fold);
    if (!ok_ || !at_end() || whole.nullable) whole.first.AddAll();
    return whole.first;
  }

 private:
  struct Piece {
    StartCharacters first;
    bool nullable = true;  // may match without reading a character
    bool ends = false;     // `$`: nothing after it can be read
  };
  static constexpr int kMaxDepth = 200;

  bool at_end() const { return pos_ >= pattern_.size(); }
  char peek() const { return pattern_[pos_]; }
  void Fail() { ok_ = false; }
  // Adds a range unless the items being read come after one that cannot be empty.
  void Add(StartCharacters* into, char32_t first, char32_t last, bool fold) {
    if (skipping_ == 0) into->AddRange(first, last, fold);
  }

  // Alternatives up to an unmatched ')' or the end (left unread). A flag group changes
  // `*fold` for the rest of the enclosing group, across `|` too.
  Piece Alternation(bool* fold) {
    Piece result;
    result.nullable = false;
    if (++depth_ > kMaxDepth) Fail();
    while (ok_) {
      const Piece alternative = Sequence(fold);
      result.first.Append(alternative.first);
      result.nullable = result.nullable || alternative.nullable;
      if (!ok_ || at_end() || peek() == ')') break;
      ++pos_;  // the '|'
    }
    --depth_;
    return result;
  }

  Piece Sequence(bool* fold) {
    Piece result;  // nullable until an item that is not
    bool skips = false;
    while (ok_ && !at_end() && peek() != '|' && peek() != ')') {
      Piece item = Item(fold);
      if (!ok_) break;
      Quantifier(&item);
      if (!skips) {
        result.first.Append(item.first);
        if (item.ends) result.ends = true;
        if (!item.nullable) result.nullable = false;
        // The items after this one cannot start a match: read them only for their syntax.
        if (!result.nullable || result.ends) {
          skips = true;
          ++skipping_;
        }
      }
    }
    if (skips) --skipping_;
    return result;
  }

  // Reads `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` (and a lazy `?`) after an item, if there.
  void Quantifier(Piece* item) {
    if (at_end()) return;
    const char c = peek();
    if (c == '*' || c == '?') {
      item->nullable = true;
      ++pos_;
    } else if (c == '+') {
      ++pos_;
    } else if (c == '{') {
      size_t at = pos_ + 1;
      size_t digits = 0;
      bool zero = true;
      while (at < pattern_.size() && pattern_[at] >= '0' && pattern_[at] <= '9') {
        if (pattern_[at] != '0') zero = false;
        ++at;
        ++digits;
      }
      if (digits == 0) return;  // a literal '{', read as an item next
      if (at < pattern_.size() && pattern_[at] == ',') {
        ++at;
        while (at < pattern_.size() && pattern_[at] >= '0' && pattern_[at] <= '9') ++at;
      }
      if (at >= pattern_.size() || pattern_[at] != '}') return;
      pos_ = at + 1;
      if (zero) item->nullable = true;
    } else {
      return;
    }
    if (item->ends) item->nullable = true;  // `$*`: as if absent
    item->ends = false;
    if (!at_end() && peek() == '?') ++pos_;  // lazy
  }

  Piece Item(bool* fold) {
    Piece item;
    item.nullable = false;
    const char c = peek();
    if (c == '(') return Group(fold);
    if (c == '[') {
      ++pos_;
      Class(*fold, &item.first);
      return item;
    }
    if (c == '\\') return Escape(*fold);
    ++pos_;
    if (c == '^') {
      item.nullable = true;
      return item;
    }
    if (c == '$') {
      item.ends = true;
      return item;
    }
    if (c == '.') {
      item.first.AddAll();
      return item;
    }
    if (c == '*' || c == '+' || c == '?') {
      Fail();
      return item;
    }
    --pos_;
    const char32_t rune = Rune();
    Add(&item.first, rune, rune, *fold);
    return item;
  }

  // At '(': a group, or a flag group `(?flags)` (zero width).
  Piece Group(bool* fold) {
    ++pos_;
    bool inner_fold = *fold;
    if (!at_end() && peek() == '?') {
      ++pos_;
      if (!at_end() && (peek() == 'P' || peek() == '<')) {
        const size_t close = pattern_.find('>', pos_);
        if (close == std::string_view::npos) Fail();
        pos_ = close == std::string_view::npos ? pattern_.size() : close + 1;
      } else {
        bool negate = false;
        while (ok_ && !at_end() && peek() != ':' && peek() != ')') {
          const char flag = peek();
          if (flag == '-') {
            negate = true;
          } else if (flag == 'i') {
            inner_fold = !negate;
          } else if (flag == 'm' && !negate) {
            Fail();  // `^` and `$` at line breaks
          } else if (flag != 's' && flag != 'U' && flag != 'm') {
            Fail();
          }
          ++pos_;
        }
        if (at_end()) Fail();
        if (!ok_) return Piece();
        if (peek() == ')') {
          ++pos_;
          *fold = inner_fold;
          return Piece();
        }
        ++pos_;  // the ':'
      }
    }
    Piece inner = Alternation(&inner_fold);
    if (at_end() || peek() != ')') {
      Fail();
      return inner;
    }
    ++pos_;
    return inner;
  }

  // After '\\' outside a class.
  Piece Escape(bool fold) {
    Piece item;
    item.nullable = false;
    ++pos_;
    if (at_end()) {
      Fail();
      return item;
    }
    const char c = peek();
    if (c == 'b' || c == 'B' || c == 'A') {
      ++pos_;
      item.nullable = true;
      return item;
    }
    if (c == 'z') {
      ++pos_;
      item.ends = true;
      return item;
    }
    if (!ClassEscape(fold, &item.first)) Fail();
    return item;
  }

  // An escape that stands for characters, after its '\\', in or out of a class. False when
  // it is not one this scanner knows.
  bool ClassEscape(bool fold, StartCharacters* into) {
    const char c = peek();
    ++pos_;
    switch (c) {
      case 'd':
        Add(into, '0', '9', false);
        return true;
      case 's':
        Add(into, '\t', '\r', false);
        Add(into, ' ', ' ', false);
        return true;
      case 'w':
        Add(into, '0', '9', false);
        Add(into, 'A', 'Z', fold);
        Add(into, 'a', 'z', fold);
        Add(into, '_', '_', false);
        return true;
      case 'D':
      case 'S':
      case 'W':
        into->AddAll();
        return true;
      case 'p':
        return PropertyClass(into);
      case 'x':
        return HexEscape(fold, into);
      case 'n':
        Add(into, '\n', '\n', false);
        return true;
      case 't':
        Add(into, '\t', '\t', false);
        return true;
      case 'r':
        Add(into, '\r', '\r', false);
        return true;
      case 'f':
        Add(into, '\f', '\f', false);
        return true;
      case 'v':
        Add(into, '\v', '\v', false);
        return true;
      case 'a':
        Add(into, '\a', '\a', false);
        return true;
      default:
        break;
    }
    const auto byte = static_cast<unsigned char>(c);
    const bool alphanumeric =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (byte >= 0x80 || alphanumeric) return false;  // octal, \C, \Q, \P and the like
    Add(into, byte, byte, false);  // escaped punctuation
    return true;
  }

  // After `\p`: a general category that holds no CJK ideograph (\p{So}, \pP...) adds its
  // ASCII characters, which Unicode fixed long ago, and every other character; any other name
  // gives up.
  bool PropertyClass(StartCharacters* into) {
    if (at_end()) return false;
    std::string_view name;
    if (peek() == '{') {
      const size_t close = pattern_.find('}', pos_);
      if (close == std::string_view::npos) return false;
      name = pattern_.substr(pos_ + 1, close - pos_ - 1);
      pos_ = close + 1;
    } else {
      name = pattern_.substr(pos_, 1);
      ++pos_;
    }
    struct Category {
      std::string_view name;
      std::string_view ascii;
    };
    static constexpr std::string_view kControls = "\x01";  // stands for U+0000-U+001F, U+007F
    static constexpr Category kWithoutHan[] = {
        {"So", ""},  {"Sk", "^`"}, {"Sm", "+<=>|~"}, {"Sc", "$"}, {"S", "^`+<=>|~$"},
        {"Mn", ""},  {"Mc", ""},   {"Me", ""},       {"M", ""},   {"Cf", ""},
        {"Cc", kControls},         {"Zs", " "},      {"Zl", ""},  {"Zp", ""},
        {"Z", " "},  {"Pc", "_"},  {"Pd", "-"},      {"Ps", "([{"}, {"Pe", ")]}"},
        {"Pi", ""},  {"Pf", ""},   {"Po", "!\"#%&'*,./:;?@\\"},
        {"P", "_-([{)]}!\"#%&'*,./:;?@\\"}};
    const Category* category = nullptr;
    for (const Category& c : kWithoutHan) {
      if (c.name == name) category = &c;
    }
    if (category == nullptr) {
      into->AddAll();
      return true;
    }
    if (category->ascii == kControls) {
      Add(into, 0, 0x1F, false);
      Add(into, 0x7F, 0x7F, false);
    } else {
      for (char c : category->ascii) {
        const auto byte = static_cast<unsigned char>(c);
        Add(into, byte, byte, false);
      }
    }
    into->other_ = true;
    return true;
  }

  bool HexEscape(bool fold, StartCharacters* into) {
    size_t end = pos_;
    size_t next = pos_;
    if (!at_end() && peek() == '{') {
      end = pattern_.find('}', pos_);
      if (end == std::string_view::npos) return false;
      ++pos_;
      next = end + 1;
    } else {
      end = pos_ + 2;
      next = end;
    }
    if (end > pattern_.size() || end == pos_ || end - pos_ > 8) return false;
    char32_t rune = 0;
    for (size_t at = pos_; at < end; ++at) {
      const char h = pattern_[at];
      int value = -1;
      if (h >= '0' && h <= '9') value = h - '0';
      if (h >= 'a' && h <= 'f') value = h - 'a' + 10;
      if (h >= 'A' && h <= 'F') value = h - 'A' + 10;
      if (value < 0) return false;
      rune = rune * 16 + static_cast<char32_t>(value);
    }
    if (rune > 0x10FFFF) return false;
    pos_ = next;
    last_rune_ = rune;
    Add(into, rune, rune, fold);
    return true;
  }

  // After '[': the class, through its ']'.
  void Class(bool fold, StartCharacters* into) {
    if (!at_end() && peek() == '^') {
      into->AddAll();
      fold = false;
      ++pos_;
    }
    bool first = true;
    while (ok_ && !at_end() && (peek() != ']' || first)) {
      first = false;
      if (peek() == '[' && pos_ + 1 < pattern_.size() && pattern_[pos_ + 1] == ':') {
        const size_t close = pattern_.find(":]", pos_ + 2);
        if (close == std::string_view::npos) {
          Fail();
          return;
        }
        into->AddAll();
        pos_ = close + 2;
        continue;
      }
      char32_t low = 0;
      if (peek() == '\\') {
        ++pos_;
        if (at_end()) {
          Fail();
          return;
        }
        const char e = peek();
        const bool single = e == 'x' || e == 'n' || e == 't' || e == 'r' || e == 'f' ||
                            e == 'v' || e == 'a' ||
                            (static_cast<unsigned char>(e) < 0x80 && !(e >= '0' && e <= '9') &&
                             !(e >= 'a' && e <= 'z') && !(e >= 'A' && e <= 'Z'));
        if (!single) {
          if (!ClassEscape(fold, into)) Fail();
          continue;
        }
        low = EscapedRune();
      } else {
        low = Rune();
      }
      if (!ok_) return;
      char32_t high = low;
      if (pos_ + 1 < pattern_.size() && peek() == '-' && pattern_[pos_ + 1] != ']') {
        ++pos_;
        if (peek() == '\\') {
          ++pos_;
          if (at_end()) {
            Fail();
            return;
          }
          high = EscapedRune();
        } else {
          high = Rune();
        }
      }
      if (!ok_ || high < low) {
        Fail();
        return;
      }
      Add(into, low, high, fold);
    }
    if (at_end()) {
      Fail();
      return;
    }
    ++pos_;  // the ']'
  }

  // After '\\': an escape that is one character (\x.., \n, \t, escaped punctuation).
  char32_t EscapedRune() {
    StartCharacters ignored;
    const char e = peek();
    if (e == 'x') {
      ++pos_;
      if (!HexEscape(false, &ignored)) Fail();
      return last_rune_;
    }
    ++pos_;
    switch (e) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'f': return '\f';
      case 'v': return '\v';
      case 'a': return '\a';
      default: return static_cast<unsigned char>(e);
    }
  }

  // One UTF-8 character as it is written.
  char32_t Rune() {
    const auto* bytes = reinterpret_cast<const unsigned char*>(pattern_.data());
    const unsigned char lead = bytes[pos_];
    size_t length = 1;
    char32_t rune = lead;
    if (lead >= 0xF0) {
      length = 4;
      rune = lead & 0x07;
    } else if (lead >= 0xE0) {
      length = 3;
      rune = lead & 0x0F;
    } else if (lead >= 0xC0) {
      length = 2;
      rune = lead & 0x1F;
    } else if (lead >= 0x80) {
      Fail();
    }
    if (pos_ + length > pattern_.size()) {
      Fail();
      pos_ = pattern_.size();
      return 0;
    }
    for (size_t k = 1; k < length; ++k) {
      if ((bytes[pos_ + k] & 0xC0) != 0x80) Fail();
      rune = rune << 6 | (bytes[pos_ + k] & 0x3F);
    }
    pos_ += length;
    return rune;
  }

  std::string_view pattern_;
  size_t pos_ = 0;
  int depth_ = 0;
  bool ok_ = true;
  int skipping_ = 0;
  char32_t last_rune_ = 0;
};

StartCharacters StartCharacters::Of(std::string_view pattern) {
  StartCharacters starts = StartScanner(pattern).Scan();
  starts.SetHanBits();
  return starts;
}

}  // namespace winnow

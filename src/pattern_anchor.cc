#include "winnow/pattern_anchor.h"

#include <algorithm>
#include <cstddef>

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

}  // namespace winnow

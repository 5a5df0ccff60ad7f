// Whether a regex can match only at the start of the text, read from its syntax. An RE2::Set
// of such patterns can be compiled with RE2::ANCHOR_START, so its DFA stops as soon as no
// pattern can go on, instead of scanning every line to its end; unless a pattern starts
// with something like `^.*`, which keeps it going.
#ifndef WINNOW_PATTERN_ANCHOR_H_
#define WINNOW_PATTERN_ANCHOR_H_

#include <string_view>

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

}  // namespace winnow

#endif  // WINNOW_PATTERN_ANCHOR_H_

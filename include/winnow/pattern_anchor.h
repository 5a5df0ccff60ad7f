// Whether a regex can match only at the start of the text, read from its syntax. An RE2::Set
// of such patterns can be compiled with RE2::ANCHOR_START, so its DFA stops as soon as no
// pattern can go on, instead of scanning every line to its end.
#ifndef WINNOW_PATTERN_ANCHOR_H_
#define WINNOW_PATTERN_ANCHOR_H_

#include <string_view>

namespace winnow {

/// True when every top-level alternative of `pattern` (RE2 syntax, already known to compile)
/// begins with `^`, or with a group each of whose alternatives does, possibly after flag
/// groups such as `(?i)`. False whenever it is unsure: a multi-line flag anywhere, `\Q`, an
/// empty alternative, a quantified `^` or group.
bool IsAnchoredAtStart(std::string_view pattern);

}  // namespace winnow

#endif  // WINNOW_PATTERN_ANCHOR_H_

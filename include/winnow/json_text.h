// JSON string escaping for the writers: a hand-written escaper, because the JSONL writer is
// on the hot path and its input is already valid UTF-8.
#ifndef WINNOW_JSON_TEXT_H_
#define WINNOW_JSON_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace winnow {

/// Appends `text` to `out` as a quoted JSON string. Non-ASCII UTF-8 is written raw;
/// `"` `\` and C0 controls are escaped (\n \t \r \b \f or \u00XX), and so are U+2028 and
/// U+2029 so the output is also valid JavaScript. `text` must be valid UTF-8.
void AppendJsonString(std::string_view text, std::string* out);

/// AppendJsonString without the quotes: for a string written in pieces.
void AppendJsonEscaped(std::string_view text, std::string* out);

/// Appends `value` in decimal, as std::to_string writes it, without a temporary string.
void AppendDecimal(uint64_t value, std::string* out);

/// AppendJsonEscaped a byte at a time, with the same output: the path of hosts without SSE2,
/// exposed so tests can hold the vector path to it.
void AppendJsonEscapedPortable(std::string_view text, std::string* out);

}  // namespace winnow

#endif  // WINNOW_JSON_TEXT_H_

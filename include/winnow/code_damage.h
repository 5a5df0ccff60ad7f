// Code damage, found by the repair stage and never repaired: code whose `=`, `+` or `'` a
// scraper dropped (CSDN wrote them as `&#61;` `&#43;` `&#39;` and the references were lost).
// The text stays as it is; each damaged line is listed in its record's metadata.
#ifndef WINNOW_CODE_DAMAGE_H_
#define WINNOW_CODE_DAMAGE_H_

#include <cstddef>
#include <string_view>
#include <vector>

namespace winnow {

/// Replaces `*signals` with the names of the damage signals `line` shows, and returns how
/// many. Conservative: only shapes that valid code cannot have.
///   - "declaration-lost-=": `let`/`var` + name + a value with no `=` between (`let sum 0;`,
///     `let a str.split()`), or a C type + name + number + `;` (`int n 10;`), on lines that
///     look like code (they hold `;` or `{`);
///   - "for-update-lost-++": a `for (...; ...; i)` header whose update is a bare name;
///   - "c++-version-lost-+": `C98` or `C03`, C++ standards that have no C namesake.
/// `line` is repaired text (references already decoded).
size_t FindCodeDamage(std::string_view line, std::vector<const char*>* signals);

/// True when `line` holds one of the words FindCodeDamage looks further at: `let `,
/// `var `, `for`, `C98`, `C03`, `int `, `long `, `short `, `float `, `double `, `char `,
/// `bool `, `size_t ` or `auto `, anywhere. FindCodeDamage finds nothing in the others.
bool HoldsCodeDamageWord(std::string_view line);

/// A cheap test in front of FindCodeDamage: false means it finds nothing in `line`. Every
/// signal needs a `;` or a `{` on the line, or the text `C98` or `C03`; prose has none.
bool MayShowCodeDamage(std::string_view line);

}  // namespace winnow

#endif  // WINNOW_CODE_DAMAGE_H_

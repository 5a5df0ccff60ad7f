// Rule files: JSON `{"rules": [...]}`, the built-in one compiled into the binary and user
// files added on the command line. Parsing validates everything a run needs before any input
// is read: syntax (file:line:column), required fields, known actions and scopes, unique ids.
#ifndef WINNOW_RULE_FILE_H_
#define WINNOW_RULE_FILE_H_

#include <string>
#include <string_view>
#include <vector>

#include "winnow/rule.h"

namespace winnow {

/// Parses the text of one rule file. `origin` names it in errors and in Rule::origin.
/// Appends the rules to `*rules`. Returns false and sets `*error` to a message that starts
/// with "origin:line:column: " (syntax) or "origin: rule 'id': " (a bad rule).
/// Regexes are not compiled here; RuleEngine::Compile does that.
bool ParseRuleFile(std::string_view text, const std::string& origin, std::vector<Rule>* rules,
                   std::string* error);

/// The candidate closest to `name` when `name` is a plausible typo of it (a small edit
/// distance), else empty: the "did you mean" of error messages.
std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates);

/// The built-in rule file's text (src/rules/builtin.json, compiled in at build time).
std::string_view BuiltinRuleText();

/// Parses the built-in rules into `*rules` (origin "builtin"). Returns false on error.
bool LoadBuiltinRules(std::vector<Rule>* rules, std::string* error);

}  // namespace winnow

#endif  // WINNOW_RULE_FILE_H_

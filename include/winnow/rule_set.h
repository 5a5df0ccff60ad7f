// Which rules a run uses: the built-in file, then user rule files in order, then the run's
// --enable/--disable choices. Everything is read and validated before any input is.
#ifndef WINNOW_RULE_SET_H_
#define WINNOW_RULE_SET_H_

#include <string>
#include <vector>

#include "winnow/rule.h"

namespace winnow {

struct RuleSelection {
  bool builtin = true;               ///< false: --no-builtin-rules
  std::vector<std::string> files;    ///< --rules FILE, in order
  std::vector<std::string> disable;  ///< rule ids switched off
  std::vector<std::string> enable;   ///< rule ids switched on (rules that are off by default)
};

/// Loads the rules `selection` names into `*all` (every rule, with its `enabled` state after
/// --enable/--disable) and returns true. On error sets `*error` to a message naming the file
/// and line, or the rule id, or for an unknown id in --disable/--enable the closest real one
/// ("--disable: unknown rule id 'nav.bredcrumb'; did you mean 'nav.breadcrumb'?").
bool LoadRuleSelection(const RuleSelection& selection, std::vector<Rule>* all,
                       std::string* error);

/// The enabled rules of `all`, in order. (RuleEngine::Compile takes every rule, so that rules
/// that are off are validated too, and matches only the enabled ones.)
std::vector<Rule> EnabledRules(const std::vector<Rule>& all);

}  // namespace winnow

#endif  // WINNOW_RULE_SET_H_

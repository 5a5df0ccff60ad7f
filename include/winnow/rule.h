// Rules are data: each one names a kind of chrome line, where on a page it may appear (scope)
// and what the splitter does when a line's match view matches it (action).
#ifndef WINNOW_RULE_H_
#define WINNOW_RULE_H_

#include <string>
#include <string_view>
#include <vector>

namespace winnow {

/// Where on a page a rule applies.
enum class RuleScope {
  kHead,   ///< page start up to the first body line (breadcrumb, nav, meta, author block, toc)
  kBody,   ///< the article body
  kTail,   ///< after the body ended: related lists, notices, footer
  kTitle,  ///< the title line only (e.g. a site suffix to strip)
  kAny,    ///< head, body and tail
};

/// What the splitter does with a line that a rule matches.
enum class RuleAction {
  kDropLine,    ///< drop this line
  kDropBlock,   ///< drop this line and the block it heads (a table of contents)
  kStartTail,   ///< drop this line; the body ends and a related list starts
  kEndBody,     ///< drop this line; the body ends (footer notices), no related list
  kStartPage,   ///< drop this line; a new page starts (breadcrumb)
  kDropRecord,  ///< drop the whole record this line belongs to
  kStripMatch,  ///< remove the matched text from the line, keep the rest (title suffixes)
};

/// Names as written in rule files: "head", "body", "tail", "title", "any".
const char* RuleScopeName(RuleScope scope);
bool ParseRuleScope(std::string_view name, RuleScope* scope);
/// "drop-line", "drop-block", "start-tail", "end-body", "start-page", "drop-record",
/// "strip-match".
const char* RuleActionName(RuleAction action);
bool ParseRuleAction(std::string_view name, RuleAction* action);

struct RuleExamples {
  std::vector<std::string> match;  ///< raw lines the rule must match
  std::vector<std::string> keep;   ///< raw lines it must not match
};

struct Rule {
  std::string id;       ///< stable dotted id, e.g. "nav.breadcrumb"
  RuleScope scope = RuleScope::kAny;
  RuleAction action = RuleAction::kDropLine;
  std::string pattern;  ///< RE2 syntax, matched against the line's match view
  std::string description;
  RuleExamples examples;
  bool enabled = true;  ///< false: off unless a run enables it by id
  std::string origin;   ///< "builtin" or the rule file's path
};

}  // namespace winnow

#endif  // WINNOW_RULE_H_

#include "winnow/rule.h"

namespace winnow {

namespace {

struct ScopeName {
  RuleScope scope;
  const char* name;
};

struct ActionName {
  RuleAction action;
  const char* name;
};

// Listed in declaration order; rule files and error messages use these spellings.
constexpr ScopeName kScopeNames[] = {
    {RuleScope::kHead, "head"},   {RuleScope::kBody, "body"}, {RuleScope::kTail, "tail"},
    {RuleScope::kTitle, "title"}, {RuleScope::kAny, "any"},
};

constexpr ActionName kActionNames[] = {
    {RuleAction::kDropLine, "drop-line"},     {RuleAction::kDropBlock, "drop-block"},
    {RuleAction::kStartTail, "start-tail"},   {RuleAction::kEndBody, "end-body"},
    {RuleAction::kStartPage, "start-page"},   {RuleAction::kDropRecord, "drop-record"},
    {RuleAction::kStripMatch, "strip-match"},
};

}  // namespace

const char* RuleScopeName(RuleScope scope) {
  for (const ScopeName& entry : kScopeNames) {
    if (entry.scope == scope) return entry.name;
  }
  return "unknown";
}

bool ParseRuleScope(std::string_view name, RuleScope* scope) {
  for (const ScopeName& entry : kScopeNames) {
    if (name == entry.name) {
      *scope = entry.scope;
      return true;
    }
  }
  return false;
}

const char* RuleActionName(RuleAction action) {
  for (const ActionName& entry : kActionNames) {
    if (entry.action == action) return entry.name;
  }
  return "unknown";
}

bool ParseRuleAction(std::string_view name, RuleAction* action) {
  for (const ActionName& entry : kActionNames) {
    if (name == entry.name) {
      *action = entry.action;
      return true;
    }
  }
  return false;
}

}  // namespace winnow

#include "winnow/rule_set.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "winnow/rule_file.h"

namespace winnow {
namespace {

bool ReadWholeFile(const std::string& path, std::string* text, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot read rule file: " + std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    *error = path + ": cannot read rule file: " + std::strerror(errno);
    return false;
  }
  *text = buffer.str();
  return true;
}

bool ApplySwitches(const char* flag, const std::vector<std::string>& ids, bool enabled,
                   std::vector<Rule>* rules, std::string* error) {
  for (const std::string& id : ids) {
    bool found = false;
    for (Rule& rule : *rules) {
      if (rule.id == id) {
        rule.enabled = enabled;
        found = true;
      }
    }
    if (found) continue;
    std::vector<std::string> known;
    for (const Rule& rule : *rules) known.push_back(rule.id);
    *error = std::string(flag) + ": unknown rule id '" + id + "'";
    const std::string closest = ClosestName(id, known);
    if (!closest.empty()) *error += "; did you mean '" + closest + "'?";
    return false;
  }
  return true;
}

}  // namespace

bool LoadRuleSelection(const RuleSelection& selection, std::vector<Rule>* all,
                       std::string* error) {
  std::vector<Rule> rules;
  if (selection.builtin && !LoadBuiltinRules(&rules, error)) return false;
  for (const std::string& path : selection.files) {
    std::string text;
    if (!ReadWholeFile(path, &text, error)) return false;
    if (!ParseRuleFile(text, path, &rules, error)) return false;
  }
  if (!ApplySwitches("--enable", selection.enable, true, &rules, error)) return false;
  if (!ApplySwitches("--disable", selection.disable, false, &rules, error)) return false;
  *all = std::move(rules);
  return true;
}

std::vector<Rule> EnabledRules(const std::vector<Rule>& all) {
  std::vector<Rule> enabled;
  for (const Rule& rule : all) {
    if (rule.enabled) enabled.push_back(rule);
  }
  return enabled;
}

}  // namespace winnow

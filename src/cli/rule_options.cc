#include "cli/rule_options.h"

#include <CLI/CLI.hpp>

namespace winnow {
namespace cli {

void AddRuleOptions(CLI::App* command, RuleSelection* selection) {
  // One value per occurrence (allow_extra_args(false)): without it a vector option swallows
  // the input paths after it (`--rules r.json page.txt`).
  command->add_option("--rules", selection->files,
                      "Add the rules of a JSON rule file (repeatable; see docs/rules.md)")
      ->type_name("FILE")
      ->allow_extra_args(false)  // one file per --rules, so the inputs after it stay inputs
      ->check(CLI::ExistingFile);
  command->add_option("--disable", selection->disable, "Switch off rules by id (ID,ID,...)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("ID,...");
  command->add_option("--enable", selection->enable,
                      "Switch on rules that are off by default (ID,ID,...)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("ID,...");
  command->add_flag("--no-builtin-rules", [selection](int64_t) { selection->builtin = false; },
                    "Use only the rules of --rules files");
}

std::unique_ptr<RuleEngine> BuildRuleEngine(const RuleSelection& selection,
                                            StderrReporter* reporter, std::vector<Rule>* all) {
  std::vector<Rule> rules;
  std::string error;
  if (!LoadRuleSelection(selection, &rules, &error)) {
    reporter->Report(Diagnostic{Severity::kError, "", 0, 0, false, error});
    return nullptr;
  }
  std::unique_ptr<RuleEngine> engine = RuleEngine::Compile(rules, &error);
  if (engine == nullptr) {
    reporter->Report(Diagnostic{Severity::kError, "", 0, 0, false, error});
    return nullptr;
  }
  if (all != nullptr) *all = std::move(rules);
  return engine;
}

}  // namespace cli
}  // namespace winnow

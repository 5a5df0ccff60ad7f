#include "cli/rules_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>

#include "cli/exit_codes.h"
#include "cli/interrupt.h"
#include "cli/rule_options.h"
#include "cli/stderr_reporter.h"
#include "winnow/json_text.h"
#include "winnow/output_file.h"
#include "winnow/rule_examples.h"

namespace winnow {
namespace cli {
namespace {

void AppendPadded(const std::string& text, size_t width, std::string* out) {
  out->append(text);
  if (text.size() < width) out->append(width - text.size(), ' ');
}

void ListText(const std::vector<Rule>& rules, std::string* out) {
  size_t id_width = 2;
  size_t origin_width = 6;
  for (const Rule& rule : rules) {
    id_width = std::max(id_width, rule.id.size());
    origin_width = std::max(origin_width, rule.origin.size());
  }
  auto row = [&](const std::string& id, const std::string& scope, const std::string& action,
                 const std::string& on, const std::string& origin, const std::string& text) {
    AppendPadded(id, id_width + 2, out);
    AppendPadded(scope, 7, out);
    AppendPadded(action, 13, out);
    AppendPadded(on, 5, out);
    AppendPadded(origin, origin_width + 2, out);
    out->append(text);
    while (!out->empty() && out->back() == ' ') out->pop_back();
    out->push_back('\n');
  };
  row("ID", "SCOPE", "ACTION", "ON", "ORIGIN", "DESCRIPTION");
  for (const Rule& rule : rules) {
    row(rule.id, RuleScopeName(rule.scope), RuleActionName(rule.action),
        rule.enabled ? "yes" : "no", rule.origin, rule.description);
  }
}

void AppendField(const char* key, const std::string& value, std::string* out) {
  out->push_back(',');
  AppendJsonString(key, out);
  out->push_back(':');
  AppendJsonString(value, out);
}

// One JSON array, one rule per line, so it reads well and greps well.
void ListJson(const std::vector<Rule>& rules, std::string* out) {
  out->append("[");
  for (size_t i = 0; i < rules.size(); ++i) {
    const Rule& rule = rules[i];
    out->append(i == 0 ? "\n" : ",\n");
    out->append("{\"id\":");
    AppendJsonString(rule.id, out);
    AppendField("scope", RuleScopeName(rule.scope), out);
    AppendField("action", RuleActionName(rule.action), out);
    out->append(",\"enabled\":");
    out->append(rule.enabled ? "true" : "false");
    AppendField("origin", rule.origin, out);
    AppendField("description", rule.description, out);
    AppendField("pattern", rule.pattern, out);
    out->append(",\"examples\":" + std::to_string(rule.examples.match.size() +
                                                  rule.examples.keep.size()));
    out->push_back('}');
  }
  out->append(rules.empty() ? "]\n" : "\n]\n");
}

std::string Count(uint64_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace

CLI::App* AddRulesCommand(CLI::App* app, RulesCommandOptions* options) {
  CLI::App* rules = app->add_subcommand(
      "rules", "List the rules a run would use (built-in and --rules files), or test their "
               "examples.");
  rules->add_option("files", options->files,
                    "Rule files to add, after any --rules files (see docs/rules.md)")
      ->check(CLI::ExistingFile);
  rules->add_flag("--json", options->json,
                  "List as a JSON array: id, scope, action, enabled, origin, description, "
                  "pattern, number of examples");
  rules->add_flag("--test", options->test,
                  "Run every rule's examples; print each failure; exit 1 if any fails");
  AddRuleOptions(rules, &options->rules);
  rules->footer(
      "Examples:\n"
      "  winnow rules                           every built-in rule, one per line\n"
      "  winnow rules --json my-site.json       built-in and my-site.json rules as JSON\n"
      "  winnow rules --test my-site.json       check the examples of all those rules\n");
  return rules;
}

int RunRulesCommand(const RulesCommandOptions& options) {
  StderrReporter reporter(false);
  RuleSelection selection = options.rules;
  selection.files.insert(selection.files.end(), options.files.begin(), options.files.end());
  std::vector<Rule> all;
  std::unique_ptr<RuleEngine> engine = BuildRuleEngine(selection, &reporter, &all);
  if (engine == nullptr) return kExitError;

  InstallInterruptHandler();
  FdOutput out(STDOUT_FILENO);
  std::string text;
  int status = kExitOk;
  if (options.test) {
    TextNormalizer normalizer;
    ExampleReport report = CheckRuleExamples(*engine, &normalizer);
    for (const ExampleFailure& failure : report.failures) {
      text += FormatExampleFailure(failure) + "\n";
    }
    out.Write(text);
    std::string summary = Count(report.rules, "rule") + ", " + Count(report.examples, "example");
    summary += report.failures.empty() ? ": all passed"
                                       : ": " + Count(report.failures.size(), "failure");
    if (!out.Flush() && !out.closed()) {
      reporter.Report(Diagnostic{Severity::kError, "standard output", 0, 0, false, out.error()});
      return kExitError;
    }
    reporter.Summary(summary);
    status = report.failures.empty() ? kExitOk : kExitFindings;
  } else {
    if (options.json) {
      ListJson(all, &text);
    } else {
      ListText(all, &text);
    }
    out.Write(text);
    if (!out.Flush() && !out.closed()) {
      reporter.Report(Diagnostic{Severity::kError, "standard output", 0, 0, false, out.error()});
      return kExitError;
    }
  }
  return status;
}

}  // namespace cli
}  // namespace winnow

#include "cli/check_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "cli/command_output.h"
#include "cli/exit_codes.h"
#include "cli/interrupt.h"
#include "cli/rule_options.h"
#include "cli/stderr_reporter.h"
#include "winnow/check.h"
#include "winnow/check_input.h"
#include "winnow/check_report.h"
#include "winnow/output_file.h"

namespace winnow {
namespace cli {
namespace {

constexpr const char* kCheckExitStatus =
    "Exit status:\n"
    "  0  no finding of severity error (warnings alone do not fail the run)\n"
    "  1  at least one error, or with --strict at least one warning\n"
    "  2  usage or rule error, or an input that could not be read (the other inputs are\n"
    "     still checked); takes precedence over 1\n"
    "  130 interrupted (SIGINT)\n"
    "--exit-zero makes findings exit 0; statuses 2 and 130 stay.\n";

std::string RuleListing(const char* indent) {
  std::string text;
  for (const CheckRuleInfo& info : CheckRuleCatalog()) {
    char head[96];
    std::snprintf(head, sizeof head, "%s%-18s %-8s ", indent, info.id,
                  info.severity == Severity::kError ? "error" : "warning");
    text += head;
    text += info.summary;
    text += "\n";
  }
  return text;
}

// Prints diagnostics as usual and keeps the errors, for the report's closing part.
class RecordingReporter : public DiagnosticSink {
 public:
  explicit RecordingReporter(StderrReporter* reporter) : reporter_(reporter) {}
  void Report(const Diagnostic& diagnostic) override {
    reporter_->Report(diagnostic);
    if (diagnostic.severity == Severity::kError) errors.push_back(FormatDiagnostic(diagnostic));
  }
  std::vector<std::string> errors;

 private:
  StderrReporter* reporter_;
};

}  // namespace

CLI::App* AddCheckCommand(CLI::App* app, CheckCommandOptions* options) {
  CLI::App* check = app->add_subcommand(
      "check", "Check that a corpus is clean, for CI: exit 1 when it holds errors.");
  check->add_option("inputs", options->inputs,
                    "Files or directories to check; '-' or none reads standard input");
  check->add_option("-f,--format", options->format, "Report format: text, json, github or sarif")
      ->check(CLI::IsMember({"text", "json", "github", "sarif"}))
      ->capture_default_str();
  check->add_option("-o,--output", options->output,
                    "Write the report to FILE (via a temporary file renamed at the end) "
                    "instead of standard output")
      ->type_name("FILE");
  check->add_option("--input-format", options->input_format,
                    "Input format: auto (by extension, else sniffed), jsonl, json, md or raw")
      ->check(CLI::IsMember({"auto", "jsonl", "json", "md", "markdown", "raw"}))
      ->capture_default_str();
  check->add_option("--field", options->field, "JSON field holding the text")
      ->capture_default_str();
  check->add_option("--title-field", options->title_field,
                    "JSON field holding the title (optional in a record)")
      ->capture_default_str();
  check->add_option("--select", options->select,
                    "Report only these check rules (ID,ID,...; see --list-rules)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("ID,...");
  check->add_option("--ignore", options->ignore, "Do not report these check rules (ID,ID,...)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("ID,...");
  check->add_option("--max-findings", options->max_findings,
                    "Write at most N findings (all are still counted); 0 means all")
      ->type_name("N");
  check->add_flag("--strict", options->strict, "Warnings fail the run too (exit 1)");
  check->add_flag("--exit-zero", options->exit_zero, "Report findings but exit 0");
  check->add_flag("--list-rules", options->list_rules, "List the check rules and exit");
  check->add_option("--max-line-bytes", options->max_line_bytes,
                    "Cut lines longer than this many bytes (with a warning)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30))
      ->capture_default_str();
  check->add_flag("-q,--quiet", options->quiet, "No summary line and no warnings on stderr");
  AddRuleOptions(check, &options->rules);
  check->footer(std::string("Check rules (--select/--ignore take these ids; --disable takes the "
                            "ids of chrome rules):\n") +
                RuleListing("  ") +
                "\nExamples:\n"
                "  winnow check corpus.jsonl               lint a JSONL corpus\n"
                "  winnow clean dump.txt | winnow check -  winnow's output passes its check\n"
                "  winnow check -f sarif -o check.sarif corpus/\n"
                "  winnow check --field content --ignore mixed-width data.jsonl\n\n" +
                kCheckExitStatus);
  return check;
}

int RunCheckCommand(const CheckCommandOptions& options) {
  if (options.list_rules) {
    const std::string listing = RuleListing("");
    std::fwrite(listing.data(), 1, listing.size(), stdout);
    return kExitOk;
  }
  StderrReporter reporter(options.quiet);

  // Everything that can fail before reading input fails first: rule ids, rules, the output.
  std::vector<CheckRule> select;
  std::vector<CheckRule> ignore;
  std::string error;
  if (!ParseCheckRuleIds("--select", options.select, &select, &error) ||
      !ParseCheckRuleIds("--ignore", options.ignore, &ignore, &error)) {
    reporter.Report(Diagnostic{Severity::kError, "", 0, 0, false, error});
    return kExitError;
  }
  std::unique_ptr<RuleEngine> engine = BuildRuleEngine(options.rules, &reporter);
  if (engine == nullptr) return kExitError;

  CheckOptions check;
  ParseInputFormat(options.input_format, &check.format);
  check.text_field = options.field;
  check.title_field = options.title_field;
  check.reader.max_line_bytes = options.max_line_bytes;
  ReportFormat format = ReportFormat::kText;
  ParseReportFormat(options.format, &format);

  std::unique_ptr<CommandOutput> output = CommandOutput::Open(options.output, "output", &reporter);
  if (output == nullptr) return kExitError;
  OutputStream* out = output->stream();

  InstallInterruptHandler();
  // A closed report pipe stops the run too: the status still says whether errors were found.
  check.should_stop = [out] { return InterruptRequested() || !out->ok(); };

  ReportOptions report_options;
  report_options.max_findings = options.max_findings;
  std::unique_ptr<FindingReport> report = MakeFindingReport(format, out, report_options);
  FindingFilter filter(select, ignore, report.get());
  RecordingReporter diagnostics(&reporter);
  CorpusCheck corpus(*engine, check, &filter, &diagnostics);
  std::vector<std::string> inputs = options.inputs;
  if (inputs.empty()) inputs.push_back("-");
  bool inputs_ok = true;
  for (const std::string& input : inputs) {
    inputs_ok = corpus.CheckPath(input) && inputs_ok;
    if (corpus.stopped()) break;
  }
  if (InterruptRequested()) {
    output->Abort();
    reporter.Report(Diagnostic{Severity::kError, "", 0, 0, false, "interrupted"});
    return kExitInterrupted;
  }

  ReportTotals totals;
  totals.files = corpus.summary().files;
  totals.files_failed = corpus.summary().files_failed;
  totals.records = corpus.summary().records;
  totals.errors = filter.errors();
  totals.warnings = filter.warnings();
  totals.by_rule = filter.by_rule();
  totals.shown = report->shown();
  totals.input_errors = diagnostics.errors;
  report->Finish(totals);
  if (!output->Finish(&reporter)) return kExitError;
  reporter.Summary(totals.Format());

  if (!inputs_ok) return kExitError;
  const bool failed = totals.errors > 0 || (options.strict && totals.warnings > 0);
  return failed && !options.exit_zero ? kExitFindings : kExitOk;
}

}  // namespace cli
}  // namespace winnow

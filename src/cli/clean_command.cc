#include "cli/clean_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <memory>

#include "cli/exit_codes.h"
#include "cli/interrupt.h"
#include "cli/rule_options.h"
#include "cli/stderr_reporter.h"
#include "winnow/output_file.h"
#include "winnow/pipeline.h"
#include "winnow/record_writer.h"
#include "winnow/rejects_writer.h"

namespace winnow {
namespace cli {

CLI::App* AddCleanCommand(CLI::App* app, CleanCommandOptions* options) {
  CLI::App* clean = app->add_subcommand(
      "clean", "Turn scraped aggregator pages into clean articles (JSONL, JSON or Markdown).");
  clean->add_option("inputs", options->inputs,
                    "Input files; '-' or none reads standard input");
  clean->add_option("-f,--format", options->format, "Output format: jsonl, json or md")
      ->check(CLI::IsMember({"jsonl", "json", "md", "markdown"}))
      ->capture_default_str();
  clean->add_option("-o,--output", options->output,
                    "Write to FILE (via a temporary file renamed at the end) instead of "
                    "standard output");
  clean->add_option("--rejects", options->rejects,
                    "Write every dropped record and every dropped line, with its reason or "
                    "rule id and its location, to FILE as JSONL (see docs/rules.md)")
      ->type_name("FILE");
  clean->add_flag("--keep-teasers", options->keep_teasers,
                  "Emit truncated related-list teasers, marked \"truncated\": true");
  clean->add_flag("--keep-duplicates", options->keep_duplicates,
                  "Emit records that repeat one already emitted");
  clean->add_option("--width", options->width,
                    "Punctuation width of decoded references: auto (follow the page), keep, "
                    "or fold (all full-width punctuation to ASCII)")
      ->check(CLI::IsMember({"auto", "keep", "fold"}))
      ->capture_default_str();
  clean->add_option("--entities", options->entities,
                    "Character references: scrape (what scraped text needs), html5 (exactly "
                    "as a browser, and nothing else repaired), none")
      ->check(CLI::IsMember({"scrape", "html5", "none"}))
      ->capture_default_str();
  clean->add_option("--normalize", options->normalize, "Unicode normal form: nfc, nfkc, none")
      ->check(CLI::IsMember({"nfc", "nfkc", "none"}))
      ->capture_default_str();
  clean->add_flag("--no-mojibake", options->no_mojibake, "Leave mojibake as it is");
  clean->add_option("--max-line-bytes", options->max_line_bytes,
                    "Cut lines longer than this many bytes (with a warning)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30))
      ->capture_default_str();
  clean->add_option("--max-record-bytes", options->max_record_bytes,
                    "Drop an article whose text passes this many bytes (counted as oversized)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 32))
      ->capture_default_str();
  clean->add_flag("-q,--quiet", options->quiet, "No summary line and no warnings");
  AddRuleOptions(clean, &options->rules);
  clean->footer(
      "Examples:\n"
      "  winnow clean page.txt                  one page to JSONL on standard output\n"
      "  winnow clean -f md page.txt            the article as Markdown\n"
      "  cat dump.txt | winnow clean - > out.jsonl\n"
      "  winnow clean -o corpus.jsonl dumps/*.txt\n"
      "  winnow clean --rejects removed.jsonl page.txt > kept.jsonl\n"
      "  find dumps -name '*.txt' -print0 | xargs -0 winnow clean -q > corpus.jsonl\n");
  return clean;
}

int RunCleanCommand(const CleanCommandOptions& options) {
  StderrReporter reporter(options.quiet);
  CleanOptions clean;
  clean.reader.max_line_bytes = options.max_line_bytes;
  clean.splitter.max_record_bytes = options.max_record_bytes;
  ParseWidthPolicy(options.width, &clean.repair.width);
  ParseEntityMode(options.entities, &clean.repair.entities);
  ParseNormalForm(options.normalize, &clean.repair.form);
  clean.repair.mojibake = !options.no_mojibake;
  clean.filter.keep_teasers = options.keep_teasers;
  clean.filter.keep_duplicates = options.keep_duplicates;
  OutputFormat format = OutputFormat::kJsonl;
  ParseOutputFormat(options.format, &format);

  // Everything that can fail before reading input fails first: rules, then the output file.
  std::unique_ptr<RuleEngine> engine = BuildRuleEngine(options.rules, &reporter);
  if (engine == nullptr) return kExitError;

  std::unique_ptr<AtomicFileOutput> file_output;
  std::unique_ptr<FdOutput> stdout_output;
  OutputStream* out = nullptr;
  if (!options.output.empty() && options.output != "-") {
    std::string error;
    file_output = AtomicFileOutput::Create(options.output, &error);
    if (file_output == nullptr) {
      reporter.Report(Diagnostic{Severity::kError, options.output, 0, 0, false,
                                 "cannot create output: " + error});
      return kExitError;
    }
    out = file_output.get();
  } else {
    stdout_output = std::make_unique<FdOutput>(STDOUT_FILENO);
    out = stdout_output.get();
  }

  std::unique_ptr<AtomicFileOutput> rejects_output;
  if (!options.rejects.empty()) {
    std::string error;
    rejects_output = AtomicFileOutput::Create(options.rejects, &error);
    if (rejects_output == nullptr) {
      reporter.Report(Diagnostic{Severity::kError, options.rejects, 0, 0, false,
                                 "cannot create rejects file: " + error});
      return kExitError;
    }
  }

  InstallInterruptHandler();
  clean.should_stop = [out] { return InterruptRequested() || !out->ok(); };

  std::unique_ptr<RecordWriter> writer = MakeRecordWriter(format, out);
  // With --rejects the audit writer sees every record first and passes it on to the output.
  std::unique_ptr<RejectsWriter> rejects;
  RecordSink* sink = writer.get();
  if (rejects_output != nullptr) {
    rejects = std::make_unique<RejectsWriter>(rejects_output.get(), writer.get());
    sink = rejects.get();
  }
  CleanPipeline pipeline(*engine, clean, sink, &reporter, rejects.get());
  std::vector<std::string> inputs = options.inputs;
  if (inputs.empty()) inputs.push_back("-");
  bool inputs_ok = true;
  for (const std::string& input : inputs) {
    inputs_ok = pipeline.CleanPath(input) && inputs_ok;
    if (pipeline.stopped()) break;
  }
  if (InterruptRequested()) {
    if (file_output != nullptr) file_output->Abort();
    if (rejects_output != nullptr) rejects_output->Abort();
    reporter.Report(Diagnostic{Severity::kError, "winnow", 0, 0, false, "interrupted"});
    return kExitInterrupted;
  }
  writer->Finish();
  if (rejects_output != nullptr) {
    std::string error;
    if (!rejects_output->Commit(&error)) {
      reporter.Report(Diagnostic{Severity::kError, options.rejects, 0, 0, false, error});
      return kExitError;
    }
  }
  if (out->closed()) return kExitOk;  // the reader of our pipe is gone: nothing to report
  if (file_output != nullptr) {
    std::string error;
    if (!file_output->Commit(&error)) {
      reporter.Report(Diagnostic{Severity::kError, options.output, 0, 0, false, error});
      return kExitError;
    }
  } else if (!out->Flush()) {
    if (out->closed()) return kExitOk;
    reporter.Report(
        Diagnostic{Severity::kError, "standard output", 0, 0, false, out->error()});
    return kExitError;
  }
  reporter.Summary(pipeline.summary().Format());
  return inputs_ok ? kExitOk : kExitError;
}

}  // namespace cli
}  // namespace winnow

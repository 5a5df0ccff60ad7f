#include "cli/repair_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/command_output.h"
#include "cli/exit_codes.h"
#include "cli/interrupt.h"
#include "cli/stderr_reporter.h"
#include "winnow/output_file.h"
#include "winnow/reader.h"
#include "winnow/repair.h"
#include "winnow/text_normalize.h"

namespace winnow {
namespace cli {
namespace {

// One line filter over all inputs, writing to one output.
class RepairRun {
 public:
  RepairRun(const RepairCommandOptions& options, OutputStream* out, StderrReporter* reporter)
      : options_(options),
        out_(out),
        reporter_(reporter),
        repairer_(ToRepairOptions(options.repair), &normalizer_) {
    reader_options_.max_line_bytes = options.max_line_bytes;
  }

  /// Repairs `path` ("-" is standard input) to the output. Returns false when it could not
  /// be opened or read (reported).
  bool RepairPath(const std::string& path) {
    // Width auto follows the whole document, so a file is read once for its evidence first;
    // standard input cannot be read twice and follows the lines read so far.
    WidthEvidence evidence;
    const bool whole = path != "-" && options_.repair.width == "auto" && GatherEvidence(path, &evidence);
    repairer_.BeginDocument(whole ? &evidence : nullptr);

    std::unique_ptr<ByteSource> source;
    if (path == "-") {
      source = OpenStdinSource();
    } else {
      std::string error;
      source = OpenFileSource(path, &error);
      if (source == nullptr) {
        reporter_->Report(Diagnostic{Severity::kError, path, 0, 0, false, error});
        return false;
      }
    }
    LineReader reader(source.get(), reader_options_);
    std::string_view line;
    uint64_t line_number = 0;
    uint64_t since_poll = 0;
    while (reader.Next(&line, &line_number)) {
      repairer_.RepairLine(line, &repaired_);
      repaired_.push_back('\n');
      out_->Write(repaired_);
      ++lines_;
      if (++since_poll >= 256) {
        since_poll = 0;
        if (stopped()) break;
      }
    }
    const ReaderStats& stats = reader.stats();
    invalid_bytes_ += stats.invalid_bytes;
    if (stats.has_invalid) {
      reporter_->Report(Diagnostic{
          Severity::kWarning, path, stats.first_invalid_line, stats.first_invalid_offset, true,
          "invalid UTF-8; " + std::to_string(stats.invalid_bytes) +
              (stats.invalid_bytes == 1 ? " sequence" : " sequences") +
              " replaced with U+FFFD"});
    }
    if (stats.lines_cut > 0) {
      reporter_->Report(Diagnostic{
          Severity::kWarning, path, 0, 0, false,
          DescribeCutLines(stats.long_lines, stats.lines_cut, options_.max_line_bytes)});
    }
    if (!reader.ok()) {
      reporter_->Report(Diagnostic{Severity::kError, path, 0, 0, false, reader.error()});
      return false;
    }
    ++files_;
    return true;
  }

  bool stopped() const { return InterruptRequested() || !out_->ok(); }

  /// "2 files, 120 lines; repaired: 14 entities, 1 mojibake, 3 odd spaces, ..."
  std::string Summary() const {
    const RepairCounts& c = repairer_.counts();
    auto count = [](uint64_t n, const char* what) { return std::to_string(n) + " " + what; };
    return count(files_, files_ == 1 ? "file" : "files") + ", " +
           count(lines_, lines_ == 1 ? "line" : "lines") + "; repaired: " +
           count(c.entities, c.entities == 1 ? "entity" : "entities") + ", " +
           count(c.mojibake, "mojibake") + ", " + count(c.odd_spaces, "odd spaces") + ", " +
           count(c.zero_width, "zero-width") + ", " + count(c.controls, "controls") + ", " +
           count(c.width_folded, "width folded") + "; " +
           count(invalid_bytes_, "invalid byte sequences");
  }

 private:
  // Reads `path` for its width evidence. Returns false when it cannot be read; the second
  // pass reports why.
  bool GatherEvidence(const std::string& path, WidthEvidence* evidence) {
    std::string error;
    std::unique_ptr<ByteSource> source = OpenFileSource(path, &error);
    if (source == nullptr) return false;
    LineReader reader(source.get(), reader_options_);
    std::string_view line;
    uint64_t line_number = 0;
    while (reader.Next(&line, &line_number)) evidence->Add(line);
    return reader.ok();
  }

  const RepairCommandOptions& options_;
  OutputStream* out_;
  StderrReporter* reporter_;
  ReaderOptions reader_options_;
  TextNormalizer normalizer_;
  PlainTextRepairer repairer_;
  std::string repaired_;
  uint64_t files_ = 0;
  uint64_t lines_ = 0;
  uint64_t invalid_bytes_ = 0;
};

}  // namespace

CLI::App* AddRepairCommand(CLI::App* app, RepairCommandOptions* options) {
  CLI::App* repair = app->add_subcommand(
      "repair",
      "Repair plain text line by line: character references, mojibake, odd spaces and control "
      "characters. No splitting, no rules.");
  repair->add_option("inputs", options->inputs, "Input files; '-' or none reads standard input");
  repair->add_option("-o,--output", options->output,
                     "Write to FILE (via a temporary file renamed at the end) instead of "
                     "standard output");
  AddRepairFlags(repair, &options->repair);
  repair->add_option("--max-line-bytes", options->max_line_bytes,
                     "Cut lines longer than this many bytes (with a warning)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30))
      ->capture_default_str();
  repair->add_flag("-q,--quiet", options->quiet, "No summary line and no warnings");
  repair->footer(
      "Examples:\n"
      "  winnow repair notes.txt                     repaired text on standard output\n"
      "  echo '注意#xff1a;这里&amp;lt;' | winnow repair    注意：这里<\n"
      "  winnow repair --entities html5 page.txt     decode references as a browser does\n"
      "  winnow repair -o fixed.txt --width keep dump.txt\n");
  return repair;
}

int RunRepairCommand(const RepairCommandOptions& options) {
  StderrReporter reporter(options.quiet);
  std::unique_ptr<CommandOutput> output = CommandOutput::Open(options.output, "output", &reporter);
  if (output == nullptr) return kExitError;
  OutputStream* out = output->stream();

  InstallInterruptHandler();
  RepairRun run(options, out, &reporter);
  std::vector<std::string> inputs = options.inputs;
  if (inputs.empty()) inputs.push_back("-");
  bool inputs_ok = true;
  for (const std::string& input : inputs) {
    inputs_ok = run.RepairPath(input) && inputs_ok;
    if (run.stopped()) break;
  }
  if (InterruptRequested()) {
    output->Abort();
    reporter.Report(Diagnostic{Severity::kError, "", 0, 0, false, "interrupted"});
    return kExitInterrupted;
  }
  if (out->closed()) return kExitOk;  // the reader of our pipe is gone: nothing to report
  if (!output->Finish(&reporter)) return kExitError;
  if (out->closed()) return kExitOk;
  reporter.Summary(run.Summary());
  return inputs_ok ? kExitOk : kExitError;
}

}  // namespace cli
}  // namespace winnow

#include "cli/clean_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "cli/command_output.h"
#include "cli/exit_codes.h"
#include "cli/interrupt.h"
#include "cli/repair_flags.h"
#include "cli/rule_options.h"
#include "cli/run_stats.h"
#include "cli/status.h"
#include "cli/stderr_reporter.h"
#include "winnow/directory_writer.h"
#include "winnow/encoding.h"
#include "winnow/input_list.h"
#include "winnow/output_file.h"
#include "winnow/pipeline.h"
#include "winnow/record_writer.h"
#include "winnow/rejects_writer.h"
#include "winnow/rule_set.h"

namespace winnow {
namespace cli {
namespace {

/// Reads the whole of `path` ("-": standard input) into `*text`.
bool ReadFileList(const std::string& path, std::string* text, std::string* error) {
  std::unique_ptr<ByteSource> source;
  if (path == "-") {
    source = OpenStdinSource();
  } else {
    source = OpenFileSource(path, error);
    if (source == nullptr) return false;
  }
  char buffer[64 * 1024];
  while (true) {
    const long n = source->Read(buffer, sizeof buffer);
    if (n < 0) {
      *error = source->error();
      return false;
    }
    if (n == 0) return true;
    text->append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace

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
                    "standard output; DIR/ writes one file per article, <id>-<slug>.md or "
                    ".json");
  clean->add_option("--rejects", options->rejects,
                    "Write every dropped record, every dropped line and every skipped input, "
                    "with its reason or rule id and its location, to FILE as JSONL (see "
                    "docs/rules.md)")
      ->type_name("FILE");
  clean->add_flag("--keep-teasers", options->keep_teasers,
                  "Emit truncated related-list teasers, marked \"truncated\": true");
  clean->add_flag("--keep-duplicates", options->keep_duplicates,
                  "Emit records that repeat one already emitted");
  AddRepairFlags(clean, &options->repair);
  clean->add_option("--max-line-bytes", options->max_line_bytes,
                    "Cut lines longer than this many bytes (with a warning)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30))
      ->capture_default_str();
  clean->add_option("--max-record-bytes", options->max_record_bytes,
                    "Drop an article whose text passes this many bytes (counted as oversized)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 32))
      ->capture_default_str();
  clean->add_flag("-q,--quiet", options->quiet, "No summary line and no warnings");
  clean->add_flag("-r,--recursive", options->recursive,
                  "Clean the files under directory arguments (sorted by name)");
  clean->add_option("--files-from", options->files_from,
                    "Also clean the files listed in FILE, one a line ('-' reads the list from "
                    "standard input)");
  clean->add_flag("-0,--null", options->nul_separated,
                  "--files-from entries end with NUL, as find -print0 writes them");
  clean->add_option("--encoding", options->encoding,
                    "Read every input as this encoding (GB18030, Big5, UTF-16LE, ...) instead "
                    "of detecting it");
  clean->add_option("--binary", options->binary,
                    "Binary inputs: skip (with a warning), or text (read files named on the "
                    "command line anyway)")
      ->check(CLI::IsMember({"skip", "text"}))
      ->capture_default_str();
  clean->add_option("-j,--jobs", options->threads,
                    "Clean files on N threads (default: one per core); the output is the same "
                    "for every N")
      ->check(CLI::Range(1u, 1024u));
  clean->add_option("--shard", options->shard,
                    "Clean only shard K of N (K/N, 1 <= K <= N) by a stable hash of each input "
                    "path, so N jobs cover the inputs once; merge with 'winnow dedup'");
  clean->add_option("--stats", options->stats,
                    "Write a JSON summary (files, bytes, records by fate, rule hits, repairs, "
                    "encodings, elapsed time) to FILE");
  AddRuleOptions(clean, &options->rules);
  clean->footer(
      "Examples:\n"
      "  winnow clean page.txt                  one page to JSONL on standard output\n"
      "  winnow clean -f md page.txt            the article as Markdown\n"
      "  cat dump.txt | winnow clean - > out.jsonl\n"
      "  winnow clean -o corpus.jsonl dumps/*.txt\n"
      "  winnow clean --rejects removed.jsonl page.txt > kept.jsonl\n"
      "  find dumps -name '*.txt' -print0 | xargs -0 winnow clean -q > corpus.jsonl\n"
      "  winnow clean -r dumps/ > corpus.jsonl   .gz, .zst, GB18030, Big5, UTF-16 inside\n"
      "  find dumps -type f -print0 | winnow clean --files-from - -0 > corpus.jsonl\n");
  return clean;
}

int RunCleanCommand(const CleanCommandOptions& options) {
  StderrReporter reporter(options.quiet);
  CleanOptions clean;
  clean.reader.max_line_bytes = options.max_line_bytes;
  clean.splitter.max_record_bytes = options.max_record_bytes;
  clean.repair = ToRepairOptions(options.repair);
  clean.filter.keep_teasers = options.keep_teasers;
  clean.filter.keep_duplicates = options.keep_duplicates;
  OutputFormat format = OutputFormat::kJsonl;
  ParseOutputFormat(options.format, &format);

  clean.threads = options.threads > 0 ? options.threads
                                      : std::max(1u, std::thread::hardware_concurrency());
  // Everything that can fail before reading input fails first: rules, then the output file.
  // With threads to spare, the stages' tables are built meanwhile on another core, and each
  // cleaning thread after the first that has a core of its own gets an engine of its own,
  // compiled on that core meanwhile (its errors are the main compile's, reported by it); up
  // to eight engines, as each holds a few megabytes once its DFAs have filled.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<RuleEngine>> thread_engines(
      std::min({clean.threads, cores, 8u}) - 1);
  std::vector<std::thread> helpers;
  for (size_t i = 0; i < thread_engines.size(); ++i) {
    helpers.emplace_back([&options, &clean, &thread_engines, i] {
      if (i == 0) PrepareCleaningTables(clean);
      std::vector<Rule> rules;
      std::string error;
      if (LoadRuleSelection(options.rules, &rules, &error)) {
        thread_engines[i] = RuleEngine::Compile(std::move(rules), &error);
      }
    });
  }
  std::unique_ptr<RuleEngine> engine = BuildRuleEngine(options.rules, &reporter);
  for (std::thread& helper : helpers) helper.join();
  if (engine == nullptr) return kExitError;
  for (const auto& thread_engine : thread_engines) {
    if (thread_engine != nullptr) clean.thread_engines.push_back(thread_engine.get());
  }
  if (!options.encoding.empty()) {
    std::string error;
    clean.encoding.forced = CanonicalEncodingName(options.encoding, &error);
    if (clean.encoding.forced.empty()) {
      reporter.Report(Diagnostic{Severity::kError, "--encoding", 0, 0, false, error});
      return kExitError;
    }
  }
  clean.encoding.binary = options.binary == "text" ? BinaryPolicy::kText : BinaryPolicy::kSkip;

  std::vector<std::string> paths = options.inputs;
  if (!options.files_from.empty()) {
    std::string list;
    std::string error;
    if (!ReadFileList(options.files_from, &list, &error)) {
      reporter.Report(Diagnostic{Severity::kError, options.files_from, 0, 0, false,
                                 "cannot read the file list: " + error});
      return kExitError;
    }
    for (std::string& name : SplitFileList(list, options.nul_separated)) {
      if (name == "-" && options.files_from == "-") {
        reporter.Report(Diagnostic{Severity::kError, options.files_from, 0, 0, false,
                                   "'-' in a list read from standard input"});
        return kExitError;
      }
      paths.push_back(std::move(name));
    }
  } else if (paths.empty()) {
    paths.push_back("-");
  }
  std::vector<InputFile> inputs;
  InputListOptions list_options;
  list_options.recursive = options.recursive;
  bool inputs_ok = ExpandInputs(paths, list_options, &reporter, &inputs);
  if (!options.shard.empty()) {
    Shard shard;
    std::string error;
    if (!ParseShard(options.shard, &shard, &error)) {
      reporter.Report(Diagnostic{Severity::kError, "--shard", 0, 0, false, error});
      return kExitError;
    }
    std::vector<InputFile> mine;
    for (InputFile& input : inputs) {
      if (InShard(input.path, shard)) mine.push_back(std::move(input));
    }
    inputs = std::move(mine);
  }

  // -o DIR/ (or an existing directory): one file per article.
  std::unique_ptr<DirectoryWriter> directory_writer;
  std::unique_ptr<CommandOutput> output;
  OutputStream* out = nullptr;
  struct stat output_stat;
  const bool to_directory =
      !options.output.empty() &&
      (options.output.back() == '/' ||
       (::stat(options.output.c_str(), &output_stat) == 0 && S_ISDIR(output_stat.st_mode)));
  if (to_directory) {
    if (::mkdir(options.output.c_str(), 0777) != 0 && errno != EEXIST) {
      reporter.Report(Diagnostic{Severity::kError, options.output, 0, 0, false,
                                 std::string("cannot create output directory: ") +
                                     std::strerror(errno)});
      return kExitError;
    }
    directory_writer = std::make_unique<DirectoryWriter>(options.output, format);
  } else {
    output = CommandOutput::Open(options.output, "output", &reporter);
    if (output == nullptr) return kExitError;
    out = output->stream();
  }

  std::unique_ptr<CommandOutput> rejects_output;
  if (!options.rejects.empty()) {
    rejects_output = CommandOutput::Open(options.rejects, "rejects file", &reporter);
    if (rejects_output == nullptr) return kExitError;
  }

  uint64_t total_bytes = 0;
  for (const InputFile& input : inputs) {
    struct stat st;
    if (input.path != "-" && ::stat(input.path.c_str(), &st) == 0) total_bytes += st.st_size;
  }
  std::unique_ptr<Status> status = MakeStatus(options.quiet, total_bytes);
  StatusAwareDiagnostics diagnostics(status.get(), &reporter);
  InstallInterruptHandler();
  DirectoryWriter* dir = directory_writer.get();
  clean.should_stop = [out, dir] {
    return InterruptRequested() || (out != nullptr && !out->ok()) || (dir != nullptr && !dir->ok());
  };
  Status* status_line = status.get();
  clean.progress = [status_line](const RunProgress& progress) { status_line->Update(progress); };

  const auto started = std::chrono::steady_clock::now();
  std::unique_ptr<RecordWriter> writer;
  RecordSink* sink = directory_writer.get();
  if (sink == nullptr) {
    writer = MakeRecordWriter(format, out);
    sink = writer.get();
  }
  // With --rejects the audit writer sees every record first and passes it on to the output.
  std::unique_ptr<RejectsWriter> rejects;
  if (rejects_output != nullptr) {
    rejects = std::make_unique<RejectsWriter>(rejects_output->stream(), sink);
    sink = rejects.get();
    RejectsWriter* audit = rejects.get();
    clean.skipped_input = [audit](const std::string& path, const std::string& reason) {
      audit->SkippedInput(path, reason);
    };
  }
  CleanPipeline pipeline(*engine, clean, sink, &diagnostics, rejects.get());
  inputs_ok = pipeline.CleanInputs(inputs) && inputs_ok;
  status->Clear();
  if (InterruptRequested()) {
    if (output != nullptr) output->Abort();
    if (rejects_output != nullptr) rejects_output->Abort();
    reporter.Report(Diagnostic{Severity::kError, "", 0, 0, false, "interrupted"});
    return kExitInterrupted;
  }
  if (rejects_output != nullptr && !rejects_output->Finish(&reporter)) return kExitError;
  if (directory_writer != nullptr) {
    if (!directory_writer->ok()) {
      reporter.Report(Diagnostic{Severity::kError, options.output, 0, 0, false,
                                 directory_writer->error()});
      return kExitError;
    }
  } else {
    writer->Finish();
    if (out->closed()) return kExitOk;  // the reader of our pipe is gone: nothing to report
    if (!output->Finish(&reporter)) return kExitError;
    if (out->closed()) return kExitOk;
  }
  if (!options.stats.empty()) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::string error;
    if (!WriteRunStats(options.stats, pipeline.summary(), seconds, clean.threads, &error)) {
      reporter.Report(Diagnostic{Severity::kError, options.stats, 0, 0, false,
                                 "cannot write statistics: " + error});
      return kExitError;
    }
  }
  reporter.Summary(pipeline.summary().Format());
  return inputs_ok ? kExitOk : kExitError;
}

}  // namespace cli
}  // namespace winnow

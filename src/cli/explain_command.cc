#include "cli/explain_command.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <map>
#include <memory>

#include "cli/exit_codes.h"
#include "cli/interrupt.h"
#include "cli/rule_options.h"
#include "cli/stderr_reporter.h"
#include "winnow/json_text.h"
#include "winnow/line_fate.h"
#include "winnow/output_file.h"
#include "winnow/pipeline.h"

namespace winnow {
namespace cli {
namespace {

// One input line as the reader returned it, and what became of it.
struct ExplainedLine {
  uint64_t line = 0;
  std::string text;
  const LineFate* fate = nullptr;  // null: blank, or (a bug) unaccounted
  bool blank = false;
};

bool ReadAll(ByteSource* source, std::string* bytes, std::string* error) {
  char buffer[64 * 1024];
  for (;;) {
    long n = source->Read(buffer, sizeof buffer);
    if (n < 0) {
      *error = source->error();
      return false;
    }
    if (n == 0) return true;
    bytes->append(buffer, static_cast<size_t>(n));
  }
}

// Appends as much of the UTF-8 `text` as fits in `columns` terminal columns (East Asian wide
// and fullwidth characters take two), with "…" when it is cut.
void AppendFitted(std::string_view text, size_t columns, std::string* out) {
  size_t used = 0;
  int32_t i = 0;
  const int32_t size = static_cast<int32_t>(text.size());
  while (i < size) {
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(text.data(), i, size, c);
    const int ea = c < 0 ? U_EA_NARROW : u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    const size_t width = ea == U_EA_WIDE || ea == U_EA_FULLWIDTH ? 2 : 1;
    if (used + width + 1 > columns && i < size) {
      out->append("…");
      return;
    }
    used += width;
    out->append(text.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)));
  }
}

// "title #1", "teaser p0.5", "drop nav.breadcrumb": the fate column.
std::string FateLabel(const ExplainedLine& line) {
  if (line.fate == nullptr) return line.blank ? "" : "?? unaccounted";
  const LineFate& fate = *line.fate;
  if (fate.role == LineRole::kDropped) return "drop   " + fate.rule;
  std::string label = LineRoleName(fate.role);
  label.append(7 - label.size(), ' ');
  if (fate.emitted) return label + "#" + std::to_string(fate.emitted_number);
  label += "p" + std::to_string(fate.page) + "." + std::to_string(fate.index) + " dropped: " +
           DropReasonId(fate.drop);
  if (fate.drop == DropReason::kRule) label += " " + fate.drop_detail;
  return label;
}

class ExplainPrinter {
 public:
  ExplainPrinter(OutputStream* out, bool json, bool color, size_t columns)
      : out_(out), json_(json), color_(color), columns_(columns) {}

  void Print(const std::string& source, const std::vector<ExplainedLine>& lines) {
    text_.clear();
    if (json_) {
      for (const ExplainedLine& line : lines) AppendJson(source, line);
    } else {
      AppendText(source, lines);
    }
    out_->Write(text_);
  }

 private:
  void AppendText(const std::string& source, const std::vector<ExplainedLine>& lines) {
    text_ += "== " + source + "\n";
    size_t label_width = 0;
    for (const ExplainedLine& line : lines) {
      label_width = std::max(label_width, FateLabel(line).size());
    }
    label_width = std::min<size_t>(label_width, 40);
    std::map<std::string, uint64_t> fired;
    uint64_t kept = 0;
    uint64_t in_dropped = 0;
    uint64_t dropped = 0;
    uint64_t blank = 0;
    for (const ExplainedLine& line : lines) {
      std::string number = std::to_string(line.line);
      if (number.size() < 5) text_.append(5 - number.size(), ' ');
      text_ += number;
      std::string label = FateLabel(line);
      if (label.empty() && line.text.empty()) {
        ++blank;
        text_ += "\n";
        continue;
      }
      text_ += "  ";
      const char* paint = nullptr;
      if (line.fate == nullptr) {
        ++blank;
      } else if (line.fate->role == LineRole::kDropped) {
        ++dropped;
        ++fired[line.fate->rule];
        paint = "\033[31m";
      } else if (!line.fate->emitted) {
        ++in_dropped;
        paint = "\033[33m";
      } else {
        ++kept;
        paint = "\033[32m";
      }
      if (line.fate == nullptr && !line.blank) paint = "\033[1;31m";
      if (color_ && paint != nullptr) text_ += paint;
      text_ += label;
      if (color_ && paint != nullptr) text_ += "\033[0m";
      if (line.text.empty()) {
        text_ += "\n";
        continue;
      }
      if (label.size() < label_width) text_.append(label_width - label.size(), ' ');
      text_ += "  ";
      const size_t used = 5 + 2 + std::max(label.size(), label_width) + 2;
      if (columns_ > used + 8) {
        AppendFitted(line.text, columns_ - used, &text_);
      } else {
        text_ += line.text;
      }
      text_ += "\n";
    }
    text_ += "-- " + std::to_string(lines.size()) + " lines: " + std::to_string(kept) +
             " kept, " + std::to_string(dropped) + " dropped by rules, " +
             std::to_string(in_dropped) + " in dropped records, " + std::to_string(blank) +
             " blank\n";
    if (!fired.empty()) {
      text_ += "-- rules:";
      for (const auto& [id, count] : fired) text_ += " " + id + " " + std::to_string(count);
      text_ += "\n";
    }
  }

  void AppendJson(const std::string& source, const ExplainedLine& line) {
    text_ += "{\"source\":";
    AppendJsonString(source, &text_);
    text_ += ",\"line\":" + std::to_string(line.line) + ",\"text\":";
    AppendJsonString(line.text, &text_);
    text_ += ",\"fate\":";
    if (line.fate == nullptr) {
      text_ += line.blank ? "\"blank\"}\n" : "\"unaccounted\"}\n";
      return;
    }
    const LineFate& fate = *line.fate;
    AppendJsonString(LineRoleName(fate.role), &text_);
    if (fate.role == LineRole::kDropped) {
      text_ += ",\"rule\":";
      AppendJsonString(fate.rule, &text_);
    }
    text_ += ",\"record\":{\"page\":" + std::to_string(fate.page) +
             ",\"index\":" + std::to_string(fate.index) + ",\"kind\":\"" +
             RecordKindName(fate.kind) + "\",\"emitted\":" + (fate.emitted ? "true" : "false");
    if (fate.emitted) {
      text_ += ",\"number\":" + std::to_string(fate.emitted_number);
    } else {
      text_ += std::string(",\"reason\":\"") + DropReasonId(fate.drop) + "\"";
      if (fate.drop == DropReason::kRule) {
        text_ += ",\"rule\":";
        AppendJsonString(fate.drop_detail, &text_);
      }
    }
    text_ += "}}\n";
  }

  OutputStream* out_;
  bool json_;
  bool color_;
  size_t columns_;
  std::string text_;
};

size_t TerminalColumns() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 0;
}

}  // namespace

CLI::App* AddExplainCommand(CLI::App* app, ExplainCommandOptions* options) {
  CLI::App* explain = app->add_subcommand(
      "explain", "Show each input line with its fate: kept in which record, or dropped by "
                 "which rule or for which reason.");
  explain->add_option("inputs", options->inputs,
                      "Input files; '-' or none reads standard input");
  explain->add_option("-f,--format", options->format,
                      "text (aligned columns, for a terminal) or json (one object per line)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  explain->add_option("--color", options->color,
                      "Colour the fate column: auto (on a terminal unless NO_COLOR is set), "
                      "always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  explain->add_flag("--keep-teasers", options->keep_teasers,
                    "Explain a run that emits truncated teasers (as clean --keep-teasers)");
  explain->add_flag("--keep-duplicates", options->keep_duplicates,
                    "Explain a run that emits duplicates (as clean --keep-duplicates)");
  AddRuleOptions(explain, &options->rules);
  explain->footer(
      "Each line is shown as:\n"
      "  title/body/teaser #N          kept in the N-th emitted record\n"
      "  title/body/teaser pP.I dropped: REASON\n"
      "                                in record I of page P, which was dropped\n"
      "                                (truncated-teaser, duplicate, empty, rule ID)\n"
      "  drop RULE                     dropped by a rule, or by structure (title.repeat)\n"
      "  (nothing)                     a blank line\n"
      "Examples:\n"
      "  winnow explain --color always page.txt | less -R\n"
      "  winnow explain --rules my-site.json page.txt | grep 'drop   site\\.'\n"
      "  winnow explain -f json page.txt | jq 'select(.fate == \"dropped\") | .rule'\n");
  return explain;
}

int RunExplainCommand(const ExplainCommandOptions& options) {
  StderrReporter reporter(false);
  std::unique_ptr<RuleEngine> engine = BuildRuleEngine(options.rules, &reporter);
  if (engine == nullptr) return kExitError;

  InstallInterruptHandler();
  FdOutput out(STDOUT_FILENO);
  const bool tty = isatty(STDOUT_FILENO) == 1;
  bool color = options.color == "always";
  if (options.color == "auto") color = tty && std::getenv("NO_COLOR") == nullptr;
  ExplainPrinter printer(&out, options.format == "json", color, tty ? TerminalColumns() : 0);

  CleanOptions clean;
  clean.filter.keep_teasers = options.keep_teasers;
  clean.filter.keep_duplicates = options.keep_duplicates;
  LineFateCollector collector;
  CleanPipeline pipeline(*engine, clean, &collector, &reporter, &collector);
  TextNormalizer normalizer;
  std::vector<std::string> inputs = options.inputs;
  if (inputs.empty()) inputs.push_back("-");
  bool inputs_ok = true;
  for (const std::string& input : inputs) {
    // The input is read once into memory: the pipeline runs on it, and its lines are shown.
    std::string error;
    std::unique_ptr<ByteSource> source =
        input == "-" ? OpenStdinSource() : OpenFileSource(input, &error);
    std::string bytes;
    if (source == nullptr || !ReadAll(source.get(), &bytes, &error)) {
      reporter.Report(Diagnostic{Severity::kError, input, 0, 0, false, error});
      inputs_ok = false;
      continue;
    }
    std::unique_ptr<ByteSource> copy = MakeStringSource(bytes);
    if (!pipeline.CleanSource(input, copy.get())) {
      inputs_ok = false;
      continue;
    }
    const std::vector<LineFate> fates = collector.Take();
    std::vector<ExplainedLine> lines;
    std::unique_ptr<ByteSource> again = MakeStringSource(std::move(bytes));
    LineReader reader(again.get());
    std::string_view text;
    uint64_t number = 0;
    size_t next_fate = 0;
    std::string key;
    while (reader.Next(&text, &number)) {
      if (!lines.empty() && lines.back().line == number) {
        lines.back().text.append(text);  // the pieces of a line cut at --max-line-bytes
        continue;
      }
      ExplainedLine line;
      line.line = number;
      line.text = std::string(text);
      while (next_fate < fates.size() && fates[next_fate].line < number) ++next_fate;
      if (next_fate < fates.size() && fates[next_fate].line == number) {
        line.fate = &fates[next_fate];
      } else {
        normalizer.MatchKey(text, &key);
        line.blank = key.empty();
      }
      lines.push_back(std::move(line));
    }
    printer.Print(input, lines);
    if (!out.ok() || InterruptRequested()) break;
  }
  if (InterruptRequested()) {
    reporter.Report(Diagnostic{Severity::kError, "", 0, 0, false, "interrupted"});
    return kExitInterrupted;
  }
  if (!out.Flush() && !out.closed()) {
    reporter.Report(Diagnostic{Severity::kError, "standard output", 0, 0, false, out.error()});
    return kExitError;
  }
  return inputs_ok ? kExitOk : kExitError;
}

}  // namespace cli
}  // namespace winnow

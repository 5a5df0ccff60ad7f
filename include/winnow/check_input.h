// The input side of `winnow check`, and the one place that wires it: files and directories
// -> lines (reader.h) -> records of the input's format -> the detectors (check.h). Formats:
// JSONL (winnow's schema, or any JSONL with a text field), one JSON array of records,
// Markdown (winnow's `-f md` output, or any Markdown file) and raw scraped pages, which go
// through the same splitter and rule engine as `clean`.
#ifndef WINNOW_CHECK_INPUT_H_
#define WINNOW_CHECK_INPUT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "winnow/check.h"
#include "winnow/diagnostic.h"
#include "winnow/reader.h"
#include "winnow/rule_engine.h"
#include "winnow/text_normalize.h"

namespace winnow {

enum class InputFormat {
  kAuto,      ///< from the file name's extension, else sniffed from the first line
  kJsonl,     ///< one JSON object per line
  kJson,      ///< one JSON array of objects
  kMarkdown,  ///< records separated by `---` lines, each with an optional `# title`
  kRaw,       ///< scraped pages, split as `clean` splits them
};

/// Parses "auto", "jsonl", "json", "md" (also "markdown") or "raw".
bool ParseInputFormat(std::string_view name, InputFormat* format);
/// The format a path's extension names: .jsonl/.ndjson, .json, .md/.markdown; kAuto for
/// any other name (including .txt, which may hold any of them).
InputFormat FormatFromExtension(std::string_view path);
/// The format the first non-blank line of an input suggests: `{` JSONL, `[` JSON, `# ` or
/// `---` Markdown, anything else a raw page.
InputFormat SniffFormat(std::string_view first_line);

struct CheckOptions {
  InputFormat format = InputFormat::kAuto;  ///< kAuto decides per input
  std::string text_field = "text";          ///< JSON: the field holding the text
  std::string title_field = "title";        ///< JSON: the title field (optional in a record)
  ReaderOptions reader;
  /// Polled between lines; returning true stops the run early (SIGINT).
  std::function<bool()> should_stop;
};

/// What a check run read, for the summary line and for tests.
struct CheckSummary {
  uint64_t files = 0;         ///< inputs read
  uint64_t files_failed = 0;  ///< inputs that could not be opened or read
  uint64_t records = 0;       ///< records checked
  uint64_t lines = 0;
  uint64_t bytes = 0;
};

class CorpusCheck {
 public:
  /// `engine`, `findings` and `diagnostics` must outlive the check. Findings go to
  /// `findings`, each source's in line order once the source is read; inputs that cannot
  /// be read, and overlong lines, go to `diagnostics`.
  CorpusCheck(const RuleEngine& engine, const CheckOptions& options, FindingSink* findings,
              DiagnosticSink* diagnostics);
  ~CorpusCheck();
  CorpusCheck(const CorpusCheck&) = delete;
  CorpusCheck& operator=(const CorpusCheck&) = delete;

  /// Checks standard input ("-"), a file, or every file under a directory (recursively,
  /// in path order; files named *.jsonl, *.ndjson, *.json, *.md, *.markdown or *.txt,
  /// hidden entries skipped; a directory without such files gets a warning). An input that
  /// cannot be read is reported and counted; returns false then, and the run goes on.
  bool CheckPath(const std::string& path);
  /// Checks one already opened source named `name`.
  bool CheckSource(const std::string& name, ByteSource* source);

  const CheckSummary& summary() const { return summary_; }
  bool stopped() const { return stopped_; }

 private:
  class FormatReader;
  class JsonlReader;
  class JsonArrayReader;
  class MarkdownReader;
  class RawPageReader;
  class SourceOrder;

  bool CheckFile(const std::string& path);
  std::unique_ptr<FormatReader> MakeReader(InputFormat format, const std::string& name);

  const RuleEngine& engine_;
  CheckOptions options_;
  DiagnosticSink* diagnostics_;
  TextNormalizer normalizer_;
  std::unique_ptr<SourceOrder> order_;
  RecordChecker checker_;
  CheckSummary summary_;
  bool stopped_ = false;
};

}  // namespace winnow

#endif  // WINNOW_CHECK_INPUT_H_

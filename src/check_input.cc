#include "winnow/check_input.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "winnow/record_sink.h"
#include "winnow/splitter.h"

namespace winnow {
namespace {

using Json = nlohmann::json;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// At most `max_bytes` of `text`, cut at a character boundary.
std::string_view Prefix(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line 1, column 2:
// syntax error while parsing value - invalid literal; last read: 'x'"; the location is
// reported our way, so keep only the cause.
std::string ParseErrorCause(const char* what) {
  std::string_view message(what);
  size_t at = message.find("parse error");
  if (at != std::string_view::npos) {
    const size_t colon = message.find(": ", at);
    if (colon != std::string_view::npos) message.remove_prefix(colon + 2);
  } else if (message.substr(0, 16) == "[json.exception.") {
    // "[json.exception.out_of_range.406] number overflow parsing '1E400'"
    const size_t bracket = message.find("] ");
    if (bracket != std::string_view::npos) message.remove_prefix(bracket + 2);
  }
  // The excerpt shows what was read; "last read: ..." would say it twice.
  const size_t last_read = message.find("; last read:");
  if (last_read != std::string_view::npos) message = message.substr(0, last_read);
  return "invalid JSON: " + std::string(message);
}

const char* JsonTypeName(const Json& value) {
  if (value.is_number_integer()) return "an integer";
  if (value.is_number()) return "a number";
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "a boolean";
  if (value.is_null()) return "null";
  if (value.is_array()) return "an array";
  return "an object";
}

// The raw lines of a source from some line on, in one buffer (no allocation per line):
// lines are appended as they are read and dropped from the front once nothing can refer to
// them any more.
class RawLineWindow {
 public:
  /// Appends line `number`; a piece with the number of the last line (a line cut at
  /// max_line_bytes) is appended to that line.
  void Add(std::string_view line, uint64_t number) {
    if (starts_.size() > first_ && number == first_line_ + (starts_.size() - first_) - 1) {
      text_.append(line);
      return;
    }
    if (starts_.size() == first_) first_line_ = number;
    starts_.push_back(text_.size());
    text_.append(line);
  }

  /// Line `number`, or false when it was dropped or not read yet. The view stays valid until
  /// the next Add.
  bool Find(uint64_t number, std::string_view* line) const {
    if (number < first_line_ || number - first_line_ >= starts_.size() - first_) return false;
    const size_t k = first_ + (number - first_line_);
    const size_t end = k + 1 < starts_.size() ? starts_[k + 1] : text_.size();
    *line = std::string_view(text_).substr(starts_[k], end - starts_[k]);
    return true;
  }

  /// Drops the lines before `number`.
  void DropBefore(uint64_t number) {
    while (first_ < starts_.size() && first_line_ < number) {
      ++first_;
      ++first_line_;
    }
    if (first_ == starts_.size()) {
      text_.clear();
      starts_.clear();
      first_ = 0;
      first_line_ = number;
      return;
    }
    // Compact once the dead front outweighs what is kept, so each byte moves O(1) times.
    const size_t dead = starts_[first_];
    if (dead > (size_t{1} << 20) && dead > text_.size() / 2) {
      text_.erase(0, dead);
      starts_.erase(starts_.begin(), starts_.begin() + static_cast<std::ptrdiff_t>(first_));
      for (size_t& start : starts_) start -= dead;
      first_ = 0;
    }
  }

  size_t lines() const { return starts_.size() - first_; }
  size_t bytes() const { return first_ < starts_.size() ? text_.size() - starts_[first_] : 0; }
  uint64_t first_line() const { return first_line_; }

 private:
  std::string text_;
  std::vector<size_t> starts_;  // offset in text_ of each line; entries before first_ dropped
  size_t first_ = 0;
  uint64_t first_line_ = 0;
};

}  // namespace

// Holds a source's findings until no earlier one can come, then passes them on in line and
// column order: raw pages report a record's chrome when the record is complete, after the
// findings on the lines inside it, and Markdown a record's duplicate at its title.
class CorpusCheck::SourceOrder : public FindingSink {
 public:
  explicit SourceOrder(FindingSink* next) : next_(next) {}
  void Report(Finding&& finding) override { held_.push_back(std::move(finding)); }
  /// Passes on, in order, the held findings on lines before `settled`: no later finding of
  /// the source can come before them. UINT64_MAX passes on everything.
  void Release(uint64_t settled) {
    if (held_.empty()) return;
    // The order is found on (line, column, arrival) keys, not by moving whole findings (each
    // holds several strings) back and forth.
    order_.clear();
    for (uint32_t i = 0; i < held_.size(); ++i) {
      order_.push_back(Place{held_[i].line, held_[i].column, i});
    }
    std::sort(order_.begin(), order_.end(), [](const Place& a, const Place& b) {
      if (a.line != b.line) return a.line < b.line;
      return a.column != b.column ? a.column < b.column : a.arrival < b.arrival;
    });
    size_t n = 0;
    for (; n < order_.size() && order_[n].line < settled; ++n) {
      next_->Report(std::move(held_[order_[n].arrival]));
    }
    if (n == order_.size()) {
      held_.clear();
      return;
    }
    std::vector<Finding> rest;
    rest.reserve(order_.size() - n);
    for (; n < order_.size(); ++n) rest.push_back(std::move(held_[order_[n].arrival]));
    held_ = std::move(rest);
  }

 private:
  struct Place {
    uint64_t line;
    uint64_t column;
    uint32_t arrival;  // index in held_
  };
  FindingSink* next_;
  std::vector<Finding> held_;
  std::vector<Place> order_;  // scratch
};

bool ParseInputFormat(std::string_view name, InputFormat* format) {
  if (name == "auto") *format = InputFormat::kAuto;
  else if (name == "jsonl") *format = InputFormat::kJsonl;
  else if (name == "json") *format = InputFormat::kJson;
  else if (name == "md" || name == "markdown") *format = InputFormat::kMarkdown;
  else if (name == "raw") *format = InputFormat::kRaw;
  else return false;
  return true;
}

InputFormat FormatFromExtension(std::string_view path) {
  if (EndsWith(path, ".jsonl") || EndsWith(path, ".ndjson")) return InputFormat::kJsonl;
  if (EndsWith(path, ".json")) return InputFormat::kJson;
  if (EndsWith(path, ".md") || EndsWith(path, ".markdown")) return InputFormat::kMarkdown;
  return InputFormat::kAuto;
}

InputFormat SniffFormat(std::string_view first_line) {
  const std::string_view line = TrimAscii(first_line);
  if (!line.empty() && line[0] == '{') return InputFormat::kJsonl;
  if (!line.empty() && line[0] == '[') return InputFormat::kJson;
  if (line.substr(0, 2) == "# " || line == "---") return InputFormat::kMarkdown;
  return InputFormat::kRaw;
}

// One input format: takes the input's lines in order, hands records to the checker.
class CorpusCheck::FormatReader {
 public:
  FormatReader(const std::string& file, RecordChecker* checker, CheckSummary* summary)
      : file_(file), checker_(checker), summary_(summary) {}
  virtual ~FormatReader() = default;
  virtual void AddLine(std::string_view line, uint64_t line_number) = 0;
  virtual void End() {}
  /// No finding this reader makes from now on is on a line before this one.
  virtual uint64_t SettledLine() const = 0;

 protected:
  void Check(const CheckRecord& record) {
    ++summary_->records;
    checker_->Check(record);
  }
  void Report(CheckRule rule, uint64_t line, uint64_t column, std::string message,
              std::string_view text = "") {
    checker_->Report(rule, file_, line, column, std::move(message), text);
  }

  // Turns one parsed JSON value, found at `line`, into a record; reports what does not fit
  // the schema. Used by the JSONL and JSON array readers.
  void CheckJsonRecord(const Json& value, uint64_t line, const CheckOptions& options) {
    if (!value.is_object()) {
      Report(CheckRule::kWrongType, line, 0,
             std::string("record is ") + JsonTypeName(value) + ", not an object");
      return;
    }
    CheckRecord record;
    record.file = file_;
    record.line = line;
    record.places.push_back(TextPlace{line, 0});
    record.title_place = TextPlace{line, 0};
    auto wrong = [&](const std::string& field, const Json& got, const char* want) {
      Report(CheckRule::kWrongType, line, 0,
             "\"" + field + "\" is " + JsonTypeName(got) + ", not " + want);
    };
    const auto text = value.find(options.text_field);
    if (text == value.end()) {
      Report(CheckRule::kMissingField, line, 0, "no \"" + options.text_field + "\" field");
    } else if (!text->is_string()) {
      wrong(options.text_field, *text, "a string");
    } else {
      record.has_text = true;
      record.text = text->get<std::string>();
    }
    const auto title = value.find(options.title_field);
    if (title != value.end()) {
      if (title->is_string()) {
        record.has_title = true;
        record.title = title->get<std::string>();
      } else {
        wrong(options.title_field, *title, "a string");
      }
    }
    // The other fields of winnow's own schema, when present.
    for (const char* field : {"id", "source"}) {
      const auto it = value.find(field);
      if (it != value.end() && !it->is_string()) wrong(field, *it, "a string");
    }
    for (const char* field : {"page", "record"}) {
      const auto it = value.find(field);
      if (it != value.end() && !it->is_number_unsigned()) wrong(field, *it, "an integer >= 0");
    }
    if (const auto it = value.find("truncated"); it != value.end()) {
      if (it->is_boolean()) {
        record.truncated = it->get<bool>();
      } else {
        wrong("truncated", *it, "a boolean");
      }
    }
    if (const auto it = value.find("metadata"); it != value.end()) {
      if (!it->is_object()) {
        wrong("metadata", *it, "an object");
      } else if (const auto kind = it->find("kind"); kind != it->end()) {
        if (kind->is_string() && *kind == "related") {
          record.kind_known = true;
          record.kind = RecordKind::kRelated;
        } else if (kind->is_string() && *kind == "article") {
          record.kind_known = true;
        } else if (!kind->is_string()) {
          wrong("metadata.kind", *kind, "a string");
        }
      }
    }
    if (record.has_text || record.has_title) Check(record);
  }

  // Reports a parse error of `text`, which starts at `line`; `e_byte` is nlohmann's
  // 1-based byte position of the error.
  void ReportParseError(std::string_view text, uint64_t line, size_t e_byte,
                        const char* what) {
    size_t at = std::min(text.size(), e_byte > 0 ? e_byte - 1 : 0);
    uint64_t line_number = line;
    size_t line_start = 0;
    for (size_t i = 0; i < at; ++i) {
      if (text[i] == '\n') {
        ++line_number;
        line_start = i + 1;
      }
    }
    const uint64_t column = CountCodePoints(text.substr(line_start, at - line_start)) + 1;
    const size_t line_end = std::min(text.find('\n', line_start), text.size());
    Report(CheckRule::kInvalidJson, line_number, column, ParseErrorCause(what),
           Prefix(text.substr(line_start, line_end - line_start), 80));
  }

  const std::string& file_;
  RecordChecker* checker_;
  CheckSummary* summary_;
};

class CorpusCheck::JsonlReader : public FormatReader {
 public:
  JsonlReader(const std::string& file, RecordChecker* checker, CheckSummary* summary,
              const CheckOptions& options)
      : FormatReader(file, checker, summary), options_(options) {}

  void AddLine(std::string_view line, uint64_t line_number) override {
    settled_ = line_number + 1;
    if (TrimAscii(line).empty()) return;
    Json value;
    try {
      value = Json::parse(line.begin(), line.end());
    } catch (const Json::parse_error& e) {
      ReportParseError(line, line_number, e.byte, e.what());
      return;
    } catch (const Json::out_of_range& e) {  // a number too large for a double
      ReportParseError(line, line_number, 0, e.what());
      return;
    }
    CheckJsonRecord(value, line_number, options_);
  }
  uint64_t SettledLine() const override { return settled_; }

 private:
  const CheckOptions& options_;
  uint64_t settled_ = 0;
};

// Splits one JSON array into its elements while the lines stream by, so a big array is
// never held whole, and each element is parsed (and placed) on its own.
class CorpusCheck::JsonArrayReader : public FormatReader {
 public:
  JsonArrayReader(const std::string& file, RecordChecker* checker, CheckSummary* summary,
                  const CheckOptions& options)
      : FormatReader(file, checker, summary), options_(options) {}

  void AddLine(std::string_view line, uint64_t line_number) override {
    if (failed_) return;
    last_line_ = line_number;
    for (size_t i = 0; i < line.size() && !failed_; ++i) Step(line, i, line_number);
    if (in_element_) element_.push_back('\n');
  }

  uint64_t SettledLine() const override { return in_element_ ? element_line_ : last_line_; }

  void End() override {
    if (failed_ || !opened_ || closed_) return;
    Report(CheckRule::kInvalidJson, last_line_, 0, "unterminated array: missing ']'");
  }

 private:
  void Fail(std::string_view line, size_t i, uint64_t line_number, std::string message) {
    failed_ = true;
    Report(CheckRule::kInvalidJson, line_number, CountCodePoints(line.substr(0, i)) + 1,
           std::move(message), TrimAscii(Prefix(line, 80)));
  }

  void Step(std::string_view line, size_t i, uint64_t line_number) {
    const char c = line[i];
    const bool space = c == ' ' || c == '\t' || c == '\r';
    if (!opened_) {
      if (space) return;
      if (c != '[') return Fail(line, i, line_number, "expected a JSON array of records");
      opened_ = true;
      return;
    }
    if (closed_) {
      if (!space) Fail(line, i, line_number, "unexpected text after the array");
      return;
    }
    if (!in_element_) {
      if (space) return;
      if (c == ']') {
        closed_ = true;
        return;
      }
      if (c == ',') return;
      in_element_ = true;
      element_line_ = line_number;
      element_.clear();
      depth_ = 0;
      in_string_ = false;
      escape_ = false;
    }
    if (in_string_) {
      element_.push_back(c);
      if (escape_) {
        escape_ = false;
      } else if (c == '\\') {
        escape_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      return;
    }
    if (depth_ == 0 && (c == ',' || c == ']') && !element_.empty()) {
      // The end of a scalar element.
      FinishElement();
      if (c == ']') closed_ = true;
      return;
    }
    element_.push_back(c);
    if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      ++depth_;
    } else if (c == '}' || c == ']') {
      if (--depth_ == 0) FinishElement();
    }
  }

  void FinishElement() {
    in_element_ = false;
    Json value;
    try {
      value = Json::parse(element_.begin(), element_.end());
    } catch (const Json::parse_error& e) {
      ReportParseError(element_, element_line_, e.byte, e.what());
      return;
    } catch (const Json::out_of_range& e) {  // a number too large for a double
      ReportParseError(element_, element_line_, 0, e.what());
      return;
    }
    CheckJsonRecord(value, element_line_, options_);
  }

  const CheckOptions& options_;
  bool opened_ = false;
  bool closed_ = false;
  bool failed_ = false;
  bool in_element_ = false;
  bool in_string_ = false;
  bool escape_ = false;
  int depth_ = 0;
  std::string element_;
  uint64_t element_line_ = 0;
  uint64_t last_line_ = 0;
};

// Markdown: records separated by `---` lines; a `# ` line before a record's text is its
// title; fenced code is text (its lines marked as code), fences are not.
class CorpusCheck::MarkdownReader : public FormatReader {
 public:
  using FormatReader::FormatReader;

  void AddLine(std::string_view line, uint64_t line_number) override {
    last_line_ = line_number;
    const std::string_view trimmed = TrimAscii(line);
    if (fence_.empty() && trimmed == "---") {
      Finish();
      return;
    }
    if (trimmed.substr(0, 3) == "```" || trimmed.substr(0, 3) == "~~~") {
      const size_t run = trimmed.find_first_not_of(trimmed[0]);
      const std::string_view marks = trimmed.substr(0, run);
      if (fence_.empty()) {
        fence_ = std::string(marks);
        return;
      }
      if (marks.size() >= fence_.size() && marks[0] == fence_[0] &&
          TrimAscii(trimmed.substr(marks.size())).empty()) {
        fence_.clear();
        return;
      }
    }
    if (fence_.empty() && !has_title_ && lines_.empty() &&
        (trimmed.substr(0, 2) == "# " || trimmed == "#")) {
      has_title_ = true;
      size_t at = line.find('#') + 1;
      while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
      title_ = std::string(TrimAscii(line.substr(at)));
      title_place_ = TextPlace{line_number, CountCodePoints(line.substr(0, at))};
      return;
    }
    if (lines_.empty() && trimmed.empty()) return;  // blank lines before the text
    lines_.push_back(Line{std::string(line), line_number, !fence_.empty()});
  }

  void End() override { Finish(); }
  uint64_t SettledLine() const override {
    if (has_title_) return title_place_.line;
    return lines_.empty() ? last_line_ : lines_.front().line;
  }

 private:
  struct Line {
    std::string text;
    uint64_t line = 0;
    bool is_code = false;
  };

  void Finish() {
    while (!lines_.empty() && TrimAscii(lines_.back().text).empty()) lines_.pop_back();
    if (has_title_ || !lines_.empty()) {
      CheckRecord record;
      record.file = file_;
      record.has_title = has_title_;
      record.title = title_;
      record.title_place = title_place_;
      record.line = has_title_ ? title_place_.line : lines_.front().line;
      record.has_text = true;
      for (size_t i = 0; i < lines_.size(); ++i) {
        if (i > 0) record.text.push_back('\n');
        record.text += lines_[i].text;
        record.places.push_back(TextPlace{lines_[i].line, 0});
        record.is_code.push_back(lines_[i].is_code);
      }
      Check(record);
    }
    lines_.clear();
    has_title_ = false;
    title_.clear();
    fence_.clear();
  }

  std::vector<Line> lines_;
  bool has_title_ = false;
  std::string title_;
  TextPlace title_place_;
  std::string fence_;  // the open fence's marks, empty outside code
  uint64_t last_line_ = 0;
};

// Raw pages go through `clean`'s own splitter and rule engine: every line the splitter drops
// is a chrome finding, every teaser it finds a teaser finding; the records it keeps are
// checked like any other. The raw lines are kept while records may still point at them, up
// to a bound; a finding on an evicted line has no excerpt.
class CorpusCheck::RawPageReader : public FormatReader, private RecordSink {
 public:
  RawPageReader(const std::string& file, RecordChecker* checker, CheckSummary* summary,
                const RuleEngine& engine, TextNormalizer* normalizer)
      : FormatReader(file, checker, summary),
        splitter_(engine, normalizer, this, KeepingKeys()) {
    splitter_.BeginSource(file);
  }

  void AddLine(std::string_view line, uint64_t line_number) override {
    window_.Add(line, line_number);
    if (window_.lines() > kWindowLines || window_.bytes() > kWindowBytes) {
      window_.DropBefore(window_.first_line() + window_.lines() / 4);
    }
    splitter_.AddLine(line, line_number);
  }

  void End() override { splitter_.EndSource(); }
  uint64_t SettledLine() const override { return settled_; }

 private:
  static SplitterOptions KeepingKeys() {
    SplitterOptions options;
    options.keep_match_keys = true;
    return options;
  }

  // Bounds for a page that never ends: findings on lines evicted early have no excerpt.
  static constexpr size_t kWindowLines = size_t{1} << 20;
  static constexpr size_t kWindowBytes = size_t{64} << 20;

  // The raw text of `line`, empty when it is no longer kept.
  std::string_view RawLine(uint64_t line) const {
    std::string_view text;
    window_.Find(line, &text);
    return text;
  }

  // The code points before `text` on its raw line.
  uint64_t ColumnBase(uint64_t line, std::string_view text) const {
    const std::string_view raw = RawLine(line);
    if (raw.empty() || text.empty()) return 0;
    const size_t at = raw.find(text);
    return at == std::string_view::npos ? 0 : CountCodePoints(raw.substr(0, at));
  }

  // The splitter pushes records in input order, so no later record refers to a line before
  // the first line of the one just pushed: those raw lines can go, and their findings out.
  void Settle(const Record& record) {
    uint64_t first = record.title_line != 0 ? record.title_line : UINT64_MAX;
    for (const BodyLine& line : record.body) {
      if (line.line != 0) first = std::min(first, line.line);
    }
    for (const DroppedLine& dropped : record.dropped_lines) first = std::min(first, dropped.line);
    if (first == UINT64_MAX || first <= settled_) return;
    settled_ = first;
    window_.DropBefore(settled_);
  }

  void ReportDrops(const Record& record) {
    for (const DroppedLine& dropped : record.dropped_lines) {
      const std::string_view text = Prefix(TrimAscii(RawLine(dropped.line)), 80);
      const std::string message = dropped.reason == "title.repeat"
                                      ? std::string("chrome line (the title repeated)")
                                      : "chrome line (rule " + dropped.reason + ")";
      checker_->Report(CheckRule::kChromeLine, file_, dropped.line, 1, message, text,
                       dropped.reason);
    }
  }

  void Accept(Record&& record) override {
    ReportDrops(record);
    CheckKept(record);
    Settle(record);
  }

  void Reject(Record&& record, DropReason, const std::string&) override {
    // A drop-record rule matched one of its lines: that line is the finding.
    ++summary_->records;
    ReportDrops(record);
    Settle(record);
  }

  void CheckKept(const Record& record) {
    if (record.title_line == 0 && record.body.empty()) {
      // The splitter's holder for a page of nothing but chrome (found by check_input_fuzzer:
      // it was reported as an empty record on line 0); its lines are findings already.
      ++summary_->records;
      return;
    }
    if (record.truncated) {
      ++summary_->records;
      const BodyLine* teaser = record.body.empty() ? nullptr : &record.body.back();
      const uint64_t line = teaser != nullptr ? teaser->line : record.title_line;
      const std::string_view text = RawLine(line);
      uint64_t column = 0;
      std::string marker;
      if (!text.empty()) {
        const size_t cut = TeaserTextLength(text);
        column = CountCodePoints(text.substr(0, cut)) + 1;
        marker = std::string(TrimAscii(text.substr(cut)));
      }
      Report(CheckRule::kTeaserMarker, line, column,
             "truncated related-list teaser" + (marker.empty() ? "" : ": " + marker), marker);
      return;
    }
    CheckRecord check;
    check.file = file_;
    check.match_rules = false;
    check.kind_known = true;
    check.kind = record.kind;
    check.has_title = record.title_line != 0 || !record.title.empty();
    check.title = record.title;
    check.title_place = TextPlace{record.title_line, ColumnBase(record.title_line, record.title)};
    check.line = record.title_line != 0 ? record.title_line
                                        : (record.body.empty() ? 0 : record.body.front().line);
    check.has_text = true;
    for (size_t i = 0; i < record.body.size(); ++i) {
      const BodyLine& line = record.body[i];
      if (i > 0) check.text.push_back('\n');
      check.text += line.text;
      check.places.push_back(TextPlace{line.line, ColumnBase(line.line, line.text)});
      check.is_code.push_back(line.is_code);
      if (check.keys.size() == i && (!line.key.empty() || line.text.empty())) {
        check.keys.push_back(line.key);
      }
    }
    if (check.title.empty()) check.has_title = false;
    Check(check);
  }



  Splitter splitter_;
  RawLineWindow window_;
  uint64_t settled_ = 0;
};

CorpusCheck::CorpusCheck(const RuleEngine& engine, const CheckOptions& options,
                         FindingSink* findings, DiagnosticSink* diagnostics)
    : engine_(engine),
      options_(options),
      diagnostics_(diagnostics),
      order_(std::make_unique<SourceOrder>(findings)),
      checker_(engine, &normalizer_, order_.get()) {}

CorpusCheck::~CorpusCheck() = default;

std::unique_ptr<CorpusCheck::FormatReader> CorpusCheck::MakeReader(InputFormat format,
                                                                   const std::string& name) {
  switch (format) {
    case InputFormat::kJsonl:
      return std::make_unique<JsonlReader>(name, &checker_, &summary_, options_);
    case InputFormat::kJson:
      return std::make_unique<JsonArrayReader>(name, &checker_, &summary_, options_);
    case InputFormat::kMarkdown:
      return std::make_unique<MarkdownReader>(name, &checker_, &summary_);
    case InputFormat::kAuto:
    case InputFormat::kRaw:
      break;
  }
  return std::make_unique<RawPageReader>(name, &checker_, &summary_, engine_, &normalizer_);
}

bool CorpusCheck::CheckPath(const std::string& path) {
  if (path == "-") {
    std::unique_ptr<ByteSource> source = OpenStdinSource();
    return CheckSource(path, source.get());
  }
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) return CheckFile(path);

  std::vector<std::string> files;
  std::filesystem::recursive_directory_iterator it(path, error);
  for (; !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory(error)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(error)) continue;
    if (FormatFromExtension(name) != InputFormat::kAuto || EndsWith(name, ".txt")) {
      files.push_back(it->path().string());
    }
  }
  bool ok = true;
  if (error) {
    ++summary_.files_failed;
    diagnostics_->Report(Diagnostic{Severity::kError, path, 0, 0, false, error.message()});
    ok = false;
  }
  if (files.empty() && !error) {
    // A CI job pointed at the wrong directory should not pass in silence.
    diagnostics_->Report(Diagnostic{
        Severity::kWarning, path, 0, 0, false,
        "no files to check (*.jsonl, *.ndjson, *.json, *.md, *.markdown, *.txt)"});
  }
  std::sort(files.begin(), files.end());
  for (const std::string& file : files) {
    ok = CheckFile(file) && ok;
    if (stopped_) break;
  }
  return ok;
}

bool CorpusCheck::CheckFile(const std::string& path) {
  std::string error;
  std::unique_ptr<ByteSource> source = OpenFileSource(path, &error);
  if (source == nullptr) {
    ++summary_.files_failed;
    diagnostics_->Report(Diagnostic{Severity::kError, path, 0, 0, false, error});
    return false;
  }
  return CheckSource(path, source.get());
}

bool CorpusCheck::CheckSource(const std::string& name, ByteSource* source) {
  LineReader reader(source, options_.reader);
  InputFormat format = options_.format;
  if (format == InputFormat::kAuto && name != "-") format = FormatFromExtension(name);

  std::unique_ptr<FormatReader> format_reader;
  // Lines read before the format is known (blank lines ahead of the first one that decides).
  std::vector<std::pair<std::string, uint64_t>> held;
  if (format != InputFormat::kAuto) format_reader = MakeReader(format, name);

  std::string_view line;
  uint64_t line_number = 0;
  uint64_t since_poll = 0;
  bool invalid_reported = false;
  while (reader.Next(&line, &line_number)) {
    if (format_reader == nullptr) {
      if (TrimAscii(line).empty()) {
        held.emplace_back(std::string(line), line_number);
        continue;
      }
      format_reader = MakeReader(SniffFormat(line), name);
      for (const auto& [text, number] : held) format_reader->AddLine(text, number);
      held.clear();
    }
    if (!invalid_reported && reader.stats().has_invalid) {
      // Reported where it is, so it sorts with the findings around it.
      invalid_reported = true;
      checker_.Report(CheckRule::kInvalidUtf8, name, reader.stats().first_invalid_line, 0,
                      "invalid UTF-8 (read as U+FFFD), the first sequence at byte " +
                          std::to_string(reader.stats().first_invalid_offset),
                      "");
    }
    format_reader->AddLine(line, line_number);
    if (++since_poll >= 256) {
      since_poll = 0;
      order_->Release(format_reader->SettledLine());
      if (options_.should_stop && options_.should_stop()) {
        stopped_ = true;
        break;
      }
    }
  }
  if (format_reader != nullptr) format_reader->End();

  const ReaderStats& stats = reader.stats();
  summary_.bytes += stats.bytes;
  summary_.lines += stats.lines;
  if (stats.lines_cut > 0) {
    diagnostics_->Report(Diagnostic{
        Severity::kWarning, name, 0, 0, false,
        DescribeCutLines(stats.long_lines, stats.lines_cut, options_.reader.max_line_bytes)});
  }
  order_->Release(UINT64_MAX);
  if (!reader.ok()) {
    ++summary_.files_failed;
    diagnostics_->Report(Diagnostic{Severity::kError, name, 0, 0, false, reader.error()});
    return false;
  }
  ++summary_.files;
  return true;
}

}  // namespace winnow

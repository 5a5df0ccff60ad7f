#include "winnow/check_report.h"

#include <utility>

#include "winnow/json_text.h"
#include "winnow/sarif_report.h"

namespace winnow {
namespace {

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

std::string Plural(uint64_t n, const char* noun) {
  std::string text = std::to_string(n) + " " + noun;
  if (n != 1) text += "s";
  return text;
}

// `file:line:col: severity: message [rule]`, as compilers print diagnostics, so editors
// and CI log viewers link them.
class TextReport : public FindingReport {
 public:
  using FindingReport::FindingReport;

 protected:
  void Write(const Finding& finding) override {
    // Built in one reused buffer: a raw dump gives a finding for every teaser.
    line_.clear();
    line_ += finding.file;
    if (finding.line > 0) {
      line_.push_back(':');
      AppendDecimal(finding.line, &line_);
      if (finding.column > 0) {
        line_.push_back(':');
        AppendDecimal(finding.column, &line_);
      }
    }
    line_ += ": ";
    line_ += SeverityName(finding.severity);
    line_ += ": ";
    AppendMessageWithText(finding, &line_);
    line_ += " [";
    line_ += CheckRuleId(finding.rule);
    line_ += "]\n";
    out_->Write(line_);
  }

 private:
  std::string line_;
};

// {"version":1,"findings":[...],"summary":{...}}; findings are streamed into the array.
class JsonReport : public FindingReport {
 public:
  JsonReport(OutputStream* out, const ReportOptions& options) : FindingReport(out, options) {
    out_->Write("{\"version\":1,\"tool\":\"winnow\",\"findings\":[");
  }

  void Finish(const ReportTotals& totals) override {
    text_.clear();
    text_ += first_ ? "]," : "\n],";
    text_ += "\"summary\":{\"files\":" + std::to_string(totals.files) +
             ",\"files_failed\":" + std::to_string(totals.files_failed) +
             ",\"records\":" + std::to_string(totals.records) +
             ",\"errors\":" + std::to_string(totals.errors) +
             ",\"warnings\":" + std::to_string(totals.warnings) +
             ",\"shown\":" + std::to_string(totals.shown) + ",\"by_rule\":{";
    bool comma = false;
    for (const CheckRuleInfo& info : CheckRuleCatalog()) {
      const uint64_t n = totals.by_rule[static_cast<size_t>(info.rule)];
      if (n == 0) continue;
      if (comma) text_.push_back(',');
      comma = true;
      AppendJsonString(info.id, &text_);
      text_ += ":" + std::to_string(n);
    }
    text_ += "}}}\n";
    out_->Write(text_);
  }

 protected:
  void Write(const Finding& finding) override {
    text_.clear();
    text_ += first_ ? "\n" : ",\n";
    first_ = false;
    text_ += "{\"file\":";
    AppendJsonString(finding.file, &text_);
    text_ += ",\"line\":" + std::to_string(finding.line);
    text_ += ",\"column\":" + std::to_string(finding.column);
    text_ += ",\"rule\":";
    AppendJsonString(CheckRuleId(finding.rule), &text_);
    text_ += ",\"severity\":";
    AppendJsonString(SeverityName(finding.severity), &text_);
    text_ += ",\"message\":";
    AppendJsonString(finding.message, &text_);
    text_ += ",\"text\":";
    AppendJsonString(finding.text, &text_);
    if (!finding.detail.empty()) {
      text_ += ",\"engine_rule\":";
      AppendJsonString(finding.detail, &text_);
    }
    text_ += "}";
    out_->Write(text_);
  }

 private:
  bool first_ = true;
  std::string text_;
};

// GitHub Actions workflow commands: each finding becomes an annotation on the file.
class GithubReport : public FindingReport {
 public:
  using FindingReport::FindingReport;

 protected:
  void Write(const Finding& finding) override {
    line_.clear();
    line_ += finding.severity == Severity::kError ? "::error " : "::warning ";
    line_ += "file=" + EscapeProperty(finding.file);
    if (finding.line > 0) line_ += ",line=" + std::to_string(finding.line);
    if (finding.column > 0) line_ += ",col=" + std::to_string(finding.column);
    line_ += ",title=" + EscapeProperty(CheckRuleId(finding.rule));
    line_ += "::" + EscapeData(MessageWithText(finding)) + "\n";
    out_->Write(line_);
  }

 private:
  // The escapes the runner's command parser undoes.
  static std::string EscapeData(std::string_view text) {
    std::string out;
    for (char c : text) {
      if (c == '%') out += "%25";
      else if (c == '\r') out += "%0D";
      else if (c == '\n') out += "%0A";
      else out.push_back(c);
    }
    return out;
  }
  static std::string EscapeProperty(std::string_view text) {
    std::string out;
    for (char c : EscapeData(text)) {
      if (c == ':') out += "%3A";
      else if (c == ',') out += "%2C";
      else out.push_back(c);
    }
    return out;
  }

  std::string line_;
};

}  // namespace

bool ParseReportFormat(std::string_view name, ReportFormat* format) {
  if (name == "text") *format = ReportFormat::kText;
  else if (name == "json") *format = ReportFormat::kJson;
  else if (name == "github") *format = ReportFormat::kGithub;
  else if (name == "sarif") *format = ReportFormat::kSarif;
  else return false;
  return true;
}

std::string ReportTotals::Format() const {
  std::string text = Plural(files, "file") + ", " + Plural(records, "record") + ": " +
                     Plural(errors, "error") + ", " + Plural(warnings, "warning");
  std::string counts;
  for (const CheckRuleInfo& info : CheckRuleCatalog()) {
    const uint64_t n = by_rule[static_cast<size_t>(info.rule)];
    if (n == 0) continue;
    if (!counts.empty()) counts += ", ";
    counts += std::string(info.id) + " " + std::to_string(n);
  }
  if (!counts.empty()) text += " (" + counts + ")";
  if (shown < errors + warnings) text += "; " + std::to_string(shown) + " shown (--max-findings)";
  if (files_failed > 0) {
    text += "; " + std::to_string(files_failed) + (files_failed == 1 ? " input" : " inputs") +
            " not read";
  }
  return text;
}

void FindingReport::Report(Finding&& finding) {
  if (options_.max_findings > 0 && shown_ >= options_.max_findings) return;
  ++shown_;
  Write(finding);
}

void AppendMessageWithText(const Finding& finding, std::string* out) {
  *out += finding.message;
  if (finding.text.empty() || finding.message.find(finding.text) != std::string::npos) return;
  *out += ": \"";
  *out += finding.text;
  out->push_back('"');
}

std::string MessageWithText(const Finding& finding) {
  std::string text;
  AppendMessageWithText(finding, &text);
  return text;
}

std::unique_ptr<FindingReport> MakeFindingReport(ReportFormat format, OutputStream* out,
                                                 const ReportOptions& options) {
  switch (format) {
    case ReportFormat::kText: return std::make_unique<TextReport>(out, options);
    case ReportFormat::kJson: return std::make_unique<JsonReport>(out, options);
    case ReportFormat::kGithub: return std::make_unique<GithubReport>(out, options);
    case ReportFormat::kSarif: return MakeSarifReport(out, options);
  }
  return nullptr;
}

}  // namespace winnow

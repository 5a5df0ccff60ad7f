#include "winnow/sarif_report.h"

#include <map>
#include <utility>

#include "winnow/fingerprint.h"
#include "winnow/json_text.h"

namespace winnow {
namespace {

const char* SarifLevel(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

std::string Hex64(uint64_t value) {
  static const char kHex[] = "0123456789abcdef";
  std::string hex(16, '0');
  for (int i = 0; i < 16; ++i) hex[i] = kHex[(value >> (60 - 4 * i)) & 0xF];
  return hex;
}

void AppendTextObject(const char* key, std::string_view text, std::string* out) {
  out->append("\"");
  out->append(key);
  out->append("\":{\"text\":");
  AppendJsonString(text, out);
  out->append("}");
}

class SarifReport : public FindingReport {
 public:
  SarifReport(OutputStream* out, const ReportOptions& options) : FindingReport(out, options) {
    std::string head =
        "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
        "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"winnow\",\"version\":";
    AppendJsonString(options.tool_version, &head);
    head += ",\"rules\":[";
    bool comma = false;
    for (const CheckRuleInfo& info : CheckRuleCatalog()) {
      if (comma) head.push_back(',');
      comma = true;
      head += "\n{\"id\":";
      AppendJsonString(info.id, &head);
      head += ",\"name\":";
      AppendJsonString(info.summary, &head);
      head += ",";
      AppendTextObject("shortDescription", info.summary, &head);
      head += ",";
      AppendTextObject("fullDescription", info.description, &head);
      head += ",\"defaultConfiguration\":{\"level\":\"";
      head += SarifLevel(info.severity);
      head += "\"},";
      AppendTextObject("help", info.description, &head);
      head += "}";
    }
    head += "]}},\"columnKind\":\"unicodeCodePoints\",\"results\":[";
    out_->Write(head);
  }

  void Finish(const ReportTotals& totals) override {
    text_.clear();
    text_ += first_ ? "]," : "\n],";
    text_ += "\"invocations\":[{\"executionSuccessful\":";
    text_ += totals.files_failed == 0 ? "true" : "false";
    if (!totals.input_errors.empty()) {
      text_ += ",\"toolExecutionNotifications\":[";
      for (size_t i = 0; i < totals.input_errors.size(); ++i) {
        if (i > 0) text_.push_back(',');
        text_ += "{\"level\":\"error\",";
        AppendTextObject("message", totals.input_errors[i], &text_);
        text_ += "}";
      }
      text_ += "]";
    }
    text_ += "}]}]}\n";
    out_->Write(text_);
  }

 protected:
  void Write(const Finding& finding) override {
    const CheckRuleInfo& info = GetCheckRuleInfo(finding.rule);
    text_.clear();
    text_ += first_ ? "\n" : ",\n";
    first_ = false;
    text_ += "{\"ruleId\":";
    AppendJsonString(info.id, &text_);
    text_ += ",\"ruleIndex\":" + std::to_string(static_cast<size_t>(finding.rule));
    text_ += ",\"level\":\"";
    text_ += SarifLevel(finding.severity);
    text_ += "\",";
    AppendTextObject("message", MessageWithText(finding), &text_);
    text_ += ",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":";
    AppendJsonString(ArtifactUri(finding.file), &text_);
    text_ += "}";
    if (finding.line > 0) {
      text_ += ",\"region\":{\"startLine\":" + std::to_string(finding.line);
      if (finding.column > 0) text_ += ",\"startColumn\":" + std::to_string(finding.column);
      if (!finding.text.empty()) {
        text_ += ",";
        AppendTextObject("snippet", finding.text, &text_);
      }
      text_ += "}";
    }
    text_ += "}}]";
    // The identity of a finding: its rule, file and offending text, and which occurrence of
    // them it is in the file. Line numbers are left out so an alert survives edits above it.
    std::string key = info.id;
    key.push_back('\0');
    key += finding.file;
    key.push_back('\0');
    key += finding.detail;
    key.push_back('\0');
    key += finding.text.empty() ? finding.message : finding.text;
    const uint64_t hash = Hash64(key);
    const uint64_t occurrence = ++occurrences_[hash];
    text_ += ",\"partialFingerprints\":{\"primaryLocationLineHash\":\"" + Hex64(hash) + ":" +
             std::to_string(occurrence) + "\"}";
    if (!finding.detail.empty()) {
      text_ += ",\"properties\":{\"engineRule\":";
      AppendJsonString(finding.detail, &text_);
      text_ += "}";
    }
    text_ += "}";
    out_->Write(text_);
  }

 private:
  bool first_ = true;
  std::string text_;
  std::map<uint64_t, uint64_t> occurrences_;
};

}  // namespace

std::string ArtifactUri(std::string_view path) {
  if (path == "-") return "stdin";
  std::string uri;
  if (!path.empty() && path[0] == '/') uri = "file://";
  static const char kHex[] = "0123456789ABCDEF";
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' || c == '/';
    if (unreserved) {
      uri.push_back(ch);
    } else {
      uri.push_back('%');
      uri.push_back(kHex[c >> 4]);
      uri.push_back(kHex[c & 0xF]);
    }
  }
  return uri;
}

std::unique_ptr<FindingReport> MakeSarifReport(OutputStream* out, const ReportOptions& options) {
  return std::make_unique<SarifReport>(out, options);
}

}  // namespace winnow

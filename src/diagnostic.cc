// Diagnostics: the one text form every stage's messages take when the CLI prints them.
#include "winnow/diagnostic.h"

namespace winnow {
namespace {

const char* SeverityWord(Severity severity) {
  switch (severity) {
    case Severity::kNote:
      return "note";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "error";
}

}  // namespace

std::string FormatDiagnostic(const Diagnostic& diagnostic) {
  if (diagnostic.file.empty()) {
    return std::string(SeverityWord(diagnostic.severity)) + ": " + diagnostic.message;
  }
  std::string text = diagnostic.file;
  if (diagnostic.line > 0) {
    text += ':';
    text += std::to_string(diagnostic.line);
  }
  text += ':';
  if (diagnostic.has_offset) {
    text += " byte ";
    text += std::to_string(diagnostic.byte_offset);
    text += ':';
  }
  text += ' ';
  text += SeverityWord(diagnostic.severity);
  text += ": ";
  text += diagnostic.message;
  return text;
}

}  // namespace winnow

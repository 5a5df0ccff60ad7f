// Diagnostics: what a stage has to tell the user (bad bytes, unreadable files).
// The library never prints; stages hand diagnostics to a DiagnosticSink and the CLI prints them.
#ifndef WINNOW_DIAGNOSTIC_H_
#define WINNOW_DIAGNOSTIC_H_

#include <cstdint>
#include <string>

namespace winnow {

enum class Severity { kNote, kWarning, kError };

/// One message about one place in the input. `line` and `byte_offset` are 0 when unknown.
struct Diagnostic {
  Severity severity = Severity::kWarning;
  std::string file;          ///< the path as given ("-" for standard input)
  uint64_t line = 0;         ///< 1-based line number, 0 if not tied to a line
  uint64_t byte_offset = 0;  ///< 0-based offset into the raw input bytes
  bool has_offset = false;
  std::string message;
};

/// Receives diagnostics as they happen.
class DiagnosticSink {
 public:
  virtual ~DiagnosticSink() = default;
  virtual void Report(const Diagnostic& diagnostic) = 0;
};

/// "file:line: severity: message", "file: byte N: severity: message" (both when known),
/// or "file: severity: message": the form the CLI prints.
std::string FormatDiagnostic(const Diagnostic& diagnostic);

}  // namespace winnow

#endif  // WINNOW_DIAGNOSTIC_H_

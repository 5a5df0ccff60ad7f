// The unit that flows from the splitter to the writers: one article, or one related-list
// entry, of one page. Writers know only this type.
#ifndef WINNOW_RECORD_H_
#define WINNOW_RECORD_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "winnow/fingerprint.h"

namespace winnow {

enum class RecordKind {
  kArticle,  ///< a page's main article: title + body
  kRelated,  ///< an entry of a page's related list: title + teaser
};

/// "article" or "related".
const char* RecordKindName(RecordKind kind);

/// One line of a record's body as it came from the input (original text, not the match view).
/// A new field must also be reset in Splitter::ReuseRecord (see Record).
struct BodyLine {
  std::string text;
  uint64_t line = 0;     ///< 1-based input line
  bool is_code = false;  ///< the splitter saw this line as part of a code block
  /// The line's match view (TextNormalizer::MatchKey), for a stage that needs it again:
  /// kept only in an article's lines, only when SplitterOptions::keep_match_keys, and only
  /// while the text is unchanged (the repair stage clears it when it changes the text).
  std::string key;
};

/// Why a line was dropped: the rule id, or a structural reason such as "title.repeat".
struct DroppedLine {
  uint64_t line = 0;
  std::string reason;
  std::string text;  ///< the line as it came from the input, for the removal audit
};

/// A line of code that shows damage the repair stage does not guess at (see code_damage.h).
struct CodeDamage {
  uint64_t line = 0;   ///< 1-based input line
  std::string signal;  ///< e.g. "declaration-lost-="
};

/// What the repair stage changed in a record, by kind.
struct RepairCounts {
  uint64_t entities = 0;       ///< character references decoded
  uint64_t mojibake = 0;       ///< runs of mojibake repaired (see mojibake.h)
  uint64_t odd_spaces = 0;     ///< NBSP and other odd spaces made plain spaces
  uint64_t zero_width = 0;     ///< zero-width characters removed
  uint64_t controls = 0;       ///< control characters and `_x000D_` artefacts removed
  uint64_t normalized = 0;     ///< lines whose Unicode normal form changed
  uint64_t width_folded = 0;   ///< decoded full-width punctuation written in ASCII
  uint64_t invalid_bytes = 0;  ///< U+FFFD the reader put in place of invalid input
};

/// The splitter makes related entries in reused records, resetting them field by field
/// (Splitter::ReuseRecord): a new field must be reset there too, and added to Describe and
/// Scribble in splitter_test (ReusedEntriesCarryNothingOver).
struct Record {
  std::string source;         ///< the input path as given ("-" for standard input)
  uint64_t page = 0;          ///< 0-based page index within the source
  uint64_t index = 0;         ///< 0-based record index within the page (0 is the article)
  RecordKind kind = RecordKind::kArticle;
  std::string title;
  /// The title's match view, when the splitter kept it (a related entry's, which the
  /// filters compare with its article's title), and only while the title is unchanged.
  std::string title_key;
  uint64_t title_line = 0;
  std::vector<BodyLine> body;  ///< blank lines kept as empty entries between paragraphs
  bool truncated = false;      ///< a teaser cut by the site (its marker already removed)
  std::map<std::string, uint64_t> rule_hits;  ///< rule id -> lines it dropped in this record
  std::vector<DroppedLine> dropped_lines;
  RepairCounts repairs;
  std::vector<CodeDamage> code_damage;  ///< damaged code lines, kept as they are
  std::string width;  ///< the punctuation width the repair stage chose: "folded" or "full"
  std::string encoding;  ///< the input's encoding ("UTF-8", "GB18030", ...); empty if unknown
  /// Set by the filter: what run-wide dedup compares (title and text, normalized).
  Fingerprint dedup_key;

  /// The body as one string: lines joined with '\n'.
  std::string Text() const;
};

}  // namespace winnow

#endif  // WINNOW_RECORD_H_

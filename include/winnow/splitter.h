// Stage 2 of the pipeline: lines become records. The splitter walks each page's regions
// (head, body, related-list tail), asks the rule engine what each line is, and pushes one
// record for the main article and one per related-list entry into its sink. Chrome lines are
// dropped here, each one noted with the rule that dropped it.
#ifndef WINNOW_SPLITTER_H_
#define WINNOW_SPLITTER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/code_block.h"
#include "winnow/record.h"
#include "winnow/record_sink.h"
#include "winnow/rule_engine.h"
#include "winnow/text_normalize.h"

namespace winnow {

/// Totals of what the splitter saw in one source.
struct SplitterStats {
  uint64_t pages = 0;
  uint64_t records = 0;         ///< records pushed (accepted or rejected)
  uint64_t lines_dropped = 0;   ///< chrome lines dropped by rules or structure
};

/// If `line` ends in a teaser truncation marker (`…...`, `...`, `....`, `……`, `…`), possibly
/// right after a character reference cut in half (`&#xff0…...`), returns the length of the
/// text before the marker and the cut reference; otherwise returns `line.size()`.
size_t TeaserTextLength(std::string_view line);

struct SplitterOptions {
  /// An article whose text (body and dropped lines) passes this many bytes is dropped whole
  /// as DropReason::kOversized; body lines past the cap are counted as dropped
  /// ("record.oversized") and no text past it is kept, so memory stays bounded whatever the
  /// input (a 100 MB line, a dump with no page breaks). No real article comes near the
  /// default.
  size_t max_record_bytes = 16 * 1024 * 1024;
  /// Keep each article line's match view in BodyLine::key, for the stages that view the
  /// lines again (check's detectors, clean's dedup filter for the lines repair left alone).
  bool keep_match_keys = false;
  /// Skip making the match view of a related list's cut teaser when no rule that ends the
  /// list can match it (see Splitter::AddLine). The records are the same either way; off
  /// only to test that they are.
  bool skip_unneeded_views = true;
};

class Splitter {
 public:
  /// `engine`, `normalizer` and `sink` must outlive the splitter. Records are pushed into
  /// `sink` in input order.
  Splitter(const RuleEngine& engine, TextNormalizer* normalizer, RecordSink* sink,
           SplitterOptions options = SplitterOptions());

  /// Starts a new source; `source` is the input's name as given. Finishes any previous one.
  void BeginSource(const std::string& source);
  /// Feeds one line (without terminator) with its 1-based line number. A source whose first
  /// non-blank line is a `# ` heading is read as Markdown, the form `clean -f md` writes:
  /// `# title` opens a record, a `---` line ends it, and fenced lines are code (the fences
  /// themselves are dropped as "markdown.fence"), so cleaning winnow's own Markdown gives
  /// the same text again.
  void AddLine(std::string_view line, uint64_t line_number);
  /// Ends the current source: the last page's pending records are pushed.
  void EndSource();

  const SplitterStats& stats() const { return stats_; }

 private:
  enum class Region { kNoPage, kHead, kBody, kToc, kTail };

  void StartPage();
  void FinishArticle();
  // Numbers `record`, holds it back and pushes the one held before: a page's last record
  // waits for the page's end, so chrome after it can still join it.
  void PushRecord(Record&& record, const std::string& drop_rule, bool oversized = false);
  // PushRecord for the entry made in Entry(): the two change places, so the next entry is
  // made in what the sink left of the record pushed (see ReuseRecord).
  void PushEntry(const std::string& drop_rule);
  // After a record is put in Held(): numbers it and notes its fate.
  void Hold(const std::string& drop_rule, bool oversized);
  Record& Held() { return records_[held_slot_]; }
  Record& Entry() { return records_[1 - held_slot_]; }
  void PushHeld();
  // At a page's end: gives the held record the drops still pending and pushes it; with
  // nothing held, an empty record takes them.
  void EndPage();
  // Moves the pending drops of lines before `before_line` into `record`.
  void TakePendingDrops(uint64_t before_line, Record* record);
  Record* CurrentRecord();
  void TitleKey(std::string_view line, std::string* key);
  bool IsTitleRepeat(std::string_view line);
  void AddTitle(std::string_view line, uint64_t line_number);
  void AddBodyLine(std::string_view line, uint64_t line_number);
  // `trimmed`: the line without its trailing spaces; `teaser_length`: its TeaserTextLength.
  void AddTailLine(std::string_view trimmed, uint64_t line_number, size_t teaser_length);
  // False when no rule that ends a related list can match the match view of `line`, a cut
  // teaser, told without making the view.
  bool CutTeaserMayEndTail(std::string_view line);
  // Markdown mode: handles the lines that are Markdown structure; false for any other line.
  bool AddMarkdownLine(std::string_view line, uint64_t line_number);

  // A content line of the tail, held until it is known to be an entry's or a page's.
  struct TailLine {
    std::string text;
    std::string key;  // its match view, when it may be an entry's title
    uint64_t line = 0;
    size_t teaser_length = 0;  // bytes before a truncation marker
    bool truncated = false;
    // Of a whole line only (a cut one is a teaser whatever it looks like):
    bool teaser_like = false;  // whole, sentence-shaped: may be a teaser that was not cut
    bool title_like = false;
    bool blank_before = false;  // a blank line preceded it: a paragraph break if it is body
  };
  enum class TailEnd { kMore, kNewList, kPageEnd };
  void ResolveTail(TailEnd end);
  /// Pushes the entry of `title` and `teaser` (either may be null), taking their text.
  void EmitEntry(TailLine* title, TailLine* teaser);
  // The held tail lines, oldest first.
  TailLine& Tail(size_t i) { return tail_slots_[(tail_first_ + i) % kTailSlots]; }
  void PopTail(size_t n);
  void StartPageFromTail();
  bool TocContinues(std::string_view key);
  void NoteDrop(Record* record, std::string_view text, uint64_t line_number,
                const std::string& reason);
  Record NewRecord(RecordKind kind);
  // Makes `*record` what NewRecord(kind) makes, with `body_lines` empty body lines, keeping
  // the capacity of its strings and vectors: most entries of a dump are dropped, and a
  // rejected record usually comes back from the sink untouched.
  void ReuseRecord(RecordKind kind, size_t body_lines, Record* record);

  const RuleEngine& engine_;
  SplitterOptions options_;
  TextNormalizer* normalizer_;
  RecordSink* sink_;
  SplitterStats stats_;

  std::string source_;
  Region region_ = Region::kNoPage;
  uint64_t page_ = 0;
  uint64_t next_index_ = 0;  // next record index within the page
  bool page_open_ = false;

  Record article_;             // the page's article while it is being read
  bool article_open_ = false;
  std::string article_drop_rule_;  // set by a drop-record rule
  size_t article_bytes_ = 0;       // body text held, against max_record_bytes
  bool article_oversized_ = false;
  std::string title_key_;      // match view of the article title, for repeats
  bool pending_blank_ = false;
  std::vector<BodyLineShape> body_shapes_;  // parallel to article_.body
  size_t last_body_lines_ = 0;  // the last article's body lines, to reserve the next body

  // Table of contents state.
  std::string toc_rule_;
  std::string toc_first_entry_;
  bool toc_bulleted_ = false;
  uint64_t toc_entries_ = 0;

  // Related-list state: lines not yet resolved into entries, at most four (ResolveTail
  // settles four lines whatever they are), in slots reused line after line.
  static constexpr size_t kTailSlots = 4;
  TailLine tail_slots_[kTailSlots];
  size_t tail_first_ = 0;
  size_t tail_count_ = 0;

  // Chrome dropped where no record is open yet (between related entries, after the last
  // one, before the first page): every dropped line ends up in some record.
  std::vector<DroppedLine> pending_drops_;
  // The page's last record is held back until the page ends, so chrome after it joins it.
  // The held record and the related entry being made (see Held and Entry).
  Record records_[2];
  size_t held_slot_ = 0;
  bool held_open_ = false;
  std::string held_drop_rule_;
  bool held_oversized_ = false;
  bool tail_blank_ = false;
  std::string entry_drop_rule_;

  // Markdown mode (see AddLine): decided at the source's first non-blank line.
  bool first_line_seen_ = false;
  bool markdown_ = false;
  bool in_fence_ = false;

  std::string key_;      // scratch: match view of the current line
  std::string scratch_;  // scratch for other views
};

}  // namespace winnow

#endif  // WINNOW_SPLITTER_H_

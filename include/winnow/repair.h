// Stage 4 of the pipeline: repairs the text of each record: character references, mojibake,
// odd and zero-width spaces, control characters, Unicode normal form, and punctuation width
// that follows the record's own document; lists damaged code it does not guess at.
#ifndef WINNOW_REPAIR_H_
#define WINNOW_REPAIR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/entity_decoder.h"
#include "winnow/mojibake.h"
#include "winnow/record.h"
#include "winnow/record_sink.h"
#include "winnow/text_normalize.h"

namespace winnow {

/// How decoded full-width punctuation is written.
enum class WidthPolicy {
  kAuto,  ///< as the document writes it: ASCII in a width-folded page, full-width otherwise
  kKeep,  ///< as decoded
  kFold,  ///< all full-width ASCII punctuation, decoded or literal, as ASCII
};

/// Parses "auto", "keep" or "fold".
bool ParseWidthPolicy(std::string_view name, WidthPolicy* policy);
/// Parses "nfc", "nfkc" or "none".
bool ParseNormalForm(std::string_view name, NormalForm* form);

struct RepairOptions {
  EntityMode entities = EntityMode::kScrape;
  WidthPolicy width = WidthPolicy::kAuto;
  NormalForm form = NormalForm::kNfc;
  /// Repair mojibake (see mojibake.h), after the references are decoded: `10Î&frac14;s`
  /// needs `&frac14;` decoded before `Î¼` can be seen as `μ`.
  bool mojibake = true;
};

/// ASCII punctuation that has a full-width form CJK text may use instead: , : ; ( ) ! ?
bool IsFoldablePunct(char32_t c);
/// The full-width forms of IsFoldablePunct's marks: ， ： ； （ ） ！ ？
bool IsFullWidthPunct(char32_t c);

/// Evidence of how a document writes punctuation beside CJK text, gathered from its raw
/// (undecoded) lines: ASCII `,` `:` `;` `(` `)` `!` `?` next to a CJK character count as
/// folded, literal full-width `，：；（）！？` as full.
struct WidthEvidence {
  uint64_t folded = 0;
  uint64_t full = 0;
  void Add(std::string_view raw_text);
  bool PrefersFolded() const { return folded > full; }
};

/// What one pass over a line finds, for the repair stage to skip the steps that would
/// change nothing or find nothing in it. Each flag is the answer of the function named.
struct RepairScan {
  bool ampersand = false;          ///< holds an `&`
  bool references = false;         ///< MayContainEntity
  bool mojibake = false;           ///< MojibakeRepairer::MayContainMojibake
  bool code_damage = false;        ///< MayShowCodeDamage
  uint64_t replacement_chars = 0;  ///< U+FFFD characters
  bool well_formed = false;        ///< the line is well-formed UTF-8
  /// TextNormalizer::Repair under NFC or no normal form gives the line back as it is: it is
  /// well-formed and holds only characters Repair leaves alone beside any neighbour
  /// (printable ASCII but `_`, tab, CJK ideographs, common CJK and full-width punctuation).
  bool kept_by_normalizer = false;
  /// Under NFKC too: kept_by_normalizer, and no full-width form, U+3000 or U+2026.
  bool kept_under_nfkc = false;
};

/// Reads `line` once for all of RepairScan, and adds its width evidence to `*evidence`
/// unless it is null (as WidthEvidence::Add does).
RepairScan ScanForRepair(std::string_view line, WidthEvidence* evidence);

/// Repairs one piece of text. Used by the repair stage and by `winnow repair`.
class TextRepairer {
 public:
  /// `normalizer` must outlive the repairer.
  TextRepairer(const RepairOptions& options, TextNormalizer* normalizer);

  /// Writes the repaired `text` into `*out` and adds what changed to `*counts`. In order:
  /// references, mojibake, spaces and controls, normal form, width; repeated while a round
  /// changes more than references, so the result repairs to itself. With EntityMode::kHtml5
  /// only the references and the normal form. `fold_decoded` writes decoded full-width
  /// punctuation in ASCII (see WidthPolicy::kAuto);
  /// `about_escaping` keeps the references a text about HTML escaping is about, and
  /// `strip_layer` then takes one scraper's `&amp;` layer off them (see
  /// EntityDecodeOptions). `scan`, when given, is ScanForRepair's of `text`: the checks it
  /// answers are not made again.
  void Repair(std::string_view text, bool fold_decoded, bool about_escaping, std::string* out,
              RepairCounts* counts, bool strip_layer = false, const RepairScan* scan = nullptr);

  /// True when Repair of a text whose ScanForRepair is `scan` gives the text back as it is
  /// and counts nothing but its U+FFFD characters (RepairCounts::invalid_bytes, which are
  /// `scan.replacement_chars`), whatever the other arguments: no reference to decode, no
  /// mojibake to look for, nothing the normal form or the width policy would change.
  bool LeavesAsIs(const RepairScan& scan) const;

  const RepairOptions& options() const { return options_; }

 private:
  /// One round of Repair. Returns true when it changed more than references, so that
  /// another round may find more.
  bool RepairOnce(std::string_view text, bool fold_decoded, bool about_escaping,
                  bool strip_layer, const RepairScan* scan, std::string* out,
                  RepairCounts* counts);

  RepairOptions options_;
  TextNormalizer* normalizer_;
  MojibakeRepairer mojibake_;
  std::string decoded_;
  std::vector<DecodedSpan> decoded_spans_;
  std::string unmangled_;
  std::string round_input_;
  std::string folded_;
};

/// `winnow repair`: repairs plain text line by line, with no splitting and no rules, by the
/// same TextRepairer as the repair stage. Each line is its own record for the test of text
/// about escaping (LooksAboutEscaping); the punctuation width of WidthPolicy::kAuto follows
/// the document.
class PlainTextRepairer {
 public:
  /// `normalizer` must outlive the repairer.
  PlainTextRepairer(const RepairOptions& options, TextNormalizer* normalizer);

  /// Starts a document. `evidence` is the width evidence of the whole document when it was
  /// gathered beforehand (a first pass over a file); null gathers it from the lines as they
  /// come, so each line follows the document up to and including itself.
  void BeginDocument(const WidthEvidence* evidence);

  /// Writes the repaired `line` into `*out` (replaced) and adds to counts().
  void RepairLine(std::string_view line, std::string* out);

  /// What was repaired since construction.
  const RepairCounts& counts() const { return counts_; }

 private:
  TextRepairer repairer_;
  WidthEvidence evidence_;
  bool evidence_given_ = false;
  RepairCounts counts_;
  std::string again_;
};

/// The repair stage as a RecordSink: repairs each accepted record and passes it on.
/// Width evidence is gathered per page, so a page's related entries follow its article.
class RepairStage : public RecordSink {
 public:
  RepairStage(const RepairOptions& options, TextNormalizer* normalizer, RecordSink* next);

  void Accept(Record&& record) override;
  void Reject(Record&& record, DropReason reason, const std::string& detail) override;

 private:
  /// Starts afresh when `record` is on another page than the last one.
  void NotePage(const Record& record);
  /// Adds the lines of dropped teasers not yet weighed to the page's width evidence.
  void WeighDroppedTeasers(const Record& record);
  /// What is known of a line of the record being repaired.
  struct LineFacts {
    LineFacts() = default;
    explicit LineFacts(const RepairScan& line_scan)
        : scan(line_scan), ampersand(line_scan.ampersand), code_damage(line_scan.code_damage) {}
    RepairScan scan;           ///< ScanForRepair's, of the line as it came
    bool unchanged = true;     ///< the line is still as scanned: all of `scan` holds
    bool ampersand = false;    ///< the line as it is now holds an `&`
    bool code_damage = false;  ///< MayShowCodeDamage of the line as it is now
  };

  /// Repairs the title and every body line of `*record` in place. Returns true when a
  /// repaired body line holds an `&`.
  bool RepairText(Record* record, bool fold_decoded, bool about_escaping, bool strip_layer);
  /// Repairs one line in place and keeps its facts up to date.
  void RepairLine(std::string* text, bool fold_decoded, bool about_escaping, bool strip_layer,
                  LineFacts* facts, RepairCounts* counts);
  /// The body of `record` as Record::Text() gives it, in body_text_.
  const std::string& JoinBody(const Record& record);

  TextRepairer repairer_;
  RecordSink* next_;
  std::string page_source_;
  uint64_t page_ = UINT64_MAX;
  WidthEvidence evidence_;
  std::string unweighed_;  // dropped teasers' lines, each ended by '\n', not yet in evidence_
  std::string scratch_;
  LineFacts title_facts_;
  std::vector<LineFacts> facts_;  // parallel to the body of the record being repaired
  std::string body_text_;
  std::vector<const char*> damage_;
};

}  // namespace winnow

#endif  // WINNOW_REPAIR_H_

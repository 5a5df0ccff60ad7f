// Character-reference decoding, used by the repair stage and by the rules' match view.
// Two policies: kHtml5 decodes exactly as the HTML Standard's tokenizer does in the data state;
// kScrape decodes what scraped text needs, per occurrence, and leaves what only looks like a
// reference (URL queries, identifiers, unknown names) alone.
#ifndef WINNOW_ENTITY_DECODER_H_
#define WINNOW_ENTITY_DECODER_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace winnow {

enum class EntityMode { kNone, kHtml5, kScrape };

/// Parses "html5", "scrape" or "none". Returns false for anything else.
bool ParseEntityMode(std::string_view name, EntityMode* mode);

struct EntityDecodeOptions {
  EntityMode mode = EntityMode::kScrape;
  /// When set, a decoded full-width ASCII variant (U+FF01..U+FF5E, e.g. the `，` of
  /// `&#xff0c;`) is written as its ASCII form instead. Text that was already literal
  /// full-width stays as it is: this follows a document written width-folded.
  bool fold_decoded_fullwidth = false;
};

/// True when `text` may hold a reference the decoder would change; false means decoding is
/// a no-op and can be skipped (the fast path for most lines).
bool MayContainEntity(std::string_view text);

/// Appends `in` to `out` with character references decoded under `options`.
/// Returns the number of references decoded (a double escape such as `&amp;#xff0c;`
/// counts once).
size_t DecodeEntities(std::string_view in, const EntityDecodeOptions& options, std::string* out);

/// Looks up a named reference in the WHATWG table. `name` is without `&`, with or without
/// the `;`. Returns the replacement text, or null when the name is unknown.
const char* LookupNamedEntity(std::string_view name);

}  // namespace winnow

#endif  // WINNOW_ENTITY_DECODER_H_

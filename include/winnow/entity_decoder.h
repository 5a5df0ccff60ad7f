// Character-reference decoding, used by the repair stage and by the rules' match view.
// Two policies: kHtml5 decodes exactly as the HTML Standard's tokenizer does in the data state;
// kScrape decodes what scraped text needs, per occurrence, and leaves what only looks like a
// reference (URL queries, identifiers, unknown names) alone.
#ifndef WINNOW_ENTITY_DECODER_H_
#define WINNOW_ENTITY_DECODER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace winnow {

enum class EntityMode {
  kNone,    ///< no decoding: the text is copied as it is
  kHtml5,   ///< the HTML Standard's tokenizer, data state (character reference state)
  kScrape,  ///< per occurrence, for scraped text; the policy is spelled out at the top of
            ///< src/entity_decoder.cc
};

/// Parses "html5", "scrape" or "none". Returns false for anything else.
bool ParseEntityMode(std::string_view name, EntityMode* mode);

struct EntityDecodeOptions {
  EntityMode mode = EntityMode::kScrape;
  /// When set, a decoded full-width ASCII variant (U+FF01..U+FF5E, e.g. the `，` of
  /// `&#xff0c;`) is written as its ASCII form instead. Text that was already literal
  /// full-width stays as it is: this follows a document written width-folded.
  bool fold_decoded_fullwidth = false;
  /// kScrape only. For a record that is itself about HTML escaping (an article explaining
  /// that `<` is written `&lt;`; see LooksAboutEscaping), where the references are content:
  /// `&lt;`, `&amp;`, `&#60;`, `&#x3C;`, `&amp;lt;` and the like stay as written. Still
  /// decoded: the `&`-less `#xff1a;` form, and numeric references (with `;`, behind any
  /// `&amp;` layers) to CJK characters, CJK or full-width punctuation and emoji, unless set
  /// apart by spaces or quotes as an example (`比如 &#x1F600; 就是`). Details at the top of
  /// src/entity_decoder.cc.
  bool text_about_escaping = false;
  /// With text_about_escaping: the record carries the scraper's extra layer (see
  /// CarriesEscapingLayer), so exactly one `&amp;` layer comes off each reference escaped
  /// twice: `&amp;lt;` becomes `&lt;`, `&amp;amp;lt;` becomes `&amp;lt;`.
  bool strip_escaping_layer = false;
};

/// True when `text` may hold a reference the decoder would change; false means decoding is
/// a no-op and can be skipped (the fast path for most lines).
bool MayContainEntity(std::string_view text);

/// The character the reference whose `&` is `text[at]` stands for, when the scrape-mode
/// decoder (without text_about_escaping) turns it into that one character whatever surrounds
/// it and the character is U+0800..U+FFFF: a numeric reference with its `;` (always
/// accepted), to no surrogate (which could pair with a next reference) and to no `&` or `#`
/// (which could start a layer); being past ASCII, it joins no reference kept before it.
/// Sets `*end` just past the `;`. -1 for any other reference, or none. For scans that
/// decode as they go (the match view's single pass).
int32_t ContextFreeThreeByteReferenceAt(std::string_view text, size_t at, size_t* end);

/// Where one decoded reference's text is in the output: out[begin, end).
struct DecodedSpan {
  size_t begin = 0;
  size_t end = 0;
};

/// Appends `in` to `out` with character references decoded under `options`.
/// Returns the number of references decoded (a double escape such as `&amp;#xff0c;`
/// counts once). `spans`, when not null, gets one DecodedSpan (offsets in `*out`) appended
/// per reference decoded, in order; everything else appended to `*out` is `in` as it was.
size_t DecodeEntities(std::string_view in, const EntityDecodeOptions& options, std::string* out,
                      std::vector<DecodedSpan>* spans = nullptr);

/// Looks up a named reference in the WHATWG table. `name` is without `&`, with or without
/// the `;`. Returns the replacement text, or null when the name is unknown. Without the `;`
/// only the 106 legacy names HTML accepts bare are found (`copy` yes, `zwj` no).
const char* LookupNamedEntity(std::string_view name);

/// True when `text` reads as an explanation of HTML escaping, so that its references are
/// content rather than damage (use it to set EntityDecodeOptions::text_about_escaping).
/// Conservative: requires both
///   - an escaping term: 转义/轉義, 字符实体, 实体字符, 实体编码, 实体引用, HTML实体,
///     字元實體, HTML實體, or (ASCII case-insensitive) "html entit", "character entit",
///     "named entit", "character reference", "escape" (also escaped/unescape/html_escape),
///     "htmlspecialchars", "htmlentities"; and
///   - within 64 bytes of that term, a reference, with `;`, to one of `<` `>` `&` `"` `'`
///     or no-break space (`&lt;`, `&#60;`, `&#x3C;`, `&amp;`, `&quot;`, `&#39;`, `&nbsp;`, ...),
/// and at least two different such references (by spelling, e.g. `&lt;` and `&gt;`, or
/// `&lt;` and `&#60;`) anywhere in `text`. A chain of `&amp;` layers is spelled as its
/// innermost reference (`&amp;amp;lt;` as `&lt;`), and a chain ending in any other reference
/// (`&amp;#xff0c;`) is no example, so that taking a layer off or decoding damage does not
/// change the answer. "实体" or "entity" alone (entity classes, ORM entities) does not count.
bool LooksAboutEscaping(std::string_view text);

/// True when a text about HTML escaping shows the extra layer a scraper adds, so that one
/// `&amp;` layer should come off (EntityDecodeOptions::strip_escaping_layer): it holds a
/// numeric reference (with `;`, possibly behind `&amp;` layers) to a CJK character, CJK
/// punctuation or an emoji that is not set apart as an example, or the `&`-less `#xff1a;`
/// form; and it shows nothing the reader saw literally: no `<` and no `&` that starts no
/// reference. The evidence is gone once the text is repaired (the CJK references are
/// decoded), so repairing the output again takes no second layer off.
bool CarriesEscapingLayer(std::string_view text);

}  // namespace winnow

#endif  // WINNOW_ENTITY_DECODER_H_

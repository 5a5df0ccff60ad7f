// The WHATWG named character reference table, as generated at build time by
// tools/gen_entity_table.cc from third_party/whatwg/entities.json. Private to the entity decoder.
#ifndef WINNOW_ENTITY_TABLE_H_
#define WINNOW_ENTITY_TABLE_H_

#include <cstddef>

namespace winnow {
namespace internal {

/// One name of the table. `name` is without the leading `&` and the trailing `;`; every name
/// is valid with a `;`, and `legacy` marks the 106 that HTML also accepts without one.
struct NamedReference {
  const char* name;
  const char* text;  ///< the replacement, UTF-8 (one or two code points)
  unsigned char name_length;
  unsigned char text_length;
  bool legacy;
};

/// Sorted by `name`, compared as unsigned bytes, names unique: ready for binary search.
extern const NamedReference kNamedReferences[];
extern const std::size_t kNamedReferenceCount;

/// The longest `name` of all entries, and of the legacy ones.
extern const std::size_t kLongestReferenceName;
extern const std::size_t kLongestLegacyReferenceName;

}  // namespace internal
}  // namespace winnow

#endif  // WINNOW_ENTITY_TABLE_H_

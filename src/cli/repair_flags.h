// The repair options `clean` and `repair` share: --entities, --width, --normalize,
// --no-mojibake.
#ifndef WINNOW_CLI_REPAIR_FLAGS_H_
#define WINNOW_CLI_REPAIR_FLAGS_H_

#include <string>

#include "winnow/repair.h"

namespace CLI {
class App;
}  // namespace CLI

namespace winnow {
namespace cli {

struct RepairFlags {
  std::string entities = "scrape";
  std::string width = "auto";
  std::string normalize = "nfc";
  bool no_mojibake = false;
};

/// Adds the repair options to `command`, filling `*flags`.
void AddRepairFlags(CLI::App* command, RepairFlags* flags);

/// The library's RepairOptions for `flags` (CLI11 has already checked every value).
RepairOptions ToRepairOptions(const RepairFlags& flags);

}  // namespace cli
}  // namespace winnow

#endif  // WINNOW_CLI_REPAIR_FLAGS_H_

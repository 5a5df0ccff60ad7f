#include "cli/repair_flags.h"

#include <CLI/CLI.hpp>

namespace winnow {
namespace cli {

void AddRepairFlags(CLI::App* command, RepairFlags* flags) {
  command->add_option("--entities", flags->entities,
                      "Character references: scrape (what scraped text needs), html5 (exactly "
                      "as a browser, and nothing else repaired), none")
      ->check(CLI::IsMember({"scrape", "html5", "none"}))
      ->capture_default_str();
  command->add_option("--width", flags->width,
                      "Punctuation width of decoded references: auto (follow the document), "
                      "keep, or fold (all full-width punctuation to ASCII)")
      ->check(CLI::IsMember({"auto", "keep", "fold"}))
      ->capture_default_str();
  command->add_option("--normalize", flags->normalize, "Unicode normal form: nfc, nfkc, none")
      ->check(CLI::IsMember({"nfc", "nfkc", "none"}))
      ->capture_default_str();
  command->add_flag("--no-mojibake", flags->no_mojibake, "Leave mojibake as it is");
}

RepairOptions ToRepairOptions(const RepairFlags& flags) {
  RepairOptions options;
  ParseEntityMode(flags.entities, &options.entities);
  ParseWidthPolicy(flags.width, &options.width);
  ParseNormalForm(flags.normalize, &options.form);
  options.mojibake = !flags.no_mojibake;
  return options;
}

}  // namespace cli
}  // namespace winnow

// winnow's command line: parses arguments and hands each subcommand to its own file.
// Only this layer prints, exits or reads the environment.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/check_command.h"
#include "cli/clean_command.h"
#include "cli/dedup_command.h"
#include "cli/exit_codes.h"
#include "cli/explain_command.h"
#include "cli/rules_command.h"
#include "cli/repair_command.h"

int main(int argc, char** argv) {
  using winnow::cli::kExitError;
  CLI::App app{
      "winnow: turns text scrapes of Chinese tech-blog aggregator pages into clean articles.\n"
      "It drops navigation chrome, notices and related-article teasers, repairs character\n"
      "references and Unicode damage, and accounts for every record it drops.",
      "winnow"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "winnow 0.1.0");
  app.footer(std::string("Run 'winnow SUBCOMMAND --help' for a subcommand's options.\n\n") +
             winnow::cli::ExitStatusHelp());

  winnow::cli::CleanCommandOptions clean_options;
  CLI::App* clean = winnow::cli::AddCleanCommand(&app, &clean_options);
  winnow::cli::RulesCommandOptions rules_options;
  CLI::App* rules = winnow::cli::AddRulesCommand(&app, &rules_options);
  winnow::cli::ExplainCommandOptions explain_options;
  CLI::App* explain = winnow::cli::AddExplainCommand(&app, &explain_options);
  winnow::cli::CheckCommandOptions check_options;
  CLI::App* check = winnow::cli::AddCheckCommand(&app, &check_options);
  winnow::cli::RepairCommandOptions repair_options;
  CLI::App* repair = winnow::cli::AddRepairCommand(&app, &repair_options);
  winnow::cli::DedupCommandOptions dedup_options;
  CLI::App* dedup = winnow::cli::AddDedupCommand(&app, &dedup_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitError;
  }
  if (clean->parsed()) return winnow::cli::RunCleanCommand(clean_options);
  if (rules->parsed()) return winnow::cli::RunRulesCommand(rules_options);
  if (explain->parsed()) return winnow::cli::RunExplainCommand(explain_options);
  if (check->parsed()) return winnow::cli::RunCheckCommand(check_options);
  if (repair->parsed()) return winnow::cli::RunRepairCommand(repair_options);
  if (dedup->parsed()) return winnow::cli::RunDedupCommand(dedup_options);
  return kExitError;
}

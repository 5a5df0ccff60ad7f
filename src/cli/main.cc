// winnow's command line: parses arguments and hands each subcommand to its own file.
// Only this layer prints, exits or reads the environment.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/clean_command.h"
#include "cli/dedup_command.h"
#include "cli/exit_codes.h"

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
  if (dedup->parsed()) return winnow::cli::RunDedupCommand(dedup_options);
  return kExitError;
}

// `--stats FILE`: the run summary as JSON, for scripts and dashboards.
#ifndef WINNOW_CLI_RUN_STATS_H_
#define WINNOW_CLI_RUN_STATS_H_

#include <string>

#include "winnow/pipeline.h"

namespace winnow {
namespace cli {

/// The JSON object: files (read, failed, binary), bytes (input, text), lines, records
/// (found, emitted, dropped by reason id), rule_hits, repairs, encodings, threads and
/// elapsed_seconds.
std::string RunStatsJson(const RunSummary& summary, double seconds, unsigned threads);

/// Writes RunStatsJson to `path` through a temporary file. Returns false and sets `*error`.
bool WriteRunStats(const std::string& path, const RunSummary& summary, double seconds,
                   unsigned threads, std::string* error);

}  // namespace cli
}  // namespace winnow

#endif  // WINNOW_CLI_RUN_STATS_H_

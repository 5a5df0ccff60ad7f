#include "cli/run_stats.h"

#include <nlohmann/json.hpp>

#include "winnow/output_file.h"
#include "winnow/record_sink.h"

namespace winnow {
namespace cli {

std::string RunStatsJson(const RunSummary& summary, double seconds, unsigned threads) {
  nlohmann::ordered_json stats;
  stats["files"] = {{"read", summary.files},
                    {"failed", summary.files_failed},
                    {"binary", summary.files_binary}};
  stats["bytes"] = {{"input", summary.input_bytes}, {"text", summary.bytes}};
  stats["lines"] = {{"read", summary.lines},
                    {"dropped", summary.lines_dropped},
                    {"invalid_bytes", summary.invalid_bytes}};
  nlohmann::ordered_json dropped = nlohmann::ordered_json::object();
  for (size_t i = 0; i < summary.dropped.size(); ++i) {
    dropped[DropReasonId(static_cast<DropReason>(i))] = summary.dropped[i];
  }
  stats["records"] = {{"found", summary.records},
                      {"emitted", summary.emitted},
                      {"dropped", dropped}};
  stats["rule_hits"] = nlohmann::ordered_json::object();
  for (const auto& [id, hits] : summary.rule_hits) stats["rule_hits"][id] = hits;
  const RepairCounts& r = summary.repairs;
  stats["repairs"] = {{"entities", r.entities},         {"odd_spaces", r.odd_spaces},
                      {"zero_width", r.zero_width},     {"controls", r.controls},
                      {"normalized", r.normalized},     {"width_folded", r.width_folded},
                      {"invalid_bytes", r.invalid_bytes}};
  stats["encodings"] = nlohmann::ordered_json::object();
  for (const auto& [name, files] : summary.encodings) stats["encodings"][name] = files;
  stats["threads"] = threads;
  stats["elapsed_seconds"] = seconds;
  return stats.dump(2) + "\n";
}

bool WriteRunStats(const std::string& path, const RunSummary& summary, double seconds,
                   unsigned threads, std::string* error) {
  std::unique_ptr<AtomicFileOutput> out = AtomicFileOutput::Create(path, error);
  if (out == nullptr) return false;
  out->Write(RunStatsJson(summary, seconds, threads));
  return out->Commit(error);
}

}  // namespace cli
}  // namespace winnow

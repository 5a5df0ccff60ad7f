// Before the pipeline: turns path arguments (and --files-from lists) into the ordered list of
// inputs a run cleans. Directories are walked in a stable, sorted order; the order of the list
// is the order of the output, whatever the number of threads.
#ifndef WINNOW_INPUT_LIST_H_
#define WINNOW_INPUT_LIST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/diagnostic.h"

namespace winnow {

struct InputFile {
  std::string path;        ///< as given, or joined under a walked directory; "-" is stdin
  bool named = false;      ///< named on the command line or in a list, not found by a walk
};

struct InputListOptions {
  bool recursive = false;  ///< walk directory arguments
};

/// Appends the inputs `paths` stand for to `*inputs`. A directory is walked when
/// `options.recursive` (entries sorted by name, byte order; directories entered depth first;
/// symbolic links followed; a directory reached again through a link is entered once, and a
/// link back into one of its own ancestors is reported once as a loop, a warning). Without it a
/// directory is reported as an error. Paths that cannot be examined are reported. Returns
/// false when anything was reported as an error; the other inputs are still listed.
bool ExpandInputs(const std::vector<std::string>& paths, const InputListOptions& options,
                  DiagnosticSink* diagnostics, std::vector<InputFile>* inputs);

/// Shard `index` (1-based) of `count`: the inputs whose path hash falls in it.
struct Shard {
  uint64_t index = 1;
  uint64_t count = 1;
};

/// Parses "K/N" (1 <= K <= N). Returns false and sets `*error` otherwise.
bool ParseShard(std::string_view text, Shard* shard, std::string* error);

/// True when `path` belongs to `shard`: a stable 64-bit hash of the path's bytes, modulo N,
/// so N jobs given the same inputs from the same directory cover each exactly once.
bool InShard(std::string_view path, const Shard& shard);

/// True when a walk lists `a` before `b`: paths compared component by component ('/'
/// separated), each component by bytes. Outputs of shards of one run, merged in this order,
/// come out in the order a single run writes them.
bool WalkOrderLess(std::string_view a, std::string_view b);

/// Splits a --files-from list: entries end at '\n' (or at '\0' when `nul_separated`); empty
/// entries are skipped, and a trailing "\r" is kept (a name may end in one).
std::vector<std::string> SplitFileList(std::string_view text, bool nul_separated);

}  // namespace winnow

#endif  // WINNOW_INPUT_LIST_H_

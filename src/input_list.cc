#include "winnow/input_list.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <set>
#include <system_error>
#include <utility>

#include "winnow/fingerprint.h"

namespace winnow {
namespace {

using DirectoryId = std::pair<dev_t, ino_t>;

class Walker {
 public:
  Walker(DiagnosticSink* diagnostics, std::vector<InputFile>* inputs)
      : diagnostics_(diagnostics), inputs_(inputs) {}

  /// Walks the directory `path` whose stat is `st`.
  void Walk(const std::string& path, const struct stat& st) {
    const DirectoryId id{st.st_dev, st.st_ino};
    if (std::find(ancestors_.begin(), ancestors_.end(), id) != ancestors_.end()) {
      // Not an error: everything under the loop's target is being walked already.
      if (loops_reported_.insert(id).second) {
        diagnostics_->Report(Diagnostic{
            Severity::kWarning, path, 0, 0, false,
            "symbolic link loop (a link back to a directory above it); not entered again"});
      }
      return;
    }
    if (!entered_.insert(id).second) return;  // the same directory through another link
    DIR* dir = opendir(path.c_str());
    if (dir == nullptr) {
      Error(path, std::generic_category().message(errno));
      return;
    }
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* entry = readdir(dir)) {
      const std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    closedir(dir);
    std::sort(names.begin(), names.end());
    ancestors_.push_back(id);
    const std::string prefix = path.back() == '/' ? path : path + "/";
    for (const std::string& name : names) {
      const std::string child = prefix + name;
      struct stat child_st;
      if (stat(child.c_str(), &child_st) != 0) {
        Error(child, std::generic_category().message(errno));
        continue;
      }
      if (S_ISDIR(child_st.st_mode)) {
        Walk(child, child_st);
      } else if (S_ISREG(child_st.st_mode)) {
        inputs_->push_back(InputFile{child, false});
      }
      // Sockets, FIFOs and devices found by a walk are not inputs; named ones are read.
    }
    ancestors_.pop_back();
  }

  void Error(const std::string& path, const std::string& message) {
    ok_ = false;
    diagnostics_->Report(Diagnostic{Severity::kError, path, 0, 0, false, message});
  }

  bool ok() const { return ok_; }

 private:
  DiagnosticSink* diagnostics_;
  std::vector<InputFile>* inputs_;
  std::vector<DirectoryId> ancestors_;
  std::set<DirectoryId> entered_;
  std::set<DirectoryId> loops_reported_;
  bool ok_ = true;
};

}  // namespace

bool ExpandInputs(const std::vector<std::string>& paths, const InputListOptions& options,
                  DiagnosticSink* diagnostics, std::vector<InputFile>* inputs) {
  Walker walker(diagnostics, inputs);
  for (const std::string& path : paths) {
    struct stat st;
    if (path == "-" || stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      // Missing and unreadable files are reported when they are opened, in input order.
      inputs->push_back(InputFile{path, true});
      continue;
    }
    if (!options.recursive) {
      walker.Error(path, "Is a directory (use -r to clean the files under it)");
      continue;
    }
    walker.Walk(path, st);
  }
  return walker.ok();
}

bool ParseShard(std::string_view text, Shard* shard, std::string* error) {
  const size_t slash = text.find('/');
  uint64_t values[2] = {0, 0};
  bool ok = slash != std::string_view::npos && slash > 0 && slash + 1 < text.size();
  for (int part = 0; ok && part < 2; ++part) {
    const std::string_view digits = part == 0 ? text.substr(0, slash) : text.substr(slash + 1);
    for (char c : digits) {
      if (c < '0' || c > '9' || values[part] > UINT32_MAX) {
        ok = false;
        break;
      }
      values[part] = values[part] * 10 + static_cast<uint64_t>(c - '0');
    }
  }
  if (!ok || values[0] < 1 || values[0] > values[1]) {
    *error = "shard must be K/N with 1 <= K <= N, e.g. 3/8; got '" + std::string(text) + "'";
    return false;
  }
  shard->index = values[0];
  shard->count = values[1];
  return true;
}

bool InShard(std::string_view path, const Shard& shard) {
  return Hash64(path, /*seed=*/0x5348415244ULL) % shard.count == shard.index - 1;
}

bool WalkOrderLess(std::string_view a, std::string_view b) {
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    size_t a_end = a.find('/', i);
    size_t b_end = b.find('/', j);
    if (a_end == std::string_view::npos) a_end = a.size();
    if (b_end == std::string_view::npos) b_end = b.size();
    const int order = a.substr(i, a_end - i).compare(b.substr(j, b_end - j));
    if (order != 0) return order < 0;
    i = a_end + 1;
    j = b_end + 1;
  }
  return a.size() - std::min(i, a.size()) < b.size() - std::min(j, b.size());
}

std::vector<std::string> SplitFileList(std::string_view text, bool nul_separated) {
  const char separator = nul_separated ? '\0' : '\n';
  std::vector<std::string> names;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) names.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

}  // namespace winnow

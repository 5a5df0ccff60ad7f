// Fuzz target for the repair stage: any bytes, made valid UTF-8 as the reader makes them, are
// repaired as `winnow repair` repairs a line; the output must be valid UTF-8 and repair to
// itself. Built with -fsanitize=fuzzer it is a libFuzzer target; built normally (as here) it
// replays the files named on its command line, so the seed corpus runs under CTest.
#include <dirent.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "winnow/reader.h"
#include "winnow/repair.h"
#include "winnow/text_normalize.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static winnow::TextNormalizer normalizer;
  std::string line;
  size_t first_bad = 0;
  winnow::AppendValidUtf8(std::string_view(reinterpret_cast<const char*>(data), size), &line,
                          &first_bad);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';  // one line, as the reader hands it over
  }
  for (winnow::WidthPolicy width : {winnow::WidthPolicy::kAuto, winnow::WidthPolicy::kFold}) {
    winnow::RepairOptions options;
    options.width = width;
    winnow::PlainTextRepairer repairer(options, &normalizer);
    std::string once, twice, valid;
    repairer.BeginDocument(nullptr);
    repairer.RepairLine(line, &once);
    repairer.BeginDocument(nullptr);
    repairer.RepairLine(once, &twice);
    if (winnow::AppendValidUtf8(once, &valid, &first_bad) != 0 || twice != once) {
      std::fprintf(stderr, "repair_fuzzer: %s\n  input: %s\n  once:  %s\n  twice: %s\n",
                   twice != once ? "not idempotent" : "ill-formed output", line.c_str(),
                   once.c_str(), twice.c_str());
      std::abort();
    }
  }
  return 0;
}

#ifndef WINNOW_LIBFUZZER
// Replays each file named, and each file in each directory named.
int main(int argc, char** argv) {
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    if (DIR* dir = opendir(argv[i])) {
      while (dirent* entry = readdir(dir)) {
        if (entry->d_name[0] != '.') paths.push_back(std::string(argv[i]) + "/" + entry->d_name);
      }
      closedir(dir);
    } else {
      paths.push_back(argv[i]);
    }
  }
  for (const std::string& path : paths) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "repair_fuzzer: %s: cannot open\n", path.c_str());
      return 2;
    }
    std::stringstream bytes;
    bytes << file.rdbuf();
    const std::string data = bytes.str();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  }
  std::printf("repair_fuzzer: %zu inputs replayed\n", paths.size());
  return paths.empty() ? 2 : 0;
}
#endif

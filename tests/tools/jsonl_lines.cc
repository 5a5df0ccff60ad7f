// Test helper: prints one string field of each record of a JSONL file, one per line, so that
// shell tests can feed conformance vectors to the built binary. Records where any of the named
// fields holds CR or LF (which a line filter cannot round-trip) are skipped, and their count
// is printed to standard error.
// Usage: jsonl_lines FILE FIELD [OTHER_FIELD...]   (prints FIELD; checks all named fields)
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: jsonl_lines FILE FIELD [OTHER_FIELD...]\n";
    return 2;
  }
  std::ifstream file(argv[1], std::ios::binary);
  if (!file) {
    std::cerr << argv[1] << ": cannot open\n";
    return 2;
  }
  size_t skipped = 0;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty()) continue;
    const nlohmann::json record = nlohmann::json::parse(line);
    bool has_break = false;
    for (int i = 2; i < argc; ++i) {
      const std::string value = record.at(argv[i]).get<std::string>();
      has_break = has_break || value.find_first_of("\r\n") != std::string::npos;
    }
    if (has_break) {
      ++skipped;
      continue;
    }
    std::cout << record.at(argv[2]).get<std::string>() << '\n';
  }
  std::cerr << skipped << " records skipped\n";
  return 0;
}

// Build-time host tool: turns the WHATWG entities.json into the C++ table declared in
// src/entity_table.h.
//
//   gen_entity_table <entities.json> <out.cc>
//
// The output is written to a temporary file next to <out.cc> and renamed over it, so an
// interrupted run never leaves a half-written table behind.

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

struct Entry {
  std::string text;  // UTF-8
  bool with_semicolon = false;
  bool legacy = false;
};

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "gen_entity_table: %s\n", message.c_str());
  std::exit(1);
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void AppendUtf8(unsigned long cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Every byte of `bytes` as a three-digit octal escape: octal escapes end after three digits,
// so whatever follows can never extend them (unlike \x escapes).
std::string CStringLiteral(const std::string& bytes) {
  std::string literal = "\"";
  char buffer[8];
  for (unsigned char c : bytes) {
    if (IsAsciiAlnum(static_cast<char>(c))) {
      literal.push_back(static_cast<char>(c));
    } else {
      std::snprintf(buffer, sizeof buffer, "\\%03o", static_cast<unsigned>(c));
      literal += buffer;
    }
  }
  literal.push_back('"');
  return literal;
}

// Reads the table, keyed by the name without `&` and `;`. std::map orders std::string keys
// with char_traits<char>::compare, which compares as unsigned char: the order the decoder's
// binary search expects.
std::map<std::string, Entry> ReadTable(const char* path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) Fail(std::string(path) + ": cannot open: " + std::strerror(errno));
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(file);
  } catch (const nlohmann::json::exception& e) {
    Fail(std::string(path) + ": " + e.what());
  }
  if (!json.is_object()) Fail(std::string(path) + ": expected a JSON object at the top level");

  std::map<std::string, Entry> table;
  for (const auto& item : json.items()) {
    const std::string& key = item.key();
    const std::string where = std::string(path) + ": key \"" + key + "\"";
    bool semicolon = !key.empty() && key.back() == ';';
    std::string name = key.substr(key.empty() ? 0 : 1, key.size() - (semicolon ? 2 : 1));
    if (key.size() < 2 || key[0] != '&' || name.empty()) Fail(where + ": not of the form &name[;]");
    for (char c : name) {
      if (!IsAsciiAlnum(c)) Fail(where + ": the name is not ASCII alphanumeric");
    }
    if (name.size() > 255) Fail(where + ": name too long");

    const nlohmann::json& codepoints = item.value().at("codepoints");
    if (!codepoints.is_array() || codepoints.empty() || codepoints.size() > 2) {
      Fail(where + ": \"codepoints\" must list one or two code points");
    }
    std::string text;
    for (const nlohmann::json& cp : codepoints) {
      if (!cp.is_number_unsigned() || cp.get<unsigned long>() > 0x10FFFF) {
        Fail(where + ": bad code point " + cp.dump());
      }
      // The decoder's fold_decoded_fullwidth handles numeric references only; it can,
      // because no name stands for a full-width ASCII variant. Keep that true.
      if (cp.get<unsigned long>() >= 0xFF01 && cp.get<unsigned long>() <= 0xFF5E) {
        Fail(where + ": maps to a full-width ASCII variant; the decoder's fold must learn names");
      }
      AppendUtf8(cp.get<unsigned long>(), &text);
    }
    if (item.value().at("characters").get<std::string>() != text) {
      Fail(where + ": \"characters\" disagrees with \"codepoints\"");
    }

    Entry& entry = table[name];
    if (!entry.text.empty() && entry.text != text) {
      Fail(where + ": the forms with and without ';' have different values");
    }
    entry.text = text;
    if (semicolon) {
      entry.with_semicolon = true;
    } else {
      entry.legacy = true;
    }
  }
  for (const auto& [name, entry] : table) {
    // The decoder relies on this: a legacy name is also valid with its semicolon.
    if (!entry.with_semicolon) Fail(std::string(path) + ": \"&" + name + "\" has no ';' form");
  }
  return table;
}

std::string Render(const std::map<std::string, Entry>& table, size_t key_count) {
  size_t longest = 0;
  size_t longest_legacy = 0;
  size_t legacy_count = 0;
  for (const auto& [name, entry] : table) {
    longest = std::max(longest, name.size());
    if (entry.legacy) {
      longest_legacy = std::max(longest_legacy, name.size());
      ++legacy_count;
    }
  }

  std::ostringstream cc;
  cc << "// Generated by tools/gen_entity_table.cc from the WHATWG entities.json (" << key_count
     << " keys, " << legacy_count << " of them legacy names\n"
     << "// without ';'). Do not edit. Data: HTML Standard, named character references table,\n"
     << "// WHATWG, https://html.spec.whatwg.org/entities.json.\n"
     << "#include \"entity_table.h\"\n\n"
     << "namespace winnow {\n"
     << "namespace internal {\n\n"
     << "const NamedReference kNamedReferences[] = {\n";
  for (const auto& [name, entry] : table) {
    cc << "    {" << CStringLiteral(name) << ", " << CStringLiteral(entry.text) << ", "
       << name.size() << ", " << entry.text.size() << ", " << (entry.legacy ? "true" : "false")
       << "},\n";
  }
  cc << "};\n\n"
     << "const std::size_t kNamedReferenceCount = " << table.size() << ";\n"
     << "const std::size_t kLongestReferenceName = " << longest << ";\n"
     << "const std::size_t kLongestLegacyReferenceName = " << longest_legacy << ";\n\n"
     << "}  // namespace internal\n"
     << "}  // namespace winnow\n";
  return cc.str();
}

void WriteReplacing(const std::string& path, const std::string& content) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream file(temp, std::ios::binary | std::ios::trunc);
    if (!file) Fail(temp + ": cannot create: " + std::strerror(errno));
    file << content;
    file.close();
    if (!file) Fail(temp + ": write failed");
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    int error = errno;
    std::remove(temp.c_str());
    Fail(path + ": cannot rename " + temp + " into place: " + std::strerror(error));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: gen_entity_table <entities.json> <out.cc>\n");
    return 2;
  }
  std::map<std::string, Entry> table = ReadTable(argv[1]);
  size_t key_count = 0;
  for (const auto& [name, entry] : table) key_count += entry.legacy ? 2 : 1;
  WriteReplacing(argv[2], Render(table, key_count));
  return 0;
}

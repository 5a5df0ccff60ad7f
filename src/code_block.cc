#include "winnow/code_block.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace winnow {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Leading whitespace bytes of a raw line: ASCII space and tab, NBSP, U+3000.
size_t LeadingSpaceBytes(std::string_view s, size_t* columns) {
  size_t i = 0;
  size_t cols = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ') {
      i += 1;
      cols += 1;
    } else if (c == '\t') {
      i += 1;
      cols += 4;
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      i += 2;
      cols += 1;
    } else if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               static_cast<unsigned char>(s[i + 2]) == 0x80) {
      i += 3;
      cols += 1;
    } else {
      break;
    }
  }
  if (columns != nullptr) *columns = cols;
  return i;
}

std::string_view TrimSpace(std::string_view s) {
  s.remove_prefix(LeadingSpaceBytes(s, nullptr));
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// An English sentence, not code: a capital first letter, several words, sentence punctuation.
bool LooksLikeEnglishSentence(std::string_view key) {
  if (key.empty() || key[0] < 'A' || key[0] > 'Z') return false;
  if (!(EndsWith(key, ".") || EndsWith(key, "!") || EndsWith(key, "?"))) return false;
  return std::count(key.begin(), key.end(), ' ') >= 5;
}

// Leading ASCII spaces and tabs: what dedenting a code run may remove.
size_t LeadingAsciiSpace(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

}  // namespace

size_t IndentColumns(std::string_view raw_line) {
  size_t columns = 0;
  LeadingSpaceBytes(raw_line, &columns);
  return columns;
}

namespace {

// What ClassifyCodeLine counts of an ASCII byte of the match key, one table load a byte.
enum KeyCharKind : uint8_t {
  kOtherVisible,  // neither a letter nor one of the code symbols
  kSpace,
  kAsciiLetter,   // a-z, A-Z
  kCodeSymbol,    // { } ( ) ; = < > [ ]
};

constexpr std::array<uint8_t, 128> MakeKeyCharKinds() {
  std::array<uint8_t, 128> kinds{};
  kinds[' '] = kSpace;
  for (unsigned c = 'a'; c <= 'z'; ++c) kinds[c] = kAsciiLetter;
  for (unsigned c = 'A'; c <= 'Z'; ++c) kinds[c] = kAsciiLetter;
  for (char c : std::string_view("{}();=<>[]")) kinds[static_cast<unsigned char>(c)] = kCodeSymbol;
  return kinds;
}

constexpr std::array<uint8_t, 128> kKeyCharKinds = MakeKeyCharKinds();

/// What ClassifyCodeLine weighs a key by.
struct KeyCharCounts {
  size_t ascii_letters = 0;
  size_t non_ascii = 0;  // code points (lead bytes C0..FF), not bytes
  size_t symbols = 0;    // kCodeSymbol
  size_t visible = 0;    // ASCII bytes but spaces (the caller adds non_ascii)
};

void CountKeyCharsBytewise(std::string_view key, KeyCharCounts* counts) {
  for (char ch : key) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) {
      counts->non_ascii += (c & 0xC0) != 0x80;
      continue;
    }
    const uint8_t kind = kKeyCharKinds[c];
    counts->ascii_letters += kind == kAsciiLetter;
    counts->symbols += kind == kCodeSymbol;
    counts->visible += kind != kSpace;
  }
}

KeyCharCounts CountKeyChars(std::string_view key) {
  KeyCharCounts counts;
  size_t i = 0;
#if defined(__SSE2__)
  // Sixteen bytes a step: each byte of a tally counts the matches in its column (a match is
  // -1, subtracted), for at most 255 steps before the columns are summed.
  const auto* s = reinterpret_cast<const unsigned char*>(key.data());
  auto sum = [](__m128i tally) {
    const __m128i sums = _mm_sad_epu8(tally, _mm_setzero_si128());  // one per 8 columns
    return static_cast<size_t>(_mm_cvtsi128_si32(sums)) +
           static_cast<size_t>(_mm_extract_epi16(sums, 4));
  };
  while (key.size() - i >= 16) {
    const size_t steps = std::min<size_t>((key.size() - i) / 16, 255);
    __m128i letters = _mm_setzero_si128();
    __m128i leads = _mm_setzero_si128();
    __m128i symbols = _mm_setzero_si128();
    __m128i ascii = _mm_setzero_si128();
    __m128i spaces = _mm_setzero_si128();
    for (size_t step = 0; step < steps; ++step, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      // Signed compares: bytes 80..FF are the negative values -128..-1, C0..FF are -64..-1.
      const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
      letters = _mm_sub_epi8(letters, _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                                    _mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1))));
      leads = _mm_sub_epi8(leads, _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-65)),
                                                _mm_cmplt_epi8(v, _mm_setzero_si128())));
      // ( ) and < = differ in bit 0 only; { } in bit 5 from [ ].
      const __m128i or_1 = _mm_or_si128(v, _mm_set1_epi8(0x01));
      const __m128i brackets = _mm_andnot_si128(_mm_set1_epi8(0x20), v);
      const __m128i symbol = _mm_or_si128(
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(or_1, _mm_set1_epi8(')')),
                                    _mm_cmpeq_epi8(or_1, _mm_set1_epi8('='))),
                       _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('>')),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8(';')))),
          _mm_or_si128(_mm_cmpeq_epi8(brackets, _mm_set1_epi8('[')),
                       _mm_cmpeq_epi8(brackets, _mm_set1_epi8(']'))));
      symbols = _mm_sub_epi8(symbols, symbol);
      ascii = _mm_sub_epi8(ascii, _mm_cmpgt_epi8(v, _mm_set1_epi8(-1)));
      spaces = _mm_sub_epi8(spaces, _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
    }
    counts.ascii_letters += sum(letters);
    counts.non_ascii += sum(leads);
    counts.symbols += sum(symbols);
    counts.visible += sum(ascii) - sum(spaces);
  }
#endif
  CountKeyCharsBytewise(key.substr(i), &counts);
  return counts;
}

}  // namespace

CodeSignal ClassifyCodeLine(std::string_view key, size_t indent) {
  // A CJK sentence is prose whatever its punctuation (most body lines: no need to count).
  if (key.empty() || key.find("。") != std::string_view::npos) return CodeSignal::kProse;
  const KeyCharCounts counts = CountKeyChars(key);
  const size_t ascii_letters = counts.ascii_letters;
  const size_t non_ascii = counts.non_ascii;
  const size_t symbols = counts.symbols;
  const size_t visible = counts.visible + non_ascii;
  // So is a line that is mostly CJK text.
  if (non_ascii * 3 > visible) return CodeSignal::kProse;
  static constexpr std::string_view kStarters[] = {
      "#include", "#define", "#!/", "import ", "from ", "def ", "class ", "function ",
      "function(", "const ", "let ", "var ", "return ", "return;", "if (", "for (", "while (",
      "} else", "//", "/*", "*/", "$ ", "sudo ", "pip ", "pip3 ", "npm ", "yarn ", "git ",
      "docker ", "apt ", "apt-get ", "yum ", "cd ", "mkdir ", "SELECT ", "INSERT ", "UPDATE ",
      "CREATE ", "DELETE ", "public ", "private ", "protected ", "static ", "std::", "print(",
      "printf(", "console.", "<?php", "<template", "<script", "<div", "</", "int ", "void ",
      "fn ", "let mut ", "package ", "func ", "export ", "async ", "await ", "try {", "catch",
      "elif ", "else:", "@", "```"};
  for (std::string_view starter : kStarters) {
    if (!StartsWith(key, starter) || (ascii_letters == 0 && symbols == 0)) continue;
    // "from ", "class " and "@" open English prose too; they need code punctuation.
    if ((starter == "from " || starter == "class " || starter == "@") && symbols == 0 &&
        !EndsWith(key, ":")) {
      continue;
    }
    if (LooksLikeEnglishSentence(key)) continue;
    return CodeSignal::kStrong;
  }
  if (key == "}" || key == "};" || key == "{" || key == ")" || key == "});" || key == "]") {
    return CodeSignal::kStrong;
  }
  const bool code_end = EndsWith(key, ";") || EndsWith(key, "{") || EndsWith(key, "}") ||
                        EndsWith(key, "};") || EndsWith(key, ");") || EndsWith(key, " \\");
  if (code_end && symbols + (EndsWith(key, " \\") ? 1 : 0) > 0 && ascii_letters > 0) {
    return CodeSignal::kStrong;
  }
  if (indent >= 4 && !LooksLikeEnglishSentence(key)) return CodeSignal::kWeak;
  return CodeSignal::kProse;
}

void MarkCodeBlocks(const std::vector<BodyLineShape>& shapes, std::vector<BodyLine>* body) {
  std::vector<BodyLine>& lines = *body;
  const size_t n = std::min(lines.size(), shapes.size());
  for (size_t i = 0; i < n; ++i) {
    lines[i].is_code = !lines[i].text.empty() &&
                       (shapes[i].signal == CodeSignal::kStrong || shapes[i].fenced);
  }
  // An indented block (blank lines inside allowed) is code as a whole when at least half of
  // its lines are; its CJK sentences stay prose.
  for (size_t i = 0; i < n;) {
    if (lines[i].text.empty() || shapes[i].indent < 4) {
      ++i;
      continue;
    }
    size_t end = i;
    size_t last = i;
    size_t total = 0;
    size_t code = 0;
    while (end < n) {
      if (lines[end].text.empty()) {
        ++end;
        continue;
      }
      if (shapes[end].indent < 4) break;
      ++total;
      code += shapes[end].signal != CodeSignal::kProse;
      last = end;
      ++end;
    }
    if (code * 2 >= total) {
      for (size_t k = i; k <= last; ++k) {
        if (!lines[k].text.empty() && !shapes[k].cjk_sentence) lines[k].is_code = true;
      }
    }
    i = last + 1;
  }
  // A shell line continued with a backslash carries the next line along.
  for (size_t i = 0; i + 1 < n; ++i) {
    if (lines[i].is_code && EndsWith(lines[i].text, "\\") && !lines[i + 1].text.empty()) {
      lines[i + 1].is_code = true;
    }
  }
  // Text: prose trimmed; each run of code (blank lines inside) loses its common indentation.
  for (size_t i = 0; i < n;) {
    if (!lines[i].is_code) {
      // In place: the line keeps its buffer (a copy would be an allocation a body line).
      std::string& text = lines[i].text;
      const std::string_view kept = TrimSpace(text);
      const size_t start = static_cast<size_t>(kept.data() - text.data());
      text.erase(start + kept.size());
      text.erase(0, start);
      ++i;
      continue;
    }
    size_t end = i;
    size_t common = SIZE_MAX;
    size_t last = i;
    while (end < n && (lines[end].is_code || lines[end].text.empty())) {
      if (lines[end].is_code) {
        common = std::min(common, LeadingAsciiSpace(lines[end].text));
        last = end;
      }
      ++end;
    }
    for (size_t k = i; k <= last; ++k) {
      if (!lines[k].is_code) continue;
      std::string& text = lines[k].text;
      text.erase(0, std::min(common, LeadingAsciiSpace(text)));
      while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
    }
    i = last + 1;
  }
}

}  // namespace winnow

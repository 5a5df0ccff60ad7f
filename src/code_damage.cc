// Code damage signals on a small tokenizer of ASCII code: names, numbers, quoted strings and
// single punctuation characters. Anything else (CJK text, other symbols) ends the token it
// meets and is skipped.
#include "winnow/code_damage.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace winnow {
namespace {

enum class TokenKind { kName, kNumber, kString, kPunct };

struct Token {
  TokenKind kind;
  std::string_view text;
};

bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameChar(char c) { return IsNameStart(c) || IsDigit(c); }

// The end of the run of bytes past ASCII from `line[i]` on: the first ASCII byte, or the end.
size_t EndOfNonAscii(std::string_view line, size_t i) {
  const auto* s = reinterpret_cast<const unsigned char*>(line.data());
  const size_t n = line.size();
#if defined(__SSE2__)
  // Sixteen bytes a step: a CJK run is most of the bytes of a line that mixes code and text.
  for (; n - i >= 16; i += 16) {
    const auto past_ascii = static_cast<uint32_t>(
        _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i))));
    if (past_ascii != 0xFFFF) return i + static_cast<size_t>(__builtin_ctz(~past_ascii));
  }
#endif
  while (i < n && s[i] >= 0x80) ++i;
  return i;
}

// Replaces `*tokens_out` with the tokens of `line`.
void Tokenize(std::string_view line, std::vector<Token>* tokens_out) {
  std::vector<Token>& tokens = *tokens_out;
  tokens.clear();
  for (size_t i = 0; i < line.size();) {
    const char c = line[i];
    size_t end = i + 1;
    if (IsNameStart(c)) {
      while (end < line.size() && IsNameChar(line[end])) ++end;
      tokens.push_back({TokenKind::kName, line.substr(i, end - i)});
    } else if (IsDigit(c)) {
      while (end < line.size() && (IsNameChar(line[end]) || line[end] == '.')) ++end;
      tokens.push_back({TokenKind::kNumber, line.substr(i, end - i)});
    } else if (c == '\'' || c == '"' || c == '`') {
      while (end < line.size() && line[end] != c) end += line[end] == '\\' ? 2 : 1;
      end = std::min(end + 1, line.size());
      tokens.push_back({TokenKind::kString, line.substr(i, end - i)});
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      // Text outside ASCII makes no token: a run of it is skipped at once.
      end = EndOfNonAscii(line, end);
    } else if (c != ' ' && c != '\t') {
      tokens.push_back({TokenKind::kPunct, line.substr(i, 1)});
    }
    i = end;
  }
}

bool Is(const Token& token, std::string_view text) { return token.text == text; }

bool IsOneOf(std::string_view text, std::initializer_list<std::string_view> words) {
  for (std::string_view word : words) {
    if (text == word) return true;
  }
  return false;
}

// Words that may follow `let x` or `var x` without an `=` in valid code.
bool MayFollowDeclaredName(std::string_view text) {
  return IsOneOf(text, {"of", "in", "as", "is", "and", "or", "not"});
}

bool DeclarationLostAssignment(const std::vector<Token>& t) {
  for (size_t i = 0; i + 2 < t.size(); ++i) {
    if (t[i].kind != TokenKind::kName || t[i + 1].kind != TokenKind::kName) continue;
    // The keyword must start a statement: first on the line, or after `;` `{` `(` `}`.
    if (i > 0 && !(Is(t[i - 1], ";") || Is(t[i - 1], "{") || Is(t[i - 1], "(") ||
                   Is(t[i - 1], "}"))) {
      continue;
    }
    const Token& value = t[i + 2];
    const bool then_ok = i + 3 >= t.size() || Is(t[i + 3], ";") || Is(t[i + 3], ",") ||
                         Is(t[i + 3], ".") || Is(t[i + 3], "(") || Is(t[i + 3], "[");
    if (IsOneOf(t[i].text, {"let", "var"})) {
      const bool is_value = value.kind == TokenKind::kNumber ||
                            value.kind == TokenKind::kString ||
                            (value.kind == TokenKind::kName && !MayFollowDeclaredName(value.text));
      if (is_value && then_ok) return true;
    } else if (IsOneOf(t[i].text, {"int", "long", "short", "float", "double", "char", "bool",
                                   "size_t", "auto"})) {
      if (value.kind == TokenKind::kNumber && i + 3 < t.size() && Is(t[i + 3], ";")) {
        return true;
      }
    }
  }
  return false;
}

bool ForUpdateLostIncrement(const std::vector<Token>& t) {
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (!Is(t[i], "for") || !Is(t[i + 1], "(")) continue;
    int semicolons = 0;
    int depth = 0;
    for (size_t k = i + 2; k < t.size(); ++k) {
      if (Is(t[k], "(")) ++depth;
      if (Is(t[k], ")")) {
        if (depth == 0) {
          // `; i)`: the update clause is a bare name.
          if (semicolons == 2 && k >= 2 && t[k - 1].kind == TokenKind::kName &&
              Is(t[k - 2], ";")) {
            return true;
          }
          break;
        }
        --depth;
      }
      if (Is(t[k], ";") && depth == 0) ++semicolons;
    }
  }
  return false;
}

bool CxxVersionLostPlus(const std::vector<Token>& t) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].kind == TokenKind::kName && (Is(t[i], "C98") || Is(t[i], "C03"))) {
      if (i + 1 < t.size() && Is(t[i + 1], "+")) continue;
      return true;
    }
  }
  return false;
}

}  // namespace

namespace {

// HoldsCodeDamageWord's test at `line[i]`, an `f`, a `C` or a space (else false): `for`,
// `C98` and `C03` are found where they start, the other words at the space after them, told
// apart by their last letter.
bool CodeDamageWordAt(std::string_view line, size_t i) {
  const size_t n = line.size();
  auto ends_with = [line](size_t end, std::string_view word) {
    return end >= word.size() && line.compare(end - word.size(), word.size(), word) == 0;
  };
  switch (line[i]) {
    case 'f':
      if (n - i >= 3 && line[i + 1] == 'o' && line[i + 2] == 'r') return true;
      break;
    case 'C':
      if (n - i >= 3 && ((line[i + 1] == '9' && line[i + 2] == '8') ||
                         (line[i + 1] == '0' && line[i + 2] == '3'))) {
        return true;
      }
      break;
    case ' ':
      if (i == 0) break;
      switch (line[i - 1]) {
        case 't':
          if (ends_with(i, "let") || ends_with(i, "int") || ends_with(i, "short") ||
              ends_with(i, "float") || ends_with(i, "size_t")) {
            return true;
          }
          break;
        case 'r':
          if (ends_with(i, "var") || ends_with(i, "char")) return true;
          break;
        case 'g':
          if (ends_with(i, "long")) return true;
          break;
        case 'e':
          if (ends_with(i, "double")) return true;
          break;
        case 'l':
          if (ends_with(i, "bool")) return true;
          break;
        case 'o':
          if (ends_with(i, "auto")) return true;
          break;
        default:
          break;
      }
      break;
    default:
      break;
  }
  return false;
}

}  // namespace

bool HoldsCodeDamageWord(std::string_view line) {
  const size_t n = line.size();
  size_t i = 0;
#if defined(__SSE2__)
  const auto* s = reinterpret_cast<const unsigned char*>(line.data());
  // Sixteen bytes a step to the bytes a word is found at: most bytes of a line are none.
  for (; n - i >= 16; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    auto at = static_cast<uint32_t>(_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('f')),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('C'))),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')))));
    for (; at != 0; at &= at - 1) {
      if (CodeDamageWordAt(line, i + static_cast<size_t>(__builtin_ctz(at)))) return true;
    }
  }
#endif
  for (; i < n; ++i) {
    if (CodeDamageWordAt(line, i)) return true;
  }
  return false;
}

size_t FindCodeDamage(std::string_view line, std::vector<const char*>* signals) {
  signals->clear();
  if (!HoldsCodeDamageWord(line)) return 0;  // most lines hold none of the words
  // Code lines are long: the token buffer is kept from line to line (one per thread).
  static thread_local std::vector<Token> tokens;
  Tokenize(line, &tokens);
  const bool looks_like_code =
      line.find(';') != std::string_view::npos || line.find('{') != std::string_view::npos;
  if (looks_like_code && DeclarationLostAssignment(tokens)) {
    signals->push_back("declaration-lost-=");
  }
  if (ForUpdateLostIncrement(tokens)) signals->push_back("for-update-lost-++");
  if (CxxVersionLostPlus(tokens)) signals->push_back("c++-version-lost-+");
  return signals->size();
}

bool MayShowCodeDamage(std::string_view line) {
  // The declaration signal looks only at lines with `;` or `{`, the for-update signal counts
  // two `;`, and the version signal is a name. memchr is far quicker than a loop over bytes.
  const char* const begin = line.data();
  const size_t n = line.size();
  if (std::memchr(begin, ';', n) != nullptr || std::memchr(begin, '{', n) != nullptr) return true;
  for (const char* p = begin; n - static_cast<size_t>(p - begin) >= 3; ++p) {
    p = static_cast<const char*>(std::memchr(p, 'C', n - static_cast<size_t>(p - begin) - 2));
    if (p == nullptr) return false;
    if ((p[1] == '9' && p[2] == '8') || (p[1] == '0' && p[2] == '3')) return true;
  }
  return false;
}

}  // namespace winnow

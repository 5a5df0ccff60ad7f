#include "winnow/rule_file.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

namespace winnow {

// Defined in the build directory's generated/builtin_rules.cc (cmake/embed_text.cmake).
extern const char kBuiltinRuleText[];
extern const std::size_t kBuiltinRuleTextSize;

namespace {

using Json = nlohmann::json;

constexpr const char* kFileKeys[] = {"rules"};
constexpr const char* kRuleKeys[] = {"id",          "scope",    "action", "pattern",
                                     "description", "examples", "enabled"};
constexpr const char* kExampleKeys[] = {"match", "keep"};

constexpr RuleScope kScopes[] = {RuleScope::kHead, RuleScope::kBody, RuleScope::kTail,
                                 RuleScope::kTitle, RuleScope::kAny};
constexpr RuleAction kActions[] = {RuleAction::kDropLine,  RuleAction::kDropBlock,
                                   RuleAction::kStartTail, RuleAction::kEndBody,
                                   RuleAction::kStartPage, RuleAction::kDropRecord,
                                   RuleAction::kStripMatch};

std::vector<std::string> ScopeNames() {
  std::vector<std::string> names;
  for (RuleScope scope : kScopes) names.push_back(RuleScopeName(scope));
  return names;
}

std::vector<std::string> ActionNames() {
  std::vector<std::string> names;
  for (RuleAction action : kActions) names.push_back(RuleActionName(action));
  return names;
}

template <size_t N>
std::vector<std::string> Names(const char* const (&list)[N]) {
  return std::vector<std::string>(list, list + N);
}

// Levenshtein distance over bytes; names here are short ASCII words.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates) {
  const std::string* closest = nullptr;
  size_t best = 0;
  for (const std::string& candidate : candidates) {
    size_t distance = EditDistance(name, candidate);
    if (closest == nullptr || distance < best) {
      closest = &candidate;
      best = distance;
    }
  }
  // A suggestion is worth making only when the name is a plausible typo of it.
  if (closest != nullptr && best < closest->size() &&
      best <= std::max<size_t>(2, closest->size() / 3)) {
    return *closest;
  }
  return std::string();
}

namespace {

// "unknown scope 'haed'; did you mean 'head'? valid scopes: head, body, tail, title, any"
// (the suggestion only for a likely typo).
std::string UnknownName(const char* what, std::string_view name,
                        const std::vector<std::string>& valid) {
  std::string message = std::string("unknown ") + what + " '" + std::string(name) + "';";
  const std::string closest = ClosestName(name, valid);
  if (!closest.empty()) message += " did you mean '" + closest + "'?";
  message += std::string(" valid ") + what + "s:";
  for (size_t i = 0; i < valid.size(); ++i) {
    message += (i == 0 ? " " : ", ") + valid[i];
  }
  return message;
}

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// ^[a-z0-9]+(\.[a-z0-9-]+)+$
bool IsValidId(std::string_view id) {
  size_t i = 0;
  while (i < id.size() && IsLowerAlnum(id[i])) ++i;
  if (i == 0) return false;
  size_t segments = 0;
  while (i < id.size()) {
    if (id[i] != '.') return false;
    size_t start = ++i;
    while (i < id.size() && (IsLowerAlnum(id[i]) || id[i] == '-')) ++i;
    if (i == start) return false;
    ++segments;
  }
  return segments > 0;
}

// Turns nlohmann's byte position (1-based index of the last byte read, size + 1 at the end
// of input) into "line:column", the column counted in characters.
std::string LineColumn(std::string_view text, size_t byte) {
  size_t offset = std::min(byte > 0 ? byte - 1 : 0, text.size());
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < offset; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line 1, column 2:
// syntax error ..."; the location is reported our way, so keep only the cause.
std::string ParseErrorCause(const char* what) {
  std::string_view message(what);
  size_t at = message.find("parse error");
  if (at != std::string_view::npos) {
    size_t colon = message.find(": ", at);
    if (colon != std::string_view::npos) return std::string(message.substr(colon + 2));
  }
  return std::string(message);
}

// Collects the context of a rule's errors: "origin: rule 'id': " or "origin: rule #n: ".
class RuleErrors {
 public:
  RuleErrors(const std::string& origin, size_t number, std::string* error)
      : origin_(origin), number_(number), error_(error) {}

  void set_id(const std::string& id) { id_ = id; }

  bool Fail(const std::string& message) const {
    std::string where = id_.empty() ? "rule #" + std::to_string(number_) : "rule '" + id_ + "'";
    *error_ = origin_ + ": " + where + ": " + message;
    return false;
  }

 private:
  const std::string& origin_;
  size_t number_;
  std::string* error_;
  std::string id_;
};

bool CheckKeys(const Json& object, const std::vector<std::string>& valid, const char* what,
               const RuleErrors& errors) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (std::find(valid.begin(), valid.end(), it.key()) == valid.end()) {
      return errors.Fail(UnknownName(what, it.key(), valid));
    }
  }
  return true;
}

// Reads an optional string member. Returns false (error set) when present but not a string.
bool OptionalString(const Json& object, const char* key, std::string* value,
                    const RuleErrors& errors) {
  auto it = object.find(key);
  if (it == object.end()) return true;
  if (!it->is_string()) {
    return errors.Fail(std::string("\"") + key + "\" must be a string, not " + it->type_name());
  }
  *value = it->get<std::string>();
  return true;
}

bool RequiredString(const Json& object, const char* key, std::string* value,
                    const RuleErrors& errors) {
  if (object.find(key) == object.end()) {
    return errors.Fail(std::string("missing required key \"") + key + "\"");
  }
  return OptionalString(object, key, value, errors);
}

bool ParseExampleList(const Json& examples, const char* key, std::vector<std::string>* list,
                      const RuleErrors& errors) {
  auto it = examples.find(key);
  if (it == examples.end()) return true;
  bool ok = it->is_array();
  for (size_t i = 0; ok && i < it->size(); ++i) ok = (*it)[i].is_string();
  if (!ok) {
    return errors.Fail(std::string("\"examples.") + key + "\" must be an array of strings");
  }
  for (const Json& line : *it) list->push_back(line.get<std::string>());
  return true;
}

bool ParseExamples(const Json& rule_object, RuleExamples* examples, const RuleErrors& errors) {
  auto it = rule_object.find("examples");
  if (it == rule_object.end()) return true;
  if (!it->is_object()) {
    return errors.Fail(std::string("\"examples\" must be an object, not ") + it->type_name());
  }
  return CheckKeys(*it, Names(kExampleKeys), "example key", errors) &&
         ParseExampleList(*it, "match", &examples->match, errors) &&
         ParseExampleList(*it, "keep", &examples->keep, errors);
}

bool ParseRule(const Json& object, RuleErrors* errors, Rule* rule) {
  if (!object.is_object()) {
    return errors->Fail(std::string("expected an object, not ") + object.type_name());
  }
  // Unknown keys first: a misspelt "pattern" (or "id") is reported as such, not as missing.
  auto id = object.find("id");
  if (id != object.end() && id->is_string() && IsValidId(id->get<std::string>())) {
    errors->set_id(id->get<std::string>());
  }
  if (!CheckKeys(object, Names(kRuleKeys), "key", *errors)) return false;
  if (!RequiredString(object, "id", &rule->id, *errors)) return false;
  if (!IsValidId(rule->id)) {
    return errors->Fail("invalid id '" + rule->id +
                        "': ids are dotted lowercase names such as 'nav.breadcrumb'");
  }

  std::string action;
  if (!RequiredString(object, "action", &action, *errors)) return false;
  if (!ParseRuleAction(action, &rule->action)) {
    return errors->Fail(UnknownName("action", action, ActionNames()));
  }
  std::string scope = RuleScopeName(RuleScope::kAny);
  if (!OptionalString(object, "scope", &scope, *errors)) return false;
  if (!ParseRuleScope(scope, &rule->scope)) {
    return errors->Fail(UnknownName("scope", scope, ScopeNames()));
  }
  // The splitter strips only title lines, and a title rule has nothing else to do.
  bool strips = rule->action == RuleAction::kStripMatch;
  if (strips && rule->scope != RuleScope::kTitle) {
    return errors->Fail("action 'strip-match' needs scope 'title'");
  }
  if (!strips && rule->scope == RuleScope::kTitle) {
    return errors->Fail("scope 'title' takes only action 'strip-match'");
  }
  if (!RequiredString(object, "pattern", &rule->pattern, *errors)) return false;
  if (rule->pattern.empty()) return errors->Fail("\"pattern\" must not be empty");
  if (!OptionalString(object, "description", &rule->description, *errors)) return false;
  auto enabled = object.find("enabled");
  if (enabled != object.end()) {
    if (!enabled->is_boolean()) {
      return errors->Fail(std::string("\"enabled\" must be true or false, not ") +
                          enabled->type_name());
    }
    rule->enabled = enabled->get<bool>();
  }
  return ParseExamples(object, &rule->examples, *errors);
}

bool FileError(const std::string& origin, const std::string& message, std::string* error) {
  *error = origin + ": " + message;
  return false;
}

}  // namespace

bool ParseRuleFile(std::string_view text, const std::string& origin, std::vector<Rule>* rules,
                   std::string* error) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());

  Json root;
  try {
    root = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    *error = origin + ":" + LineColumn(text, e.byte) + ": " + ParseErrorCause(e.what());
    return false;
  } catch (const Json::out_of_range& e) {
    // A number too large for a double (`1E400`): nlohmann reports it without a position.
    std::string_view cause(e.what());
    const size_t bracket = cause.find("] ");
    if (bracket != std::string_view::npos) cause.remove_prefix(bracket + 2);
    *error = origin + ": " + std::string(cause);
    return false;
  }

  if (!root.is_object()) {
    return FileError(origin, "expected an object with a \"rules\" array, not " +
                                 std::string(root.type_name()), error);
  }
  std::vector<std::string> file_keys = Names(kFileKeys);
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (std::find(file_keys.begin(), file_keys.end(), it.key()) == file_keys.end()) {
      return FileError(origin, UnknownName("key", it.key(), file_keys), error);
    }
  }
  auto list = root.find("rules");
  if (list == root.end()) return FileError(origin, "missing required key \"rules\"", error);
  if (!list->is_array()) {
    return FileError(origin, "\"rules\" must be an array, not " +
                                 std::string(list->type_name()), error);
  }

  std::vector<Rule> parsed;
  std::map<std::string, size_t> number_by_id;
  for (size_t i = 0; i < list->size(); ++i) {
    size_t number = i + 1;
    RuleErrors errors(origin, number, error);
    Rule rule;
    rule.origin = origin;
    if (!ParseRule((*list)[i], &errors, &rule)) return false;
    auto inserted = number_by_id.emplace(rule.id, number);
    if (!inserted.second) {
      return errors.Fail("duplicate id, rules #" + std::to_string(inserted.first->second) +
                         " and #" + std::to_string(number));
    }
    parsed.push_back(std::move(rule));
  }
  rules->insert(rules->end(), std::make_move_iterator(parsed.begin()),
                std::make_move_iterator(parsed.end()));
  return true;
}

std::string_view BuiltinRuleText() {
  return std::string_view(kBuiltinRuleText, kBuiltinRuleTextSize);
}

bool LoadBuiltinRules(std::vector<Rule>* rules, std::string* error) {
  return ParseRuleFile(BuiltinRuleText(), "builtin", rules, error);
}

}  // namespace winnow

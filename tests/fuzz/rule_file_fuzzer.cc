// Fuzzes the rule-file parser and the rule compiler: any text either parses into rules that
// compile, or is refused with a message; nothing crashes or hangs.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "winnow/rule_engine.h"
#include "winnow/rule_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using winnow::fuzz::Require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<winnow::Rule> rules;
  std::string error;
  if (!winnow::ParseRuleFile(text, "fuzz.json", &rules, &error)) {
    Require(!error.empty(), "a refused file says why");
    return 0;
  }
  std::unique_ptr<winnow::RuleEngine> engine = winnow::RuleEngine::Compile(rules, &error);
  if (engine == nullptr) {
    Require(!error.empty(), "a rule that does not compile says why");
    return 0;
  }
  for (const winnow::Rule& rule : engine->rules()) {
    for (const std::string& example : rule.examples.match) {
      engine->Match(example, winnow::RuleScope::kBody);
    }
  }
  return 0;
}

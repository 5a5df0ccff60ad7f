#include "winnow/mojibake.h"

#include <gtest/gtest.h>

#include <string>

namespace winnow {
namespace {

std::string Repair(const std::string& text) {
  MojibakeRepairer repairer;
  std::string out;
  repairer.Repair(text, &out);
  return out;
}

TEST(Mojibake, OpensItsConverters) { EXPECT_TRUE(MojibakeRepairer().ok()); }

}  // namespace
}  // namespace winnow

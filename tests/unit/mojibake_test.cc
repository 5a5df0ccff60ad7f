#include "winnow/mojibake.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace winnow {
namespace {

struct Case {
  const char* input;
  const char* expected;
};

size_t Repair(const std::string& text, std::string* out) {
  MojibakeRepairer repairer;
  return repairer.Repair(text, out);
}

void ExpectRepairs(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    std::string out;
    EXPECT_GT(Repair(c.input, &out), 0u) << c.input;
    EXPECT_EQ(out, c.expected) << c.input;
    std::string again;
    EXPECT_EQ(Repair(out, &again), 0u) << "not idempotent: " << c.input;
  }
}

void ExpectUnchanged(const std::vector<const char*>& inputs) {
  for (const char* input : inputs) {
    std::string out;
    EXPECT_EQ(Repair(input, &out), 0u) << input;
    EXPECT_EQ(out, input);
  }
}

TEST(Mojibake, OpensItsConverters) { EXPECT_TRUE(MojibakeRepairer().ok()); }

TEST(Mojibake, RepairsUtf8ReadAsWindows1252) {
  ExpectRepairs({
      {"doesnâ€™t", "doesn’t"},
      {"cafÃ© au lait", "café au lait"},
      {"â€œquotedâ€\xC2\x9D", "“quoted”"},  // the undefined byte 9D kept as a C1 control
      {"NicolÃ¡s", "Nicolás"},
      {"voilÃ\xC2\xA0 tout", "voilà tout"},
      {"âœ” No problems", "✔ No problems"},
      {"Ningboï¼ŒChina", "Ningbo，China"},
  });
}

TEST(Mojibake, RepairsTextThatWentThroughAWrongDecodeTwice) {
  ExpectRepairs({{"Iggy Pop (nÃƒÂ© Jim Osterberg)", "Iggy Pop (né Jim Osterberg)"},
                 {"The Mona Lisa doesnÃƒÂ¢Ã¢â€šÂ¬Ã¢â€žÂ¢t have eyebrows.",
                  "The Mona Lisa doesn’t have eyebrows."}});
}

TEST(Mojibake, RepairsOtherSingleByteCodecs) {
  ExpectRepairs({
      {"РґРѕСЂРѕРіРµ", "дороге"},            // windows-1251
      {"LiĂ¨ge Avenue de l'HĂ´pital", "Liège Avenue de l'Hôpital"},  // windows-1250
      {"wei√ü", "weiß"},                      // Mac OS Roman
      {"#╨┐╤Ç╨░╨▓╨╕╨╗╤î╨╜╨╛╨╡", "#правильное"},  // IBM 437
  });
}

TEST(Mojibake, RepairsCesu8SurrogatePairs) {
  ExpectRepairs({{"Hi guys \xC3\xAD\xC2\xA0\xC2\xBD\xC3\xAD\xC2\xB8\xC2\x8D", "Hi guys 😍"}});
}

TEST(Mojibake, MapsLeftoverC1ControlsToWindows1252) {
  ExpectRepairs({{"\xC2\x84Handwerk\xC2\x93", "„Handwerk“"}});
}

TEST(Mojibake, RepairsUtf8ReadAsGbk) {
  ExpectRepairs({
      {"鍙傛暟", "参数"},
      {"鍙傛暟璁剧疆", "参数设置"},
      {"请检查鍙傛暟璁剧疆后重试", "请检查参数设置后重试"},
  });
}

TEST(Mojibake, LeavesChineseTextAlone) {
  ExpectUnchanged({
      "本文接着上一篇，基于开源代码（GitHub）分析。",
      "繁體中文測試，這是一段正常的文字。",
      "當前位置：首頁 > 資料庫 > 正文",
      "“引号”……——《书名》【推荐】",
      "点赞👍关注💡收藏💖",
  });
}

// Short runs that could be either are not guessed at (ftfy's own negative cases).
TEST(Mojibake, LeavesAmbiguousShortRunsAlone) {
  ExpectUnchanged({"Bremer/Mccoy – DrÃ¥ber", "There are a lot of Ã’s in mojibake text",
                   "NESTLÉ®", "RETWEET SE VOCÊ…", "ВІКІ is Ukrainian for WIKI", "(-1/2)! = √π",
                   "├┤a┼┐a┼┐a┼┐a┼┐a", "C O N C L U S Ã O", "浣犲ソ", "Offering 5×£35 pin ups"});
}

TEST(Mojibake, LeavesIllFormedInputAlone) {
  ExpectUnchanged({"caf\xC3", "\xFF\xFEÃ©"});
}

TEST(Mojibake, HasAFastPathForPlainText) {
  MojibakeRepairer repairer;
  EXPECT_FALSE(repairer.MayContainMojibake("plain ASCII text"));
  EXPECT_FALSE(repairer.MayContainMojibake("本文接着上一篇，基于开源代码分析。"));
  EXPECT_TRUE(repairer.MayContainMojibake("cafÃ©"));
  EXPECT_TRUE(repairer.MayContainMojibake("鍙傛暟"));
}

}  // namespace
}  // namespace winnow

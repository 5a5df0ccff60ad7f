#include "winnow/mojibake.h"

#include <gtest/gtest.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

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

// UTF-8 text read as GBK, by ICU here, for sentences whose UTF-8 bytes fall on many rows
// and columns of the GBK table (which the repairer reads from ICU a row at a time).
TEST(Mojibake, RepairsUtf8ReadAsGbkOfManyCharacters) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* gbk = ucnv_open("GBK", &status);
  ASSERT_TRUE(U_SUCCESS(status));
  // Each cut to an even number of characters, so that their UTF-8 bytes pair up into GBK
  // characters; none has a character that GBK reads as a one-byte `€` (trail byte 80).
  const std::vector<std::string> sentences = {
      "请检查参数设置后重试",       "在服务器上安装依赖之前先更新系统",
      "这篇文章介绍了网络协议的基本原理", "数据库连接池的配置说明",
      "我们用线程池来处理并发",     "缓存失效以后重新读取",
      "编译器会在链接阶段报错",     "容器镜像的体积越小越好",
      "分布式系统中的节点故障"};
  size_t repaired = 0;
  for (const std::string& whole : sentences) {
    const std::string sentence = whole.substr(0, whole.size() / 6 * 6);
    std::vector<UChar> chars(sentence.size() + 1);
    status = U_ZERO_ERROR;
    const int32_t n = ucnv_toUChars(gbk, chars.data(), static_cast<int32_t>(chars.size()),
                                    sentence.data(), static_cast<int32_t>(sentence.size()),
                                    &status);
    ASSERT_TRUE(U_SUCCESS(status)) << sentence;
    std::string misread;
    icu::UnicodeString(chars.data(), n).toUTF8String(misread);
    std::string out;
    if (Repair(misread, &out) > 0 && out == sentence) ++repaired;
  }
  ucnv_close(gbk);
  EXPECT_EQ(repaired, sentences.size());
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

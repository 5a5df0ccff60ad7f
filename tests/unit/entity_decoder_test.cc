#include "winnow/entity_decoder.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "differential_inputs.h"

namespace winnow {
namespace {

struct Case {
  const char* input;
  const char* expected;
};

std::string Decode(std::string_view input, const EntityDecodeOptions& options) {
  std::string out;
  DecodeEntities(input, options, &out);
  return out;
}

std::string Scrape(std::string_view input) { return Decode(input, EntityDecodeOptions{}); }

std::string Html5(std::string_view input) {
  EntityDecodeOptions options;
  options.mode = EntityMode::kHtml5;
  return Decode(input, options);
}

EntityDecodeOptions AboutEscaping() {
  EntityDecodeOptions options;
  options.text_about_escaping = true;
  return options;
}

EntityDecodeOptions Folding() {
  EntityDecodeOptions options;
  options.fold_decoded_fullwidth = true;
  return options;
}

// Runs a table under `options`, and checks that decoding the output again changes nothing.
void ExpectCases(const std::vector<Case>& cases, const EntityDecodeOptions& options) {
  for (const Case& c : cases) {
    const std::string once = Decode(c.input, options);
    EXPECT_EQ(once, c.expected) << "input: " << c.input;
    EXPECT_EQ(Decode(once, options), once) << "not idempotent; input: " << c.input;
  }
}

// Inputs that scrape mode must leave exactly as they are.
void ExpectUnchanged(const std::vector<const char*>& inputs, const EntityDecodeOptions& options) {
  for (const char* input : inputs) {
    std::string out;
    EXPECT_EQ(DecodeEntities(input, options, &out), 0u) << "input: " << input;
    EXPECT_EQ(out, input);
  }
}

// --- numeric references ------------------------------------------------------------------

// What ContextFreeThreeByteReferenceAt accepts, the scrape decoder turns into that character
// in every context; what it refuses is left to the decoder.
TEST(ContextFreeThreeByteReferenceAt, AcceptsOnlyWhatTheDecoderDecodesAnywhere) {
  const std::vector<std::string> references = {
      "&#xff0c;", "&#XFF0C;", "&#65292;", "&#x0000ff0c;", "&#x800;", "&#xffff;", "&#xd7ff;",
      "&#xff0c", "&#x7ff;", "&#xd800;", "&#xdfff;", "&#x10000;", "&#xffffffffffff;", "&#;",
      "&#x;", "&#x26;", "&amp;", "&nbsp;", "&#12290;", "#xff0c;", "&", "&#0000065292;",
      "&#x00000000000000000000ff0c;", "&#xfffff0c;", "&#2047;", "&#2048;", "&#65536;",
      "&#x0ff0c", "&#x0ff0c "};
  const std::vector<std::pair<std::string, std::string>> contexts = {
      {"", ""}, {"a", "b"}, {"&", "x"}, {"&#3", "8 "}, {"&amp;", ";"}, {"#x", "1;"},
      {"\xE4\xB8\xAD ", " \xE6\x96\x87"}, {"&#xD83D;", "&#xDE00;"}, {"", "\xE2\x80\xA6..."}};
  EntityDecodeOptions scrape;
  int accepted = 0;
  for (const std::string& reference : references) {
    size_t end = 0;
    const int32_t c = ContextFreeThreeByteReferenceAt(reference, 0, &end);
    if (c < 0) continue;
    ++accepted;
    EXPECT_EQ(end, reference.size()) << reference;
    std::string character;
    character += static_cast<char>(0xE0 | (c >> 12));
    character += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    character += static_cast<char>(0x80 | (c & 0x3F));
    for (const auto& [before, after] : contexts) {
      const std::string text = before + reference + after;
      size_t at_end = 0;
      ASSERT_EQ(ContextFreeThreeByteReferenceAt(text, before.size(), &at_end), c) << text;
      EXPECT_EQ(at_end, before.size() + reference.size());
      // Decoding the text around it as well, the reference becomes its character.
      EXPECT_EQ(Decode(text, scrape), Decode(before, scrape) + character + Decode(after, scrape))
          << text;
    }
  }
  EXPECT_EQ(accepted, 11);
}

TEST(EntityDecoder, DecodesNumericReferencesInEveryForm) {
  ExpectCases({
                  {"你好&#xff0c;世界", "你好，世界"},
                  {"你好&#XFF0C;世界", "你好，世界"},
                  {"你好&#xFF0C;世界", "你好，世界"},
                  {"你好&#65292;世界", "你好，世界"},
                  {"注意&#xff1a;这里&#xff08;括号&#xff09;&#xff01;&#xff1f;",
                   "注意：这里（括号）！？"},
                  {"火&#x1f525;", "火🔥"},
                  {"it&#39;s", "it's"},
                  {"&#0065;&#x0041;", "AA"},
                  {"&#150;", "\xE2\x80\x93"},  // windows-1252 en dash
                  {"&#x80;", "\xE2\x82\xAC"},  // euro sign
                  {"&#x81;", "\xC2\x81"},      // kept as a C1 control
              },
              EntityDecodeOptions{});
}

TEST(EntityDecoder, JoinsASurrogatePairWrittenAsTwoReferences) {
  ExpectCases({
                  {"&#55357;&#56613;", "🔥"},
                  {"点赞&#xD83D;&#xDC4D;", "点赞👍"},
                  {"&#xd83d;&#xdd25;&#xd83d;&#xdd25;", "🔥🔥"},
              },
              EntityDecodeOptions{});
  std::string out;
  EXPECT_EQ(DecodeEntities("&#55357;&#56613;", EntityDecodeOptions{}, &out), 1u);
}

TEST(EntityDecoder, ReplacesInvalidNumericValuesWithReplacementCharacter) {
  ExpectCases({
                  {"&#55357;", "\xEF\xBF\xBD"},           // lone high surrogate
                  {"&#56613;", "\xEF\xBF\xBD"},           // lone low surrogate
                  {"&#55357;x", "\xEF\xBF\xBDx"},
                  {"&#56613;&#55357;", "\xEF\xBF\xBD\xEF\xBF\xBD"},  // wrong order
                  {"&#0;", "\xEF\xBF\xBD"},
                  {"&#x110000;", "\xEF\xBF\xBD"},
                  {"&#99999999999999999999;", "\xEF\xBF\xBD"},
              },
              EntityDecodeOptions{});
}

TEST(EntityDecoder, SurvivesHugeDigitStrings) {
  for (const char* prefix : {"&#", "&#x"}) {
    std::string input = std::string(prefix) + std::string(100000, '9') + ";tail";
    EXPECT_EQ(Scrape(input), "\xEF\xBF\xBDtail");
    EXPECT_EQ(Html5(input), "\xEF\xBF\xBDtail");
  }
}

TEST(EntityDecoder, LeavesNumericReferencesWithoutDigitsAsWritten) {
  ExpectUnchanged({"&#", "&#x", "&#x;", "&#;", "&#X;", "&#xg;", "a &# b", "&#&#x"},
                  EntityDecodeOptions{});
}

TEST(EntityDecoder, DecodesNumericReferencesWithoutSemicolonInsideText) {
  ExpectCases({
                  {"it&#39s", "it's"},
                  {"&#65292 后面", "， 后面"},
                  {"&#x4e2d文", "中文"},
                  {"&#150 ", "\xE2\x80\x93 "},
                  {"a&#10b", "a\nb"},
              },
              EntityDecodeOptions{});
}

TEST(EntityDecoder, KeepsNumericReferencesWithoutSemicolonToNonText) {
  ExpectUnchanged({"not an entity &#20x6;", "&#1x", "&#x7f ", "&#x81 ", "&#xffff ",
                   "&#xfdd0 ", "&#0 ", "&#xd800 ", "&#99999999 "},
                  EntityDecodeOptions{});
  EXPECT_EQ(Html5("not an entity &#20x6;"), "not an entity \x14x6;");
}

TEST(EntityDecoder, KeepsNumericReferencesCutByATeaser) {
  ExpectUnchanged({
                      "本文介绍了&#xff0…...",
                      "本文介绍了&#xff0...",
                      "本文介绍了&#xff0…",
                      "本文介绍了&#xff0",
                      "本文介绍了&#6529",
                      "第一行&#xff0\n第二行",
                      "第一行&#xff0\r\n第二行",
                      "&#x1f5…...",
                      "&#x4e2…",      // U+04E2, cut from &#x4e2d;
                      "&#6529…",      // U+1981, cut from &#65292;
                      "&#65…",
                  },
                  EntityDecodeOptions{});
}

// Found by tests/fuzz/repair_fuzzer: decoding `&#56` to `8` after the kept `&#3` wrote
// `&#38`, which the next pass read as `&`.
TEST(EntityDecoder, KeepsReferencesThatWouldJoinAKeptOne) {
  ExpectCases({
                  {"&#3&#56 x", "&#3&#56 x"},
                  {"&#&#120;ff0c;", "&#&#120;ff0c;"},
                  {"&#3&#59;", "&#3&#59;"},
                  {"&nbsp;&#49;", "\xC2\xA0" "1"},
                  {"&#3 &#56;", "&#3 8"},
              },
              EntityDecodeOptions{});
  ExpectCases({{"#xff1f#xff1B;af0", "#xff1f#xff1B;af0"}, {"#xff1f #xff1B;", "#xff1f ;"}},
              Folding());
}

TEST(EntityDecoder, DecodesTeaserCutsThatEndAWholeCjkOrEmojiValue) {
  ExpectCases({
                  {"无要求&#xff0c…...", "无要求，…..."},
                  {"&#x4e2d…", "中…"},
                  {"&#65292...", "，..."},
                  {"火&#x1f525", "火🔥"},
              },
              EntityDecodeOptions{});
}

TEST(EntityDecoder, Html5ModeDecodesTeaserCutsAsTheSpecSays) {
  EXPECT_EQ(Html5("&#xff0…..."), "\xE0\xBF\xB0…...");  // U+0FF0
  EXPECT_EQ(Html5("&#6529"), "\xE1\xA6\x81");           // U+1981
}

// --- named references --------------------------------------------------------------------

TEST(EntityDecoder, DecodesNamedReferencesWithSemicolonFromTheFullTable) {
  ExpectCases({
                  {"a&nbsp;b", "a\xC2\xA0" "b"},
                  {"&quot;hi&quot;", "\"hi\""},
                  {"&lt;div&gt;", "<div>"},
                  {"Tom &amp; Jerry", "Tom & Jerry"},
                  {"等等&hellip;", "等等…"},
                  {"&ldquo;引用&rdquo;", "“引用”"},
                  {"&CounterClockwiseContourIntegral;", "∳"},
                  {"&notin;", "∉"},
                  {"&zwj;", "\xE2\x80\x8D"},
                  {"&NotNestedGreaterGreater;", "⪢̸"},  // two code points
                  {"x&reg;", "x®"},
              },
              EntityDecodeOptions{});
}

TEST(EntityDecoder, KeepsUnknownNames) {
  ExpectUnchanged({"&current_value;", "&foo;", "&NBSP;", "&rrrraannddom;", "&zwj", "& nbsp;",
                   "&;", "&"},
                  EntityDecodeOptions{});
}

TEST(EntityDecoder, DecodesLegacyNamesThatStandAlone) {
  ExpectCases({
                  {"&copy 2023", "© 2023"},
                  {"&copy版权所有", "©版权所有"},
                  {"a &lt b", "a < b"},
                  {"&nbsp&nbsp缩进", "\xC2\xA0\xC2\xA0缩进"},
                  {"&copy", "©"},
                  {"价格&pound 5", "价格£ 5"},
              },
              EntityDecodeOptions{});
}

TEST(EntityDecoder, KeepsUrlQueryParameters) {
  ExpectUnchanged({
                      "?a=1&copy=2&not=3",
                      "https://example.com/s?a=1&copy=2&not=3",
                      "https://example.com/s?q=&copy",
                      "https://example.com/s?q=x+&reg",
                      "/list?page&not",
                      "?a=1&lt&gt",
                  },
                  EntityDecodeOptions{});
}

TEST(EntityDecoder, KeepsLegacyNamesInsideIdentifiersAndCode) {
  ExpectUnchanged({
                      "R&D", "A&B", "AT&T", "&&", "a && b", "make & make install",
                      "x&copy y",              // after a letter
                      "&copyright",            // followed by a letter
                      "&copy_x", "&copy2",     // identifier characters
                      "read_reg(&reg)",        // address-of in code
                      "memcpy(&copy, src, n)",
                      "&not->next", "&para.x", "&deg[0]",
                      "&notit",                // `not` is a prefix of a longer word
                  },
                  EntityDecodeOptions{});
}

TEST(EntityDecoder, Html5ModeDecodesLegacyNamesAsTheSpecSays) {
  EXPECT_EQ(Html5("?a=1&copy=2&not=3"), "?a=1©=2¬=3");
  EXPECT_EQ(Html5("&notit;"), "¬it;");
  EXPECT_EQ(Html5("&copyright"), "©right");
  EXPECT_EQ(Html5("&current_value;"), "¤t_value;");
}

// --- the lost `&` ------------------------------------------------------------------------

TEST(EntityDecoder, RestoresALostAmpersandBeforeCjkReferences) {
  ExpectCases({
                  {"注意#xff1a;这里", "注意：这里"},
                  {"你好#xFF0C;世界", "你好，世界"},
                  {"结束#x3002;", "结束。"},
                  {"#x4e2d;文", "中文"},
                  {"#x201c;引号#x201d;", "“引号”"},
                  {"hello#xff0c;world", "hello，world"},
              },
              EntityDecodeOptions{});
}

TEST(EntityDecoder, KeepsHashSignsThatAreNotLostReferences) {
  ExpectUnchanged({
                      "#define MAX 10",
                      "color: #fff;",
                      "issue #123",
                      "#65292;",     // decimal: too common as plain text
                      "#x41;",       // not CJK
                      "#x1f525;",    // an emoji, not CJK
                      "#xff1a",      // no semicolon
                      "#x;",
                      "## 标题",
                      "#include <iostream>",
                  },
                  EntityDecodeOptions{});
}

TEST(EntityDecoder, Html5ModeLeavesLostAmpersandsAlone) {
  EXPECT_EQ(Html5("注意#xff1a;这里"), "注意#xff1a;这里");
}

// --- double escapes ----------------------------------------------------------------------

TEST(EntityDecoder, DecodesDoubleEscapesAllTheWay) {
  ExpectCases({
                  {"&amp;#xff0c;", "，"},
                  {"&amp;lt;", "<"},
                  {"&amp;amp;lt;", "<"},
                  {"&amp;amp;amp;", "&"},
                  {"&amp;quot;x&amp;quot;", "\"x\""},
                  {"&amp;nbsp;", "\xC2\xA0"},
                  {"&#38;lt;", "<"},
                  {"&#x26;#39;", "'"},
                  {"&#38amp 符号", "& 符号"},  // a layer without `;` (found by random testing)
                  {"&amp;#55357;&amp;#56613;", "\xEF\xBF\xBD\xEF\xBF\xBD"},
                  {"&#35;xff0c;", "，"},
                  {"A &amp; B", "A & B"},
                  {"R&amp;D", "R&D"},
                  {"a &amp;&amp; b", "a && b"},
                  {"?a=1&amp;copy=2", "?a=1&copy=2"},
                  {"&amp;copy 2023", "© 2023"},
                  {"&amp;foo;", "&foo;"},
                  {"&amp;#xff0…...", "&#xff0…..."},
              },
              EntityDecodeOptions{});
}

TEST(EntityDecoder, CountsADoubleEscapeOnce) {
  std::string out;
  EXPECT_EQ(DecodeEntities("&amp;amp;lt; &amp;#xff0c; &lt;", EntityDecodeOptions{}, &out), 3u);
  EXPECT_EQ(out, "< ， <");
}

TEST(EntityDecoder, Html5ModeTakesOffOneLayer) { EXPECT_EQ(Html5("&amp;lt;"), "&lt;"); }

// --- code ----------------------------------------------------------------------------------

TEST(EntityDecoder, DecodesEscapedCode) {
  ExpectCases({
                  {"import Vue from &#39;vue&#39;", "import Vue from 'vue'"},
                  {"if (a &lt; b &amp;&amp; c &gt; d)", "if (a < b && c > d)"},
                  {"printf(&quot;%d\\n&quot;, x);", "printf(\"%d\\n\", x);"},
                  {"#include &lt;iostream&gt;", "#include <iostream>"},
                  {"std::vector&lt;int&gt; v;", "std::vector<int> v;"},
                  {"let sum &#61; a &#43; b;", "let sum = a + b;"},
              },
              EntityDecodeOptions{});
}

// --- text about escaping -----------------------------------------------------------------

TEST(EntityDecoder, KeepsEntitiesInArticlesAboutEntities) {
  ExpectUnchanged({"&amp;lt;", "&amp;#60; 和 &amp;#x3C;", "&lt; 表示 <",
                   "&amp; &#60; &#x3C; &nbsp; &quot; &copy 2023", "A &amp; B", "&amp;foo",
                   "&amp;amp;lt;"},
                  AboutEscaping());
}

TEST(EntityDecoder, StillDecodesCjkAndEmojiInArticlesAboutEntities) {
  ExpectCases({
                  {"例如&#xff0c;&lt; 写作 &amp;lt;", "例如，&lt; 写作 &amp;lt;"},
                  {"&#65292;&#x3002;", "，。"},
                  {"注意#xff1a;", "注意："},
                  {"火&#x1f525;", "火🔥"},
                  {"点赞&#55357;&#56613;!", "点赞🔥!"},
                  {"&#x2764;&#xfe0f;收藏", "❤️收藏"},
                  {"比如&#x1F600;就是", "比如😀就是"},
                  {"例如&amp;#xff0c;如此", "例如，如此"},   // behind a layer too
                  {"例如&amp;amp;#xff0c;如此", "例如，如此"},
              },
              AboutEscaping());
}

TEST(EntityDecoder, KeepsCjkAndEmojiReferencesShownAsExamplesInArticlesAboutEntities) {
  ExpectUnchanged({"比如 &#x1F600; 就是一个笑脸", "逗号写作 &#xff0c;", "写成 \"&#65292;\" 即可",
                   "`&#x1f525;`", "&amp;#xff0c;", "写作 &amp;#xff0c; 的逗号"},
                  AboutEscaping());
}

// The text already shows what the reader saw (a literal `<` or a bare `&`), so `&amp;lt;` is
// itself the content: html-entities-about in testdata/pages.
TEST(EntityDecoder, KeepsDoubleEscapesInArticlesThatShowLiteralCharacters) {
  for (const char* text : {"页面源码里 < 变成了 &amp;lt;", "& 会被替换成 &amp;,结果变成 &amp;lt;。",
                           "看源码里有没有 &amp;lt; 或 &amp;amp;, 就知道 & 被转义了两次"}) {
    EXPECT_FALSE(CarriesEscapingLayer(text)) << text;
    std::string out;
    EXPECT_EQ(DecodeEntities(text, AboutEscaping(), &out), 0u);
    EXPECT_EQ(out, text);
  }
}

EntityDecodeOptions StrippingLayer() {
  EntityDecodeOptions options = AboutEscaping();
  options.strip_escaping_layer = true;
  return options;
}

// With the scraper's layer exactly one `&amp;` comes off; the output holds no evidence of a
// layer any more (CarriesEscapingLayer is false on it), so a second repair leaves it alone.
TEST(EntityDecoder, TakesExactlyOneLayerOffInArticlesAboutEntitiesThatCarryTheLayer) {
  const std::vector<Case> cases = {
      {"&amp;lt;", "&lt;"},
      {"&amp;amp;lt;", "&amp;lt;"},
      {"&amp;amp;amp;", "&amp;amp;"},
      {"例如&#xff0c;&lt; 写作 &amp;lt;", "例如，&lt; 写作 &lt;"},
      {"例如&amp;#xff0c;如此", "例如，如此"},
      {"&amp;foo", "&amp;foo"},  // not a reference behind the layer
  };
  for (const Case& c : cases) EXPECT_EQ(Decode(c.input, StrippingLayer()), c.expected) << c.input;
}

TEST(EntityDecoder, SeesTheScrapersLayerOnlyWithCjkEvidenceAndNothingLiteral) {
  for (const char* text : {"字符实体&#xff1a;&amp;lt; 表示小于号", "注意#xff1a;&amp;amp; 是 &amp;",
                           "点赞&#55357;&#56613; 与 &amp;lt;", "例如&amp;#xff0c;&amp;lt;"}) {
    EXPECT_TRUE(CarriesEscapingLayer(text)) << text;
  }
  for (const char* text : {"&amp;lt; 表示 <&#xff0c;", "& 写成 &amp;&#xff0c;",
                           "&amp;lt; 和 &amp;gt;", "比如 &#x1F600; 就是 &amp;lt;",
                           "字符实体：&lt; 表示小于号", ""}) {
    EXPECT_FALSE(CarriesEscapingLayer(text)) << text;
  }
}

TEST(EntityDecoder, DetectsTextAboutEscaping) {
  const std::vector<const char*> about = {
      "在 HTML 中，< 要转义为 &lt;，> 要转义为 &gt;，& 要写成 &amp;。",
      "HTML entities: &amp;lt; stands for <, and &amp;gt; stands for >.",
      "To escape a less-than sign write &lt; or &#60;.",
      "常用的字符实体：&nbsp; 空格、&lt; 小于号、&gt; 大于号",
      "htmlspecialchars() 会把 & 变成 &amp;，把 \" 变成 &quot;",
  };
  for (const char* text : about) EXPECT_TRUE(LooksAboutEscaping(text)) << text;
}

TEST(EntityDecoder, DoesNotTakeOrdinaryTextForTextAboutEscaping) {
  const std::string far = "本文讲转义。" + std::string(200, 'x') + " a &lt; b &gt; c";
  const std::vector<std::string> ordinary = {
      "import Vue from &#39;vue&#39;",
      "if (a &lt; b &amp;&amp; c &gt; d)",
      "转义字符 \\n 表示换行：printf(&quot;\\n&quot;);",  // one kind of reference only
      "实体类 User：List&lt;User&gt; users;",            // 实体 alone is not a term
      "Entity Framework &amp; LINQ &lt;T&gt;",
      "Tom &amp; Jerry",
      far,
      "",
  };
  for (const std::string& text : ordinary) EXPECT_FALSE(LooksAboutEscaping(text)) << text;
}

// A term counts within 64 bytes of an example, on either side, to the byte.
TEST(EntityDecoder, TakesATermForTextAboutEscapingUpTo64BytesFromAnExample) {
  auto before = [](size_t gap) { return "escape" + std::string(gap, 'x') + "&lt; &gt;"; };
  EXPECT_TRUE(LooksAboutEscaping(before(64)));  // the example starts 70 bytes after the term
  EXPECT_FALSE(LooksAboutEscaping(before(65)));
  auto after = [](size_t gap) { return "&lt; &gt;" + std::string(gap, 'y') + "ESCAPE"; };
  EXPECT_TRUE(LooksAboutEscaping(after(60)));  // the term starts 64 bytes after `&gt;`
  EXPECT_FALSE(LooksAboutEscaping(after(61)));
  // Between two far examples, near neither; then near the second.
  const std::string far(100, 'z');
  EXPECT_FALSE(LooksAboutEscaping("&lt;" + far + "转义" + far + "&gt;"));
  EXPECT_TRUE(LooksAboutEscaping("&lt;" + far + "转义" + std::string(60, 'z') + "&gt;"));
  // A term cut by the end of the text is none.
  EXPECT_FALSE(LooksAboutEscaping("&lt; &gt; escap"));
}

// --- fold_decoded_fullwidth ---------------------------------------------------------------

TEST(EntityDecoder, FoldsDecodedFullwidthCharactersOnly) {
  ExpectCases({
                  {"你好&#xff0c;世界", "你好,世界"},
                  {"&#xff01;&#xff5e;&#65311;", "!~?"},
                  {"注意#xff1a;这里", "注意:这里"},
                  {"&#xff08;括号&#xff09;", "(括号)"},
                  {"字面的，不动&#xff0c;", "字面的，不动,"},  // literal U+FF0C stays
                  {"&#xff5f;&#xff00;", "｟\xEF\xBC\x80"},    // outside U+FF01..U+FF5E
                  {"&#x3002;&#x3000;", "。\xE3\x80\x80"},      // CJK punctuation stays
                  {"&#xff06;lt;", "<"},                        // a folded `&` is a layer
              },
              Folding());
  EXPECT_EQ(Scrape("&#xff0c;"), "，");
}

// --- the rest of the API ------------------------------------------------------------------

TEST(EntityDecoder, MayContainEntityLooksForAmpersandOrHash) {
  EXPECT_FALSE(MayContainEntity(""));
  EXPECT_FALSE(MayContainEntity("纯中文文本，没有引用。"));
  EXPECT_TRUE(MayContainEntity("a&b"));
  EXPECT_TRUE(MayContainEntity("注意#xff1a;"));
}

TEST(EntityDecoder, MayContainEntityLooksPastHashesThatStartNoReference) {
  EXPECT_FALSE(MayContainEntity("# 标题 #include <vector> C# #"));
  EXPECT_TRUE(MayContainEntity("#Xff1a;"));
  EXPECT_TRUE(MayContainEntity("# 标题 #xff1a;"));
}

// Every combination of options the repair stage and the match view use.
std::vector<EntityDecodeOptions> AllOptions() {
  std::vector<EntityDecodeOptions> all;
  for (EntityMode mode : {EntityMode::kScrape, EntityMode::kHtml5, EntityMode::kNone}) {
    for (int bits = 0; bits < 8; ++bits) {
      EntityDecodeOptions options;
      options.mode = mode;
      options.fold_decoded_fullwidth = (bits & 1) != 0;
      options.text_about_escaping = (bits & 2) != 0;
      options.strip_escaping_layer = (bits & 4) != 0;
      all.push_back(options);
    }
  }
  return all;
}

// MayContainEntity answers false only where the decoder changes nothing, under any options;
// and a decoder that counts nothing changed nothing (the repair stage relies on both).
TEST(EntityDecoder, MayContainEntityAgreesWithTheDecoder) {
  const std::vector<EntityDecodeOptions> all = AllOptions();
  size_t decoded_lines = 0;
  std::string out;
  for (const std::string& line : testing_inputs::DifferentialInputs(40000)) {
    const bool may = MayContainEntity(line);
    for (const EntityDecodeOptions& options : all) {
      out.clear();
      const size_t n = DecodeEntities(line, options, &out);
      if (n > 0) ++decoded_lines;
      if (!may) {
        ASSERT_EQ(n, 0u) << line;
        ASSERT_EQ(out, line);
      }
      if (n == 0) {
        ASSERT_EQ(out, line);
      }
    }
  }
  EXPECT_GT(decoded_lines, 1000u);
}

// The spans cover what the references became: the output between them is the input, in
// order, with only the references left out.
TEST(EntityDecoder, SpansCoverEveryDecodedReference) {
  const std::vector<EntityDecodeOptions> all = AllOptions();
  std::string out;
  std::vector<DecodedSpan> spans;
  size_t spanned = 0;
  for (const std::string& line : testing_inputs::DifferentialInputs(20000)) {
    for (const EntityDecodeOptions& options : all) {
      out = "前缀";
      spans.clear();
      const size_t n = DecodeEntities(line, options, &out, &spans);
      ASSERT_EQ(spans.size(), n) << line;
      spanned += n;
      size_t copied = 4 + 2;  // past the prefix
      size_t cursor = 0;      // in `line`
      for (size_t k = 0; k <= spans.size(); ++k) {
        const size_t gap_end = k < spans.size() ? spans[k].begin : out.size();
        ASSERT_LE(copied, gap_end) << line;
        const std::string gap = out.substr(copied, gap_end - copied);
        // The text after the last span ends the line; the others come in order.
        const size_t at = k < spans.size() ? line.find(gap, cursor)
                          : gap.size() <= line.size() - cursor ? line.size() - gap.size()
                                                              : std::string::npos;
        ASSERT_NE(at, std::string::npos) << line;
        ASSERT_EQ(line.compare(at, gap.size(), gap), 0) << line;
        if (k == 0) {
          ASSERT_EQ(at, 0u) << line;
        }
        cursor = at + gap.size();
        if (k < spans.size()) {
          ASSERT_LT(spans[k].begin, spans[k].end) << line;
          copied = spans[k].end;
        }
      }
      ASSERT_EQ(cursor, line.size()) << line;
    }
  }
  EXPECT_GT(spanned, 1000u);
}

TEST(EntityDecoder, AppendsUnchangedInputWhenThereIsNothingToDecode) {
  std::string out = "前缀";
  EXPECT_EQ(DecodeEntities("纯中文文本 plain text", EntityDecodeOptions{}, &out), 0u);
  EXPECT_EQ(out, "前缀纯中文文本 plain text");
}

TEST(EntityDecoder, ContextStartsAtTheAppendPoint) {
  // Bytes already in `out` are not part of the text: `x` does not glue `&copy` to a word.
  std::string out = "x";
  DecodeEntities("&copy 2023", EntityDecodeOptions{}, &out);
  EXPECT_EQ(out, "x© 2023");
}

TEST(EntityDecoder, NoneModeCopiesInput) {
  EntityDecodeOptions options;
  options.mode = EntityMode::kNone;
  EXPECT_EQ(Decode("&lt;#xff1a;", options), "&lt;#xff1a;");
}

TEST(EntityDecoder, ParsesModeNames) {
  EntityMode mode = EntityMode::kNone;
  EXPECT_TRUE(ParseEntityMode("html5", &mode));
  EXPECT_EQ(mode, EntityMode::kHtml5);
  EXPECT_TRUE(ParseEntityMode("scrape", &mode));
  EXPECT_EQ(mode, EntityMode::kScrape);
  EXPECT_TRUE(ParseEntityMode("none", &mode));
  EXPECT_EQ(mode, EntityMode::kNone);
  EXPECT_FALSE(ParseEntityMode("HTML5", &mode));
  EXPECT_FALSE(ParseEntityMode("", &mode));
  EXPECT_EQ(mode, EntityMode::kNone);
}

TEST(EntityDecoder, LooksUpNamesWithAndWithoutSemicolon) {
  EXPECT_STREQ(LookupNamedEntity("amp;"), "&");
  EXPECT_STREQ(LookupNamedEntity("amp"), "&");
  EXPECT_STREQ(LookupNamedEntity("zwj;"), "\xE2\x80\x8D");
  EXPECT_EQ(LookupNamedEntity("zwj"), nullptr);  // not a legacy name
  EXPECT_STREQ(LookupNamedEntity("CounterClockwiseContourIntegral;"), "∳");
  EXPECT_EQ(LookupNamedEntity("nosuch;"), nullptr);
  EXPECT_EQ(LookupNamedEntity(""), nullptr);
  EXPECT_EQ(LookupNamedEntity(";"), nullptr);
  EXPECT_EQ(LookupNamedEntity("AMP;x"), nullptr);
}

}  // namespace
}  // namespace winnow

#include "winnow/repair.h"

#include <gtest/gtest.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include <map>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "differential_inputs.h"
#include "winnow/code_damage.h"

namespace winnow {
namespace {

class CollectingSink : public RecordSink {
 public:
  void Accept(Record&& record) override { records.push_back(std::move(record)); }
  void Reject(Record&&, DropReason, const std::string&) override { ++rejected; }
  std::vector<Record> records;
  int rejected = 0;
};

Record MakeRecord(uint64_t page, std::string title, std::vector<std::string> lines) {
  Record record;
  record.source = "page.txt";
  record.page = page;
  record.title = std::move(title);
  for (std::string& line : lines) {
    BodyLine body_line;
    body_line.text = std::move(line);
    record.body.push_back(std::move(body_line));
  }
  return record;
}

TEST(WidthEvidence, CountsAsciiPunctuationBesideCjkAsFolded) {
  WidthEvidence evidence;
  evidence.Add("本文接着上一篇,基于开源代码(GitHub):分析。");
  EXPECT_EQ(evidence.folded, 3u);  // "篇,"  "码("  "):分" counts once for ':'
  EXPECT_EQ(evidence.full, 0u);
  EXPECT_TRUE(evidence.PrefersFolded());
}

TEST(WidthEvidence, CountsLiteralFullWidthPunctuation) {
  WidthEvidence evidence;
  evidence.Add("这是，全角：标点（例子）");
  EXPECT_EQ(evidence.full, 4u);
  EXPECT_FALSE(evidence.PrefersFolded());
}

TEST(WidthEvidence, IgnoresPunctuationBetweenAsciiWords) {
  WidthEvidence evidence;
  evidence.Add("f(a, b); x: y");
  EXPECT_EQ(evidence.folded, 0u);
}

TEST(RepairStage, FoldsDecodedPunctuationInAFoldedPage) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairStage stage(RepairOptions(), &normalizer, &sink);
  stage.Accept(MakeRecord(0, "标题", {"作者写的是半角,冒号:括号(如此)。"}));
  stage.Accept(MakeRecord(0, "条目", {"解码后&#xff0c;应与页面一致&#xff1a;是"}));
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.records[1].Text(), "解码后,应与页面一致:是");
  EXPECT_EQ(sink.records[1].width, "folded");
  EXPECT_EQ(sink.records[1].repairs.entities, 2u);
}

TEST(RepairStage, KeepsFullWidthInAFullWidthPage) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairStage stage(RepairOptions(), &normalizer, &sink);
  stage.Accept(MakeRecord(0, "标题", {"作者写的是全角，冒号：括号（如此）。"}));
  stage.Accept(MakeRecord(0, "条目", {"解码后&#xff0c;保持全角"}));
  EXPECT_EQ(sink.records[1].Text(), "解码后，保持全角");
  EXPECT_EQ(sink.records[1].width, "full");
}

TEST(RepairStage, EvidenceStartsAgainOnEachPage) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairStage stage(RepairOptions(), &normalizer, &sink);
  stage.Accept(MakeRecord(0, "标题", {"半角,冒号:括号(如此)。"}));
  stage.Accept(MakeRecord(1, "下一页", {"全角，冒号：后面&#xff0c;解码"}));
  EXPECT_EQ(sink.records[1].Text(), "全角，冒号：后面，解码");
}

TEST(RepairStage, KeepPolicyNeverFolds) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairOptions options;
  options.width = WidthPolicy::kKeep;
  RepairStage stage(options, &normalizer, &sink);
  stage.Accept(MakeRecord(0, "标题", {"半角,冒号:括号(如此)。&#xff0c;"}));
  EXPECT_EQ(sink.records[0].Text(), "半角,冒号:括号(如此)。，");
}

TEST(RepairStage, FoldPolicyFoldsLiteralPunctuationToo) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairOptions options;
  options.width = WidthPolicy::kFold;
  RepairStage stage(options, &normalizer, &sink);
  stage.Accept(MakeRecord(0, "标题", {"全角，冒号：保留句号。"}));
  EXPECT_EQ(sink.records[0].Text(), "全角,冒号:保留句号。");
  EXPECT_EQ(sink.records[0].repairs.width_folded, 2u);
}

TEST(RepairStage, RepairsSpacesAndDropsLinesThatBecomeEmpty) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairStage stage(RepairOptions(), &normalizer, &sink);
  stage.Accept(MakeRecord(0, "标题", {"第一段\u00a0有\u200b空格", "", "\u00a0", "", "第二段"}));
  EXPECT_EQ(sink.records[0].Text(), "第一段 有空格\n\n第二段");
  EXPECT_EQ(sink.records[0].repairs.odd_spaces, 2u);
  EXPECT_EQ(sink.records[0].repairs.zero_width, 1u);
}

TEST(RepairStage, PassesRejectedRecordsOnUnchanged) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairStage stage(RepairOptions(), &normalizer, &sink);
  stage.Reject(MakeRecord(0, "标题", {"&#xff0c;"}), DropReason::kRule, "x.y");
  EXPECT_EQ(sink.rejected, 1);
}

TEST(TextRepairer, DecodesCodeReferences) {
  TextNormalizer normalizer;
  TextRepairer repairer(RepairOptions(), &normalizer);
  std::string out;
  RepairCounts counts;
  repairer.Repair("import x from &#39;vue&#39;; if (a &lt; b)", false, false, &out, &counts);
  EXPECT_EQ(out, "import x from 'vue'; if (a < b)");
  EXPECT_EQ(counts.entities, 3u);
}

}  // namespace
}  // namespace winnow

namespace winnow {
namespace {

TEST(RepairStage, ListsDamagedCodeLinesAndKeepsTheirText) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairStage stage(RepairOptions(), &normalizer, &sink);
  Record record = MakeRecord(0, "标题", {"let sum 0;", "let ok &#61; 1;", "在 C98 里"});
  for (size_t i = 0; i < record.body.size(); ++i) record.body[i].line = 10 + i;
  stage.Accept(std::move(record));
  const Record& out = sink.records[0];
  EXPECT_EQ(out.Text(), "let sum 0;\nlet ok = 1;\n在 C98 里");
  ASSERT_EQ(out.code_damage.size(), 2u);
  EXPECT_EQ(out.code_damage[0].line, 10u);
  EXPECT_EQ(out.code_damage[0].signal, "declaration-lost-=");
  EXPECT_EQ(out.code_damage[1].line, 12u);
  EXPECT_EQ(out.code_damage[1].signal, "c++-version-lost-+");
}

TEST(RepairStage, CountsMojibakeRepairs) {
  TextNormalizer normalizer;
  CollectingSink sink;
  RepairStage stage(RepairOptions(), &normalizer, &sink);
  stage.Accept(MakeRecord(0, "标题", {"It doesnâ€™t work", "请检查鍙傛暟璁剧疆"}));
  EXPECT_EQ(sink.records[0].Text(), "It doesn’t work\n请检查参数设置");
  EXPECT_EQ(sink.records[0].repairs.mojibake, 2u);
}

}  // namespace
}  // namespace winnow

namespace winnow {
namespace {

// The width evidence as WidthEvidence's comment defines it, one character at a time, each
// read as a lead byte says (a sequence cut short by the end is one U+FFFD byte).
WidthEvidence ReferenceEvidence(std::string_view raw) {
  WidthEvidence evidence;
  bool previous_cjk = false;
  bool pending_punct = false;
  for (size_t i = 0; i < raw.size();) {
    const auto lead = static_cast<unsigned char>(raw[i]);
    size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    char32_t c = lead;
    if (length > 1 && i + length > raw.size()) {
      length = 1;
      c = 0xFFFD;
    } else if (length > 1) {
      c = lead & (0x7F >> length);
      for (size_t k = 1; k < length; ++k) {
        c = c << 6 | (static_cast<unsigned char>(raw[i + k]) & 0x3F);
      }
    }
    i += length;
    const std::u32string_view full_width = U"\uFF0C\uFF1A\uFF1B\uFF08\uFF09\uFF01\uFF1F";
    const std::u32string_view foldable = U",:;()!?";
    if (full_width.find(c) != std::u32string_view::npos) {
      ++evidence.full;
      previous_cjk = false;
      pending_punct = false;
      continue;
    }
    const bool cjk = c >= 0x80 && IsCjkCodePoint(c);
    if (foldable.find(c) != std::u32string_view::npos) {
      if (previous_cjk) {
        ++evidence.folded;
      } else {
        pending_punct = c != ';';
      }
    } else {
      if (cjk && pending_punct) ++evidence.folded;
      pending_punct = false;
    }
    previous_cjk = cjk;
  }
  return evidence;
}

uint64_t CountOf(std::string_view text, std::string_view piece) {
  uint64_t n = 0;
  for (size_t at = text.find(piece); at != std::string_view::npos; at = text.find(piece, at + 1)) {
    ++n;
  }
  return n;
}

// Each answer of the one scan is the answer of the function it stands for, on any bytes.
TEST(ScanForRepair, AgreesWithEachCheckItStandsFor) {
  MojibakeRepairer mojibake;
  size_t references = 0, mojibake_lines = 0, code_lines = 0, evidence_lines = 0;
  for (const std::string& line : testing_inputs::DifferentialInputs()) {
    WidthEvidence scanned;
    const RepairScan scan = ScanForRepair(line, &scanned);
    WidthEvidence added;
    added.Add(line);
    const WidthEvidence reference = ReferenceEvidence(line);
    ASSERT_EQ(added.folded, reference.folded) << line;
    ASSERT_EQ(added.full, reference.full) << line;
    ASSERT_EQ(scanned.folded, reference.folded) << line;
    ASSERT_EQ(scanned.full, reference.full) << line;
    ASSERT_EQ(scan.ampersand, line.find('&') != std::string::npos) << line;
    ASSERT_EQ(scan.references, MayContainEntity(line)) << line;
    ASSERT_EQ(scan.mojibake, mojibake.MayContainMojibake(line)) << line;
    ASSERT_EQ(scan.code_damage, MayShowCodeDamage(line)) << line;
    ASSERT_EQ(scan.replacement_chars, CountOf(line, "\xEF\xBF\xBD")) << line;
    references += scan.references;
    mojibake_lines += scan.mojibake;
    code_lines += scan.code_damage;
    evidence_lines += reference.folded + reference.full > 0;
  }
  // Each answer is both true and false often enough for a wrong one to show.
  EXPECT_GT(references, 1000u);
  EXPECT_GT(mojibake_lines, 1000u);
  EXPECT_GT(code_lines, 1000u);
  EXPECT_GT(evidence_lines, 1000u);
}

// WidthEvidence::Add steps over runs of CJK and of ASCII at a time, and over blocks of 16 or
// 32 bytes that mix them; the runs and blocks end at punctuation, at the end of the text, at
// bytes that read as something else and at characters cut by a block's end.
TEST(WidthEvidence, CountsTheSameWhereItsRunsEnd) {
  const std::vector<std::string> pieces = {
      "\xE4\xB8\xAD", "\xED\x95\x9C", "\xEE\x80\x80", "\xE1\x84\x80", "\xE0\xA4\x85",
      "\xEF\xBC\x8C", "\xC3\xA9", "ab", " ", ",", ";", "(", "?", "\xE4,", "\xE4\xB8", "\xE4",
      "\xE4,\xE4", "\x80", "\x80\xAC", "\xC1\xBF", "\xF0\x9F\x98\x80", "\xF0\x9F", "\xEF\xBF\xBD",
      "abcdefghijk", "\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97", "x\xE4\xB8\xADy", "\x7F", "*"};
  std::mt19937 random(20261202);
  for (int k = 0; k < 40000; ++k) {
    std::string raw;
    for (size_t count = random() % 24; count > 0; --count) raw += pieces[random() % pieces.size()];
    WidthEvidence added;
    added.Add(raw);
    const WidthEvidence reference = ReferenceEvidence(raw);
    ASSERT_EQ(added.folded, reference.folded) << raw;
    ASSERT_EQ(added.full, reference.full) << raw;
  }
}

TEST(ScanForRepair, AddsNothingWithoutEvidence) {
  const RepairScan scan = ScanForRepair("中文,标点 &amp; C98", nullptr);
  EXPECT_TRUE(scan.ampersand);
  EXPECT_TRUE(scan.references);
  EXPECT_TRUE(scan.code_damage);
  EXPECT_FALSE(scan.mojibake);
}

void ExpectSameCounts(const RepairCounts& a, const RepairCounts& b, const std::string& line) {
  EXPECT_EQ(a.entities, b.entities) << line;
  EXPECT_EQ(a.mojibake, b.mojibake) << line;
  EXPECT_EQ(a.odd_spaces, b.odd_spaces) << line;
  EXPECT_EQ(a.zero_width, b.zero_width) << line;
  EXPECT_EQ(a.controls, b.controls) << line;
  EXPECT_EQ(a.normalized, b.normalized) << line;
  EXPECT_EQ(a.width_folded, b.width_folded) << line;
  EXPECT_EQ(a.invalid_bytes, b.invalid_bytes) << line;
}

// Repairing `line` with its ScanForRepair result gives what repairing it without gives, in
// every width and about-escaping combination.
void ExpectScanChangesNothing(TextRepairer& repairer, const std::string& line) {
  const RepairScan scan = ScanForRepair(line, nullptr);
  for (int flags = 0; flags < 4; ++flags) {
    const bool fold = (flags & 1) != 0;
    const bool about = (flags & 2) != 0;
    std::string plain, scanned;
    RepairCounts plain_counts, scanned_counts;
    repairer.Repair(line, fold, about, &plain, &plain_counts, about);
    repairer.Repair(line, fold, about, &scanned, &scanned_counts, about, &scan);
    ASSERT_EQ(scanned, plain) << line;
    ExpectSameCounts(scanned_counts, plain_counts, line);
  }
}

// What LeavesAsIs says of a line's scan, Repair does to the line: gives it back, counting
// only its U+FFFD characters.
void ExpectLeftAsIsWhenItSaysSo(TextRepairer& repairer, const std::string& line,
                                size_t* left) {
  const RepairScan scan = ScanForRepair(line, nullptr);
  if (!repairer.LeavesAsIs(scan)) return;
  ++*left;
  for (int flags = 0; flags < 8; ++flags) {
    std::string out;
    RepairCounts counts;
    const RepairScan* given = (flags & 4) != 0 ? &scan : nullptr;
    repairer.Repair(line, (flags & 1) != 0, (flags & 2) != 0, &out, &counts, (flags & 2) != 0,
                    given);
    ASSERT_EQ(out, line);
    RepairCounts expected;
    expected.invalid_bytes = scan.replacement_chars;
    ExpectSameCounts(counts, expected, line);
  }
}

// Given the scan, TextRepairer skips what the scan answered, and repairs the same.
// The repair options the differential tests below run under: the defaults and one change
// of each kind.
std::vector<RepairOptions> DifferentialConfigurations() {
  std::vector<RepairOptions> configurations(6);
  configurations[1].width = WidthPolicy::kFold;
  configurations[2].entities = EntityMode::kHtml5;
  configurations[3].mojibake = false;
  configurations[3].form = NormalForm::kNfkc;
  configurations[4].entities = EntityMode::kNone;
  configurations[5].form = NormalForm::kNone;
  return configurations;
}

// Every line under testdata/ and random tricky strings.
std::vector<std::string> DifferentialLines() {
  std::vector<std::string> inputs = testing_inputs::TestdataLines();
  for (std::string& tricky : testing_inputs::TrickyStrings(20000)) inputs.push_back(tricky);
  return inputs;
}

TEST(TextRepairer, RepairsTheSameGivenTheScan) {
  TextNormalizer normalizer;
  const std::vector<std::string> inputs = DifferentialLines();
  for (const RepairOptions& options : DifferentialConfigurations()) {
    TextRepairer repairer(options, &normalizer);
    for (const std::string& line : inputs) {
      ExpectScanChangesNothing(repairer, line);
    }
  }
}

TEST(TextRepairer, LeavesAsIsOnlyWhatRepairGivesBack) {
  TextNormalizer normalizer;
  const std::vector<std::string> inputs = DifferentialLines();
  for (const RepairOptions& options : DifferentialConfigurations()) {
    TextRepairer repairer(options, &normalizer);
    size_t left = 0;
    for (const std::string& line : inputs) ExpectLeftAsIsWhenItSaysSo(repairer, line, &left);
    // The lines it leaves are many, but for the policies that look at every line.
    if (options.entities != EntityMode::kHtml5 && options.width != WidthPolicy::kFold) {
      EXPECT_GT(left, 1000u);
    } else {
      EXPECT_EQ(left, 0u);
    }
  }
}


// The UTF-8 of `c`, a code point outside the surrogates.
std::string Utf8Of(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | c >> 6);
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | c >> 12);
    out += static_cast<char>(0x80 | (c >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | c >> 18);
    out += static_cast<char>(0x80 | (c >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (c >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

// Repair under `form` gives `line` back and counts nothing.
void ExpectNormalizerKeeps(TextNormalizer* normalizer, const std::string& line,
                           NormalForm form) {
  std::string out;
  SpaceRepairCounts counts;
  normalizer->Repair(line, form, &out, &counts);
  EXPECT_EQ(out, line);
  EXPECT_EQ(counts.odd_spaces + counts.zero_width + counts.controls + counts.normalized, 0u)
      << line;
}

// The scan's word that TextNormalizer::Repair keeps a line rests on each character: held
// here against ICU's properties (combining class 0 and quick check Yes make any text of such
// characters normal) and against Repair itself, for every character.
TEST(ScanForRepair, SaysTheNormalizerKeepsALineOnlyWhenItDoes) {
  TextNormalizer normalizer;
  size_t kept = 0;
  size_t kept_under_nfkc = 0;
  for (char32_t c = 0; c < 0x110000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::string ch = Utf8Of(c);
    const std::string line = "a" + ch + "\xE4\xB8\xAD" + ch + ch + "z";
    const RepairScan scan = ScanForRepair(line, nullptr);
    SCOPED_TRACE("U+" + std::to_string(static_cast<uint32_t>(c)));
    if (scan.kept_under_nfkc) {
      ASSERT_TRUE(scan.kept_by_normalizer);
      ++kept_under_nfkc;
      EXPECT_EQ(u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_NFKC_QUICK_CHECK),
                UNORM_YES);
      ExpectNormalizerKeeps(&normalizer, line, NormalForm::kNfkc);
    }
    if (!scan.kept_by_normalizer) continue;
    ++kept;
    EXPECT_EQ(u_getCombiningClass(static_cast<UChar32>(c)), 0);
    EXPECT_EQ(u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_NFC_QUICK_CHECK),
              UNORM_YES);
    ExpectNormalizerKeeps(&normalizer, line, NormalForm::kNfc);
    ExpectNormalizerKeeps(&normalizer, line, NormalForm::kNone);
  }
  // The ideographs and printable ASCII at least; controls and `_` (of `_x000D_`) not.
  EXPECT_GT(kept, 21000u);
  EXPECT_GT(kept_under_nfkc, 21000u);
  EXPECT_GT(kept, kept_under_nfkc);
  EXPECT_FALSE(ScanForRepair("a_x000D_b", nullptr).kept_by_normalizer);
  EXPECT_FALSE(ScanForRepair("a_x000d_", nullptr).kept_by_normalizer);
  EXPECT_TRUE(ScanForRepair("a_x000D", nullptr).kept_by_normalizer);
  EXPECT_TRUE(ScanForRepair("snake_case _x000E_", nullptr).kept_by_normalizer);
  EXPECT_FALSE(ScanForRepair("a\x01b", nullptr).kept_by_normalizer);
  EXPECT_TRUE(ScanForRepair("\xE4\xB8\xAD\xEF\xBC\x8C\ta", nullptr).kept_by_normalizer);
  EXPECT_FALSE(ScanForRepair("\xE4\xB8\xAD\xEF\xBC\x8C", nullptr).kept_under_nfkc);
}

// Lines of characters the scan knows the normalizer keeps, with one it does not know at the
// start, in the middle or at the end: repaired with the scan as without it.
TEST(TextRepairer, RepairsTheSameWhenTheScanSkipsTheNormalizer) {
  const std::vector<std::string> kept = {"\xE4\xB8\xAD\xE6\x96\x87", "\xEF\xBC\x8C",
                                         "\xE3\x80\x82", "abc ", "\t", "\xE3\x80\x80",
                                         "\xE2\x80\xA6", "\xE2\x80\x9C", "\xEF\xBC\xA1"};
  const std::vector<std::string> others = {
      // spaces, zero-width characters and controls Repair takes out
      "", "\xC2\xA0", "\xE2\x80\x8B", "\xE2\x80\x8D", "\x01", "\x7F", "\xEF\xBB\xBF", "\xC2\x85",
      "\xE2\x80\xA8", "_x000D_", "_x000d_", "_x000D", "_",
      // characters the normal forms change or compose, or that are outside the known set
      "\xC3\xA9", "e\xCC\x81", "\xE3\x82\x99", "\xEF\xAC\x81", "\xF0\x9F\x98\x80", "\xE2\x84\xAB",
      "\xEF\xBF\xBD", "\xEF\xA4\x80", "\xE2\x91\xA0", "\xE2\xBC\xBC", "\xCE\x94\xCC\x81",
      // references and mojibake, which other steps change first; references to characters
      // the normalizer keeps, and to ones it changes or removes, or that make `_x000D_`
      "&amp;", "&#20013;", "&#xff0c;", "&ldquo;&rdquo;", "&hellip;", "&nbsp;", "&#xA0;",
      "&#1;", "&#x7F;", "&#x200B;", "&#xFEFF;", "&#x301;", "e&#x301;", "&#x2126;", "&#xFB01;",
      "&#x1F600;", "&#xD800;", "&#0;", "&Aring;", "_x000&#68;_", "&#95;x000D_", "_x000D&#95;",
      "&lt;_x000D_", "&amp;#20013;", "&#x3000;", "&#xFF21;", "&Alpha;&#x301;", "&#x110000;",
      "\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2", "\xE9\x8D\x99\xE5\x82\x9B"};
  std::vector<RepairOptions> configurations(4);
  configurations[1].form = NormalForm::kNfkc;
  configurations[2].form = NormalForm::kNone;
  configurations[3].width = WidthPolicy::kFold;
  TextNormalizer normalizer;
  for (const RepairOptions& options : configurations) {
    TextRepairer repairer(options, &normalizer);
    for (const std::string& other : others) {
      for (size_t k = 0; k < kept.size(); ++k) {
        const std::string run = kept[k] + kept[(k + 1) % kept.size()];
        for (const std::string& line : {other + run, run + other + run, run + other}) {
          ExpectScanChangesNothing(repairer, line);
        }
      }
    }
  }
}

}  // namespace
}  // namespace winnow

namespace winnow {
namespace {

// True when `line` is well-formed UTF-8: no stray or missing continuation bytes, no overlong
// forms, no surrogates, nothing past U+10FFFF.
bool ReferenceWellFormed(std::string_view line) {
  for (size_t i = 0; i < line.size();) {
    const auto lead = static_cast<unsigned char>(line[i]);
    const size_t length = lead < 0x80 ? 1 : lead < 0xC2 ? 0 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3
                                                              : lead < 0xF5 ? 4 : 0;
    if (length == 0 || line.size() - i < length) return false;
    char32_t c = lead & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) {
      const auto trail = static_cast<unsigned char>(line[i + k]);
      if ((trail & 0xC0) != 0x80) return false;
      c = c << 6 | (trail & 0x3F);
    }
    if ((length == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
        (length == 4 && (c < 0x10000 || c > 0x10FFFF))) {
      return false;
    }
    i += length;
  }
  return true;
}

// ScanForRepair put together from the definitions of its fields, one character at a time.
// Whether the normalizer keeps a character past ASCII is taken from the scan of a line of that
// character alone (held against ICU by SaysTheNormalizerKeepsALineOnlyWhenItDoes), so that
// what is tested is how the scan of a whole line puts its characters' answers together.
class ReferenceScanner {
 public:
  RepairScan Scan(std::string_view line, WidthEvidence* evidence) {
    const WidthEvidence line_evidence = ReferenceEvidence(line);
    evidence->folded += line_evidence.folded;
    evidence->full += line_evidence.full;
    RepairScan scan;
    scan.ampersand = line.find('&') != std::string_view::npos;
    scan.references = MayContainEntity(line);
    scan.mojibake = mojibake_.MayContainMojibake(line);
    scan.code_damage = MayShowCodeDamage(line);
    scan.replacement_chars = CountOf(line, "\xEF\xBF\xBD");
    scan.well_formed = ReferenceWellFormed(line);
    if (!scan.well_formed) return scan;
    bool kept = CountOf(line, "_x000D_") + CountOf(line, "_x000d_") == 0;
    bool kept_under_nfkc = true;
    for (size_t i = 0; i < line.size();) {
      const auto lead = static_cast<unsigned char>(line[i]);
      const size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
      if (lead < 0x80) {
        if ((lead < 0x20 && lead != '\t') || lead == 0x7F) kept = false;
      } else {
        const std::pair<bool, bool> alone = KeptAlone(line.substr(i, length));
        kept = kept && alone.first;
        kept_under_nfkc = kept_under_nfkc && alone.second;
      }
      i += length;
    }
    scan.kept_by_normalizer = kept;
    scan.kept_under_nfkc = kept && kept_under_nfkc;
    return scan;
  }

 private:
  std::pair<bool, bool> KeptAlone(std::string_view character) {
    auto [it, added] = kept_alone_.try_emplace(std::string(character));
    if (added) {
      const RepairScan scan = ScanForRepair(character, nullptr);
      it->second = {scan.kept_by_normalizer, scan.kept_under_nfkc};
    }
    return it->second;
  }

  MojibakeRepairer mojibake_;
  std::map<std::string, std::pair<bool, bool>> kept_alone_;
};

void ExpectScansAgree(ReferenceScanner* reference, const std::string& line) {
  WidthEvidence scanned, expected;
  const RepairScan scan = ScanForRepair(line, &scanned);
  const RepairScan want = reference->Scan(line, &expected);
  WidthEvidence added;
  added.Add(line);
  SCOPED_TRACE(testing::PrintToString(line));
  ASSERT_EQ(scan.ampersand, want.ampersand);
  ASSERT_EQ(scan.references, want.references);
  ASSERT_EQ(scan.mojibake, want.mojibake);
  ASSERT_EQ(scan.code_damage, want.code_damage);
  ASSERT_EQ(scan.replacement_chars, want.replacement_chars);
  ASSERT_EQ(scan.well_formed, want.well_formed);
  ASSERT_EQ(scan.kept_by_normalizer, want.kept_by_normalizer);
  ASSERT_EQ(scan.kept_under_nfkc, want.kept_under_nfkc);
  ASSERT_EQ(scanned.folded, expected.folded);
  ASSERT_EQ(scanned.full, expected.full);
  ASSERT_EQ(added.folded, expected.folded);
  ASSERT_EQ(added.full, expected.full);
}

// What the line scan and WidthEvidence::Add tell apart, and what their runs of ASCII and of
// three-byte characters stop at.
const std::vector<std::string>& BlockEdgePieces() {
  static const std::vector<std::string> pieces = {
      "a", "Z", "9", " ", ".", "-", "/", "\t", ",", ":", ";", "(", ")", "!", "?", "{", "}", "C",
      "C98", "C03", "C9", "#", "#x", "#X", "&", "&amp;", "&#xff0c;", "_", "_x000D_", "_x000d_",
      "_x000D", "\x01", "\x1F", "\x7F", "\x0D",
      // CJK and its punctuation of both widths
      "\xE4\xB8\xAD", "\xE6\x96\x87", "\xE9\xBE\xA5", "\xE4\xB8\x80", "\xE3\x80\x82",
      "\xE3\x80\x81", "\xE3\x80\x80", "\xEF\xBC\x8C", "\xEF\xBC\x9A", "\xEF\xBC\x88",
      "\xEF\xBC\x89", "\xEF\xBC\x81", "\xEF\xBC\x9F", "\xEF\xBC\x9B", "\xE2\x80\x9C",
      "\xE2\x80\x94", "\xE2\x80\xA6", "\xE3\x81\x82", "\xEA\xB0\x80", "\xED\x95\x9C",
      "\xE1\x84\x80", "\xEE\x80\x80", "\xE0\xA4\x85", "\xEF\xBF\xBD", "\xEF\xA4\x80",
      // leads outside GB2312 and what follows them as mojibake, other lengths
      "\xE9\x8D\x99", "\xE5\x82\x9B", "\xE6\x9A\x9F", "\xE2\x95\x90", "\xC3\xA9", "\xC3\x83",
      "\xC2\xA0", "\xC2\x85", "\xCE\xA3", "\xF0\x9F\x98\x80",
      // ill-formed bytes
      "\x80", "\xBF", "\xC0\xAC", "\xC1\xBF", "\xE0\x80\x80", "\xED\xA0\x80", "\xE4\xB8",
      "\xE4", "\xE4\x41\x80", "\xE4\xB8\x41", "\xE4\xC0\x80", "\xF0\x9F\x98", "\xF4\x90\x80\x80",
      "\xF8\x88\x80\x80\x80", "\xFF", "\xEE",
  };
  return pieces;
}

// Lines of every length from 0 to 80 bytes, of random pieces cut off at that length (which
// makes ill-formed ends too).
TEST(ScanForRepair, AgreesWithTheReferenceAtEveryLength) {
  const std::vector<std::string>& pieces = BlockEdgePieces();
  ReferenceScanner reference;
  std::mt19937 random(20261203);
  for (size_t length = 0; length <= 80; ++length) {
    for (int k = 0; k < 400; ++k) {
      // Runs of one kind of piece, as in text, so that runs cross block edges.
      std::string line;
      while (line.size() < length) {
        const std::string& piece = pieces[random() % pieces.size()];
        for (size_t repeat = 1 + random() % (k % 4 == 0 ? 20 : 3); repeat > 0; --repeat) {
          line += piece;
        }
      }
      line.resize(length);
      ExpectScansAgree(&reference, line);
      if (HasFatalFailure()) return;
    }
  }
}

// Each piece and each ASCII byte, with and without CJK after it, at every offset from 0 to
// 40 in runs of ASCII, of ideographs and of both: the blocks of 16 bytes cannot pass over it.
TEST(ScanForRepair, AgreesWithTheReferenceAroundBlockEdges) {
  std::vector<std::string> probes = BlockEdgePieces();
  for (int b = 0; b < 0x80; ++b) {
    probes.push_back(std::string(1, static_cast<char>(b)));
    probes.push_back(std::string(1, static_cast<char>(b)) + "\xE4\xB8\xAD");
    probes.push_back("\xE4\xB8\xAD" + std::string(1, static_cast<char>(b)));
  }
  const std::vector<std::string> fillers = {"a", "\xE4\xB8\xAD", "\xE4\xB8\xAD" "a",
                                            "\xE6\x96\x87\xE3\x80\x82"};
  ReferenceScanner reference;
  size_t lines = 0;
  for (const std::string& filler : fillers) {
    std::string run;
    while (run.size() < 64) run += filler;
    for (const std::string& probe : probes) {
      for (size_t offset = 0; offset <= 40; ++offset) {
        for (size_t after : {0, 1, 5, 17, 30}) {
          // The filler cut to `offset` bytes may end in a cut character: that is a case too.
          const std::string line = run.substr(0, offset) + probe + run.substr(0, after);
          ExpectScansAgree(&reference, line);
          if (HasFatalFailure()) return;
          ++lines;
        }
      }
    }
  }
  EXPECT_GT(lines, 100000u);
}

}  // namespace
}  // namespace winnow

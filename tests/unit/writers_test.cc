#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>

#include "winnow/json_text.h"
#include "winnow/json_writer.h"
#include "winnow/jsonl_writer.h"
#include "winnow/markdown_writer.h"
#include "winnow/output_file.h"

namespace winnow {
namespace {

Record SampleRecord() {
  Record record;
  record.source = "dir/page.txt";
  record.page = 2;
  record.index = 0;
  record.title = "标题 \"引号\"";
  record.title_line = 3;
  record.body = {BodyLine{"第一段", 5, false, {}}, BodyLine{"", 0, false, {}},
                 BodyLine{"int main() {", 7, true, {}}, BodyLine{"", 0, false, {}},
                 BodyLine{"    return 0;", 9, true, {}}, BodyLine{"}", 10, true, {}},
                 BodyLine{"结尾", 11, false, {}}};
  record.rule_hits["nav.breadcrumb"] = 1;
  record.repairs.entities = 4;
  record.width = "folded";
  return record;
}

TEST(JsonText, EscapesWhatJsonRequires) {
  std::string out;
  AppendJsonString("a\"b\\c\nd\te\x01 中文 \xE2\x80\xA8", &out);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\te\\u0001 中文 \\u2028\"");
}

TEST(JsonText, RoundTripsThroughAJsonParser) {
  const std::string text = "引号\" 反斜杠\\ 换行\n emoji 🔥 \x1f \xE2\x80\xA9 …";
  std::string out;
  AppendJsonString(text, &out);
  EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), text);
}

// Every optional part filled in, and text the escaper has to work on in every field.
Record FullRecord() {
  Record record;
  record.source = "dir\\\"odd\".txt";
  record.page = 18446744073709551615ULL;
  record.index = 12;
  record.kind = RecordKind::kRelated;
  record.title = "标题\t\x01“引号” \xE2\x80\xA8";
  record.title_line = 40;
  record.truncated = true;
  record.body = {BodyLine{"第一段……\"引\"\\", 41, false, {}}, BodyLine{"", 0, false, {}},
                 BodyLine{"\tcode();\r", 43, true, {}},
                 BodyLine{"\xE2\x80\xA9" "end", 39, false, {}}};
  record.encoding = "gb18030";
  record.width = "folded";
  record.repairs = RepairCounts{1, 2, 3, 4, 5, 6, 7, 18446744073709551615ULL};
  record.code_damage = {CodeDamage{43, "mojibake"}, CodeDamage{7, "sig\"nal"}};
  record.rule_hits["nav.breadcrumb"] = 3;
  record.rule_hits["a\"b"] = 1;
  record.rule_hits["zz"] = 10000000000ULL;
  return record;
}

// The format byte for byte, so a faster writer cannot change a single byte of output.
TEST(JsonlWriter, WritesTheSameBytesAsEver) {
  StringOutput out;
  JsonlWriter writer(&out);
  writer.Accept(FullRecord());
  writer.Accept(Record());
  writer.Accept(SampleRecord());
  EXPECT_EQ(out.text(),
            "{\"id\":\"ce5cad2e8c2d1a28\",\"source\":\"dir\\\\\\\"odd\\\".txt\","
            "\"page\":18446744073709551615,\"record\":12,"
            "\"title\":\"标题\\t\\u0001“引号” \\u2028\","
            "\"text\":\"第一段……\\\"引\\\"\\\\\\n\\n\\tcode();\\r\\n\\u2029end\","
            "\"truncated\":true,\"metadata\":{\"kind\":\"related\",\"lines\":[39,43],"
            "\"encoding\":\"gb18030\",\"width\":\"folded\",\"repairs\":{\"entities\":1,"
            "\"mojibake\":2,\"odd_spaces\":3,\"zero_width\":4,\"controls\":5,\"normalized\":6,"
            "\"width_folded\":7,\"invalid_bytes\":18446744073709551615},"
            "\"code_damage\":[{\"line\":43,\"signal\":\"mojibake\"},{\"line\":7,"
            "\"signal\":\"sig\\\"nal\"}],\"rules\":{\"a\\\"b\":1,\"nav.breadcrumb\":3,"
            "\"zz\":10000000000}}}\n"
            "{\"id\":\"6e5bc639a62ee43e\",\"source\":\"\",\"page\":0,\"record\":0,\"title\":\"\","
            "\"text\":\"\",\"truncated\":false,\"metadata\":{\"kind\":\"article\",\"lines\":[0,0],"
            "\"repairs\":{\"entities\":0,\"mojibake\":0,\"odd_spaces\":0,\"zero_width\":0,"
            "\"controls\":0,\"normalized\":0,\"width_folded\":0,\"invalid_bytes\":0},"
            "\"code_damage\":[],\"rules\":{}}}\n"
            "{\"id\":\"f2fce463e21a7715\",\"source\":\"dir/page.txt\",\"page\":2,\"record\":0,"
            "\"title\":\"标题 \\\"引号\\\"\","
            "\"text\":\"第一段\\n\\nint main() {\\n\\n    return 0;\\n}\\n结尾\","
            "\"truncated\":false,\"metadata\":{\"kind\":\"article\",\"lines\":[3,11],"
            "\"width\":\"folded\",\"repairs\":{\"entities\":4,\"mojibake\":0,\"odd_spaces\":0,"
            "\"zero_width\":0,\"controls\":0,\"normalized\":0,\"width_folded\":0,"
            "\"invalid_bytes\":0},\"code_damage\":[],\"rules\":{\"nav.breadcrumb\":1}}}\n");
}

TEST(JsonWriter, WritesTheSameBytesAsEver) {
  StringOutput out;
  JsonWriter writer(&out);
  writer.Accept(FullRecord());
  writer.Accept(SampleRecord());
  writer.Finish();
  EXPECT_EQ(out.text(),
            "[\n"
            "{\"id\":\"ce5cad2e8c2d1a28\",\"source\":\"dir\\\\\\\"odd\\\".txt\","
            "\"page\":18446744073709551615,\"record\":12,"
            "\"title\":\"标题\\t\\u0001“引号” \\u2028\","
            "\"text\":\"第一段……\\\"引\\\"\\\\\\n\\n\\tcode();\\r\\n\\u2029end\","
            "\"truncated\":true,\"metadata\":{\"kind\":\"related\",\"lines\":[39,43],"
            "\"encoding\":\"gb18030\",\"width\":\"folded\",\"repairs\":{\"entities\":1,"
            "\"mojibake\":2,\"odd_spaces\":3,\"zero_width\":4,\"controls\":5,\"normalized\":6,"
            "\"width_folded\":7,\"invalid_bytes\":18446744073709551615},"
            "\"code_damage\":[{\"line\":43,\"signal\":\"mojibake\"},{\"line\":7,"
            "\"signal\":\"sig\\\"nal\"}],\"rules\":{\"a\\\"b\":1,\"nav.breadcrumb\":3,"
            "\"zz\":10000000000}}},\n"
            "{\"id\":\"f2fce463e21a7715\",\"source\":\"dir/page.txt\",\"page\":2,\"record\":0,"
            "\"title\":\"标题 \\\"引号\\\"\","
            "\"text\":\"第一段\\n\\nint main() {\\n\\n    return 0;\\n}\\n结尾\","
            "\"truncated\":false,\"metadata\":{\"kind\":\"article\",\"lines\":[3,11],"
            "\"width\":\"folded\",\"repairs\":{\"entities\":4,\"mojibake\":0,\"odd_spaces\":0,"
            "\"zero_width\":0,\"controls\":0,\"normalized\":0,\"width_folded\":0,"
            "\"invalid_bytes\":0},\"code_damage\":[],\"rules\":{\"nav.breadcrumb\":1}}}\n"
            "]\n");
}

TEST(MarkdownWriter, WritesTheSameBytesAsEver) {
  StringOutput out;
  MarkdownWriter writer(&out);
  writer.Accept(FullRecord());
  Record untitled;
  untitled.body = {BodyLine{"x = 1", 1, true, {}}, BodyLine{"", 0, false, {}},
                   BodyLine{"", 0, false, {}}, BodyLine{"y = ``2``", 4, true, {}},
                   BodyLine{"", 0, false, {}}, BodyLine{"段落", 6, false, {}},
                   BodyLine{"````", 7, true, {}}};
  writer.Accept(std::move(untitled));
  writer.Accept(SampleRecord());
  EXPECT_EQ(out.text(),
            "# 标题\t\x01“引号” \xE2\x80\xA8\n"
            "\n"
            "第一段……\"引\"\\\n"
            "\n"
            "```\n"
            "\tcode();\r\n"
            "```\n"
            "\xE2\x80\xA9" "end\n"
            "\n"
            "---\n"
            "\n"
            "```\n"
            "x = 1\n"
            "\n"
            "```\n"
            "\n"
            "```\n"
            "y = ``2``\n"
            "```\n"
            "\n"
            "段落\n"
            "`````\n"
            "````\n"
            "`````\n"
            "\n"
            "---\n"
            "\n"
            "# 标题 \"引号\"\n"
            "\n"
            "第一段\n"
            "\n"
            "```\n"
            "int main() {\n"
            "\n"
            "    return 0;\n"
            "}\n"
            "```\n"
            "结尾\n");
}

TEST(JsonlWriter, WritesTheDocumentedFields) {
  StringOutput out;
  JsonlWriter writer(&out);
  writer.Accept(SampleRecord());
  const std::string& text = out.text();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  const auto json = nlohmann::json::parse(text);
  EXPECT_EQ(json["id"].get<std::string>().size(), 16u);
  EXPECT_EQ(json["source"], "dir/page.txt");
  EXPECT_EQ(json["page"], 2);
  EXPECT_EQ(json["record"], 0);
  EXPECT_EQ(json["title"], "标题 \"引号\"");
  EXPECT_EQ(json["text"], "第一段\n\nint main() {\n\n    return 0;\n}\n结尾");
  EXPECT_EQ(json["truncated"], false);
  EXPECT_EQ(json["metadata"]["kind"], "article");
  EXPECT_EQ(json["metadata"]["lines"], nlohmann::json::parse("[3,11]"));
  EXPECT_EQ(json["metadata"]["repairs"]["entities"], 4);
  EXPECT_EQ(json["metadata"]["rules"]["nav.breadcrumb"], 1);
  // Key order is part of the format.
  EXPECT_EQ(text.substr(0, 7), "{\"id\":\"");
}

TEST(RecordId, IsStableAndDependsOnPlace) {
  Record a = SampleRecord();
  Record b = SampleRecord();
  EXPECT_EQ(RecordId(a), RecordId(b));
  EXPECT_EQ(RecordId(a), "f2fce463e21a7715");  // pinned: ids must not change between versions
  b.index = 1;
  EXPECT_NE(RecordId(a), RecordId(b));
}

TEST(JsonWriter, WritesOneArray) {
  StringOutput out;
  JsonWriter writer(&out);
  writer.Accept(SampleRecord());
  writer.Accept(SampleRecord());
  writer.Finish();
  const auto json = nlohmann::json::parse(out.text());
  ASSERT_TRUE(json.is_array());
  EXPECT_EQ(json.size(), 2u);
}

TEST(JsonWriter, WritesAnEmptyArrayForNoRecords) {
  StringOutput out;
  JsonWriter writer(&out);
  writer.Finish();
  EXPECT_EQ(out.text(), "[]\n");
}

TEST(MarkdownWriter, FencesCodeAndSeparatesRecords) {
  StringOutput out;
  MarkdownWriter writer(&out);
  writer.Accept(SampleRecord());
  Record second;
  second.title = "第二篇";
  second.body = {BodyLine{"正文", 1, false, {}}};
  writer.Accept(std::move(second));
  EXPECT_EQ(out.text(),
            "# 标题 \"引号\"\n\n第一段\n\n```\nint main() {\n\n    return 0;\n}\n```\n结尾\n"
            "\n---\n\n# 第二篇\n\n正文\n");
}

TEST(MarkdownWriter, UsesALongerFenceWhenCodeHoldsBackticks) {
  StringOutput out;
  MarkdownWriter writer(&out);
  Record record;
  record.title = "t";
  record.body = {BodyLine{"```js", 1, true, {}}};
  writer.Accept(std::move(record));
  EXPECT_EQ(out.text(), "# t\n\n````\n```js\n````\n");
}

TEST(AtomicFileOutput, LeavesNothingBehindWhenAborted) {
  char dir_template[] = "/tmp/winnow-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string path = std::string(dir_template) + "/out.jsonl";
  std::string error;
  {
    auto file = AtomicFileOutput::Create(path, &error);
    ASSERT_NE(file, nullptr) << error;
    file->Write("partial");
  }
  EXPECT_NE(access(path.c_str(), F_OK), 0);
  auto file = AtomicFileOutput::Create(path, &error);
  file->Write("done\n");
  ASSERT_TRUE(file->Commit(&error)) << error;
  EXPECT_EQ(access(path.c_str(), F_OK), 0);
  EXPECT_NE(access(file->temp_path().c_str(), F_OK), 0);
  unlink(path.c_str());
  rmdir(dir_template);
}

}  // namespace
}  // namespace winnow

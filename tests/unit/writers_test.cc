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

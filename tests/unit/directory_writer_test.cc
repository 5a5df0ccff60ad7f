#include "winnow/directory_writer.h"

#include <dirent.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace winnow {
namespace {

TEST(TitleSlug, KeepsLettersAndDigitsOfAnyScript) {
  EXPECT_EQ(TitleSlug("Redis 持久化機制：RDB 與 AOF 該怎麼選"), "Redis-持久化機制-RDB-與-AOF-該怎麼選");
  EXPECT_EQ(TitleSlug("C++11 右值引用"), "C-11-右值引用");
}

TEST(TitleSlug, NeverMakesPathsOrHiddenFiles) {
  EXPECT_EQ(TitleSlug("../../etc/passwd"), "etc-passwd");
  EXPECT_EQ(TitleSlug(".hidden"), "hidden");
  EXPECT_EQ(TitleSlug("a\x01\x1b[31mb\n"), "a-31mb");
  EXPECT_EQ(TitleSlug(""), "untitled");
  EXPECT_EQ(TitleSlug("…/…"), "untitled");
}

TEST(TitleSlug, BoundedAtACharacterBoundary) {
  std::string title;
  for (int i = 0; i < 100; ++i) title += "汉";
  const std::string slug = TitleSlug(title, 80);
  EXPECT_EQ(slug.size(), 78u);  // 26 characters of 3 bytes; a 27th would pass 80
  EXPECT_EQ(TitleSlug("ab cd", 4), "ab-c");
  EXPECT_EQ(TitleSlug("ab 汉字", 5), "ab");  // "ab-汉" is 6 bytes; never a dangling "-"
}

TEST(DirectoryWriter, OneFilePerRecordNoCollisionsNoTemporaries) {
  char pattern[] = "/tmp/winnow-dir-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  DirectoryWriter writer(dir, OutputFormat::kMarkdown);
  for (int i = 0; i < 2; ++i) {  // the same record twice: same id, two files
    Record record;
    record.source = "a.txt";
    record.title = "标题/一";
    record.body.push_back(BodyLine{"正文。", 3, false, {}});
    writer.Accept(std::move(record));
  }
  EXPECT_TRUE(writer.ok()) << writer.error();
  EXPECT_EQ(writer.files_written(), 2u);
  std::set<std::string> names;
  DIR* d = opendir(dir.c_str());
  while (const dirent* entry = readdir(d)) {
    if (entry->d_name[0] != '.') names.insert(entry->d_name);
  }
  closedir(d);
  ASSERT_EQ(names.size(), 2u);
  const std::string first = *names.begin();
  EXPECT_EQ(first.substr(16), "-标题-一-2.md");
  EXPECT_EQ(names.rbegin()->substr(16), "-标题-一.md");
  std::ifstream in(dir + "/" + *names.rbegin());
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("# 标题/一"), std::string::npos) << text.str();
  std::system(("rm -rf '" + dir + "'").c_str());
}

TEST(DirectoryWriter, ReportsAFileItCannotWrite) {
  DirectoryWriter writer("/nonexistent-winnow-dir", OutputFormat::kJsonl);
  Record record;
  record.title = "t";
  record.body.push_back(BodyLine{"x", 1, false, {}});
  writer.Accept(std::move(record));
  EXPECT_FALSE(writer.ok());
  EXPECT_NE(writer.error().find("/nonexistent-winnow-dir/"), std::string::npos);
  EXPECT_NE(writer.error().find("No such file or directory"), std::string::npos);
}

}  // namespace
}  // namespace winnow

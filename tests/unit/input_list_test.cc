#include "winnow/input_list.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace winnow {
namespace {

class CollectingDiagnostics : public DiagnosticSink {
 public:
  void Report(const Diagnostic& d) override { messages.push_back(FormatDiagnostic(d)); }
  std::vector<std::string> messages;
};

class InputListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/winnow-input-list-XXXXXX";
    root_ = mkdtemp(pattern);
  }
  void TearDown() override { std::system(("rm -rf '" + root_ + "'").c_str()); }
  void Touch(const std::string& relative) {
    std::ofstream(root_ + "/" + relative) << "x\n";
  }
  void Dir(const std::string& relative) { mkdir((root_ + "/" + relative).c_str(), 0755); }
  std::vector<std::string> Paths(const std::vector<InputFile>& inputs) {
    std::vector<std::string> paths;
    for (const InputFile& input : inputs) paths.push_back(input.path.substr(root_.size() + 1));
    return paths;
  }

  std::string root_;
  CollectingDiagnostics diagnostics_;
};

TEST_F(InputListTest, WalksDirectoriesInSortedOrderDepthFirst) {
  Dir("d");
  Dir("d/b");
  Touch("d/c.txt");
  Touch("d/a.txt");
  Touch("d/b/z.txt");
  std::vector<InputFile> inputs;
  InputListOptions options;
  options.recursive = true;
  EXPECT_TRUE(ExpandInputs({root_ + "/d"}, options, &diagnostics_, &inputs));
  EXPECT_EQ(Paths(inputs), (std::vector<std::string>{"d/a.txt", "d/b/z.txt", "d/c.txt"}));
  EXPECT_FALSE(inputs[0].named);
}

TEST_F(InputListTest, DirectoryWithoutRecursiveIsAnError) {
  Dir("d");
  std::vector<InputFile> inputs;
  EXPECT_FALSE(ExpandInputs({root_ + "/d", "-"}, InputListOptions(), &diagnostics_, &inputs));
  ASSERT_EQ(diagnostics_.messages.size(), 1u);
  EXPECT_EQ(diagnostics_.messages[0],
            root_ + "/d: error: Is a directory (use -r to clean the files under it)");
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].path, "-");
  EXPECT_TRUE(inputs[0].named);
}

TEST_F(InputListTest, ReportsASymlinkLoopOnceAndEntersADirectoryOnce) {
  Dir("d");
  Dir("d/a");
  Touch("d/a/page.txt");
  ASSERT_EQ(symlink("..", (root_ + "/d/a/up").c_str()), 0);
  ASSERT_EQ(symlink("../../d", (root_ + "/d/a/up2").c_str()), 0);
  ASSERT_EQ(symlink("a", (root_ + "/d/same").c_str()), 0);
  std::vector<InputFile> inputs;
  InputListOptions options;
  options.recursive = true;
  EXPECT_TRUE(ExpandInputs({root_ + "/d"}, options, &diagnostics_, &inputs));
  EXPECT_EQ(Paths(inputs), (std::vector<std::string>{"d/a/page.txt"}));
  ASSERT_EQ(diagnostics_.messages.size(), 1u);
  EXPECT_NE(diagnostics_.messages[0].find("d/a/up: warning: symbolic link loop"),
            std::string::npos)
      << diagnostics_.messages[0];
}

TEST(SplitFileList, SplitsOnNewlinesOrNuls) {
  EXPECT_EQ(SplitFileList("a\nb c\n\nd", false), (std::vector<std::string>{"a", "b c", "d"}));
  EXPECT_EQ(SplitFileList(std::string("a\nb\0c\0", 6), true),
            (std::vector<std::string>{"a\nb", "c"}));
}

}  // namespace
}  // namespace winnow

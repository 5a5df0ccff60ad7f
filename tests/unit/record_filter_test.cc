#include "winnow/record_filter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace winnow {
namespace {

class CollectingSink : public RecordSink {
 public:
  void Accept(Record&& record) override { accepted.push_back(record.title); }
  void Reject(Record&& record, DropReason reason, const std::string&) override {
    rejected.emplace_back(record.title, reason);
  }
  std::vector<std::string> accepted;
  std::vector<std::pair<std::string, DropReason>> rejected;
};

Record MakeRecord(RecordKind kind, uint64_t page, std::string title, std::string text,
                  bool truncated = false) {
  Record record;
  record.source = "page.txt";
  record.kind = kind;
  record.page = page;
  record.title = std::move(title);
  record.truncated = truncated;
  if (!text.empty()) record.body.push_back(BodyLine{std::move(text), 1, false, {}});
  return record;
}

class RecordFilterTest : public ::testing::Test {
 protected:
  TextNormalizer normalizer_;
  CollectingSink sink_;
};

TEST_F(RecordFilterTest, DropsTruncatedTeasers) {
  RecordFilter filter(FilterOptions(), &normalizer_, &sink_);
  filter.Accept(MakeRecord(RecordKind::kRelated, 0, "条目", "开头", true));
  ASSERT_EQ(sink_.rejected.size(), 1u);
  EXPECT_EQ(sink_.rejected[0].second, DropReason::kTruncatedTeaser);
}

TEST_F(RecordFilterTest, KeepTeasersEmitsThem) {
  FilterOptions options;
  options.keep_teasers = true;
  RecordFilter filter(options, &normalizer_, &sink_);
  filter.Accept(MakeRecord(RecordKind::kRelated, 0, "条目", "开头", true));
  EXPECT_EQ(sink_.accepted.size(), 1u);
}

// The teaser filter drops before repair only what the full filter would drop as a truncated
// teaser; the rest goes on, unchanged, for RecordFilter to decide.
TEST_F(RecordFilterTest, TeaserFilterDropsOnlySureTruncatedTeasers) {
  TeaserFilter filter(FilterOptions(), &normalizer_, &sink_);
  filter.Accept(MakeRecord(RecordKind::kArticle, 0, "标题", "正文"));
  filter.Accept(MakeRecord(RecordKind::kRelated, 0, "别的条目", "开头", true));
  filter.Accept(MakeRecord(RecordKind::kRelated, 0, "Other entry", "Opening words", true));
  filter.Accept(MakeRecord(RecordKind::kRelated, 0, "标 题", "正文", true));   // same title
  filter.Accept(MakeRecord(RecordKind::kRelated, 0, "空的", "&nbsp;", true));  // may end empty
  filter.Accept(MakeRecord(RecordKind::kRelated, 0, "x", "a&amp;b", true));    // references
  filter.Accept(MakeRecord(RecordKind::kRelated, 0, "完整", "没有截断。"));    // not cut
  filter.Accept(MakeRecord(RecordKind::kRelated, 1, "标题", "正文", true));    // next page
  ASSERT_EQ(sink_.rejected.size(), 3u);
  EXPECT_EQ(sink_.rejected[0].first, "别的条目");
  EXPECT_EQ(sink_.rejected[1].first, "Other entry");
  EXPECT_EQ(sink_.rejected[2].first, "标题");
  for (const auto& rejected : sink_.rejected) {
    EXPECT_EQ(rejected.second, DropReason::kTruncatedTeaser);
  }
  EXPECT_EQ(sink_.accepted,
            (std::vector<std::string>{"标题", "标 题", "空的", "x", "完整"}));
}

// A title the splitter kept a match view of is compared through that view, spaces ignored,
// and must match the article's title view whole: neither a prefix nor a longer title passes.
TEST_F(RecordFilterTest, TeaserFilterComparesTheKeptTitleViewWithoutItsSpaces) {
  TeaserFilter filter(FilterOptions(), &normalizer_, &sink_);
  filter.Accept(MakeRecord(RecordKind::kArticle, 0, "标题 二", "正文"));
  const auto related = [](std::string title, std::string key) {
    Record record = MakeRecord(RecordKind::kRelated, 0, std::move(title), "开头", true);
    record.title_key = std::move(key);
    return record;
  };
  filter.Accept(related("a", "标 题 二 "));  // same title
  filter.Accept(related("b", "标题"));       // a prefix of it
  filter.Accept(related("c", "标题二三"));   // longer
  filter.Accept(related("d", "标题三"));     // differs
  EXPECT_EQ(sink_.accepted, (std::vector<std::string>{"标题 二", "a"}));
  ASSERT_EQ(sink_.rejected.size(), 3u);
  EXPECT_EQ(sink_.rejected[0].first, "b");
  EXPECT_EQ(sink_.rejected[1].first, "c");
  EXPECT_EQ(sink_.rejected[2].first, "d");
}

TEST_F(RecordFilterTest, TeaserFilterPassesEverythingWhenTeasersAreKept) {
  FilterOptions options;
  options.keep_teasers = true;
  TeaserFilter filter(options, &normalizer_, &sink_);
  filter.Accept(MakeRecord(RecordKind::kArticle, 0, "标题", "正文"));
  filter.Accept(MakeRecord(RecordKind::kRelated, 0, "别的条目", "开头", true));
  EXPECT_TRUE(sink_.rejected.empty());
  EXPECT_EQ(sink_.accepted.size(), 2u);
}

TEST_F(RecordFilterTest, DropsExactDuplicatesAcrossPages) {
  RunDeduplicator dedup(FilterOptions(), &sink_);
  RecordFilter filter(FilterOptions(), &normalizer_, &dedup);
  filter.Accept(MakeRecord(RecordKind::kArticle, 0, "标题", "正文,一样。"));
  filter.Accept(MakeRecord(RecordKind::kArticle, 1, "标题", "正文，一样。"));  // width differs
  filter.Accept(MakeRecord(RecordKind::kArticle, 2, "标题", "正文不一样。"));
  EXPECT_EQ(sink_.accepted.size(), 2u);
  ASSERT_EQ(sink_.rejected.size(), 1u);
  EXPECT_EQ(sink_.rejected[0].second, DropReason::kDuplicate);
}

TEST_F(RecordFilterTest, KeepDuplicatesEmitsThem) {
  FilterOptions options;
  options.keep_duplicates = true;
  RunDeduplicator dedup(options, &sink_);
  RecordFilter filter(options, &normalizer_, &dedup);
  filter.Accept(MakeRecord(RecordKind::kArticle, 0, "标题", "正文。"));
  filter.Accept(MakeRecord(RecordKind::kArticle, 1, "标题", "正文。"));
  EXPECT_EQ(sink_.accepted.size(), 2u);
}

TEST_F(RecordFilterTest, TeaserThatRepeatsItsPagesArticleIsADuplicate) {
  FilterOptions options;
  options.keep_teasers = true;
  RecordFilter filter(options, &normalizer_, &sink_);
  Record article = MakeRecord(RecordKind::kArticle, 0, "标题", "引言");
  article.body.push_back(BodyLine{"", 0, false, {}});
  article.body.push_back(BodyLine{"本文接着上一篇,继续分析。", 3, false, {}});
  filter.Accept(std::move(article));
  filter.Accept(MakeRecord(RecordKind::kRelated, 0, "标题", "引言 本文接着上一篇,继", true));
  filter.Accept(MakeRecord(RecordKind::kRelated, 0, "标题", "另一段开头", true));
  EXPECT_EQ(sink_.accepted.size(), 2u);
  ASSERT_EQ(sink_.rejected.size(), 1u);
  EXPECT_EQ(sink_.rejected[0].second, DropReason::kDuplicate);
}

TEST_F(RecordFilterTest, TeaserCutFromTheArticlesSecondParagraphIsADuplicate) {
  RecordFilter filter(FilterOptions(), &normalizer_, &sink_);
  Record article = MakeRecord(RecordKind::kArticle, 0, "标题", "大家好,我是老王。");
  article.body.push_back(BodyLine{"", 0, false, {}});
  article.body.push_back(BodyLine{"在 Go 里,一个请求往往会启动多个 goroutine。", 3, false, {}});
  filter.Accept(std::move(article));
  filter.Accept(MakeRecord(RecordKind::kRelated, 0, "标题", "在 Go 里，一个请求往往会启动", true));
  filter.Accept(MakeRecord(RecordKind::kRelated, 0, "标题", "在 Rust 里", true));
  ASSERT_EQ(sink_.rejected.size(), 2u);
  EXPECT_EQ(sink_.rejected[0].second, DropReason::kDuplicate);
  EXPECT_EQ(sink_.rejected[1].second, DropReason::kTruncatedTeaser);
}

// Issue 6: with -j N the run-wide dedup sees records in input order, after each input's own
// filter; the first occurrence wins even when its input was cleaned later.
TEST_F(RecordFilterTest, RunDedupKeepsTheFirstRecordItIsGiven) {
  TextNormalizer other_normalizer;
  CollectingSink first_sink;
  CollectingSink second_sink;
  RecordFilter second(FilterOptions(), &other_normalizer, &second_sink);
  RecordFilter first(FilterOptions(), &normalizer_, &first_sink);
  Record late = MakeRecord(RecordKind::kArticle, 0, "标题", "正文。");
  late.source = "b.txt";
  second.Accept(std::move(late));  // cleaned first, on another thread
  first.Accept(MakeRecord(RecordKind::kArticle, 0, "标题", "正文。"));
  ASSERT_EQ(first_sink.accepted.size(), 1u);
  ASSERT_EQ(second_sink.accepted.size(), 1u);

  RunDeduplicator dedup(FilterOptions(), &sink_);
  Record a;
  a.title = "from a";
  a.dedup_key = Fingerprint128("key");
  Record b;
  b.title = "from b";
  b.dedup_key = Fingerprint128("key");
  dedup.Accept(std::move(a));
  dedup.Accept(std::move(b));
  ASSERT_EQ(sink_.accepted.size(), 1u);
  EXPECT_EQ(sink_.accepted[0], "from a");
  ASSERT_EQ(sink_.rejected.size(), 1u);
  EXPECT_EQ(sink_.rejected[0].second, DropReason::kDuplicate);
}

// Spaces at every offset of keys of every length up to 50, appended after views of several
// lengths: every space goes, nothing else does.
TEST(AppendWithoutSpaces, DropsEverySpaceAtEveryOffset) {
  const std::string filler = "ab\xE4\xB8\xAD\xE6\x96\x87" "cdefgh";
  auto naive = [](std::string_view key) {
    std::string out;
    for (char c : key) {
      if (c != ' ') out += c;
    }
    return out;
  };
  for (size_t length = 0; length <= 50; ++length) {
    std::string base;
    while (base.size() < length) base += filler;
    base.resize(length);
    for (size_t first = 0; first <= length; ++first) {
      for (size_t second = first; second <= length; second += 7) {
        std::string key = base;
        if (first < length) key[first] = ' ';
        if (second < length) key[second] = ' ';
        for (const std::string& before : {std::string(), std::string("x"), std::string(17, 'y')}) {
          std::string view = before;
          AppendWithoutSpaces(key, &view);
          ASSERT_EQ(view, before + naive(key)) << "key '" << key << "'";
        }
      }
    }
  }
  std::string view = "v";
  AppendWithoutSpaces(std::string(40, ' '), &view);
  EXPECT_EQ(view, "v");
}

TEST(FingerprintSet, InsertsEachFingerprintOnceAcrossGrowth) {
  FingerprintSet set;
  for (uint64_t i = 0; i < 5000; ++i) {
    EXPECT_TRUE(set.Insert(Fingerprint128(std::to_string(i))));
  }
  for (uint64_t i = 0; i < 5000; ++i) {
    EXPECT_FALSE(set.Insert(Fingerprint128(std::to_string(i)))) << i;
  }
  EXPECT_TRUE(set.Insert(Fingerprint{0, 0}));  // the empty-slot marker is a value too
  EXPECT_FALSE(set.Insert(Fingerprint{0, 0}));
  EXPECT_TRUE(set.Insert(Fingerprint{0, 1}));
  EXPECT_EQ(set.size(), 5001u);
  EXPECT_LE(set.memory(), 5001u * 16 * 4 / 3 * 2);  // 16-byte slots, at least 3/8 full
}

TEST_F(RecordFilterTest, DropsEmptyRecords) {
  RecordFilter filter(FilterOptions(), &normalizer_, &sink_);
  filter.Accept(MakeRecord(RecordKind::kArticle, 0, "", ""));
  filter.Accept(MakeRecord(RecordKind::kRelated, 0, "只有标题", ""));
  filter.Accept(MakeRecord(RecordKind::kArticle, 1, "只有标题的文章", ""));
  EXPECT_EQ(sink_.accepted.size(), 0u);
  ASSERT_EQ(sink_.rejected.size(), 3u);
  for (const auto& rejected : sink_.rejected) EXPECT_EQ(rejected.second, DropReason::kEmpty);
}

}  // namespace
}  // namespace winnow

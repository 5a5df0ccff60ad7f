#include "winnow/pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "winnow/fingerprint.h"
#include "winnow/output_file.h"
#include "winnow/record_filter.h"
#include "winnow/record_writer.h"
#include "winnow/rejects_writer.h"
#include "winnow/rule_file.h"

#include "gzip_text.h"

namespace winnow {
namespace {

class CollectingDiagnostics : public DiagnosticSink {
 public:
  void Report(const Diagnostic& d) override { text += FormatDiagnostic(d) + "\n"; }
  std::string text;
};

// After the rejects writer: the records themselves are compared in the writer's output.
class IgnoringSink : public RecordSink {
 public:
  void Accept(Record&&) override {}
  void Reject(Record&&, DropReason, const std::string&) override {}
};

std::unique_ptr<RuleEngine> BuiltinEngine() {
  std::vector<Rule> rules;
  std::string error;
  EXPECT_TRUE(LoadBuiltinRules(&rules, &error)) << error;
  std::unique_ptr<RuleEngine> engine = RuleEngine::Compile(std::move(rules), &error);
  EXPECT_NE(engine, nullptr) << error;
  return engine;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct RunOutput {
  std::string records;
  std::string rejects;  // every dropped record and line, with its place
  std::string diagnostics;
  std::string summary;
  std::string counts;  // of bytes and lines, which Format leaves out
};

// `slow_merge`: the merging thread pauses after every item, so that the other threads get
// units to clean even on a loaded machine, where one thread may otherwise clean them all.
RunOutput CleanWith(const RuleEngine& engine, const std::vector<InputFile>& inputs, unsigned threads,
              size_t segment_bytes, std::vector<const RuleEngine*> thread_engines = {},
              bool slow_merge = false) {
  CleanOptions options;
  if (slow_merge) {
    options.should_stop = [] {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
      return false;
    };
  }
  options.threads = threads;
  options.thread_engines = std::move(thread_engines);
  options.segment_bytes = segment_bytes;
  options.max_buffered_bytes = 2048;  // threads wait on the merge often
  StringOutput out;
  StringOutput rejected;
  CollectingDiagnostics diagnostics;
  std::unique_ptr<RecordWriter> writer = MakeRecordWriter(OutputFormat::kJsonl, &out);
  IgnoringSink ignored;
  RejectsWriter rejects(&rejected, &ignored);
  CleanPipeline pipeline(engine, options, writer.get(), &diagnostics, &rejects);
  pipeline.CleanInputs(inputs);
  writer->Finish();
  const RunSummary& summary = pipeline.summary();
  return RunOutput{out.text(), rejected.text(), diagnostics.text, summary.Format(),
                   std::to_string(summary.input_bytes) + " input bytes, " +
                       std::to_string(summary.bytes) + " bytes, " +
                       std::to_string(summary.lines) + " lines"};
}

class PipelineThreadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/winnow-pipeline-XXXXXX";
    dir_ = mkdtemp(pattern);
    // Every test page, concatenated into one dump (many pages, breadcrumbs and pages that
    // start straight with their title), with a damaged byte in the middle; then the pages
    // again as separate files.
    const char* cases[] = {"seed-megatron", "multipage-breadcrumbs", "multipage-straight-title",
                           "cpp-move-semantics", "redis-persistence-traditional",
                           "multipage-empty-body", "mysql-index-damage", "linux-cgroup-toc",
                           "seed-megatron", "vue-debounce-spread"};
    std::string dump;
    for (const char* name : cases) {
      const std::string page =
          ReadFile(std::string(WINNOW_SOURCE_DIR) + "/testdata/pages/" + name + "/input.txt");
      const std::string path = dir_ + "/" + name + ".txt";
      std::ofstream(path, std::ios::binary) << page;
      pages_.push_back(InputFile{path, true});
      dump += page;
      if (dump.back() != '\n') dump += '\n';
      if (std::string(name) == "cpp-move-semantics") dump += "stray \xff byte\n";
    }
    dump_ = InputFile{dir_ + "/dump.txt", true};
    std::ofstream(dump_.path, std::ios::binary) << dump;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

  std::string dir_;
  std::vector<InputFile> pages_;
  InputFile dump_;
};

// Issue 6: -j N gives the bytes -j 1 gives, also when one input is cut into segments.
TEST_F(PipelineThreadsTest, SegmentedDumpGivesTheSameRecordsAsOneThread) {
  auto engine = BuiltinEngine();
  const RunOutput one = CleanWith(*engine, {dump_}, 1, 0);
  ASSERT_FALSE(one.records.empty());
  for (unsigned threads : {2u, 3u}) {
    for (size_t segment : {size_t{64}, size_t{700}, size_t{5000}, size_t{1} << 20}) {
      const RunOutput many = CleanWith(*engine, {dump_}, threads, segment);
      EXPECT_EQ(many.records, one.records) << threads << " threads, segment " << segment;
      EXPECT_EQ(many.rejects, one.rejects) << threads << " threads, segment " << segment;
      EXPECT_EQ(many.diagnostics, one.diagnostics) << threads << " threads, " << segment;
      EXPECT_EQ(many.summary, one.summary) << threads << " threads, segment " << segment;
      EXPECT_EQ(many.counts, one.counts) << threads << " threads, segment " << segment;
    }
  }
}

TEST_F(PipelineThreadsTest, ManyInputsGiveTheSameRecordsAsOneThread) {
  auto engine = BuiltinEngine();
  std::vector<InputFile> inputs = pages_;
  inputs.push_back(InputFile{dir_ + "/missing.txt", true});
  inputs.push_back(dump_);
  const RunOutput one = CleanWith(*engine, inputs, 1, 0);
  EXPECT_NE(one.diagnostics.find("missing.txt: error: No such file or directory"),
            std::string::npos);
  for (unsigned threads : {2u, 4u}) {
    const RunOutput many = CleanWith(*engine, inputs, threads, 300);
    EXPECT_EQ(many.records, one.records) << threads;
    EXPECT_EQ(many.rejects, one.rejects) << threads;
    EXPECT_EQ(many.diagnostics, one.diagnostics) << threads;
    EXPECT_EQ(many.summary, one.summary) << threads;
    EXPECT_EQ(many.counts, one.counts) << threads;
  }
}

std::string Gzip(const std::string& text) { return testing_inputs::GzipText(text); }

// Writes `text` to `path` and returns it as a named input.
InputFile WriteInput(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return InputFile{path, true};
}

// Holds a segmented run of `input` at 2 and 3 threads against the one-thread run, at segment
// sizes that cut it often, rarely and not at all.
void ExpectSegmentedRunsMatchOneThread(const RuleEngine& engine, const InputFile& input) {
  const RunOutput one = CleanWith(engine, {input}, 1, 0);
  ASSERT_FALSE(one.records.empty());
  for (unsigned threads : {2u, 3u}) {
    for (size_t segment : {size_t{64}, size_t{900}, size_t{6000}, size_t{1} << 20}) {
      const RunOutput many = CleanWith(engine, {input}, threads, segment);
      EXPECT_EQ(many.records, one.records) << threads << " threads, segment " << segment;
      EXPECT_EQ(many.rejects, one.rejects) << threads << " threads, segment " << segment;
      EXPECT_EQ(many.diagnostics, one.diagnostics) << threads << " threads, " << segment;
      EXPECT_EQ(many.summary, one.summary) << threads << " threads, segment " << segment;
      EXPECT_EQ(many.counts, one.counts) << threads << " threads, segment " << segment;
    }
  }
}

// A segment's thread numbers its lines from the segment's start, and the merge adds the lines
// of the segments before it: line numbers in records, rejects and warnings must come out as
// one thread gives them, with CRLF and lone CR terminators as with LF only.
TEST_F(PipelineThreadsTest, SegmentsOfCrLfAndCrTextNumberLinesAsOneThread) {
  auto engine = BuiltinEngine();
  const std::string dump = ReadFile(dump_.path);
  std::string crlf;
  std::string cr;  // every seventh LF made a lone CR
  size_t newlines = 0;
  for (char c : dump) {
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    cr += c == '\n' && (++newlines % 7 == 0) ? '\r' : c;
  }
  const InputFile crlf_input = WriteInput(dir_ + "/crlf.txt", crlf);
  const RunOutput one = CleanWith(*engine, {crlf_input}, 1, 0);
  EXPECT_NE(one.diagnostics.find("invalid UTF-8"), std::string::npos) << one.diagnostics;
  ExpectSegmentedRunsMatchOneThread(*engine, crlf_input);
  ExpectSegmentedRunsMatchOneThread(*engine, WriteInput(dir_ + "/lf-cr.txt", cr));
}

// The last segment is read to the end of the input, which here has no final newline (and
// one page with no page start after it, so a segment also reads on past max_bytes).
TEST_F(PipelineThreadsTest, SegmentedInputWithoutFinalNewlineGivesTheSameRecords) {
  auto engine = BuiltinEngine();
  std::string dump = ReadFile(dump_.path);
  while (!dump.empty() && dump.back() == '\n') dump.pop_back();
  ExpectSegmentedRunsMatchOneThread(*engine, WriteInput(dir_ + "/no-newline.txt", dump));
}

// A file read in place from several threads: the reader of the first segment strips the
// BOM, and no later segment may start at a page whose first line starts with one (dumps of
// concatenated files), as its reader would strip that too.
TEST_F(PipelineThreadsTest, SegmentsOfAFileWithByteOrderMarksGiveTheSameRecords) {
  auto engine = BuiltinEngine();
  const std::string bom = "\xEF\xBB\xBF";
  std::string dump;
  for (const InputFile& page : pages_) dump += bom + ReadFile(page.path) + "\n";
  ExpectSegmentedRunsMatchOneThread(*engine, WriteInput(dir_ + "/boms.txt", dump));
}

// Cleaning threads after the first match with engines of their own when they are given some:
// a copy of the rules gives the records one engine gives, and the copies are used (an
// engine without the notice and share-bar rules gives other records).
TEST_F(PipelineThreadsTest, ThreadEnginesAreUsedAndGiveTheSameRecords) {
  auto engine = BuiltinEngine();
  auto copy = BuiltinEngine();
  std::vector<Rule> rules = engine->rules();
  for (Rule& rule : rules) {
    if (rule.id.rfind("notice.", 0) == 0 || rule.id.rfind("share.", 0) == 0) {
      rule.enabled = false;
    }
  }
  std::string error;
  auto other = RuleEngine::Compile(rules, &error);
  ASSERT_NE(other, nullptr) << error;
  const RunOutput one = CleanWith(*engine, {dump_}, 1, 0);
  for (unsigned threads : {2u, 3u}) {
    const RunOutput same = CleanWith(*engine, {dump_}, threads, 700, {copy.get(), copy.get()});
    EXPECT_EQ(same.records, one.records) << threads;
    EXPECT_EQ(same.rejects, one.rejects) << threads;
    EXPECT_EQ(same.summary, one.summary) << threads;
  }
  // Which units the second thread takes depends on timing, so a run may give it none that
  // holds a notice; small segments, a merge that pauses and a few tries make a false failure
  // all but impossible.
  bool differed = false;
  for (int attempt = 0; attempt < 5 && !differed; ++attempt) {
    differed =
        CleanWith(*engine, {dump_}, 2, 64, {other.get()}, true).records != one.records;
  }
  EXPECT_TRUE(differed);
}

// A compressed input is cut into segments after decompression.
TEST_F(PipelineThreadsTest, SegmentedGzipInputGivesTheSameRecords) {
  auto engine = BuiltinEngine();
  const InputFile gz = WriteInput(dir_ + "/dump.txt.gz", Gzip(ReadFile(dump_.path)));
  ExpectSegmentedRunsMatchOneThread(*engine, gz);
  // and the same as the uncompressed dump, but for the source name in the ids and records
  const RunOutput plain = CleanWith(*engine, {dump_}, 1, 0);
  const RunOutput unzipped = CleanWith(*engine, {gz}, 2, 700);
  EXPECT_EQ(unzipped.summary, plain.summary);
}

// Many small inputs, each its own unit, make many small batches: the merge hands each back to
// the thread that filled it while that thread goes on with the next inputs, and a thread's
// last batches come back after it has ended. Records and counts must be those of one thread.
TEST_F(PipelineThreadsTest, ManySmallInputsGiveTheSameRecordsAsOneThread) {
  auto engine = BuiltinEngine();
  std::vector<InputFile> inputs;
  for (int round = 0; round < 12; ++round) {
    for (const InputFile& page : pages_) inputs.push_back(page);
    inputs.push_back(WriteInput(dir_ + "/tiny" + std::to_string(round) + ".txt",
                                round % 2 == 0 ? "x" : ""));
  }
  const RunOutput one = CleanWith(*engine, inputs, 1, 0);
  ASSERT_FALSE(one.records.empty());
  for (unsigned threads : {2u, 3u}) {
    for (size_t segment : {size_t{200}, size_t{1} << 20}) {
      const RunOutput many = CleanWith(*engine, inputs, threads, segment);
      EXPECT_EQ(many.records, one.records) << threads << " threads, segment " << segment;
      EXPECT_EQ(many.rejects, one.rejects) << threads << " threads, segment " << segment;
      EXPECT_EQ(many.diagnostics, one.diagnostics) << threads << " threads, " << segment;
      EXPECT_EQ(many.summary, one.summary) << threads << " threads, segment " << segment;
      EXPECT_EQ(many.counts, one.counts) << threads << " threads, segment " << segment;
    }
  }
}

// The repair stage weighs a page's punctuation width over the page's records so far, and
// knows a page by its source and number. An input named twice gives its page numbers again:
// the second reading must start afresh, or its article follows the first reading's whole
// page (the related entries' ASCII commas) and loses its decoded `，`.
TEST_F(PipelineThreadsTest, AnInputNamedTwiceIsCleanedAlikeBothTimes) {
  const InputFile page = WriteInput(dir_ + "/width.txt",
                                    "当前位置: 首页 > news >正文\n"
                                    "缓存穿透的三种解法\n\n"
                                    "缓存穿透指查询一个根本不存在的数据&#xff0c;请求每次都会落到数据库上。\n\n"
                                    "相关文章:\n\n"
                                    "布隆过滤器原理\n\n"
                                    "布隆过滤器用一个位数组和几个哈希函数,判断一个元素一定不在集合中,"
                                    "或者可能在集合中,误判率可以通过位数组大小来控制,实际很常见。\n");
  auto engine = BuiltinEngine();
  for (unsigned threads : {1u, 2u}) {
    CleanOptions options;
    options.threads = threads;
    options.filter.keep_duplicates = true;
    StringOutput out;
    CollectingDiagnostics diagnostics;
    std::unique_ptr<RecordWriter> writer = MakeRecordWriter(OutputFormat::kJsonl, &out);
    CleanPipeline pipeline(*engine, options, writer.get(), &diagnostics);
    pipeline.CleanInputs({page, page});
    writer->Finish();
    const std::string& text = out.text();
    ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 4) << text;
    const size_t half = text.find('\n', text.find('\n') + 1) + 1;
    EXPECT_EQ(text.substr(half), text.substr(0, half)) << threads << " threads";
    EXPECT_NE(text.find("数据，请求"), std::string::npos) << text;
  }
}

// The dedup filter reuses the splitter's match views of the lines (and entry titles) that
// repair left alone. Whatever it reused, each emitted record's dedup key must be the one its
// own title and text give when viewed afresh, on every test page.
TEST(PipelineDedupKeys, ReusedMatchViewsGiveTheKeysFreshViewsGive) {
  class Collecting : public RecordSink {
   public:
    void Accept(Record&& record) override { accepted.push_back(std::move(record)); }
    void Reject(Record&&, DropReason, const std::string&) override {}
    std::vector<Record> accepted;
  };
  auto engine = BuiltinEngine();
  std::vector<InputFile> inputs;
  for (const auto& entry :
       std::filesystem::directory_iterator(WINNOW_SOURCE_DIR "/testdata/pages")) {
    if (std::filesystem::exists(entry.path() / "input.txt")) {
      inputs.push_back(InputFile{(entry.path() / "input.txt").string(), true});
    }
  }
  ASSERT_GE(inputs.size(), 16u);
  for (bool keep_teasers : {false, true}) {
    CleanOptions options;
    options.threads = 1;
    options.filter.keep_teasers = keep_teasers;
    options.filter.keep_duplicates = true;  // every record gets its key checked
    Collecting sink;
    CollectingDiagnostics diagnostics;
    CleanPipeline pipeline(*engine, options, &sink, &diagnostics);
    pipeline.CleanInputs(inputs);
    ASSERT_GE(sink.accepted.size(), 20u);
    TextNormalizer normalizer;
    std::string line_key, title_view, text_view;
    for (const Record& record : sink.accepted) {
      MakeDedupView(&normalizer, record.title, &line_key, &title_view);
      MakeDedupView(&normalizer, record.Text(), &line_key, &text_view);
      const Fingerprint fresh = Fingerprint128(title_view + '\x1f' + text_view);
      EXPECT_TRUE(record.dedup_key == fresh) << record.source << ": " << record.title;
    }
  }
}

}  // namespace
}  // namespace winnow

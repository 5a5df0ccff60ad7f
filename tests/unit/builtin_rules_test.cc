// The built-in rules checked against their own examples and against article lines that no
// rule may touch. Examples are raw lines: they go through the same match view as real input.
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <re2/re2.h>

#include "winnow/rule_engine.h"
#include "winnow/rule_examples.h"
#include "winnow/rule_file.h"
#include "winnow/text_normalize.h"

namespace winnow {
namespace {

constexpr RuleScope kLineScopes[] = {RuleScope::kHead, RuleScope::kBody, RuleScope::kTail};

class BuiltinRules : public ::testing::Test {
 protected:
  // Compiled once for the suite; the engine is immutable and shared by the tests.
  static void SetUpTestSuite() {
    std::vector<Rule> rules;
    if (LoadBuiltinRules(&rules, &load_error_)) {
      engine_ = RuleEngine::Compile(std::move(rules), &load_error_);
    }
  }

  static void TearDownTestSuite() { engine_.reset(); }

  void SetUp() override { ASSERT_NE(engine_, nullptr) << load_error_; }

  std::string Key(const std::string& line) {
    std::string key;
    normalizer_.MatchKey(line, &key);
    return key;
  }

  static std::unique_ptr<RuleEngine> engine_;
  static std::string load_error_;
  TextNormalizer normalizer_;
};

std::unique_ptr<RuleEngine> BuiltinRules::engine_;
std::string BuiltinRules::load_error_;

TEST_F(BuiltinRules, HasAtLeast35RulesWithUniqueIdsAndEnoughExamples) {
  const std::vector<Rule>& rules = engine_->rules();
  EXPECT_GE(rules.size(), 35u);
  std::set<std::string> ids;
  for (const Rule& rule : rules) {
    EXPECT_TRUE(ids.insert(rule.id).second) << "duplicate id " << rule.id;
    EXPECT_EQ(rule.origin, "builtin");
    EXPECT_FALSE(rule.description.empty()) << rule.id;
    EXPECT_GE(rule.examples.match.size(), 2u) << rule.id;
    EXPECT_GE(rule.examples.keep.size(), 2u) << rule.id;
  }
}

TEST_F(BuiltinRules, BuiltinTextIsTheEmbeddedFile) {
  std::string_view text = BuiltinRuleText();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.front(), '{');
  EXPECT_NE(text.find("\"nav.breadcrumb\""), std::string_view::npos);
}

// Each match example matches its rule, and in the rule's scope (each of head, body and tail
// for an any rule) the first matching rule has the same action: no earlier rule shadows it
// with a different effect.
TEST_F(BuiltinRules, EveryMatchExampleMatchesItsRuleWithItsAction) {
  for (const Rule& rule : engine_->rules()) {
    for (const std::string& example : rule.examples.match) {
      std::string key = Key(example);
      EXPECT_TRUE(engine_->RuleMatches(rule, key))
          << rule.id << " does not match its example '" << example << "' (key '" << key << "')";
      std::vector<RuleScope> scopes;
      if (rule.scope == RuleScope::kAny) {
        scopes.assign(std::begin(kLineScopes), std::end(kLineScopes));
      } else {
        scopes.push_back(rule.scope);
      }
      for (RuleScope scope : scopes) {
        const Rule* first = engine_->Match(key, scope);
        ASSERT_NE(first, nullptr) << rule.id << " example '" << example << "' in "
                                  << RuleScopeName(scope);
        EXPECT_EQ(first->action, rule.action)
            << rule.id << " example '" << example << "' is taken in " << RuleScopeName(scope)
            << " by " << first->id << " (" << RuleActionName(first->action) << ")";
      }
    }
  }
}

// What `winnow rules --test` runs on the built-in rules.
TEST_F(BuiltinRules, CheckRuleExamplesFindsNoFailure) {
  ExampleReport report = CheckRuleExamples(*engine_, &normalizer_);
  EXPECT_EQ(report.rules, engine_->rules().size());
  for (const ExampleFailure& failure : report.failures) {
    ADD_FAILURE() << FormatExampleFailure(failure);
  }
}

// Every run compiles every rule before it reads a line, so start-up is paid per file of a
// sharded corpus. A big class such as \p{So} costs about 0.35 ms each time it is written: a
// pattern that repeats one in each of its alternatives should name it once, before them.
TEST_F(BuiltinRules, EveryPatternCompilesToASmallProgram) {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  for (const Rule& rule : engine_->rules()) {
    const RE2 regex(rule.pattern, options);
    ASSERT_TRUE(regex.ok()) << rule.id;
    EXPECT_LE(regex.ProgramSize(), 5000) << rule.id;
  }
}

TEST_F(BuiltinRules, NoKeepExampleMatchesItsRule) {
  for (const Rule& rule : engine_->rules()) {
    for (const std::string& example : rule.examples.keep) {
      EXPECT_FALSE(engine_->RuleMatches(rule, Key(example)))
          << rule.id << " matches its keep example '" << example << "'";
    }
  }
}

TEST_F(BuiltinRules, PageStartsAndTailStartsComeBeforeLineDrops) {
  size_t last_start = 0;
  size_t first_drop_line = engine_->rules().size();
  for (size_t i = 0; i < engine_->rules().size(); ++i) {
    RuleAction action = engine_->rules()[i].action;
    if (action == RuleAction::kStartPage || action == RuleAction::kStartTail) last_start = i;
    if (action == RuleAction::kDropLine) first_drop_line = std::min(first_drop_line, i);
  }
  EXPECT_LT(last_start, first_drop_line);
}

// Article lines from the tricky cases of DOMAIN.md and the test pages: no rule may match
// them in the body, and none may start a page, start a tail or end the body anywhere.
TEST_F(BuiltinRules, ArticleLinesMatchNoRule) {
  const char* const kArticleLines[] = {
      "如果觉得有用请在评论区讨论相关文章的写法。",
      "相关概念",
      "参考文章",
      "相关文章的推荐算法",
      "这篇笔记发到团队群里之后,大家纷纷点赞,还有人提议把 reflog 写进新人手册!",
      "• 提交历史里如果包含了别人的代码,合并前要确认版权和开源协议,别为了省事直接复制。",
      "1. 安装依赖",
      "1、只看响应头",
      "3.1 限制 CPU",
      "目录结构如下:",
      "项目的目录结构如下:",
      "进入项目目录后执行 npm install。",
      "本文接着上一篇【Megatron-LM GPT 源码分析(二) Sequence Parallel分析】,基于开源代码。",
      "引言",
      "一、函数也是对象",
      "### 一个典型的 Dockerfile",
      "    #include <iostream>",
      "    let sum 0;",
      "    for (var i 0; i < n; i)",
      "    ./configure --prefix=/usr/local && make && make install",
      "    curl \"https://api.example.com/v1/items?a=1&copy=2\"",
      "    console.log('点赞 收藏 分享')",
      "    */5 * * * * /opt/scripts/backup.sh >> /var/log/backup.log 2>&1",
      "Ownership is a set of rules that govern how a Rust program manages memory.",
      "Skip to content links help keyboard users jump past the menu.",
      "Copyright law differs from country to country.",
      "Related work is discussed in section 2.",
      "Next, install the dependencies.",
      "点赞和收藏的数据结构设计",
      "版权所有者可以授权他人使用。",
      "当前位置:北京市海淀区",
      "获取当前位置的经纬度需要调用定位接口。",
      "上一篇我们介绍了Redis的安装,这一篇讲集群。",
      "运行结果如下:",
      "图片压缩的原理",
      "注意 & 必须第一个替换,否则后面生成的 &lt; 里的 & 又会被替换成 &amp;。",
      "0",
      "10000",
      "2.5",
  };
  for (const char* line : kArticleLines) {
    std::string key = Key(line);
    const Rule* in_body = engine_->Match(key, RuleScope::kBody);
    EXPECT_EQ(in_body, nullptr) << "'" << line << "' matches " << in_body->id << " in body";
    for (RuleScope scope : kLineScopes) {
      const Rule* rule = engine_->Match(key, scope);
      if (rule == nullptr) continue;
      EXPECT_EQ(rule->action, RuleAction::kDropLine)
          << "'" << line << "' is taken by " << rule->id << " in " << RuleScopeName(scope);
    }
  }
}

// Teasers of a related list, including one holding a flattened table of contents, must not
// look like a page start or a footer: the splitter reads them as entries.
TEST_F(BuiltinRules, RelatedTeasersMatchNoRuleInTail) {
  const char* const kTeasers[] = {
      "浅谈Docker原理",
      "文章目录 前言命名空间控制组分层存储镜像和容器Docker EngineDocker Registry 前言 Docker "
      "是一种容器化技术&#xff0c;它通过利用 Linux 内核提供的虚拟化技术和隔离机制&#xff0c;实现了更"
      "轻量级的应用程序虚拟化方案 命名空间 Docker 使用了 Linux 的命名空间特性&a…...",
      "目录 响应式系统 性能优化 Composition API TypeScript支持 总结 Vue.js是一款流行的JavaScript框架"
      "&#xff0c;用于构建用户界面。…...",
      "C++ 完美转发 std::forward 原理...",
      "Python---使用turtle模块+for循环绘制五角星---利用turtle(海龟)模块",
  };
  for (const char* teaser : kTeasers) {
    const Rule* rule = engine_->Match(Key(teaser), RuleScope::kTail);
    EXPECT_EQ(rule, nullptr) << "'" << teaser << "' matches " << rule->id;
  }
}

TEST_F(BuiltinRules, BreadcrumbStartsAPageInEveryScope) {
  for (RuleScope scope : kLineScopes) {
    const Rule* rule = engine_->Match(Key("当前位置: 首页 > news >正文"), scope);
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(rule->id, "nav.breadcrumb");
  }
}

TEST_F(BuiltinRules, HeadOnlyRulesStayInTheHead) {
  std::string key = Key("发布于 2024-06-27");
  ASSERT_NE(engine_->Match(key, RuleScope::kHead), nullptr);
  EXPECT_EQ(engine_->Match(key, RuleScope::kBody), nullptr);
  EXPECT_EQ(engine_->Match(Key("57"), RuleScope::kHead), nullptr);
  EXPECT_NE(engine_->Match(Key("57"), RuleScope::kBody), nullptr);
}

struct TitleCase {
  const char* title;
  const char* stripped;
};

TEST_F(BuiltinRules, TitleSuffixesAreStripped) {
  const TitleCase kCases[] = {
      {"Python 装饰器从入门到实战 - CSDN博客", "Python 装饰器从入门到实战"},
      {"C++ 多线程详解_程序员小明的博客-CSDN博客", "C++ 多线程详解"},
      {"Python_基础语法_weixin_43456789的博客-CSDN博客", "Python_基础语法"},
      {"MySQL 索引失效的 8 种常见场景_编程知识", "MySQL 索引失效的 8 种常见场景"},
      {"Spring-Boot 入门 - 张三 - 博客园", "Spring-Boot 入门"},
      {"Julia元组、字典、集合 - 腾讯云开发者社区-腾讯云", "Julia元组、字典、集合"},
      {"Git 误删提交怎么办?先别慌...", "Git 误删提交怎么办?先别慌..."},
  };
  for (const TitleCase& test : kCases) {
    std::string title = Key(test.title);
    const Rule* rule = engine_->Match(title, RuleScope::kTitle);
    if (rule != nullptr) {
      EXPECT_EQ(rule->action, RuleAction::kStripMatch);
      EXPECT_TRUE(engine_->StripMatch(*rule, &title));
    }
    EXPECT_EQ(title, test.stripped) << test.title;
  }
}

}  // namespace
}  // namespace winnow

#include "winnow/markdown_writer.h"

#include <vector>

namespace winnow {
namespace {

// True when body[i] is a blank line inside a code block: code on both sides of the blank run.
bool BlankInsideCode(const std::vector<BodyLine>& body, size_t i) {
  if (i == 0 || !body[i - 1].is_code) return false;
  size_t j = i;
  while (j < body.size() && body[j].text.empty()) ++j;
  return j < body.size() && body[j].is_code;
}

// A fence longer than any backtick run in the block, so code holding ``` stays intact.
std::string FenceFor(const std::vector<BodyLine>& body, size_t begin, size_t end) {
  size_t longest = 0;
  for (size_t i = begin; i < end; ++i) {
    size_t run = 0;
    for (char c : body[i].text) {
      run = c == '`' ? run + 1 : 0;
      if (run > longest) longest = run;
    }
  }
  return std::string(longest >= 3 ? longest + 1 : 3, '`');
}

}  // namespace

void MarkdownWriter::Accept(Record&& record) {
  text_.clear();
  if (!first_) text_.append("\n---\n\n");
  first_ = false;
  if (!record.title.empty()) {
    text_.append("# ");
    text_.append(record.title);
    text_.append("\n\n");
  }
  const std::vector<BodyLine>& body = record.body;
  size_t i = 0;
  while (i < body.size()) {
    if (body[i].is_code) {
      size_t end = i;
      while (end < body.size() && (body[end].is_code || (body[end].text.empty() &&
                                                         BlankInsideCode(body, end)))) {
        ++end;
      }
      const std::string fence = FenceFor(body, i, end);
      text_.append(fence);
      text_.push_back('\n');
      for (size_t k = i; k < end; ++k) {
        text_.append(body[k].text);
        text_.push_back('\n');
      }
      text_.append(fence);
      text_.push_back('\n');
      i = end;
      continue;
    }
    text_.append(body[i].text);
    text_.push_back('\n');
    ++i;
  }
  out_->Write(text_);
}

}  // namespace winnow

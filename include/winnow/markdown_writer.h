// Markdown output: per record `# title`, a blank line, the body with code lines fenced in
// ``` blocks, and `---` between records.
#ifndef WINNOW_MARKDOWN_WRITER_H_
#define WINNOW_MARKDOWN_WRITER_H_

#include <string>

#include "winnow/record_writer.h"

namespace winnow {

class MarkdownWriter : public RecordWriter {
 public:
  using RecordWriter::RecordWriter;
  void Accept(Record&& record) override;

 private:
  bool first_ = true;
  std::string text_;
};

}  // namespace winnow

#endif  // WINNOW_MARKDOWN_WRITER_H_

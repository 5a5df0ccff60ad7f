#include "winnow/directory_writer.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <utility>

#include "winnow/jsonl_writer.h"
#include "winnow/markdown_writer.h"
#include "winnow/output_file.h"

namespace winnow {

std::string TitleSlug(std::string_view title, size_t max_bytes) {
  std::string slug;
  bool pending_dash = false;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(title.size());
  while (i < n) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(title.data(), i, n, c);
    const bool keep = c >= 0 && (u_isalnum(c) || u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC));
    if (!keep) {
      pending_dash = !slug.empty();
      continue;
    }
    const size_t width = static_cast<size_t>(i - start) + (pending_dash ? 1 : 0);
    if (slug.size() + width > max_bytes) break;
    if (pending_dash) slug.push_back('-');
    pending_dash = false;
    slug.append(title.data() + start, static_cast<size_t>(i - start));
  }
  return slug.empty() ? "untitled" : slug;
}

DirectoryWriter::DirectoryWriter(std::string dir, OutputFormat format)
    : dir_(std::move(dir)), format_(format) {
  if (!dir_.empty() && dir_.back() != '/') dir_.push_back('/');
}

void DirectoryWriter::Accept(Record&& record) {
  if (!ok()) return;
  const std::string extension = format_ == OutputFormat::kMarkdown ? ".md" : ".json";
  const std::string stem = RecordId(record) + "-" + TitleSlug(record.title);
  std::string name = stem + extension;
  for (int k = 2; !names_.insert(name).second; ++k) {
    name = stem + "-" + std::to_string(k) + extension;
  }
  const std::string path = dir_ + name;
  std::string error;
  std::unique_ptr<AtomicFileOutput> out = AtomicFileOutput::Create(path, &error);
  if (out == nullptr) {
    error_ = path + ": " + error;
    return;
  }
  std::unique_ptr<RecordWriter> writer = MakeRecordWriter(
      format_ == OutputFormat::kMarkdown ? OutputFormat::kMarkdown : OutputFormat::kJsonl,
      out.get());
  writer->Accept(std::move(record));
  writer->Finish();
  if (!out->Commit(&error)) {
    error_ = path + ": " + error;
    return;
  }
  ++files_written_;
}

}  // namespace winnow

// The line loop shared by the JSONL readers: checks that apply to any line (over-long, BOM,
// empty) are made here, once; each reader parses the lines that pass.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "harness/bundle_loader.h"
#include "harness/content_hash.h"
#include "harness/line_reader.h"
#include "harness/problem_list.h"

namespace zooter {

// What a reader gets for one line. `data` is the line, NUL-terminated and writable (for
// in-situ parsing), and `text` the same bytes until data is rewritten; `excerpt` is a copy of
// its first bytes, valid after that.
struct JsonlLine {
  std::size_t number = 0;
  char* data = nullptr;
  std::string_view text;
  std::string_view excerpt;
};

template <typename OnLine>
void for_each_jsonl_line(const std::string& path, const LoadOptions& options,
                         ProblemList& problems, ContentHash& hash, OnLine on_line) {
  LineReader reader(path, options.max_line_bytes);
  LineReader::Line line;
  std::size_t lines = 0;
  while (reader.next(line)) {
    ++lines;
    if (line.too_long) {
      problems.add(line.number, "line longer than " + std::to_string(options.max_line_bytes) +
                                    " bytes; not parsed");
      continue;
    }
    hash.update(line.text);
    if (line.number == 1 && reader.starts_with_bom()) {
      problems.add(1, "starts with a UTF-8 byte-order mark; save the file without it", line.text);
      continue;
    }
    if (const std::size_t nul = line.text.find('\0'); nul != std::string_view::npos) {
      // Parsers stop at a NUL: whatever follows would be dropped without a word.
      problems.add(line.number, "column " + std::to_string(nul + 1) + ": NUL byte in line",
                   line.text);
      continue;
    }
    if (line.text.find_first_not_of(" \t") == std::string_view::npos) {
      problems.add(line.number, "empty line", line.text);
      continue;
    }
    char head[96];
    const std::size_t head_size = std::min(line.text.size(), sizeof head);
    if (head_size == sizeof head) {
      std::memcpy(head, line.text.data(), sizeof head);  // fixed size: a few vector moves
    } else {
      std::memcpy(head, line.text.data(), head_size);
    }
    on_line(JsonlLine{line.number, line.data, line.text, std::string_view(head, head_size)});
  }
  if (lines == 0) problems.add(0, "file is empty");
}

}  // namespace zooter

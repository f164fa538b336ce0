// Reads a text file line by line in large blocks, without holding the whole file.
//
// Accepts LF and CRLF line ends (the CR is stripped). A line longer than the limit is not
// returned whole: it is reported as over-long and skipped to its end, so one bad line cannot
// exhaust memory. A final line without a newline is returned like any other.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace zooter {

class LineReader {
 public:
  // Throws InputError when the file cannot be opened (see input_file.h: a directory, a FIFO or a
  // device is refused).
  LineReader(std::string path, std::size_t max_line_bytes);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  struct Line {
    std::string_view text;     // without the line end; valid until the next call; mutable bytes
    char* data = nullptr;      // same bytes as text, writable (for in-situ parsing)
    std::size_t number = 0;    // 1-based
    bool too_long = false;     // text is empty; the line was longer than max_line_bytes
    bool had_cr = false;       // the line ended in CRLF
  };

  // Reads the next line; returns false at end of file.
  [[nodiscard]] bool next(Line& line);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::size_t bytes_read() const { return bytes_read_; }
  // First bytes of the file (for BOM detection), available after the first next().
  [[nodiscard]] bool starts_with_bom() const { return bom_; }

 private:
  bool fill();

  std::string path_;
  std::size_t max_line_bytes_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // start of unread data in buffer_
  std::size_t end_ = 0;    // end of valid data in buffer_
  bool eof_ = false;
  bool first_ = true;
  bool bom_ = false;
  std::size_t line_number_ = 0;
  std::size_t bytes_read_ = 0;
};

}  // namespace zooter

// Reads CSV records as RFC 4180 defines them, streaming, with the line each record starts on,
// so importers and decision files can report problems as "path:line: message".
//
// A quoted field may hold commas, doubled quotes ("") and line breaks; RouterBench's pandas
// exports rely on all three. The separator is ',' and the quote '"'; this is not a sniffer for
// other dialects. LF and CRLF record ends are accepted, a leading UTF-8 byte-order mark is
// skipped, and an empty line (nothing between two line breaks) is skipped, as Python's csv
// module does: it holds no field. A field that is not well-formed UTF-8 is a problem (the
// bundle an importer writes must be UTF-8). What the fields mean is the caller's business.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

namespace zooter {

class ProblemList;

struct CsvRecord {
  std::vector<std::string> fields;
  std::size_t line = 0;  // 1-based line on which the record starts
};

class CsvReader {
 public:
  // Throws InputError ("path: cannot open") when the file cannot be read. Malformed quoting
  // is added to `problems` (which must outlive the reader) at the line where it occurs, and
  // reading goes on as described at next().
  CsvReader(std::string path, ProblemList& problems);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record; returns false at the end of the file (a final line break does not
  // start another record). Recovery from malformed input, each also a problem: a quote inside
  // an unquoted field is kept as a character; text after a closing quote is appended to the
  // field; a quoted field still open at the end of the file ends there (the problem names the
  // line where it opened).
  [[nodiscard]] bool next(CsvRecord& record);
  // Reads the header record: next(), and a problem for every column name that appears more than
  // once (an empty name aside), since which of the two a reader would take is arbitrary.
  // Importers read their header with this and nothing else.
  [[nodiscard]] bool next_header(CsvRecord& header);

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  int get();                    // the next byte (consumed), or EOF
  int peek(std::size_t ahead);  // the byte `ahead` places after the next one, or EOF

  std::string path_;
  ProblemList& problems_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::size_t line_ = 1;  // line of the next byte
  bool started_ = false;
};

}  // namespace zooter

#include "harness/csv_reader.h"

#include <fmt/format.h>

#include <cstring>
#include <map>
#include <string_view>

#include "harness/error.h"
#include "harness/input_file.h"
#include "harness/json_checks.h"
#include "harness/problem_list.h"

namespace zooter {
namespace {

constexpr std::size_t kBlock = 1 << 16;

}  // namespace

CsvReader::CsvReader(std::string path, ProblemList& problems)
    : path_(std::move(path)), problems_(problems), buffer_(kBlock) {
  file_ = open_input_file(path_);
}

CsvReader::~CsvReader() {
  if (file_ != nullptr) std::fclose(file_);
}

int CsvReader::peek(std::size_t ahead) {
  if (begin_ + ahead >= end_ && file_ != nullptr) {
    // Keep the unread bytes and top the buffer up; `ahead` is at most 2, far below a block.
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    while (end_ <= ahead) {
      const std::size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
      if (got == 0) break;
      end_ += got;
    }
  }
  if (begin_ + ahead >= end_) return EOF;
  return static_cast<unsigned char>(buffer_[begin_ + ahead]);
}

int CsvReader::get() {
  const int c = peek(0);
  if (c == EOF) return EOF;
  ++begin_;
  if (c == '\n') ++line_;
  return c;
}

bool CsvReader::next(CsvRecord& record) {
  record.fields.clear();
  if (!started_) {
    started_ = true;
    if (peek(0) == 0xEF && peek(1) == 0xBB && peek(2) == 0xBF) begin_ += 3;
  }
  // Skip empty lines; a lone CR (not part of CRLF) is data, not a line end.
  for (;;) {
    const int c = peek(0);
    if (c == EOF) return false;
    if (c == '\n') {
      get();
    } else if (c == '\r' && peek(1) == '\n') {
      get();
      get();
    } else {
      break;
    }
  }
  record.line = line_;
  std::string field;
  for (;;) {
    field.clear();
    bool unquoted = true;
    if (peek(0) == '"') {
      get();
      const std::size_t opened = line_;
      for (;;) {
        const int c = get();
        if (c == EOF) {
          problems_.add(opened, "quoted field is never closed (a '\"' is missing)");
          record.fields.push_back(std::move(field));
          return true;
        }
        if (c == '"') {
          if (peek(0) != '"') break;
          get();
        }
        field += static_cast<char>(c);
      }
      const int after = peek(0);
      unquoted =
          !(after == ',' || after == '\n' || after == EOF || (after == '\r' && peek(1) == '\n'));
      if (unquoted) problems_.add(line_, "text after the closing quote of a field");
    }
    if (unquoted) {
      bool stray_quote = false;
      for (;;) {
        const int c = peek(0);
        if (c == EOF || c == ',' || c == '\n' || (c == '\r' && peek(1) == '\n')) break;
        get();
        if (c == '"' && !stray_quote) {
          stray_quote = true;
          problems_.add(line_,
                        "'\"' inside an unquoted field (quote the field and double its quotes)");
        }
        field += static_cast<char>(c);
      }
    }
    if (const std::size_t bad = invalid_utf8_at(field); bad != std::string::npos) {
      problems_.add(record.line, fmt::format("field {}: byte {} is not valid UTF-8 (the file must be UTF-8)",
                                             record.fields.size() + 1, bad + 1));
    }
    record.fields.push_back(std::move(field));
    const int end = get();
    if (end == ',') continue;
    if (end == '\r') get();  // the LF of a CRLF: the loop above stops at '\r' only then
    return true;
  }
}

bool CsvReader::next_header(CsvRecord& header) {
  if (!next(header)) return false;
  std::map<std::string_view, std::size_t> first;  // name -> 1-based column
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string_view name = header.fields[i];
    if (name.empty()) continue;
    const auto [it, added] = first.emplace(name, i + 1);
    if (!added) {
      problems_.add(header.line, fmt::format("column \"{}\" appears twice in the header (columns {} and {})",
                                             name, it->second, i + 1));
    }
  }
  return true;
}

}  // namespace zooter

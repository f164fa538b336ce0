// Collects the problems found in one input file so they can be reported together.
//
// Validation does not stop at the first bad line: the user gets every problem of a file
// (up to a limit, then a count of the rest), each as "path:line: message" plus an excerpt.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace zooter {

class ProblemList {
 public:
  explicit ProblemList(std::string path, std::size_t limit = 20)
      : path_(std::move(path)), limit_(limit) {}

  // line 0 means "the file as a whole". excerpt may be empty.
  void add(std::size_t line, std::string message, std::string_view excerpt = {});

  // The file's text, when held whole, for line_of(). `parsed` is a copy of it that a JSON parser
  // worked on in place (its escapes decoded, so its own newlines are not the file's): byte
  // offsets are taken in the copy, lines counted in the text.
  void set_source(std::string_view text, const char* parsed) {
    source_ = text;
    parsed_ = parsed;
  }
  // The 1-based line of a byte of the parsed copy, or 0 when there is none or it lies outside.
  [[nodiscard]] std::size_t line_of(const char* byte) const;

  [[nodiscard]] bool empty() const { return count_ == 0; }
  [[nodiscard]] std::size_t count() const { return count_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  // The first `limit` problems, each "path:line: message" (and "\n  | excerpt").
  [[nodiscard]] const std::vector<std::string>& shown() const { return shown_; }

  // Throws InputError holding every shown problem (and the count of the rest) when not empty.
  void throw_if_any() const;

 private:
  std::string path_;
  std::size_t limit_;
  std::size_t count_ = 0;
  std::vector<std::string> shown_;
  std::string_view source_;
  const char* parsed_ = nullptr;
};

// The first 80 bytes of a line, with control characters and bytes that are not UTF-8 shown as
// \xNN, for error excerpts.
[[nodiscard]] std::string excerpt_of(std::string_view line);

}  // namespace zooter

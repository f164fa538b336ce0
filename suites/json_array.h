// Reads a JSON file that holds one array (AlpacaEval's model_outputs.json and annotations.json,
// RouterDC's split files) and remembers the line of each element and of each of its keys, so an
// importer can report a bad field as "path:line: message" with that line as the excerpt.
//
// The whole file is parsed into a DOM: these files are a few MiB. Not for JSONL (one value a
// line), which the table importer reads line by line.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace zooter::suites {

class JsonArrayFile {
 public:
  // Throws InputError when the file cannot be read ("path: cannot open"), is not JSON
  // ("path:line: column C: invalid JSON: ...") or is not an array ("path:line: expected a JSON
  // array"). A leading UTF-8 byte-order mark is skipped.
  explicit JsonArrayFile(std::string path);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::size_t size() const { return document_.Size(); }
  [[nodiscard]] const rapidjson::Value& operator[](std::size_t i) const {
    return document_[static_cast<rapidjson::SizeType>(i)];
  }
  // The line on which element i starts.
  [[nodiscard]] std::size_t line(std::size_t i) const;
  // The line of the first key `key` of element i when it is an object with that key; otherwise
  // the element's own line.
  [[nodiscard]] std::size_t line(std::size_t i, std::string_view key) const;
  // The text of a 1-based line, without its line end (for excerpts).
  [[nodiscard]] std::string_view text_of_line(std::size_t line) const;

 private:
  [[nodiscard]] std::size_t line_of_offset(std::size_t offset) const;

  std::string path_;
  std::string text_;
  rapidjson::Document document_;
  std::vector<std::size_t> line_starts_;               // byte offset of each line's start
  std::vector<std::size_t> element_offsets_;           // one per element
  std::vector<std::vector<std::size_t>> key_offsets_;  // per element, one per member, in order
};

}  // namespace zooter::suites

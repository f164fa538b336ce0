#include "suites/json_array.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

#include "harness/error.h"
#include "harness/input_file.h"
#include "harness/json_checks.h"

namespace zooter::suites {
namespace {

// A SAX pass that only records where things start: where each top-level element begins and
// where each key of a top-level object is. The DOM keeps members in file order, so the n-th
// key offset belongs to the n-th member.
class OffsetRecorder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, OffsetRecorder> {
 public:
  OffsetRecorder(const rapidjson::StringStream& stream, std::vector<std::size_t>& elements,
                 std::vector<std::vector<std::size_t>>& keys)
      : stream_(stream), elements_(elements), keys_(keys) {}

  bool Default() {  // a scalar; the stream is just past it
    if (depth_ == 1) element(stream_.Tell());
    return true;
  }
  bool StartObject() { return open(); }
  bool StartArray() { return open(); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool EndArray(rapidjson::SizeType) { return close(); }
  bool Key(const char*, rapidjson::SizeType, bool) {
    if (depth_ == 2) keys_.back().push_back(stream_.Tell());
    return true;
  }

 private:
  bool open() {
    if (depth_ == 1) element(stream_.Tell() - 1);  // the stream is just past '{' or '['
    ++depth_;
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }
  void element(std::size_t offset) {
    elements_.push_back(offset);
    keys_.emplace_back();
  }

  const rapidjson::StringStream& stream_;
  std::vector<std::size_t>& elements_;
  std::vector<std::vector<std::size_t>>& keys_;
  int depth_ = 0;
};

}  // namespace

JsonArrayFile::JsonArrayFile(std::string path) : path_(std::move(path)) {
  text_ = read_input_file(path_);
  if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) text_[0] = text_[1] = text_[2] = ' ';
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
  document_.Parse<kJsonParseFlags>(text_.c_str(), text_.size());
  if (document_.HasParseError()) {
    const std::size_t offset = document_.GetErrorOffset();
    const std::size_t line = line_of_offset(offset);
    throw InputError(
        path_, line,
        "column " + std::to_string(offset - line_starts_[line - 1] + 1) +
            ": invalid JSON: " + rapidjson::GetParseError_En(document_.GetParseError()));
  }
  if (const std::optional<DuplicateKey> duplicate = find_duplicate_key(text_)) {
    throw InputError(path_, line_of_offset(duplicate->offset), duplicate_key_message(*duplicate));
  }
  if (!document_.IsArray()) {
    const std::size_t first = text_.find_first_not_of(" \t\r\n");
    throw InputError(path_, line_of_offset(first == std::string::npos ? 0 : first),
                     "expected a JSON array");
  }
  rapidjson::StringStream stream(text_.c_str());
  OffsetRecorder recorder(stream, element_offsets_, key_offsets_);
  rapidjson::Reader reader;
  reader.Parse<rapidjson::kParseFullPrecisionFlag>(stream, recorder);  // parsed above: cannot fail
}

std::size_t JsonArrayFile::line_of_offset(std::size_t offset) const {
  return static_cast<std::size_t>(
      std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) - line_starts_.begin());
}

std::size_t JsonArrayFile::line(std::size_t i) const {
  return line_of_offset(element_offsets_.at(i));
}

std::size_t JsonArrayFile::line(std::size_t i, std::string_view key) const {
  const rapidjson::Value& v = (*this)[i];
  if (v.IsObject()) {
    std::size_t n = 0;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it, ++n) {
      if (std::string_view(it->name.GetString(), it->name.GetStringLength()) == key) {
        return line_of_offset(key_offsets_.at(i).at(n));
      }
    }
  }
  return line(i);
}

std::string_view JsonArrayFile::text_of_line(std::size_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  const std::size_t begin = line_starts_[line - 1];
  std::size_t end = line < line_starts_.size() ? line_starts_[line] - 1 : text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(begin, end - begin);
}

}  // namespace zooter::suites

#include "live/query_file.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <optional>
#include <unordered_set>

#include "harness/content_hash.h"
#include "harness/error.h"
#include "harness/input_file.h"
#include "harness/json_checks.h"

namespace zooter::live {

QueryFile read_query_file(const std::string& path) {
  QueryFile file;
  file.path = path;
  file.bytes = read_input_file(path, "(expected the queries file)");
  ContentHash hash;
  hash.update(file.bytes);
  file.content_hash = hash.hex();
  std::unordered_set<std::string> seen;
  std::size_t line_number = 0;
  std::size_t begin = 0;
  while (begin < file.bytes.size()) {
    std::size_t end = file.bytes.find('\n', begin);
    if (end == std::string::npos) end = file.bytes.size();
    std::string_view line(file.bytes.data() + begin, end - begin);
    begin = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) throw InputError(path, line_number, "empty line");
    rapidjson::Document d;
    d.Parse<kJsonParseFlags>(line.data(), line.size());
    if (d.HasParseError()) {
      throw InputError(path, line_number, fmt::format("invalid JSON at column {}: {}", d.GetErrorOffset() + 1,
                                                      rapidjson::GetParseError_En(d.GetParseError())));
    }
    if (const std::optional<DuplicateKey> duplicate = find_duplicate_key(line)) {
      throw InputError(path, line_number, duplicate_key_message(*duplicate));
    }
    if (!d.IsObject()) throw InputError(path, line_number, "expected a JSON object");
    auto id = d.FindMember("id");
    if (id == d.MemberEnd() || !id->value.IsString() || id->value.GetStringLength() == 0) {
      throw InputError(path, line_number, "\"id\": expected a non-empty string");
    }
    auto text = d.FindMember("text");
    if (text == d.MemberEnd() || !text->value.IsString()) {
      throw InputError(path, line_number, "\"text\": expected a string (the query sent to the models)");
    }
    std::string id_text(id->value.GetString(), id->value.GetStringLength());
    if (!seen.insert(id_text).second) throw InputError(path, line_number, fmt::format("duplicate query id \"{}\"", id_text));
    file.ids.push_back(std::move(id_text));
    file.texts.emplace_back(text->value.GetString(), text->value.GetStringLength());
    file.lines.emplace_back(line);
  }
  if (file.ids.empty()) throw InputError(path, 0, "no queries");
  return file;
}

}  // namespace zooter::live

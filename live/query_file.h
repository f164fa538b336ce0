// Reads the queries a live job sends: a JSONL file of {"id": ..., "text": ...} objects (a
// bundle's queries.jsonl is one; other fields are ignored).
#pragma once

#include <string>
#include <vector>

namespace zooter::live {

struct QueryFile {
  std::string path;
  std::vector<std::string> ids;
  std::vector<std::string> texts;
  std::vector<std::string> lines;  // each query's line as read, without its line end
  std::string bytes;         // the file as read, copied into the output unchanged
  std::string content_hash;  // of `bytes`: the job identity
};

// Throws InputError "path:line: message" for invalid JSON, a missing or non-string id or text,
// a duplicate id or an empty file.
[[nodiscard]] QueryFile read_query_file(const std::string& path);

}  // namespace zooter::live

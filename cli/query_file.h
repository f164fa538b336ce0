// The queries file `zooter route --queries FILE` routes: JSONL, one {"id": ..., "text": ...}
// per line (a bundle's queries.jsonl is one: its other fields are ignored). Not a bundle reader:
// nothing here is checked against candidates or splits.
#pragma once

#include <string>
#include <vector>

namespace zooter::cli {

struct QueryText {
  std::string id;
  std::string text;
};

// Throws InputError listing every problem as "path:line: message" (bad JSON or UTF-8, a missing
// or non-string id or text, an id given twice).
[[nodiscard]] std::vector<QueryText> read_query_file(const std::string& path);

}  // namespace zooter::cli

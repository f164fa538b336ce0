// The readers of queries.jsonl and responses.jsonl, used by load_bundle. Internal to harness/.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "harness/bundle_loader.h"

namespace zooter {

struct Bundle;
class ContentHash;

// Query ids to rows, looked up by string_view without building a std::string per line.
struct IdHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using QueryIndex = std::unordered_map<std::string, std::uint32_t, IdHash, std::equal_to<>>;

// Each throws InputError holding every problem of its file.
void read_queries(const std::string& path, const LoadOptions& options, Bundle& bundle,
                  QueryIndex& index, ContentHash& hash);
void read_responses(const std::string& path, const LoadOptions& options, Bundle& bundle,
                    const QueryIndex& index, ContentHash& hash);

}  // namespace zooter

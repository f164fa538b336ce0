// Saving and loading trained routers (the format is docs/router-file.md):
//
//   line 1   zooter-router 1
//   line 2   one line of JSON: featuriser settings, model shape, candidates, how it was trained,
//            and the byte count and FNV-1a 64 checksum of the weights
//   then     the weights as little-endian IEEE-754 float32, in LinearModel's layout
//
// The bytes depend only on the router, so two identical routers save to identical files.
#pragma once

#include <string>
#include <string_view>

#include "adapters/router/router.h"

namespace zooter::adapters::router {

// Version 2: `labels.beta` is the tag labels' weight (0 = plain distillation). Version 1 files,
// whose beta weighted the query's own labels, are still read, with beta converted (1 - beta):
// the weights route the same, only the recorded option is restated.
inline constexpr int kRouterFileVersion = 2;

// The file's bytes.
[[nodiscard]] std::string router_bytes(const Router& router);

// Parses bytes read from `path` (named in errors). Throws InputError(path, line, message)
// for anything wrong: the header (line 1), the JSON or a field in it (line 2), the weights
// (line 0: their size, checksum, or a non-finite value).
[[nodiscard]] Router parse_router(std::string_view bytes, const std::string& path);

// Writes the file; throws InputError(path, 0, ...) when it cannot be written.
void save_router(const Router& router, const std::string& path);
// Reads and parses the file; throws InputError as parse_router, or when it cannot be read.
[[nodiscard]] Router load_router(const std::string& path);

}  // namespace zooter::adapters::router

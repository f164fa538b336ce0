// Reads and checks manifest.json of a replay bundle (docs/bundle-format.md).
#pragma once

#include <string>

namespace zooter {

struct Manifest;

// Parses the manifest at `path`; when `text` is given, the file's bytes are stored there. Throws InputError listing every problem found, each as
// "path: field.path: message" (or "path:line:column: ..." for invalid JSON).
[[nodiscard]] Manifest load_manifest(const std::string& path, std::string* text = nullptr);

// Parses manifest text; `path` is used in messages only.
[[nodiscard]] Manifest parse_manifest(const std::string& text, const std::string& path);

}  // namespace zooter

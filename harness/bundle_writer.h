// Writes a Bundle to a directory in the replay bundle format (docs/bundle-format.md).
//
// Output is a pure function of the Bundle: the same bundle always gives byte-identical files.
#pragma once

#include <string>

namespace zooter {

struct Bundle;
struct Manifest;

// Creates dir (and parents) if needed and writes manifest.json, queries.jsonl and
// responses.jsonl. Throws InputError naming the path when a file cannot be written.
void write_bundle(const Bundle& bundle, const std::string& dir);

// The manifest.json text of `manifest` (ends with a newline). Used by the tools that write a
// bundle one file at a time (zooter collect, zooter gold).
[[nodiscard]] std::string manifest_json(const Manifest& manifest);

}  // namespace zooter

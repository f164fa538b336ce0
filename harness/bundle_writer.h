// Writes a Bundle to a directory in the replay bundle format (docs/bundle-format.md).
//
// Output is a pure function of the Bundle: the same bundle always gives byte-identical files.
#pragma once

#include <string>

namespace zooter {

struct Bundle;

// Creates dir (and parents) if needed and writes manifest.json, queries.jsonl and
// responses.jsonl. Throws InputError naming the path when a file cannot be written.
void write_bundle(const Bundle& bundle, const std::string& dir);

}  // namespace zooter

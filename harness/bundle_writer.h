// Writes a Bundle to a directory in the replay bundle format (docs/bundle-format.md).
//
// Output is a pure function of the Bundle: the same bundle always gives byte-identical files.
#pragma once

#include <functional>
#include <string>

namespace zooter {

struct Bundle;
struct Manifest;

// Creates dir (and parents) if needed and writes manifest.json, queries.jsonl and
// responses.jsonl, all three or none. The files are written line by line (never held whole)
// into a temporary directory beside dir, each line checked against the loader's line limit
// (LoadOptions::max_line_bytes) as it is made: a line over it is an InputError
// "dir/FILE:LINE: ..." naming its query (and model). Then `check` (when given) is called on
// that directory, and only when it returns are they moved into dir: dir itself when it did not
// exist (one rename), else file by file, each with one rename. When a check or a write throws,
// dir is as it was and the temporary directory is removed. Throws InputError naming the path
// when a file cannot be written.
void write_bundle(const Bundle& bundle, const std::string& dir,
                  const std::function<void(const std::string& staged_dir)>& check = {});

// The manifest.json text of `manifest` (ends with a newline). Used by the tools that write a
// bundle one file at a time (zooter collect, zooter gold).
[[nodiscard]] std::string manifest_json(const Manifest& manifest);

}  // namespace zooter

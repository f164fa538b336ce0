// Loads a replay bundle directory into the columnar in-memory Bundle, validating strictly.
//
// Every problem of a file is reported together, each as "path:line: message" with an excerpt;
// nothing is dropped or defaulted silently (docs/bundle-format.md lists the checks).
#pragma once

#include <cstddef>
#include <string>

namespace zooter {

struct Bundle;

struct LoadOptions {
  bool with_text = false;                   // keep response texts in memory
  std::size_t max_problems_per_file = 20;   // shown; the rest are counted
  std::size_t max_line_bytes = 4u << 20;
  // A gold-pending bundle (docs/bundle-format.md) is refused unless this is set, so nothing
  // evaluates its missing gold by accident; zooter validate, gold and train (which may learn
  // from rewards alone) set it.
  bool allow_gold_pending = false;
  // Only for `zooter gold`, which replaces every gold score: in a gold-pending bundle, gold
  // fields are ignored instead of being errors. An interrupted `zooter gold` (responses.jsonl
  // replaced, manifest.json not yet) leaves exactly that, and rerunning it then completes it.
  bool ignore_pending_gold = false;
};

// Throws InputError (all problems of the first bad file) when the bundle is invalid, and
// "DIR: gold scores are pending ..." (before reading the JSONL files) when the manifest says
// gold is pending and options.allow_gold_pending is false.
[[nodiscard]] Bundle load_bundle(const std::string& dir, const LoadOptions& options = {});

}  // namespace zooter

// Loads a replay bundle directory into the columnar in-memory Bundle, validating strictly.
//
// Every problem of a file is reported together, each as "path:line: message" with an excerpt;
// nothing is dropped or defaulted silently (docs/bundle-format.md lists the checks). The JSONL
// files are parsed on the context's threads (jsonl_batches.h); the bundle and every message
// are the same for any thread count.
#pragma once

#include <cstddef>
#include <string>

namespace zooter {

struct Bundle;
class RunContext;

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
  // How the JSONL files are cut for parallel parsing (jsonl_batches.h): lines read before
  // parsing, and lines per block of work. Results do not depend on them; tests make them small
  // to put bad lines in different blocks and at their borders.
  std::size_t lines_per_batch = 1u << 14;
  std::size_t lines_per_block = 2048;
};

// Throws InputError (all problems of the first bad file) when the bundle is invalid, and
// "DIR: gold scores are pending ..." (before reading the JSONL files) when the manifest says
// gold is pending and options.allow_gold_pending is false.
[[nodiscard]] Bundle load_bundle(const std::string& dir, const LoadOptions& options = {});
// The same, parsing on ctx's threads.
[[nodiscard]] Bundle load_bundle(const std::string& dir, const LoadOptions& options,
                                 const RunContext& ctx);

}  // namespace zooter

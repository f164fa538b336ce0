// Adds gold scores to a gold-pending bundle (`zooter gold`, docs/live-collect.md): the step of
// collect -> score -> gold -> run that makes a live collection a bundle `zooter run` evaluates.
//
// All or nothing: every (query, model) of the bundle must get exactly one gold score on the
// scale of its subset's metric, or nothing is written. Not for grading answers: the scores come
// from whoever judged them (people, a benchmark's checker, an LLM judge).
#pragma once

#include <cstddef>
#include <string>

namespace zooter {

struct Metric;

struct GoldOptions {
  std::string scores_path;          // JSONL: {"query": ..., "model": ..., "gold": x} per line
  std::string out_dir;              // may be the bundle itself: files are replaced atomically
  const Metric* metric = nullptr;   // declared for the subsets that have no metric yet
};

struct GoldSummary {
  std::size_t scores = 0;            // responses that got their gold
  std::size_t metrics_declared = 0;  // subsets whose metric came from options.metric
};

// Reads the bundle at `dir` (which must be gold-pending) and the scores file, and writes the
// bundle with a "gold" in every response line and no pending flag in the manifest. Throws
// InputError listing every problem of the scores file as "path:line: message" (unknown, repeated
// or missing pair, gold off the scale, bad JSON), before anything is written; UsageError when
// subsets have no metric and options.metric is null, or options.metric is given but every
// subset has one.
GoldSummary add_gold(const std::string& dir, const GoldOptions& options);

}  // namespace zooter

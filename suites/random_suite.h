// A random bundle of any size: for benchmarks, determinism tests and trying zooter on a
// large input. Not calibrated to anything; the paper simulation is paper_sim.h.
#pragma once

#include <cstddef>
#include <cstdint>

#include "harness/bundle.h"

namespace zooter {
class RunContext;
}

namespace zooter::suites {

struct RandomSuiteOptions {
  std::size_t queries = 1000;
  std::size_t models = 4;
  std::size_t reward_models = 2;
  std::size_t subsets = 8;        // split over 2 groups: 0..1 win rates and 1..10 scores
  double train_fraction = 0.5;    // share of queries in the "train" split
  std::uint64_t seed = 1;
};

// Gold scores are a per-(subset, model) skill plus query noise, clipped to the scale; each
// reward model sees gold plus its own noise; texts are short strings of numbered words.
[[nodiscard]] Bundle make_random_bundle(const RandomSuiteOptions& options, const RunContext& ctx);

}  // namespace zooter::suites

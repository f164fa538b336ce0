// What an ensemble strategy did for one query: whose answer the user got, and what it cost to
// get there. Adapters produce decisions; the evaluator turns them into scores and costs.
#pragma once

#include <bit>
#include <cstdint>

namespace zooter {

struct Decision {
  // The answer is the expectation over a uniform draw among all candidates (the random
  // baseline reports exact expected values instead of one sampled run).
  static constexpr std::int16_t kUniform = -1;

  std::int16_t answer = 0;          // candidate whose answer the user receives, or kUniform
  std::uint64_t generated = 0;      // bit m set: candidate m generated a response
  std::uint64_t scored = 0;         // bit m set: candidate m's response was scored by a reward model
  std::int16_t reward_model = -1;   // the reward model that scored (when scored != 0)
  std::uint16_t router_calls = 0;   // forward passes of a learned router

  [[nodiscard]] int generations() const { return std::popcount(generated); }
  [[nodiscard]] int ranker_calls() const { return std::popcount(scored); }

  [[nodiscard]] static Decision single(int model) {
    Decision d;
    d.answer = static_cast<std::int16_t>(model);
    d.generated = std::uint64_t{1} << model;
    return d;
  }
};

}  // namespace zooter

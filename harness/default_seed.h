// The one default seed of every command and every learned adapter: `zooter run`, `ablate`,
// `synth` and `train` default to it, and so does router training. One value, so that
// `zooter train` followed by `zooter@file=ROUTER` gives the router `zooter@...` trains in a run.
// RunContext and stats::BootstrapOptions default to it too, so nothing draws with another seed
// unless it is asked to.
#pragma once

#include <cstdint>

namespace zooter {

inline constexpr std::uint64_t kDefaultSeed = 1;

}  // namespace zooter

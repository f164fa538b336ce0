// What a run needs besides its data: thread count, seed and the task arena all parallel work
// runs in. Passed down explicitly; there is no global thread setting.
#pragma once

#include <oneapi/tbb/task_arena.h>

#include <cstdint>
#include <memory>

#include "harness/default_seed.h"

namespace zooter {

class RunContext {
 public:
  // threads == 0 means all hardware threads. The seed defaults to the commands' (kDefaultSeed),
  // so a context built without one draws what `zooter run` draws without --seed.
  explicit RunContext(int threads = 1, std::uint64_t seed = kDefaultSeed);

  [[nodiscard]] int threads() const { return threads_; }
  [[nodiscard]] std::uint64_t seed() const { return seed_; }
  [[nodiscard]] oneapi::tbb::task_arena& arena() const { return *arena_; }

 private:
  int threads_;
  std::uint64_t seed_;
  std::unique_ptr<oneapi::tbb::task_arena> arena_;
};

}  // namespace zooter

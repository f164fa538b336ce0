#include "harness/run_context.h"

#include <algorithm>
#include <string>
#include <thread>

#include "harness/error.h"

namespace zooter {

RunContext::RunContext(int threads, std::uint64_t seed) : seed_(seed) {
  if (threads < 0) throw UsageError("--threads must be >= 0, got " + std::to_string(threads));
  if (threads == 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads_ = threads;
  // TBB never runs more workers than the machine has cores (it warns when asked to), so the
  // arena is capped there; results do not depend on the thread count either way.
  const int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  arena_ = std::make_unique<oneapi::tbb::task_arena>(std::min(threads_, hardware));
}

}  // namespace zooter

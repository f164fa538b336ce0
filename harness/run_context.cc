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
  arena_ = std::make_unique<oneapi::tbb::task_arena>(threads_);
}

}  // namespace zooter

// The one place zooter runs work in parallel. Every loop uses a fixed decomposition into
// blocks of kGrain items that does not depend on the thread count, and every result is written
// into a slot indexed by item or block, then folded in index order: output is byte-identical
// for any --threads N.
#pragma once

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include <cstddef>
#include <exception>
#include <vector>

#include "harness/run_context.h"

namespace zooter {

inline constexpr std::size_t kGrain = 1024;

// Calls body(begin, end) for consecutive blocks [begin, end) of [0, n) of at most `grain`
// items, in parallel inside the context's arena. The block boundaries depend only on n and
// grain. The first exception thrown by a body (lowest block index) is rethrown after all
// blocks finish, so the error reported does not depend on scheduling.
template <typename Body>
void parallel_blocks(const RunContext& ctx, std::size_t n, Body&& body,
                     std::size_t grain = kGrain) {
  if (n == 0) return;
  const std::size_t blocks = (n + grain - 1) / grain;
  auto run_block = [&](std::size_t b) {
    const std::size_t begin = b * grain;
    const std::size_t end = begin + grain < n ? begin + grain : n;
    body(begin, end);
  };
  if (ctx.threads() == 1 || blocks == 1) {
    for (std::size_t b = 0; b < blocks; ++b) run_block(b);
    return;
  }
  std::vector<std::exception_ptr> errors(blocks);
  ctx.arena().execute([&] {
    oneapi::tbb::parallel_for(
        oneapi::tbb::blocked_range<std::size_t>(0, blocks, 1),
        [&](const oneapi::tbb::blocked_range<std::size_t>& r) {
          for (std::size_t b = r.begin(); b != r.end(); ++b) {
            try {
              run_block(b);
            } catch (...) {
              errors[b] = std::current_exception();
            }
          }
        },
        oneapi::tbb::simple_partitioner());
  });
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

// Calls body(i) for every i in [0, n).
template <typename Body>
void parallel_for_each(const RunContext& ctx, std::size_t n, Body&& body,
                       std::size_t grain = kGrain) {
  parallel_blocks(
      ctx, n,
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) body(i);
      },
      grain);
}

// Returns {fn(0), ..., fn(n-1)}.
template <typename T, typename Fn>
[[nodiscard]] std::vector<T> parallel_map(const RunContext& ctx, std::size_t n, Fn&& fn,
                                          std::size_t grain = kGrain) {
  std::vector<T> out(n);
  parallel_for_each(ctx, n, [&](std::size_t i) { out[i] = fn(i); }, grain);
  return out;
}

// Deterministic sum: per-block partial sums folded in block order.
template <typename Fn>
[[nodiscard]] double parallel_sum(const RunContext& ctx, std::size_t n, Fn&& fn,
                                  std::size_t grain = kGrain) {
  const std::size_t blocks = (n + grain - 1) / grain;
  std::vector<double> partial(blocks, 0.0);
  parallel_blocks(
      ctx, n,
      [&](std::size_t begin, std::size_t end) {
        double s = 0.0;
        for (std::size_t i = begin; i < end; ++i) s += fn(i);
        partial[begin / grain] = s;
      },
      grain);
  double total = 0.0;
  for (double p : partial) total += p;
  return total;
}

}  // namespace zooter

// A Router shared by many threads that route at once (the serve command's workers): each call
// borrows a routing State from a pool and gives it back, so a request neither allocates a
// State (whose bucket bitmap alone is 32 KiB at the default dimension, cleared on creation)
// nor shares one. The pool grows to the number of calls in flight at the busiest moment.
//
// The pool is a fixed array of atomic slots, not a mutex-guarded list: serve's workers route on
// every request, and a mutex they all take puts a thread to sleep whenever two collide, which
// showed in the proxy's latency tail. Borrowing and giving back never wait.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <string_view>

#include "adapters/router/router.h"

namespace zooter::adapters::router {

class ConcurrentRouter {
 public:
  explicit ConcurrentRouter(std::shared_ptr<const Router> router);
  ~ConcurrentRouter();
  ConcurrentRouter(const ConcurrentRouter&) = delete;
  ConcurrentRouter& operator=(const ConcurrentRouter&) = delete;

  [[nodiscard]] const Router& router() const { return *router_; }
  // Router::route(text), from any thread.
  [[nodiscard]] std::size_t route(std::string_view text);
  // States made so far (at most the largest number of concurrent route() calls).
  [[nodiscard]] std::size_t states() const { return made_.load(std::memory_order_relaxed); }

  // Idle states kept; a state given back when every slot is full is freed instead.
  static constexpr std::size_t kSlots = 64;

 private:
  std::shared_ptr<const Router> router_;
  std::array<std::atomic<Router::State*>, kSlots> idle_{};  // owned; null: an empty slot
  std::atomic<std::size_t> made_{0};
};

}  // namespace zooter::adapters::router

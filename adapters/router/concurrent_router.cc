#include "adapters/router/concurrent_router.h"

#include <utility>

namespace zooter::adapters::router {

ConcurrentRouter::ConcurrentRouter(std::shared_ptr<const Router> router) : router_(std::move(router)) {}

ConcurrentRouter::~ConcurrentRouter() {
  for (std::atomic<Router::State*>& slot : idle_) delete slot.load(std::memory_order_relaxed);
}

std::size_t ConcurrentRouter::route(std::string_view text) {
  // Take the first idle state; exchange makes each one go to one caller only.
  std::unique_ptr<Router::State> state;
  for (std::atomic<Router::State*>& slot : idle_) {
    if (slot.load(std::memory_order_relaxed) == nullptr) continue;
    state.reset(slot.exchange(nullptr, std::memory_order_acquire));
    if (state) break;
  }
  if (!state) {
    state = std::make_unique<Router::State>();
    made_.fetch_add(1, std::memory_order_relaxed);
  }
  const std::size_t chosen = router_->route(text, *state);
  // Back into the first empty slot (release: the next borrower sees the state as this call left it).
  for (std::atomic<Router::State*>& slot : idle_) {
    Router::State* empty = nullptr;
    if (slot.compare_exchange_strong(empty, state.get(), std::memory_order_release, std::memory_order_relaxed)) {
      (void)state.release();
      break;
    }
  }
  return chosen;
}

}  // namespace zooter::adapters::router

#include "adapters/router/concurrent_router.h"

#include <utility>

namespace zooter::adapters::router {

ConcurrentRouter::ConcurrentRouter(std::shared_ptr<const Router> router) : router_(std::move(router)) {}

std::size_t ConcurrentRouter::route(std::string_view text) {
  std::unique_ptr<Router::State> state;
  {
    const std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      state = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++made_;
    }
  }
  if (!state) state = std::make_unique<Router::State>();
  const std::size_t chosen = router_->route(text, *state);
  const std::lock_guard lock(mutex_);
  idle_.push_back(std::move(state));
  return chosen;
}

std::size_t ConcurrentRouter::states() const {
  const std::lock_guard lock(mutex_);
  return made_;
}

}  // namespace zooter::adapters::router

// A Router shared by many threads that route at once (the serve command's workers): each call
// borrows a routing State from a pool and gives it back, so a request neither allocates a
// State (whose bucket bitmap alone is 32 KiB at the default dimension, cleared on creation)
// nor shares one. The pool grows to the number of calls in flight at the busiest moment.
#pragma once

#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "adapters/router/router.h"

namespace zooter::adapters::router {

class ConcurrentRouter {
 public:
  explicit ConcurrentRouter(std::shared_ptr<const Router> router);

  [[nodiscard]] const Router& router() const { return *router_; }
  // Router::route(text), from any thread.
  [[nodiscard]] std::size_t route(std::string_view text);
  // States made so far (at most the largest number of concurrent route() calls).
  [[nodiscard]] std::size_t states() const;

 private:
  std::shared_ptr<const Router> router_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Router::State>> idle_;
  std::size_t made_ = 0;
};

}  // namespace zooter::adapters::router

#include "live/concurrency_limit.h"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <memory>

#include "harness/error.h"

namespace zooter::live {

namespace asio = boost::asio;

// One acquire() waiting. It lives in that coroutine's frame (through a shared_ptr), and the queue
// points at it only while it waits: the frame takes it out before it goes, even when the frame is
// destroyed without resuming (an io_context destroyed at shutdown).
struct ConcurrencyLimit::Waiter {
  explicit Waiter(const asio::any_io_executor& executor) : executor(executor), timer(executor) {}
  asio::any_io_executor executor;
  // Waits until the deadline; cancelled, on the waiter's own executor, when a slot is handed over.
  asio::steady_timer timer;
  std::weak_ptr<Waiter> self;  // what the wake-up posted to the executor holds
  bool granted = false;
};

ConcurrencyLimit::Slot& ConcurrencyLimit::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    if (owner_ != nullptr) owner_->release();
    owner_ = std::exchange(other.owner_, nullptr);
  }
  return *this;
}

ConcurrencyLimit::Slot::~Slot() {
  if (owner_ != nullptr) owner_->release();
}

ConcurrencyLimit::ConcurrencyLimit(std::size_t limit) : limit_(limit) { ZOOTER_CHECK(limit >= 1); }

ConcurrencyLimit::~ConcurrencyLimit() { ZOOTER_CHECK(waiters_.empty()); }

std::size_t ConcurrencyLimit::in_flight() const {
  const std::lock_guard lock(mutex_);
  return in_flight_;
}

std::size_t ConcurrencyLimit::waiting() const {
  const std::lock_guard lock(mutex_);
  return waiters_.size();
}

void ConcurrencyLimit::stop_handing_over() {
  const std::lock_guard lock(mutex_);
  handing_over_ = false;
}

asio::awaitable<ConcurrencyLimit::Slot> ConcurrencyLimit::acquire(std::chrono::steady_clock::time_point deadline) {
  // Nobody overtakes a waiter: a slot given back goes to the queue's head, never to a newcomer.
  if (take_if_free()) co_return Slot(this);
  // The waiter (a timer and a shared_ptr) is made only when the slot is not free at once.
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  const auto waiter = std::make_shared<Waiter>(executor);
  waiter->self = waiter;
  bool free_now = false;
  {
    const std::lock_guard lock(mutex_);
    free_now = take_if_free_locked();  // freed while the waiter was made
    if (!free_now) waiters_.push_back(waiter.get());
  }
  if (free_now) co_return Slot(this);

  // Leaves the queue however this frame ends. Declared after `waiter`, so it runs first.
  struct QueueGuard {
    ConcurrencyLimit& limit;
    Waiter& waiter;
    bool done = false;
    ~QueueGuard() {
      if (!done && limit.leave(waiter)) limit.release();  // handed a slot it will never use
    }
  } guard{*this, *waiter};
  waiter->timer.expires_at(deadline);
  boost::system::error_code ec;  // operation_aborted: woken by release(); none: the deadline passed
  co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  guard.done = true;
  // A slot handed over just as the deadline passed is still taken: it is free now.
  if (leave(*waiter)) co_return Slot(this);
  co_return Slot();
}

bool ConcurrencyLimit::take_if_free() {
  const std::lock_guard lock(mutex_);
  return take_if_free_locked();
}

bool ConcurrencyLimit::take_if_free_locked() {
  if (in_flight_ >= limit_ || !waiters_.empty()) return false;
  ++in_flight_;
  return true;
}

bool ConcurrencyLimit::leave(Waiter& waiter) {
  const std::lock_guard lock(mutex_);
  if (waiter.granted) return true;
  const auto it = std::find(waiters_.begin(), waiters_.end(), &waiter);
  if (it != waiters_.end()) waiters_.erase(it);
  return false;
}

void ConcurrencyLimit::release() {
  asio::any_io_executor executor;
  std::weak_ptr<Waiter> next;
  {
    const std::lock_guard lock(mutex_);
    if (waiters_.empty() || !handing_over_) {
      --in_flight_;
      return;
    }
    // The slot passes to the head of the queue without being freed, so in_flight_ stays.
    Waiter* head = waiters_.front();
    waiters_.pop_front();
    head->granted = true;
    executor = head->executor;
    next = head->self;
  }
  // The timer belongs to the waiter's executor, which may be another thread's: cancel it there.
  asio::post(executor, [next] {
    if (const std::shared_ptr<Waiter> waiter = next.lock()) waiter->timer.cancel();
  });
}

}  // namespace zooter::live

// A cap on how many requests `zooter serve` has in flight to one upstream at once (the endpoint's
// max_concurrency), shared by every worker thread. A request past the cap waits for a slot, first
// come first served, without blocking its thread or anything else on it: waiting costs a timer, as
// waiting for the upstream itself does. Upstreams have one limit each and never wait on another's.
//
// Not a rate limiter (nothing about requests per second) and not a bounded queue: how long a
// request may wait is its caller's deadline.
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>

namespace zooter::live {

class ConcurrencyLimit {
 public:
  // A held slot, given back when the Slot is destroyed. An empty Slot holds nothing.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
    Slot& operator=(Slot&& other) noexcept;
    ~Slot();
    [[nodiscard]] explicit operator bool() const { return owner_ != nullptr; }

   private:
    friend class ConcurrencyLimit;
    explicit Slot(ConcurrencyLimit* owner) : owner_(owner) {}
    ConcurrencyLimit* owner_ = nullptr;
  };

  // limit >= 1. Must outlive every Slot and every acquire() in progress.
  explicit ConcurrencyLimit(std::size_t limit);
  ~ConcurrencyLimit();
  ConcurrencyLimit(const ConcurrencyLimit&) = delete;
  ConcurrencyLimit& operator=(const ConcurrencyLimit&) = delete;

  // A slot at once when one is free and nobody waits; otherwise waits until one is handed over or
  // `deadline` passes, and then returns an empty Slot. The calling coroutine's executor must run
  // one handler at a time (an io_context run by one thread, or a strand), as serve's workers are.
  boost::asio::awaitable<Slot> acquire(std::chrono::steady_clock::time_point deadline);

  // For shutdown, once no thread runs the waiters' executors any more: slots given back from now
  // on are not handed to waiters (which will never resume) but simply freed, so that nothing is
  // posted to an io_context being destroyed.
  void stop_handing_over();

  [[nodiscard]] std::size_t limit() const { return limit_; }
  [[nodiscard]] std::size_t in_flight() const;  // slots held
  [[nodiscard]] std::size_t waiting() const;    // acquire() calls waiting for one

 private:
  struct Waiter;
  void release();
  // Takes a slot when one is free and nobody waits; false otherwise. The _locked one is for a
  // caller that holds mutex_ already.
  bool take_if_free();
  bool take_if_free_locked();
  // Takes `waiter` out of the queue; true when a slot had been handed to it (it holds it now).
  bool leave(Waiter& waiter);

  const std::size_t limit_;
  mutable std::mutex mutex_;  // guards everything below, and Waiter::granted
  std::size_t in_flight_ = 0;  // including slots handed to a waiter that has not resumed yet
  std::deque<Waiter*> waiters_;
  bool handing_over_ = true;
};

}  // namespace zooter::live

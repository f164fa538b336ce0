// The per-upstream cap of zooter serve: slots up to the limit at once, the rest wait first come
// first served (across io_contexts on different threads), and a wait ends empty at its deadline.
#include "live/concurrency_limit.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace zooter::live {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Records what happened, in order, from any thread.
struct Log {
  std::mutex mutex;
  std::vector<std::string> events;
  void add(std::string event) {
    const std::lock_guard lock(mutex);
    events.push_back(std::move(event));
  }
};

// Takes a slot (waiting up to `patience`), holds it for `hold`, and logs both ends.
asio::awaitable<void> use_slot(ConcurrencyLimit& limit, Log& log, std::string name, std::chrono::milliseconds patience,
                               std::chrono::milliseconds hold) {
  const Clock::time_point deadline = Clock::now() + patience;
  ConcurrencyLimit::Slot slot = co_await limit.acquire(deadline);
  if (!slot) {
    log.add(name + " gave up");
    co_return;
  }
  log.add(name + " in");
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  timer.expires_after(hold);
  co_await timer.async_wait(asio::use_awaitable);
  log.add(name + " out");
}

TEST(ConcurrencyLimitTest, WaitersGetSlotsInArrivalOrderAcrossThreads) {
  ConcurrencyLimit limit(2);
  Log log;
  // Three io_contexts, each run by its own thread, like serve's workers.
  asio::io_context first(1), second(1), third(1);
  asio::co_spawn(first, use_slot(limit, log, "a", 5s, 200ms), asio::detached);
  asio::co_spawn(first, use_slot(limit, log, "b", 5s, 300ms), asio::detached);
  std::thread t1([&] { first.run(); });
  for (int i = 0; i < 400 && limit.in_flight() < 2; ++i) std::this_thread::sleep_for(1ms);
  ASSERT_EQ(limit.in_flight(), 2u);
  asio::co_spawn(second, use_slot(limit, log, "c", 5s, 10ms), asio::detached);
  std::thread t2([&] { second.run(); });
  for (int i = 0; i < 400 && limit.waiting() < 1; ++i) std::this_thread::sleep_for(1ms);
  asio::co_spawn(third, use_slot(limit, log, "d", 5s, 10ms), asio::detached);
  std::thread t3([&] { third.run(); });
  t1.join();
  t2.join();
  t3.join();
  // c waited for a's slot, d for the next one given back (c's, before b's).
  EXPECT_EQ(log.events, (std::vector<std::string>{"a in", "b in", "a out", "c in", "c out", "d in", "d out", "b out"}));
  EXPECT_EQ(limit.in_flight(), 0u);
  EXPECT_EQ(limit.waiting(), 0u);
}

TEST(ConcurrencyLimitTest, AWaitEndsEmptyAtItsDeadline) {
  ConcurrencyLimit limit(1);
  Log log;
  asio::io_context io(1);
  asio::co_spawn(io, use_slot(limit, log, "holder", 1s, 300ms), asio::detached);
  asio::co_spawn(io, use_slot(limit, log, "impatient", 50ms, 10ms), asio::detached);
  asio::co_spawn(io, use_slot(limit, log, "patient", 1s, 10ms), asio::detached);
  const Clock::time_point start = Clock::now();
  io.run();
  EXPECT_EQ(log.events, (std::vector<std::string>{"holder in", "impatient gave up", "holder out", "patient in",
                                                  "patient out"}));
  EXPECT_GE(Clock::now() - start, 300ms);
  EXPECT_EQ(limit.in_flight(), 0u);
  EXPECT_EQ(limit.waiting(), 0u);
}

TEST(ConcurrencyLimitTest, AbandonedWaitersLeaveTheQueueAndTheirSlots) {
  ConcurrencyLimit limit(1);
  Log log;
  {
    asio::io_context io(1);
    asio::co_spawn(io, use_slot(limit, log, "holder", 1s, 10s), asio::detached);
    asio::co_spawn(io, use_slot(limit, log, "waiter", 10s, 10ms), asio::detached);
    io.run_for(100ms);
    EXPECT_EQ(limit.in_flight(), 1u);
    EXPECT_EQ(limit.waiting(), 1u);
    limit.stop_handing_over();
  }  // the context goes with both coroutines suspended, as at serve's shutdown
  EXPECT_EQ(log.events, (std::vector<std::string>{"holder in"}));
  EXPECT_EQ(limit.in_flight(), 0u);
  EXPECT_EQ(limit.waiting(), 0u);
}

}  // namespace
}  // namespace zooter::live

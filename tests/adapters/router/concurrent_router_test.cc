// ConcurrentRouter: the same answers as Router::route from many threads at once, with states
// reused rather than made per call.
#include "adapters/router/concurrent_router.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "harness/run_context.h"
#include "tests/adapters/router/topic_bundle.h"

namespace zooter::adapters::router {
namespace {

TEST(ConcurrentRouter, RoutesAsTheRouterDoesFromManyThreads) {
  const Bundle b = testing::make_topic_bundle();
  RouterOptions options;
  options.featuriser.dimension = 4096;
  options.trainer.epochs = 4;
  options.trainer.optimiser.learning_rate = 0.05;
  auto trained = std::make_shared<const Router>(
      train_router({b, testing::split_queries(b, 0), true, "train split"}, options, RunContext(1)));
  std::vector<std::size_t> expected;
  for (const std::string& text : b.queries.text) expected.push_back(trained->route(text));
  // The topic bundle's router picks all three candidates, so a mix-up between threads shows.
  EXPECT_NE(std::count(expected.begin(), expected.end(), expected.front()),
            static_cast<std::ptrdiff_t>(expected.size()));

  ConcurrentRouter shared(trained);
  constexpr std::size_t kThreads = 4, kRounds = 20;
  std::vector<std::vector<std::size_t>> got(kThreads);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t round = 0; round < kRounds; ++round) {
        for (std::size_t q = 0; q < b.queries.text.size(); ++q) {
          const std::size_t i = (q + t * 7) % b.queries.text.size();  // threads out of step
          const std::size_t chosen = shared.route(b.queries.text[i]);
          if (round == 0) got[t].push_back(chosen);
          else if (chosen != expected[i]) got[t].push_back(kThreads * 100);  // a mismatch
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (std::size_t t = 0; t < kThreads; ++t) {
    SCOPED_TRACE(t);
    ASSERT_EQ(got[t].size(), expected.size());
    for (std::size_t q = 0; q < expected.size(); ++q) {
      EXPECT_EQ(got[t][q], expected[(q + t * 7) % expected.size()]);
    }
  }
  EXPECT_GE(shared.states(), 1u);
  EXPECT_LE(shared.states(), kThreads);  // reused, never one per call
}

TEST(ConcurrentRouter, OneThreadUsesOneState) {
  const Bundle b = testing::make_topic_bundle();
  RouterOptions options;
  options.featuriser.dimension = 1024;
  options.trainer.epochs = 1;
  ConcurrentRouter shared(std::make_shared<const Router>(
      train_router({b, testing::split_queries(b, 0), true, "train split"}, options, RunContext(1))));
  for (const std::string& text : b.queries.text) (void)shared.route(text);
  EXPECT_EQ(shared.states(), 1u);
  EXPECT_EQ(shared.router().candidates().size(), b.model_count());
}

}  // namespace
}  // namespace zooter::adapters::router

// Acceptance test of the Zooter router on real data: RouterDC's split2_model7 files
// (../shared/data/RouterDC/datasets/split2_model7, read in place through the routerdc importer).
// A router trained on the train files' gold scores must beat the best single model on the mean
// test score over the six in-distribution subsets (each subset weighs the same, as a report's
// group Avg. does). Skipped, saying why, when the data is absent. The scores are RouterDC's as
// published: fractional on the multiple-choice subsets (0 when wrong), so the mean is not a plain
// accuracy.
//
// Router settings are the adapter's defaults (docs/router.md): 2^18 hash buckets, character
// 3-grams, a linear model, Adam with lr 0.01, batch 64, 5 epochs, 5% of the train queries held
// out for early stopping, beta 0.3 (the bundle has no tags, so beta has no effect), seed 1. The
// whole test (import, training, routing) takes about 3 s in a release build.
//
// The margin is thin and depends on the training seed: with seed 1 the router scores 0.5587
// against best-single's 0.5419 (dolphin-2.9-llama3-8b, chosen on the train files); over seeds
// 1..12 the difference ranged from -0.0018 (seed 3; seeds 3 and 4 would fail this test) to
// +0.0244, mean +0.0101, and the run's paired bootstrap does not call seed 1's +0.0168
// significant (docs/results/routerdc.md). A change to training that moves these numbers can
// therefore flip this test without being a regression: check a few seeds before concluding.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "tests/support/test_paths.h"
#include "adapters/adapter.h"
#include "harness/bundle.h"
#include "harness/decision.h"
#include "harness/run_context.h"
#include "suites/importer.h"

namespace zooter::suites {
namespace {

namespace fs = std::filesystem;

const std::string kShared = zooter::test::shared_data("/RouterDC/datasets/split2_model7");
constexpr const char* kRouter = "zooter@reward=gold";

std::vector<std::uint32_t> queries_of_split(const Bundle& b, std::size_t split) {
  std::vector<std::uint32_t> out;
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    if (b.queries.split[q] == split) out.push_back(static_cast<std::uint32_t>(q));
  }
  return out;
}

// Mean over the group's subsets of the mean gold score of the answers picked; every decision
// here names one candidate.
double group_average(const Bundle& b, const Group& group, std::span<const std::uint32_t> queries,
                     const std::vector<Decision>& decisions) {
  double sum_of_means = 0.0;
  for (std::size_t s : group.subsets) {
    double sum = 0.0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < queries.size(); ++i) {
      if (b.queries.subset[queries[i]] != s) continue;
      sum += b.gold(queries[i], static_cast<std::size_t>(decisions[i].answer));
      ++n;
    }
    EXPECT_GT(n, 0u) << "subset " << b.manifest.subsets[s].id << " has no test queries";
    sum_of_means += n > 0 ? sum / static_cast<double>(n) : 0.0;
  }
  return sum_of_means / static_cast<double>(group.subsets.size());
}

TEST(RouterDcRouter, GoldTrainedRouterBeatsBestSingleInDistribution) {
  if (!fs::is_directory(kShared)) {
    GTEST_SKIP() << "no real RouterDC data at " << kShared
                 << " (ZOOTER_SHARED_DATA): nothing to check";
  }
  ImportOptions o;
  o.source = kShared;
  const Bundle b = make_importer("routerdc")->import(o);
  const Manifest& m = b.manifest;
  const auto train_split = m.find_split("train");
  const auto test_split = m.find_split("test");
  ASSERT_TRUE(train_split && test_split);
  ASSERT_TRUE(m.splits[*train_split].gold_for_training);
  ASSERT_EQ(m.groups.size(), 2u);
  const Group& in_distribution = m.groups[0];
  ASSERT_EQ(in_distribution.name, "in-distribution");
  ASSERT_EQ(in_distribution.subsets.size(), 6u);

  const std::vector<std::uint32_t> train = queries_of_split(b, *train_split);
  const std::vector<std::uint32_t> test = queries_of_split(b, *test_split);
  const RunContext run(0, 1);
  const adapters::AdapterContext context{b, test, train, "test", "train", true, run};
  const auto decide = [&](const char* spec) {
    const auto adapter = adapters::make_adapter(adapters::AdapterSpec::parse(spec), context);
    for (const std::string& note : adapter->notes()) std::printf("[ routerdc ] %s\n", note.c_str());
    return adapter->decide(test, run);
  };
  const double best_single = group_average(b, in_distribution, test, decide("best-single"));
  const double router = group_average(b, in_distribution, test, decide(kRouter));
  std::printf(
      "[ routerdc ] mean test score over the %zu in-distribution subsets (%zu test queries, "
      "router trained on %zu): %s %.4f, best-single %.4f, difference %+.4f\n",
      in_distribution.subsets.size(), test.size(), train.size(), kRouter, router, best_single,
      router - best_single);
  EXPECT_GT(router, best_single);
}

}  // namespace
}  // namespace zooter::suites

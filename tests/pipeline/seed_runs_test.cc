// Learned adapters trained on several seeds (seeds=N): a seed changes the router, the report's
// row is the mean of the single-seed runs with its spread in a note, the result is the same
// for any thread count, and bad seeds= values are usage errors with exact messages.
#include "pipeline/seed_runs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include <fmt/format.h>

#include "harness/bundle.h"
#include "harness/default_seed.h"
#include "harness/error.h"
#include "harness/run_context.h"
#include "pipeline/run_pipeline.h"
#include "reports/writer.h"
#include "tests/adapters/router/topic_bundle.h"

namespace zooter::pipeline {
namespace {

// One short epoch from a random start: a router whose decisions depend on its seed.
const std::string kMf = "mf@dim=2,epochs=1,lr=0.05";

Bundle small_bundle() {
  adapters::router::testing::TopicBundleOptions options;
  options.queries_per_topic = 30;
  return adapters::router::testing::make_topic_bundle(options);
}

reports::Report run(const Bundle& b, std::vector<std::string> adapters, int threads = 1,
                    std::size_t bootstrap = 0) {
  RunSettings s;
  s.adapters = std::move(adapters);
  s.bootstrap = bootstrap;
  return run_evaluation(b, s, RunContext(threads));
}

const AdapterResult& row(const reports::Report& r, const std::string& name) {
  for (const AdapterResult& a : r.evaluation.adapters) {
    if (a.name == name) return a;
  }
  throw std::runtime_error("no row " + name);
}

std::string usage_error(const std::vector<std::string>& adapters) {
  try {
    (void)run(small_bundle(), adapters);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SeedRuns, ASeedChangesTheRouter) {
  const reports::Report r = run(small_bundle(), {kMf + ",seed=1,seeds=1", kMf + ",seed=2,seeds=1", "best-single"});
  const AdapterResult& one = row(r, "mf@dim=2,epochs=1,lr=0.05,seed=1,seeds=1");
  const AdapterResult& two = row(r, "mf@dim=2,epochs=1,lr=0.05,seed=2,seeds=1");
  EXPECT_NE(one.subset_score, two.subset_score);
}

TEST(SeedRuns, TheRowIsTheMeanOfTheSingleSeedRuns) {
  const Bundle b = small_bundle();
  const reports::Report seeded = run(b, {kMf + ",seed=5,seeds=3", "best-single"});
  const reports::Report singles =
      run(b, {kMf + ",seed=5", kMf + ",seed=6", kMf + ",seed=7", "best-single"});
  const AdapterResult& mean = row(seeded, "mf@dim=2,epochs=1,lr=0.05,seed=5,seeds=3");
  std::vector<const AdapterResult*> runs;
  for (const char* seed : {"5", "6", "7"}) {
    runs.push_back(&row(singles, std::string("mf@dim=2,epochs=1,lr=0.05,seed=") + seed));
  }
  auto mean_of = [&](auto&& field) { return (field(*runs[0]) + field(*runs[1]) + field(*runs[2])) / 3; };
  // Candidate scores per topic (the bundle's gold): the rank is 1 + candidates strictly better.
  const AdapterResult& best = row(singles, "best-single");
  ASSERT_EQ(mean.subset_score.size(), 3u);
  double scores_sum = 0.0;
  for (std::size_t s = 0; s < 3; ++s) {
    SCOPED_TRACE(testing::Message() << "subset " << s);
    EXPECT_DOUBLE_EQ(mean.subset_score[s], mean_of([&](const AdapterResult& a) { return a.subset_score[s]; }));
    EXPECT_DOUBLE_EQ(mean.win_rate_vs_best_single[s],
                     mean_of([&](const AdapterResult& a) { return a.win_rate_vs_best_single[s]; }));
    for (std::size_t m = 0; m < 3; ++m) {
      EXPECT_DOUBLE_EQ(mean.routing_share[s][m],
                       mean_of([&](const AdapterResult& a) { return a.routing_share[s][m]; }));
    }
    scores_sum += mean.subset_score[s];
    EXPECT_GE(mean.subset_rank[s], 1);
  }
  EXPECT_DOUBLE_EQ(mean.group_average[0], scores_sum / 3);
  EXPECT_DOUBLE_EQ(mean.cost.generations, mean_of([](const AdapterResult& a) { return a.cost.generations; }));
  EXPECT_DOUBLE_EQ(mean.cost.router_calls, mean_of([](const AdapterResult& a) { return a.cost.router_calls; }));
  EXPECT_DOUBLE_EQ(mean.mtr, (mean.subset_rank[0] + mean.subset_rank[1] + mean.subset_rank[2]) / 3.0);
  // best-single is not seeded: its row is the same in both runs.
  EXPECT_EQ(row(seeded, "best-single").subset_score, best.subset_score);

  // The spread note: each seed's mean normalised subset score (the topics' scores are in
  // [0, 1], higher is better: the mean subset score), and their mean, sd (n - 1), min and max.
  std::vector<double> per_seed;
  for (const AdapterResult* a : runs) {
    per_seed.push_back((a->subset_score[0] + a->subset_score[1] + a->subset_score[2]) / 3);
  }
  const double m = (per_seed[0] + per_seed[1] + per_seed[2]) / 3;
  const double sd = std::sqrt(((per_seed[0] - m) * (per_seed[0] - m) + (per_seed[1] - m) * (per_seed[1] - m) +
                               (per_seed[2] - m) * (per_seed[2] - m)) / 2);
  const std::string expected = fmt::format(
      "mf@dim=2,epochs=1,lr=0.05,seed=5,seeds=3: seeds 5..7, the row being the mean over seeds of every "
      "quality metric; mean normalised subset score per seed {:.4f}, {:.4f}, {:.4f}; across seeds mean {:.4f}, sd {:.4f}, min {:.4f}, max {:.4f}",
      per_seed[0], per_seed[1], per_seed[2], m, sd, std::min({per_seed[0], per_seed[1], per_seed[2]}),
      std::max({per_seed[0], per_seed[1], per_seed[2]}));
  EXPECT_EQ(mean.notes.back(), expected);
  ASSERT_EQ(seeded.seed_spread.size(), 2u);  // the seeded mf, then best-single (not seeded)
  const reports::SeedSpread& spread = seeded.seed_spread[0];
  EXPECT_EQ(spread.first_seed, 5u);
  ASSERT_EQ(spread.quality.size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_DOUBLE_EQ(spread.quality[k], per_seed[k]);
  EXPECT_DOUBLE_EQ(spread.mean, m);
  EXPECT_NEAR(spread.sd, sd, 1e-15);
  EXPECT_DOUBLE_EQ(spread.min, std::min({per_seed[0], per_seed[1], per_seed[2]}));
  EXPECT_DOUBLE_EQ(spread.max, std::max({per_seed[0], per_seed[1], per_seed[2]}));
  EXPECT_TRUE(seeded.seed_spread[1].quality.empty());
  EXPECT_GT(spread.sd, 0.0);  // the seeds do differ here
  // Without seeds= there is no spread (and the report's bytes are as before: golden tests).
  EXPECT_TRUE(singles.seed_spread.empty());
}

TEST(SeedRuns, EveryLearnedAdapterTakesSeeds) {
  const std::vector<std::string> specs = {"zooter@beta=0.3,reward=qwen-rm,dim=4096,epochs=2,lr=0.05,batch=8,seeds=2",
                                          "knn@k=3,seeds=2", "mf@dim=2,seeds=2", "mlp@hidden=4,seeds=2",
                                          "sw-ranking@seeds=2", "best-single"};
  const reports::Report r = run(small_bundle(), specs);
  ASSERT_EQ(r.seed_spread.size(), specs.size());
  for (std::size_t a = 0; a + 1 < specs.size(); ++a) {
    SCOPED_TRACE(r.evaluation.adapters[a].name);
    EXPECT_EQ(r.seed_spread[a].quality.size(), 2u);
    EXPECT_EQ(r.seed_spread[a].first_seed, kDefaultSeed);  // the run's seed
  }
  EXPECT_TRUE(r.seed_spread.back().quality.empty());
}

TEST(SeedRuns, IdenticalForOneAndTwoThreads) {
  const Bundle b = small_bundle();
  auto report_text = [&](int threads) {
    reports::Report r = run(b, {kMf + ",seeds=3", "knn@k=3,seeds=3", "best-single"}, threads, 50);
    r.provenance = {};
    std::ostringstream out;
    for (const char* format : {"json", "csv", "markdown", "table", "html"}) reports::make_writer(format)->write(r, out);
    return out.str();
  };
  const std::string one = report_text(1);
  EXPECT_NE(one.find("knn@k=3,seeds=3: seeds 1..3, the row being"), std::string::npos);
  EXPECT_NE(one.find("\"quality_per_seed\": ["), std::string::npos);
  EXPECT_EQ(one, report_text(2));
}

TEST(SeedRuns, BadSeedsValuesAreUsageErrors) {
  EXPECT_EQ(usage_error({"mf@dim=2,seeds=0"}), "adapter \"mf@dim=2,seeds=0\": seeds must be an integer in 1..100, got \"0\"");
  EXPECT_EQ(usage_error({"mf@dim=2,seeds=-1"}),
            "adapter \"mf@dim=2,seeds=-1\": seeds must be an integer in 1..100, got \"-1\"");
  EXPECT_EQ(usage_error({"mf@dim=2,seeds=1.5"}),
            "adapter \"mf@dim=2,seeds=1.5\": seeds must be an integer in 1..100, got \"1.5\"");
  EXPECT_EQ(usage_error({"mf@dim=2,seeds=101"}),
            "adapter \"mf@dim=2,seeds=101\": seeds must be an integer in 1..100, got \"101\"");
  EXPECT_EQ(usage_error({"mf@dim=2,seeds=99999999999999999999999"}),
            "adapter \"mf@dim=2,seeds=1e+23\": seeds must be an integer in 1..100, got "
            "\"99999999999999999999999\"");
  EXPECT_EQ(usage_error({"random@seeds=2"}),
            "adapter \"random@seeds=2\": seeds= applies only to adapters that learn with a seed (exec, knn, "
            "mf, mlp, sw-ranking, zooter)");
  EXPECT_EQ(usage_error({"mf@dim=2,seeds=2", "knn@k=3,seeds=3"}),
            "adapter \"knn@k=3,seeds=3\": every seeded adapter of a run must give the same seeds= "
            "(\"mf@dim=2,seeds=2\" gives 2)");
  EXPECT_EQ(usage_error({"mf@dim=2,seeds=2", "mf@seeds=2,dim=2"}), "adapter \"mf@dim=2,seeds=2\" is given twice");
}

}  // namespace
}  // namespace zooter::pipeline

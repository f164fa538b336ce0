// The lambda sweep of `zooter run --sweep-lambda`: cost-aware adapters re-decide at each
// lambda, the sweep's end points agree with the adapters they must equal, the result does not
// depend on the thread count, and bad sweep options are usage errors.
#include <gtest/gtest.h>

#include <sstream>

#include "harness/bundle.h"
#include "pipeline/run_pipeline.h"
#include "harness/error.h"
#include "harness/run_context.h"
#include "reports/writer.h"
#include "tests/adapters/router/topic_bundle.h"

namespace zooter::pipeline {
namespace {

const std::string kZooter = "zooter@beta=0.3,reward=qwen-rm,dim=4096,epochs=4,lr=0.05,batch=8";

// Topic bundle with alpha $0.004, beta $0.002, gamma $0.001 per response.
Bundle priced_bundle() {
  Bundle b = adapters::router::testing::make_topic_bundle();
  const double price[] = {0.004, 0.002, 0.001};
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    for (std::size_t m = 0; m < 3; ++m) b.responses.dollars[b.responses.cell(q, m)] = price[m];
  }
  return b;
}

RunSettings sweep_settings() {
  RunSettings s;
  s.adapters = {kZooter, "single@gamma", "best-single"};
  s.bootstrap = 0;
  s.sweep_lambdas = {10, 0, 0.5};  // unsorted on purpose
  s.strong = "alpha";
  s.weak = "gamma";
  return s;
}

TEST(RunSweep, EndPointsMatchTheAdaptersTheyMustEqual) {
  const Bundle b = priced_bundle();
  const reports::Report report = run_evaluation(b, sweep_settings(), RunContext(2));
  ASSERT_TRUE(report.frontier.has_value());
  const reports::Frontier& f = *report.frontier;
  EXPECT_EQ(f.cost_unit, "dollars");
  ASSERT_EQ(f.sweeps.size(), 1u);
  const reports::Sweep& s = f.sweeps[0];
  // Adapters are named by their canonical spec: arguments sorted by key.
  EXPECT_EQ(s.adapter, "zooter@batch=8,beta=0.3,dim=4096,epochs=4,lr=0.05,reward=qwen-rm");
  EXPECT_EQ(s.lambdas, (std::vector<double>{0, 0.5, 10}));
  ASSERT_EQ(s.points.size(), 3u);
  EXPECT_EQ(s.points[2].adapter, "zooter@batch=8,beta=0.3,dim=4096,epochs=4,lambda=10,lr=0.05,reward=qwen-rm");
  // lambda 0 is the plain router (point 0 of the run); lambda 10 sends everything to gamma.
  EXPECT_DOUBLE_EQ(s.points[0].quality, f.points[0].quality);
  EXPECT_DOUBLE_EQ(s.points[0].cost, f.points[0].cost);
  EXPECT_DOUBLE_EQ(s.points[2].quality, f.points[1].quality);
  EXPECT_DOUBLE_EQ(s.points[2].cost, 0.001);
  EXPECT_DOUBLE_EQ(s.points[2].strong_share, 0.0);
  // The router is right on every topic, so a third of its answers come from alpha.
  EXPECT_NEAR(s.points[0].strong_share, 1.0 / 3.0, 1e-12);
  // alpha and gamma are each best on one topic of three: equal quality, so there is no gap to
  // recover and PGR, APGR and CPT are undefined (shown n/a), not a division by zero.
  EXPECT_FALSE(s.apgr.has_value());
  EXPECT_FALSE(s.cpt50.has_value());
}

TEST(RunSweep, IdenticalForOneAndTwoThreads) {
  const Bundle b = priced_bundle();
  auto json = [&](int threads) {
    reports::Report r = run_evaluation(b, sweep_settings(), RunContext(threads));
    r.provenance = {};
    std::ostringstream out;
    reports::make_writer("json")->write(r, out);
    reports::make_writer("csv")->write(r, out);
    return out.str();
  };
  const std::string one = json(1);
  EXPECT_NE(one.find("\"apgr\": null"), std::string::npos);
  EXPECT_EQ(one, json(2));
}

TEST(RunSweep, BadSweepOptionsAreUsageErrors) {
  const Bundle b = priced_bundle();
  const RunContext ctx(1);
  RunSettings s = sweep_settings();
  s.weak.clear();
  EXPECT_THROW((void)run_evaluation(b, s, ctx), UsageError);
  s = sweep_settings();
  s.weak = "alpha";
  EXPECT_THROW((void)run_evaluation(b, s, ctx), UsageError);
  s = sweep_settings();
  s.strong = "nobody";
  EXPECT_THROW((void)run_evaluation(b, s, ctx), UsageError);
  s = sweep_settings();
  s.sweep_lambdas = {0.1, -1};
  EXPECT_THROW((void)run_evaluation(b, s, ctx), UsageError);
  s = sweep_settings();
  s.adapters = {"oracle", "best-single"};  // nothing cost-aware to sweep
  EXPECT_THROW((void)run_evaluation(b, s, ctx), UsageError);
}

}  // namespace
}  // namespace zooter::pipeline

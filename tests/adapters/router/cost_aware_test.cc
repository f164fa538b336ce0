// Cost-aware routing: the per-candidate cost estimate, zooter@lambda=X, and the sweep entry
// point decide_at_lambda, on the topic bundle with planted prices.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "adapters/adapter.h"
#include "adapters/candidate_costs.h"
#include "adapters/router/router.h"
#include "adapters/router/router_file.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/run_context.h"
#include "tests/adapters/router/topic_bundle.h"
#include "tests/helpers.h"

namespace zooter::adapters {
namespace {

using router::testing::make_topic_bundle;
using router::testing::split_queries;
using test::TempDir;

constexpr const char* kQuick = "beta=0.3,reward=qwen-rm,dim=4096,epochs=4,lr=0.05,batch=8";

// alpha $0.004, beta $0.002, gamma $0.001 per response: relative costs 1, 0.5, 0.25.
Bundle priced_bundle() {
  Bundle b = make_topic_bundle();
  const double price[] = {0.004, 0.002, 0.001};
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    for (std::size_t m = 0; m < 3; ++m) b.responses.dollars[b.responses.cell(q, m)] = price[m];
  }
  return b;
}

struct Built {
  std::vector<std::uint32_t> train, evaluated;
  std::unique_ptr<Adapter> adapter;
};

Built build(const Bundle& b, const std::string& spec, int threads = 2) {
  Built out{split_queries(b, 0), split_queries(b, 1), nullptr};
  const RunContext run(threads, 3);
  const AdapterContext context{b, out.evaluated, out.train, "test", "train", true, run};
  out.adapter = make_adapter(AdapterSpec::parse(spec), context);
  return out;
}

std::vector<int> answers(const std::vector<Decision>& decisions) {
  std::vector<int> out;
  for (const Decision& d : decisions) out.push_back(d.answer);
  return out;
}

TEST(CandidateCosts, DollarsWhenEveryResponseHasOne) {
  const Bundle b = priced_bundle();
  const std::vector<std::uint32_t> train = split_queries(b, 0);
  const CandidateCosts c = estimate_candidate_costs(b, train);
  EXPECT_EQ(c.unit, "dollars");
  ASSERT_EQ(c.mean.size(), 3u);
  EXPECT_DOUBLE_EQ(c.mean[0], 0.004);
  EXPECT_DOUBLE_EQ(c.mean[2], 0.001);
  EXPECT_DOUBLE_EQ(c.relative[0], 1.0);
  EXPECT_DOUBLE_EQ(c.relative[1], 0.5);
  EXPECT_DOUBLE_EQ(c.relative[2], 0.25);
}

TEST(CandidateCosts, FlopsWhenAnyDollarIsUnknown) {
  Bundle b = priced_bundle();
  b.responses.dollars[b.responses.cell(0, 1)] = std::numeric_limits<double>::quiet_NaN();
  b.responses.output_tokens[b.responses.cell(0, 0)] = 210;  // query 0, alpha: 10 + 210 tokens
  const std::vector<std::uint32_t> queries = {0, 3};
  const CandidateCosts c = estimate_candidate_costs(b, queries);
  EXPECT_EQ(c.unit, "generation FLOPs");
  // alpha: (2 x 7e9 x 220 + 2 x 7e9 x 110) / 2; beta and gamma: 2 x 7e9 x 110.
  EXPECT_DOUBLE_EQ(c.mean[0], (2 * 7e9 * 220 + 2 * 7e9 * 110) / 2);
  EXPECT_DOUBLE_EQ(c.mean[1], 2 * 7e9 * 110);
  EXPECT_DOUBLE_EQ(c.relative[1], 110.0 / 165.0);
  EXPECT_THROW((void)estimate_candidate_costs(b, {}), InputError);
}

TEST(CostAwareZooter, LambdaZeroRoutesLikePlainZooter) {
  const Bundle b = priced_bundle();
  const Built plain = build(b, std::string("zooter@") + kQuick);
  const Built zero = build(b, std::string("zooter@") + kQuick + ",lambda=0");
  const RunContext run(2);
  EXPECT_EQ(answers(plain.adapter->decide(plain.evaluated, run)),
            answers(zero.adapter->decide(zero.evaluated, run)));
  EXPECT_TRUE(plain.adapter->cost_aware());
}

TEST(CostAwareZooter, LargeLambdaSendsEverythingToTheCheapest) {
  const Bundle b = priced_bundle();
  // p - 10 x cost: gamma's p - 2.5 beats beta's p - 5 and alpha's p - 10 for any p in [0, 1].
  const Built big = build(b, std::string("zooter@") + kQuick + ",lambda=10");
  const RunContext run(2);
  for (const Decision& d : big.adapter->decide(big.evaluated, run)) {
    EXPECT_EQ(d.answer, 2);
    EXPECT_EQ(d.router_calls, 1);
  }
  bool noted = false;
  for (const std::string& n : big.adapter->notes()) {
    noted |= n.find("lambda 10") != std::string::npos && n.find("mean dollars per query") != std::string::npos &&
             n.find("alpha 1.000, beta 0.500, gamma 0.250") != std::string::npos;
  }
  EXPECT_TRUE(noted);
}

TEST(CostAwareZooter, RouterFileWithLambdaTakesTheArgmaxOfPMinusLambdaCost) {
  const Bundle b = priced_bundle();
  const std::vector<std::uint32_t> train = split_queries(b, 0);
  const RunContext run(1, 3);
  router::RouterOptions options;
  options.reward = "qwen-rm";
  options.featuriser.dimension = 4096;
  options.trainer.epochs = 2;  // an unsure router: probabilities away from 0 and 1
  const router::Router r = router::train_router({b, train, true, "train"}, options, run);
  TempDir dir;
  router::save_router(r, dir.file("r.router"));
  const std::vector<double> cost = {1.0, 0.5, 0.25};
  std::size_t differs_from_plain = 0;
  for (const double lambda : {0.2, 0.6, 1.5}) {
    const Built z = build(b, "zooter@file=" + dir.file("r.router") + ",lambda=" + fmt::format("{:g}", lambda), 1);
    const std::vector<Decision> d = z.adapter->decide(z.evaluated, run);
    ASSERT_EQ(d.size(), z.evaluated.size());
    for (std::size_t i = 0; i < z.evaluated.size(); ++i) {
      const std::vector<double> p = r.probabilities(b.queries.text[z.evaluated[i]]);
      int expected = 0;
      for (int c = 1; c < 3; ++c) {
        if (p[c] - lambda * cost[c] > p[expected] - lambda * cost[expected]) expected = c;
      }
      EXPECT_EQ(d[i].answer, expected) << "lambda " << lambda << ", query " << i;
      const int plain = static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
      differs_from_plain += expected != plain ? 1 : 0;
    }
    // The sweep entry point gives the same decisions without rebuilding.
    const Built zero = build(b, "zooter@file=" + dir.file("r.router"), 1);
    EXPECT_EQ(answers(zero.adapter->decide_at_lambda(zero.evaluated, lambda, run)), answers(d));
  }
  EXPECT_GT(differs_from_plain, 0u) << "the lambdas chosen never change a decision: a weak test";
  EXPECT_THROW((void)build(b, "zooter@file=" + dir.file("r.router") + ",beta=0.3"), UsageError);
}

TEST(CostAwareZooter, RejectsBadLambdaAndNonCostAwareAdapters) {
  const Bundle b = priced_bundle();
  EXPECT_THROW((void)build(b, std::string("zooter@") + kQuick + ",lambda=-1"), UsageError);
  EXPECT_THROW((void)build(b, std::string("zooter@") + kQuick + ",lambda=x"), UsageError);
  EXPECT_THROW((void)build(b, std::string("zooter@") + kQuick + ",lambda=inf"), UsageError);
  const Built oracle = build(b, "oracle");
  EXPECT_FALSE(oracle.adapter->cost_aware());
  EXPECT_THROW((void)oracle.adapter->decide_at_lambda(oracle.evaluated, 0.5, RunContext(1)), UsageError);
}

}  // namespace
}  // namespace zooter::adapters

// The per-candidate cost estimate (candidate_costs.h) on the topic bundle with planted prices.
// How the routers use it (zooter@lambda=X, decide_at_lambda): zooter_router_test.cc.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "adapters/candidate_costs.h"
#include "harness/bundle.h"
#include "harness/error.h"
#include "tests/adapters/router/topic_bundle.h"

namespace zooter::adapters {
namespace {

using router::testing::split_queries;

TEST(CandidateCosts, DollarsWhenEveryResponseHasOne) {
  const Bundle b = router::testing::make_priced_topic_bundle();
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
  Bundle b = router::testing::make_priced_topic_bundle();
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

}  // namespace
}  // namespace zooter::adapters

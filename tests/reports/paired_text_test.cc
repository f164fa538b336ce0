#include "reports/paired_text.h"

#include <gtest/gtest.h>

namespace zooter::reports {
namespace {

// An adapter result with only the routing shares set: [subset][candidate].
AdapterResult routed(std::vector<std::vector<double>> shares) {
  AdapterResult a;
  a.routing_share = std::move(shares);
  return a;
}

TEST(SameSingleCandidate, TrueWhenBothSendEverySubsetToTheSameCandidate) {
  const AdapterResult single = routed({{0, 0, 1}, {0, 0, 1}});
  const AdapterResult best = routed({{0, 0, 1}, {0, 0, 1}});
  EXPECT_TRUE(same_single_candidate(single, best));
}

TEST(SameSingleCandidate, FalseForAnotherCandidateOnOneSubset) {
  // best-single is chosen once for all subsets, but a recorded-decisions adapter may switch.
  EXPECT_FALSE(same_single_candidate(routed({{0, 0, 1}, {0, 0, 1}}), routed({{0, 0, 1}, {1, 0, 0}})));
  EXPECT_FALSE(same_single_candidate(routed({{1, 0, 0}}), routed({{0, 1, 0}})));
}

TEST(SameSingleCandidate, FalseForEqualSharesThatAreNotOneCandidate) {
  // The same shares of a mixed routing need not be the same answers: query 1 to alpha and
  // query 2 to beta, or the other way round.
  const AdapterResult mixed = routed({{0.5, 0.5, 0}});
  EXPECT_FALSE(same_single_candidate(mixed, mixed));
  EXPECT_FALSE(same_single_candidate(routed({{1, 0, 0}}), routed({{0.75, 0.25, 0}})));
}

TEST(SameSingleCandidate, FalseWithoutSharesOrWithDifferentShapes) {
  EXPECT_FALSE(same_single_candidate(routed({}), routed({})));
  EXPECT_FALSE(same_single_candidate(routed({{1, 0}}), routed({{1, 0}, {1, 0}})));
  EXPECT_FALSE(same_single_candidate(routed({{1, 0}}), routed({{1, 0, 0}})));
}

TEST(TallyText, SingularAndPlural) {
  stats::SubsetTally t;
  t.better = 1;
  t.significantly_better = 1;
  t.worse = 3;
  EXPECT_EQ(tally_text(t), "better on 1 subset (1 significantly), worse on 3 (0)");
  t.better = 2;
  EXPECT_EQ(tally_text(t), "better on 2 subsets (1 significantly), worse on 3 (0)");
}

}  // namespace
}  // namespace zooter::reports

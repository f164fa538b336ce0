// Plans where a reward-model ranking stands among the candidates on each test subset, so that
// its Table 1 row is the paper's in every cell: per-group average and mean task rank (MTR),
// overall MTR and %Uplift. A ranking's rank on a subset is fixed by its subset mean relative to
// the candidates' subset means, which the calibration measures; this chooses one rank per
// subset by a deterministic local search and then a subset mean inside that rank's interval,
// so that the group averages are the paper's. The calibration then fits the ranking's signal
// weight per subset to that mean (paper_sim_calibration.cc).
//
// Not for: the candidates' own ranks (fixed by subset_targets) or drawing anything.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "suites/paper_profile.h"

namespace zooter::suites {

inline constexpr std::size_t kPlannedGroups = 4;  // Table 1's test groups

// One ranking's targets, in the bundle's metric units (benchmarks as 0..1 accuracy).
struct RankingTargets {
  std::array<double, kPlannedGroups> group_average{};
  std::array<double, kPlannedGroups> group_mtr{};
  double mtr = 0.0;
  double uplift = 0.0;  // share of subsets ranked first
};

// What the plan is made against: the test subsets in Table 1's group order.
struct RankPlanSubsets {
  std::vector<std::size_t> group;            // 0..3 per subset
  std::vector<std::array<double, kPaperModels>> candidate;  // measured candidate means
  std::vector<double> ceiling;               // highest subset mean a ranking may be planned at
  std::array<double, kPlannedGroups> average_tolerance{};  // metric units
};

struct RankPlan {
  std::vector<int> rank;      // 1..kPaperModels per subset (1 + candidates strictly better)
  std::vector<double> mean;   // the ranking's planned subset mean
};

// A ranking's rank on a subset where its mean is `value`: 1 + the candidates strictly better,
// as the evaluator ranks.
[[nodiscard]] int rank_of(const std::array<double, kPaperModels>& candidate, double value);

// Deterministic: the same inputs give the same plan. Ranks run from 1 to kPaperModels (a
// ranking below every candidate is never planned: the paper has none).
[[nodiscard]] RankPlan plan_ranking(const RankPlanSubsets& subsets, const RankingTargets& targets);

}  // namespace zooter::suites

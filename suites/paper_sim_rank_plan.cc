#include "suites/paper_sim_rank_plan.h"

#include <algorithm>
#include <functional>

#include "harness/error.h"
#include "suites/paper_reference.h"

namespace zooter::suites {
namespace {

constexpr int kMaxRank = static_cast<int>(kPaperModels);
// A planned mean keeps this share of its rank's interval from either end, so that the data's
// granularity (0.05 on an MT-Bench subset) rarely moves it across a candidate.
constexpr double kMargin = 0.2;
// Missing a group average costs this much more than missing a rank cell by its tolerance: the
// averages are met exactly today and must stay so.
constexpr double kAveragePenalty = 100.0;
constexpr int kMaxPasses = 200;

struct Evaluation {
  double cost = 0.0;
  std::vector<double> mean;
};

// The candidate means of a subset, best first.
std::array<double, kPaperModels> sorted_desc(const std::array<double, kPaperModels>& v) {
  std::array<double, kPaperModels> s = v;
  std::sort(s.begin(), s.end(), std::greater<>());
  return s;
}

// The rank's interval [low, high] on a subset, shrunk by the margin.
std::pair<double, double> interval(const std::array<double, kPaperModels>& best_first,
                                   double ceiling, int rank) {
  const auto k = static_cast<std::size_t>(rank);
  const double low = best_first[k - 1];
  const double high = k == 1 ? std::max(ceiling, low) : best_first[k - 2];
  return {low + kMargin * (high - low), high - kMargin * (high - low)};
}

Evaluation evaluate(const RankPlanSubsets& in, const std::vector<std::array<double, kPaperModels>>& sorted,
                    const RankingTargets& t, const std::vector<int>& planned) {
  const std::size_t n = in.group.size();
  std::array<double, kPlannedGroups> low{}, high{}, count{};
  std::vector<std::pair<double, double>> bounds(n);
  for (std::size_t s = 0; s < n; ++s) {
    bounds[s] = interval(sorted[s], in.ceiling[s], planned[s]);
    low[in.group[s]] += bounds[s].first;
    high[in.group[s]] += bounds[s].second;
    count[in.group[s]] += 1.0;
  }
  // One interpolation weight per group puts every subset at the same place in its interval.
  std::array<double, kPlannedGroups> weight{};
  Evaluation e;
  for (std::size_t g = 0; g < kPlannedGroups; ++g) {
    if (count[g] == 0.0) continue;
    const double lo = low[g] / count[g], hi = high[g] / count[g];
    weight[g] = hi > lo ? std::clamp((t.group_average[g] - lo) / (hi - lo), 0.0, 1.0) : 0.0;
    const double reached = lo + weight[g] * (hi - lo);
    const double miss = (reached - t.group_average[g]) / in.average_tolerance[g];
    e.cost += kAveragePenalty * miss * miss;
  }
  e.mean.resize(n);
  std::array<double, kPlannedGroups> rank_sum{};
  double total_rank = 0.0, firsts = 0.0;
  for (std::size_t s = 0; s < n; ++s) {
    const double w = weight[in.group[s]];
    e.mean[s] = bounds[s].first + w * (bounds[s].second - bounds[s].first);
    const int rank = rank_of(in.candidate[s], e.mean[s]);  // as the evaluator ranks
    rank_sum[in.group[s]] += rank;
    total_rank += rank;
    if (rank == 1) firsts += 1.0;
  }
  for (std::size_t g = 0; g < kPlannedGroups; ++g) {
    if (count[g] == 0.0) continue;
    const double miss = (rank_sum[g] / count[g] - t.group_mtr[g]) / kPaperGroupMtrTolerance;
    e.cost += miss * miss;
  }
  const double mtr_miss = (total_rank / static_cast<double>(n) - t.mtr) / kPaperMtrTolerance;
  const double uplift_miss = (firsts / static_cast<double>(n) - t.uplift) / kPaperUpliftTolerance;
  e.cost += mtr_miss * mtr_miss + uplift_miss * uplift_miss;
  return e;
}

}  // namespace

int rank_of(const std::array<double, kPaperModels>& candidate, double value) {
  int rank = 1;
  for (double c : candidate) {
    if (c > value) ++rank;
  }
  return rank;
}

RankPlan plan_ranking(const RankPlanSubsets& in, const RankingTargets& targets) {
  const std::size_t n = in.group.size();
  ZOOTER_CHECK(in.candidate.size() == n && in.ceiling.size() == n && n > 0);
  std::vector<std::array<double, kPaperModels>> sorted(n);
  for (std::size_t s = 0; s < n; ++s) sorted[s] = sorted_desc(in.candidate[s]);

  // Start where the group average falls among each subset's candidates.
  RankPlan plan;
  plan.rank.resize(n);
  for (std::size_t s = 0; s < n; ++s) {
    plan.rank[s] = std::min(kMaxRank, rank_of(in.candidate[s], targets.group_average[in.group[s]]));
  }
  // First-improvement local search, one subset's rank up or down by one at a time, in subset
  // order: deterministic, and it ends because the cost falls strictly at every accepted move.
  double cost = evaluate(in, sorted, targets, plan.rank).cost;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    bool moved = false;
    for (std::size_t s = 0; s < n; ++s) {
      for (int step : {-1, +1}) {
        const int next = plan.rank[s] + step;
        if (next < 1 || next > kMaxRank) continue;
        const int previous = plan.rank[s];
        plan.rank[s] = next;
        const double c = evaluate(in, sorted, targets, plan.rank).cost;
        if (c < cost - 1e-12) {
          cost = c;
          moved = true;
        } else {
          plan.rank[s] = previous;
        }
      }
    }
    if (!moved) break;
  }
  plan.mean = evaluate(in, sorted, targets, plan.rank).mean;
  return plan;
}

}  // namespace zooter::suites

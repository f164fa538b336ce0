#include "suites/paper_sim_calibration.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <string>

#include "harness/error.h"
#include "harness/parallel.h"
#include "suites/paper_reference.h"

namespace zooter::suites {
namespace {

constexpr std::size_t kM = kPaperModels;
// Signal weights searched. Negative weights are allowed: the paper's llm-blender on MT-Bench and
// auto-j on the benchmarks rank below a random pick, so a reward model can be anti-informative
// on a group, and with only 80 MT-Bench queries a weak ranking's random picks may land above
// its target by chance.
constexpr double kMinSignal = -4.0;
constexpr double kMaxSignal = 40.0;
// Shared shares searched for the oracle: at 1 the candidates would be indistinguishable.
constexpr double kMaxShared = 0.95;

// The paper's Table 1 cell in the bundle's metric units (its benchmarks column is in percent).
double paper_target(const std::string& adapter, const GroupProfile& group) {
  const std::optional<double> value = paper_group_average(adapter, group.name);
  ZOOTER_CHECK(value.has_value());
  return group.display == GroupDisplay::kPercent ? *value / 100.0 : *value;
}

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double logit(double p) { return std::log(p / (1.0 - p)); }

// Finds x in [lo, hi] where an increasing step function f crosses `target`, by bisection with
// the invariant f(lo) < target <= f(hi), and returns whichever end is closer. When the target
// is outside [f(lo), f(hi)] the nearer end is returned.
double bisect(const std::function<double(double)>& f, double lo, double hi, double target,
              int iterations) {
  double f_lo = f(lo), f_hi = f(hi);
  if (target <= f_lo) return lo;
  if (target > f_hi) return hi;
  for (int i = 0; i < iterations; ++i) {
    const double mid = 0.5 * (lo + hi);
    const double f_mid = f(mid);
    if (f_mid < target) {
      lo = mid;
      f_lo = f_mid;
    } else {
      hi = mid;
      f_hi = f_mid;
    }
  }
  return target - f_lo < f_hi - target ? lo : hi;
}

// One test group's queries with group-local cell numbering (local query * kM + model).
struct GroupCells {
  std::size_t group = 0;
  std::vector<std::size_t> subsets;      // profile subset indices
  std::vector<std::size_t> begin;        // local queries of subsets[i]: [begin[i], begin[i+1])
  std::vector<std::size_t> query;        // global query index of each local query
  std::vector<TurnNoise> turns;          // per local cell
};

GroupCells group_cells(const PaperProfile& profile, const QueryPlan& plan, std::size_t group,
                       std::uint64_t seed) {
  GroupCells cells;
  cells.group = group;
  cells.begin.push_back(0);
  for (std::size_t s = 0; s < profile.subsets.size(); ++s) {
    if (profile.subsets[s].group != group) continue;
    cells.subsets.push_back(s);
    for (std::size_t q = plan.subset_begin[s]; q < plan.subset_begin[s + 1]; ++q) {
      cells.query.push_back(q);
    }
    cells.begin.push_back(cells.query.size());
  }
  const bool turns = profile.groups[group].scale == GoldScale::kTwoTurns;
  cells.turns.assign(cells.query.size() * kM, TurnNoise{});
  if (turns) {
    for (std::size_t i = 0; i < cells.query.size(); ++i) {
      for (std::size_t m = 0; m < kM; ++m) {
        cells.turns[i * kM + m] = draw_turn_noise(profile.latent, seed, cells.query[i] * kM + m);
      }
    }
  }
  return cells;
}

// The group's per-cell latent quality without offsets, for a given shared share.
std::vector<double> base_quality(const PaperProfile& profile, const GroupCells& cells,
                                 const LatentDraws& draws, double shared) {
  const double scale = profile.groups[cells.group].latent_scale;
  std::vector<double> base(cells.query.size() * kM);
  for (std::size_t i = 0; i < cells.query.size(); ++i) {
    const std::size_t q = cells.query[i];
    for (std::size_t m = 0; m < kM; ++m) {
      base[i * kM + m] =
          latent_quality(0.0, scale, shared, draws.difficulty[q], draws.expertise[q * kM + m]);
    }
  }
  return base;
}

// The offset that makes candidate m's mean gold on subset i of the group closest to target.
double fit_offset(const PaperProfile& profile, const GroupCells& cells,
                  const std::vector<double>& base, std::size_t i, std::size_t m, double target) {
  const GroupProfile& group = profile.groups[cells.group];
  const std::size_t begin = cells.begin[i], end = cells.begin[i + 1];
  const std::size_t n = end - begin;
  if (group.scale == GoldScale::kCorrect) {
    // Exact: put the threshold between the k-th and (k+1)-th best base quality.
    std::vector<double> values;
    for (std::size_t j = begin; j < end; ++j) values.push_back(base[j * kM + m]);
    std::sort(values.begin(), values.end(), std::greater<>());
    const auto k = static_cast<std::size_t>(
        std::clamp(std::round(target * static_cast<double>(n)), 0.0, static_cast<double>(n)));
    if (k == 0) return -values.front() - 1.0;
    if (k == n) return -values.back() + 1.0;
    return -0.5 * (values[k - 1] + values[k]);
  }
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (std::size_t j = begin; j < end; ++j) {
    low = std::min(low, base[j * kM + m]);
    high = std::max(high, base[j * kM + m]);
  }
  const double margin = 10.0 * (group.max - group.min) + 10.0;
  auto mean_gold = [&](double offset) {
    double sum = 0.0;
    for (std::size_t j = begin; j < end; ++j) {
      const std::size_t c = j * kM + m;
      sum += gold_score(group.scale, profile.latent, offset + base[c], cells.turns[c]);
    }
    return sum / static_cast<double>(n);
  };
  return bisect(mean_gold, group.min - high - margin, group.max - low + margin, target, 40);
}

// Mean over the group's subsets of the subset mean of per-query picks' gold.
template <typename Pick>
double group_average(const GroupCells& cells, const std::vector<double>& gold, Pick&& pick) {
  double total = 0.0;
  for (std::size_t i = 0; i + 1 < cells.begin.size(); ++i) {
    double sum = 0.0;
    for (std::size_t j = cells.begin[i]; j < cells.begin[i + 1]; ++j) sum += gold[j * kM + pick(j)];
    total += sum / static_cast<double>(cells.begin[i + 1] - cells.begin[i]);
  }
  return total / static_cast<double>(cells.subsets.size());
}

struct GroupFit {
  std::vector<PerModel> offset;  // per subset of the group
  std::vector<double> gold;      // per local cell
  double oracle = 0.0;
};

GroupFit fit_group(const PaperProfile& profile, const GroupCells& cells, const LatentDraws& draws,
                   const std::vector<PerModel>& targets, double shared, const RunContext& ctx) {
  const GroupProfile& group = profile.groups[cells.group];
  const std::vector<double> base = base_quality(profile, cells, draws, shared);
  GroupFit fit;
  fit.offset.assign(cells.subsets.size(), PerModel{});
  parallel_for_each(
      ctx, cells.subsets.size() * kM,
      [&](std::size_t task) {
        const std::size_t i = task / kM, m = task % kM;
        fit.offset[i][m] = fit_offset(profile, cells, base, i, m, targets[cells.subsets[i]][m]);
      },
      1);
  fit.gold.resize(base.size());
  for (std::size_t i = 0; i < cells.subsets.size(); ++i) {
    for (std::size_t j = cells.begin[i]; j < cells.begin[i + 1]; ++j) {
      for (std::size_t m = 0; m < kM; ++m) {
        const std::size_t c = j * kM + m;
        fit.gold[c] =
            gold_score(group.scale, profile.latent, fit.offset[i][m] + base[c], cells.turns[c]);
      }
    }
  }
  fit.oracle = group_average(cells, fit.gold, [&](std::size_t j) {
    const auto first = fit.gold.begin() + static_cast<std::ptrdiff_t>(j * kM);
    return static_cast<std::size_t>(std::max_element(first, first + kM) - first);
  });
  return fit;
}

// Reward-model ranking's group average for signal weight w.
double ranking_average(const PaperProfile& profile, const GroupCells& cells,
                       const LatentDraws& draws, const GroupFit& fit,
                       const std::vector<double>& quality, std::size_t r, double w) {
  const RewardModelProfile& rm = profile.reward_models[r];
  return group_average(cells, fit.gold, [&](std::size_t j) {
    const std::size_t q = cells.query[j];
    std::size_t best = 0;
    double best_reward = -std::numeric_limits<double>::infinity();
    for (std::size_t m = 0; m < kM; ++m) {
      const std::size_t c = q * kM + m;
      const double reward = reward_score(rm, profile.latent, m, w, quality[j * kM + m],
                                         draws.length_term[c], draws.reward_noise[r][c]);
      if (reward > best_reward) {  // ties go to the lower candidate index
        best_reward = reward;
        best = m;
      }
    }
    return best;
  });
}


// Fits one test group: the shared share to the oracle (each candidate's offsets refitted at
// every step), then each reward model's signal weight to its ranking's group average.
void calibrate_group(const PaperProfile& profile, const QueryPlan& plan, const LatentDraws& draws,
                     std::uint64_t seed, std::size_t g, Calibration& cal, const RunContext& ctx) {
  const GroupProfile& group = profile.groups[g];
  const GroupCells cells = group_cells(profile, plan, g, seed);

  // The oracle falls as the shared share rises (candidates succeed and fail together).
  const double oracle_goal = paper_target("oracle", group);
  auto oracle_for = [&](double shared) {
    return -fit_group(profile, cells, draws, cal.target, shared, ctx).oracle;
  };
  const double shared = bisect(oracle_for, 0.0, kMaxShared, -oracle_goal, 18);
  cal.shared[g] = shared;
  const GroupFit fit = fit_group(profile, cells, draws, cal.target, shared, ctx);
  for (std::size_t i = 0; i < cells.subsets.size(); ++i) {
    cal.offset[cells.subsets[i]] = fit.offset[i];
  }

  // Rewards see quality relative to the subset centre, in units of the group scale.
  std::vector<double> quality(fit.gold.size());
  for (std::size_t i = 0; i < cells.subsets.size(); ++i) {
    const double center = subset_center(fit.offset[i]);
    for (std::size_t j = cells.begin[i]; j < cells.begin[i + 1]; ++j) {
      const std::size_t q = cells.query[j];
      for (std::size_t m = 0; m < kM; ++m) {
        const double z = latent_quality(fit.offset[i][m], group.latent_scale, shared,
                                        draws.difficulty[q], draws.expertise[q * kM + m]);
        quality[j * kM + m] = (z - center) / group.latent_scale;
      }
    }
  }
  parallel_for_each(
      ctx, kPaperRewardModels,
      [&](std::size_t r) {
        const double goal =
            paper_target("rmr@" + std::string(profile.reward_models[r].name), group);
        cal.signal[g][r] = bisect(
            [&](double w) { return ranking_average(profile, cells, draws, fit, quality, r, w); },
            kMinSignal, kMaxSignal, goal, 30);
      },
      1);
}

}  // namespace

double subset_center(const PerModel& offset) {
  return std::accumulate(offset.begin(), offset.end(), 0.0) / static_cast<double>(kM);
}

std::vector<PerModel> subset_targets(const PaperProfile& profile) {
  std::vector<PerModel> targets(profile.subsets.size(), PerModel{});
  for (std::size_t g = 0; g < profile.groups.size(); ++g) {
    const GroupProfile& group = profile.groups[g];
    if (!group.test) continue;
    std::vector<std::size_t> members;
    for (std::size_t s = 0; s < profile.subsets.size(); ++s) {
      if (profile.subsets[s].group == g) members.push_back(s);
    }
    const double range = group.max - group.min;
    for (std::size_t m = 0; m < kM; ++m) {
      const double goal = paper_target("single@" + std::string(profile.models[m].name), group);
      // Each subset's logit is shifted by its mixture-weighted domain strength; one common
      // shift is then chosen so that the subsets' mean is the paper's group average.
      std::vector<double> deviation;
      for (std::size_t s : members) {
        double sum = 0.0, weight = 0.0;
        for (const DomainWeight& dw : profile.subsets[s].mix) {
          sum += dw.weight * profile.domains[domain_index(dw.domain)].strength[m];
          weight += dw.weight;
        }
        deviation.push_back(group.subset_spread * sum / weight);
      }
      const double start = logit((goal - group.min) / range);
      auto mean_target = [&](double shift) {
        double sum = 0.0;
        for (double d : deviation) sum += group.min + range * logistic(start + shift + d);
        return sum / static_cast<double>(deviation.size());
      };
      const double shift = bisect(mean_target, -20.0, 20.0, goal, 80);
      for (std::size_t i = 0; i < members.size(); ++i) {
        targets[members[i]][m] = group.min + range * logistic(start + shift + deviation[i]);
      }
    }
  }
  return targets;
}

Calibration calibrate(const PaperProfile& profile, const QueryPlan& plan,
                      const LatentDraws& draws, std::uint64_t seed, const RunContext& ctx) {
  Calibration cal;
  cal.target = subset_targets(profile);
  cal.offset.assign(profile.subsets.size(), PerModel{});
  cal.shared.assign(profile.groups.size(), profile.latent.train_shared);
  cal.signal.assign(profile.groups.size(), PerRewardModel{});
  std::vector<std::size_t> test_groups;
  for (std::size_t g = 0; g < profile.groups.size(); ++g) {
    if (profile.groups[g].test) test_groups.push_back(g);
  }
  // Groups are independent: each writes only its own subsets' offsets and its own entries.
  parallel_for_each(
      ctx, test_groups.size(),
      [&](std::size_t i) { calibrate_group(profile, plan, draws, seed, test_groups[i], cal, ctx); },
      1);
  // On the training collection each reward model is train_signal times as informative as on
  // average over the test groups.
  for (std::size_t r = 0; r < kPaperRewardModels; ++r) {
    double sum = 0.0;
    for (std::size_t g : test_groups) sum += cal.signal[g][r];
    cal.signal[profile.train_group][r] =
        profile.latent.train_signal * sum / static_cast<double>(test_groups.size());
  }
  return cal;
}

}  // namespace zooter::suites

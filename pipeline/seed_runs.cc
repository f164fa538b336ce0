#include "pipeline/seed_runs.h"

#include <fmt/format.h>
#include <fmt/ranges.h>  // for fmt::join

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <utility>

#include "harness/bundle.h"
#include "harness/error.h"
#include "reports/frontier_builder.h"
#include "reports/report_builder.h"

namespace zooter::pipeline {
namespace {

// The adapters whose training reads seed= (adapters/learning_protocol.h's seed_argument, and
// exec, which passes it to the outside program): the only ones a seed changes.
constexpr std::array<std::string_view, 6> kSeededAdapters = {"exec", "knn", "mf", "mlp", "sw-ranking", "zooter"};

// The mean over seeds, added in seed order: the same additions SampleTable::sample_means
// makes, so intervals are centred on these bits.
double seed_mean(const std::vector<Evaluation>& per_seed, auto&& field) {
  double sum = 0.0;
  for (const Evaluation& ev : per_seed) sum += field(ev);
  return sum / static_cast<double>(per_seed.size());
}

// Each candidate's score on each evaluated subset, summed in query order as the evaluator does.
std::vector<std::vector<double>> candidate_scores(const Bundle& bundle, std::span<const std::uint32_t> queries,
                                                  const Evaluation& ev) {
  const std::vector<std::size_t> subset_of = subset_layout(bundle, queries).subset_of;
  std::vector<std::vector<double>> out(bundle.model_count(), std::vector<double>(ev.subsets.size(), 0.0));
  for (std::size_t m = 0; m < bundle.model_count(); ++m) {
    for (std::size_t i = 0; i < queries.size(); ++i) out[m][subset_of[i]] += bundle.gold(queries[i], m);
    for (std::size_t s = 0; s < ev.subsets.size(); ++s) out[m][s] /= static_cast<double>(ev.subsets[s].queries);
  }
  return out;
}

}  // namespace

std::size_t seed_count(const adapters::AdapterSpec& spec) {
  if (!spec.get("seeds")) return 0;
  const std::uint64_t n = adapters::integer_argument(spec, "seeds", 0, 1, kMaxSeeds);
  if (std::find(kSeededAdapters.begin(), kSeededAdapters.end(), spec.name) == kSeededAdapters.end()) {
    throw UsageError("adapter \"" + spec.canonical() +
                     "\": seeds= applies only to adapters that learn with a seed (exec, knn, mf, mlp, "
                     "sw-ranking, zooter)");
  }
  return static_cast<std::size_t>(n);
}

adapters::AdapterSpec with_seed(adapters::AdapterSpec spec, std::uint64_t seed) {
  std::erase_if(spec.arguments, [](const auto& kv) { return kv.first == "seeds" || kv.first == "seed"; });
  spec.arguments.emplace_back("seed", std::to_string(seed));
  return spec;
}

reports::SeedSpread seed_spread(std::vector<double> quality, std::uint64_t first_seed) {
  reports::SeedSpread out;
  out.first_seed = first_seed;
  const double n = static_cast<double>(quality.size());
  double sum = 0.0;
  for (const double x : quality) sum += x;
  out.mean = sum / n;
  double squares = 0.0;
  for (const double x : quality) squares += (x - out.mean) * (x - out.mean);
  out.sd = quality.size() > 1 ? std::sqrt(squares / (n - 1.0)) : 0.0;
  out.min = *std::min_element(quality.begin(), quality.end());
  out.max = *std::max_element(quality.begin(), quality.end());
  out.quality = std::move(quality);
  return out;
}

std::string seed_spread_note(const std::string& adapter, const reports::SeedSpread& spread) {
  return fmt::format(
      "{}: seeds {}..{}, the row being the mean over seeds of every quality metric; mean normalised "
      "subset score per seed {:.4f}; across seeds mean {:.4f}, sd {:.4f}, min {:.4f}, max {:.4f}",
      adapter, spread.first_seed, spread.first_seed + (spread.quality.size() - 1), fmt::join(spread.quality, ", "),
      spread.mean, spread.sd, spread.min, spread.max);
}

SeedMeanEvaluation evaluate_seed_mean(const Bundle& bundle, std::span<const std::uint32_t> queries,
                                      const SeededRuns& seeded, std::optional<std::size_t> best_single,
                                      const std::string& split, const RunContext& ctx) {
  const std::size_t n_runs = seeded.runs.size();
  std::vector<Evaluation> per_seed;
  for (std::size_t k = 0; k < seeded.seeds; ++k) {
    std::vector<AdapterRun> runs = seeded.runs;
    for (std::size_t a = 0; a < n_runs; ++a) {
      if (!seeded.seed_runs[a].empty()) runs[a].decisions = seeded.seed_runs[a][k].decisions;
    }
    per_seed.push_back(evaluate(bundle, queries, runs, best_single, split, ctx));
  }
  SeedMeanEvaluation result{per_seed.front(), std::vector<reports::SeedSpread>(n_runs)};
  Evaluation& out = result.evaluation;
  const std::vector<std::vector<double>> candidates = candidate_scores(bundle, queries, out);
  const Manifest& manifest = bundle.manifest;
  const reports::ReportLayout layout = reports::make_layout(bundle, out);
  auto is_seeded = [&](std::size_t a) { return !seeded.seed_runs[a].empty(); };
  for (std::size_t a = 0; a < n_runs; ++a) {
    if (!is_seeded(a)) continue;
    AdapterResult& r = out.adapters[a];
    auto row = [a](const Evaluation& ev) -> const AdapterResult& { return ev.adapters[a]; };
    for (std::size_t s = 0; s < out.subsets.size(); ++s) {
      r.subset_score[s] = seed_mean(per_seed, [&](const Evaluation& ev) { return row(ev).subset_score[s]; });
      for (std::size_t m = 0; m < r.routing_share[s].size(); ++m) {
        r.routing_share[s][m] = seed_mean(per_seed, [&](const Evaluation& ev) { return row(ev).routing_share[s][m]; });
      }
    }
    for (std::size_t s = 0; s < r.win_rate_vs_best_single.size(); ++s) {
      r.win_rate_vs_best_single[s] =
          seed_mean(per_seed, [&](const Evaluation& ev) { return row(ev).win_rate_vs_best_single[s]; });
    }
    // Ranks, MTR and %Uplift of the seed-mean scores, by the evaluator's rule (1 + candidates
    // strictly better), as the bootstrap recomputes them.
    std::size_t firsts = 0;
    double rank_sum = 0.0;
    for (std::size_t s = 0; s < out.subsets.size(); ++s) {
      const bool higher = manifest.subsets[out.subsets[s].subset].metric.higher_is_better;
      int rank = 1;
      for (const std::vector<double>& c : candidates) {
        if (higher ? c[s] > r.subset_score[s] : c[s] < r.subset_score[s]) ++rank;
      }
      r.subset_rank[s] = rank;
      rank_sum += rank;
      if (rank == 1) ++firsts;
    }
    r.mtr = rank_sum / static_cast<double>(out.subsets.size());
    r.uplift = static_cast<double>(firsts) / static_cast<double>(out.subsets.size());
    for (std::size_t g = 0; g < out.groups.size(); ++g) {
      double score = 0.0, rank = 0.0;
      for (const std::size_t s : out.groups[g].subsets) {
        score += r.subset_score[s];
        rank += r.subset_rank[s];
      }
      const double members = static_cast<double>(out.groups[g].subsets.size());
      r.group_average[g] = score / members;
      r.group_mtr[g] = rank / members;
    }
    CostSummary& c = r.cost;
    c.generations = seed_mean(per_seed, [&](const Evaluation& ev) { return row(ev).cost.generations; });
    c.generation_flops = seed_mean(per_seed, [&](const Evaluation& ev) { return row(ev).cost.generation_flops; });
    c.ranker_calls = seed_mean(per_seed, [&](const Evaluation& ev) { return row(ev).cost.ranker_calls; });
    c.ranker_flops = seed_mean(per_seed, [&](const Evaluation& ev) { return row(ev).cost.ranker_flops; });
    c.router_calls = seed_mean(per_seed, [&](const Evaluation& ev) { return row(ev).cost.router_calls; });
    c.router_flops = seed_mean(per_seed, [&](const Evaluation& ev) { return row(ev).cost.router_flops; });
    const bool dollars_known = std::all_of(per_seed.begin(), per_seed.end(),
                                           [&](const Evaluation& ev) { return row(ev).cost.dollars.has_value(); });
    c.dollars.reset();
    if (dollars_known) c.dollars = seed_mean(per_seed, [&](const Evaluation& ev) { return *row(ev).cost.dollars; });

    std::vector<double> quality;
    for (const Evaluation& ev : per_seed) quality.push_back(reports::normalised_quality(layout, row(ev)));
    result.spread[a] = seed_spread(std::move(quality), seeded.first_seed[a]);
    r.notes.push_back(seed_spread_note(r.name, result.spread[a]));
  }
  // Win rates involving a seeded adapter: the mean over seed indices (seed k against seed k).
  for (std::size_t a = 0; a < n_runs; ++a) {
    for (std::size_t b = 0; b < n_runs; ++b) {
      if (!is_seeded(a) && !is_seeded(b)) continue;
      for (std::size_t s = 0; s < out.subsets.size(); ++s) {
        out.win_rate[a][b][s] = seed_mean(per_seed, [&](const Evaluation& ev) { return ev.win_rate[a][b][s]; });
      }
    }
  }
  return result;
}

}  // namespace zooter::pipeline

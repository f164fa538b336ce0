#include "harness/evaluator.h"

#include <cmath>
#include <limits>

#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/parallel.h"

namespace zooter {
namespace {

// Expected win of decision a over decision b on query q.
double expected_win(const Bundle& b, std::size_t q, const Decision& da, const Decision& db,
                    bool higher) {
  const std::size_t n = b.model_count();
  if (da.answer != Decision::kUniform && db.answer != Decision::kUniform) {
    return win_value(b.gold(q, static_cast<std::size_t>(da.answer)),
                     b.gold(q, static_cast<std::size_t>(db.answer)), higher);
  }
  double sum = 0.0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (da.answer != Decision::kUniform && static_cast<std::size_t>(da.answer) != i) continue;
    for (std::size_t j = 0; j < n; ++j) {
      if (db.answer != Decision::kUniform && static_cast<std::size_t>(db.answer) != j) continue;
      sum += win_value(b.gold(q, i), b.gold(q, j), higher);
      ++count;
    }
  }
  return sum / static_cast<double>(count);
}

double flops(double parameters, double tokens) { return 2.0 * parameters * tokens; }

// Per-query cost of one decision (expected values for a uniform draw).
struct QueryCost {
  double generations = 0, generation_flops = 0, ranker_calls = 0, ranker_flops = 0, dollars = 0;
};

QueryCost query_cost(const Bundle& b, std::size_t q, const Decision& d) {
  QueryCost c;
  const double input = b.queries.input_tokens[q];
  const std::size_t n = b.model_count();
  if (d.answer == Decision::kUniform) {
    c.generations = 1.0;
    for (std::size_t m = 0; m < n; ++m) {
      const std::size_t cell = b.responses.cell(q, m);
      c.generation_flops += flops(b.manifest.models[m].parameters,
                                  input + b.responses.output_tokens[cell]) / static_cast<double>(n);
      c.dollars += b.responses.dollars[cell] / static_cast<double>(n);
    }
    return c;
  }
  const double rm_parameters =
      d.reward_model >= 0 ? b.manifest.reward_models[static_cast<std::size_t>(d.reward_model)].parameters
                          : 0.0;
  for (std::size_t m = 0; m < n; ++m) {
    const std::size_t cell = b.responses.cell(q, m);
    const double tokens = input + b.responses.output_tokens[cell];
    if ((d.generated >> m) & 1U) {
      c.generations += 1.0;
      c.generation_flops += flops(b.manifest.models[m].parameters, tokens);
      c.dollars += b.responses.dollars[cell];
    }
    if ((d.scored >> m) & 1U) {
      c.ranker_calls += 1.0;
      c.ranker_flops += flops(rm_parameters, tokens);
    }
  }
  return c;
}

void check_decisions(const Bundle& b, const AdapterRun& run, std::size_t n_queries) {
  ZOOTER_CHECK(run.decisions.size() == n_queries);
  const auto n = static_cast<std::int16_t>(b.model_count());
  for (const Decision& d : run.decisions) {
    ZOOTER_CHECK(d.answer == Decision::kUniform || (d.answer >= 0 && d.answer < n));
    ZOOTER_CHECK(d.scored == 0 ||
                 (d.reward_model >= 0 &&
                  static_cast<std::size_t>(d.reward_model) < b.manifest.reward_models.size()));
  }
}

}  // namespace

double answer_value(const Bundle& b, std::size_t q, const Decision& d) {
  if (d.answer != Decision::kUniform) return b.gold(q, static_cast<std::size_t>(d.answer));
  double sum = 0.0;
  for (std::size_t m = 0; m < b.model_count(); ++m) sum += b.gold(q, m);
  return sum / static_cast<double>(b.model_count());
}

SubsetLayout subset_layout(const Bundle& bundle, std::span<const std::uint32_t> queries) {
  const Manifest& manifest = bundle.manifest;
  SubsetLayout out;
  std::vector<std::size_t> counts(manifest.subsets.size(), 0);
  for (std::uint32_t q : queries) ++counts[bundle.queries.subset[q]];
  std::vector<std::size_t> position(manifest.subsets.size(), SIZE_MAX);
  for (std::size_t g = 0; g < manifest.groups.size(); ++g) {
    EvaluatedGroup group{g, {}};
    for (std::size_t s : manifest.groups[g].subsets) {
      if (counts[s] == 0) continue;
      position[s] = out.subsets.size();
      group.subsets.push_back(out.subsets.size());
      out.subsets.push_back({s, counts[s]});
    }
    if (!group.subsets.empty()) out.groups.push_back(std::move(group));
  }
  out.subset_of.resize(queries.size());
  for (std::size_t i = 0; i < queries.size(); ++i) {
    out.subset_of[i] = position[bundle.queries.subset[queries[i]]];
  }
  return out;
}

Evaluation evaluate(const Bundle& bundle, std::span<const std::uint32_t> queries,
                    const std::vector<AdapterRun>& runs, std::optional<std::size_t> best_single,
                    const std::string& split, const RunContext& ctx) {
  const Manifest& manifest = bundle.manifest;
  const std::size_t n_models = bundle.model_count();
  Evaluation ev;
  ev.split = split;
  ev.queries = queries.size();
  ev.best_single = best_single;

  // Evaluated subsets and groups, in manifest order; each query's subset position.
  SubsetLayout layout = subset_layout(bundle, queries);
  ev.subsets = std::move(layout.subsets);
  ev.groups = std::move(layout.groups);
  const std::vector<std::size_t>& query_subset = layout.subset_of;
  const std::size_t n_subsets = ev.subsets.size();
  auto higher = [&](std::size_t s) {
    return manifest.subsets[ev.subsets[s].subset].metric.higher_is_better;
  };

  // The candidate pool's subset scores: the reference every rank is taken against.
  std::vector<std::vector<double>> candidate_score(n_models, std::vector<double>(n_subsets, 0.0));
  for (std::size_t m = 0; m < n_models; ++m) {
    for (std::size_t i = 0; i < queries.size(); ++i) {
      candidate_score[m][query_subset[i]] += bundle.gold(queries[i], m);
    }
    for (std::size_t s = 0; s < n_subsets; ++s) {
      candidate_score[m][s] /= static_cast<double>(ev.subsets[s].queries);
    }
  }

  for (const AdapterRun& run : runs) check_decisions(bundle, run, queries.size());

  ev.adapters.resize(runs.size());
  for (std::size_t a = 0; a < runs.size(); ++a) {
    const AdapterRun& run = runs[a];
    AdapterResult& r = ev.adapters[a];
    r.name = run.name;
    r.kind = run.kind;
    r.notes = run.notes;
    r.router_parameters = run.router_parameters;

    struct PerQuery {
      double value = 0;
      QueryCost cost;
    };
    const auto per_query = parallel_map<PerQuery>(ctx, queries.size(), [&](std::size_t i) {
      const Decision& d = run.decisions[i];
      return PerQuery{answer_value(bundle, queries[i], d), query_cost(bundle, queries[i], d)};
    });

    r.subset_score.assign(n_subsets, 0.0);
    r.routing_share.assign(n_subsets, std::vector<double>(n_models, 0.0));
    bool dollars_known = true;
    double dollars = 0.0;
    for (std::size_t i = 0; i < queries.size(); ++i) {  // query order: same sums at any N
      const std::size_t s = query_subset[i];
      const PerQuery& p = per_query[i];
      r.subset_score[s] += p.value;
      r.cost.generations += p.cost.generations;
      r.cost.generation_flops += p.cost.generation_flops;
      r.cost.ranker_calls += p.cost.ranker_calls;
      r.cost.ranker_flops += p.cost.ranker_flops;
      r.cost.router_calls += run.decisions[i].router_calls;
      if (std::isnan(p.cost.dollars)) dollars_known = false;
      dollars += p.cost.dollars;
      const Decision& d = run.decisions[i];
      if (d.answer == Decision::kUniform) {
        for (double& share : r.routing_share[s]) share += 1.0 / static_cast<double>(n_models);
      } else {
        r.routing_share[s][static_cast<std::size_t>(d.answer)] += 1.0;
      }
    }
    r.cost.router_flops = r.cost.router_calls * run.router_flops_per_query;
    if (dollars_known) r.cost.dollars = dollars;

    for (std::size_t s = 0; s < n_subsets; ++s) {
      const double n = static_cast<double>(ev.subsets[s].queries);
      r.subset_score[s] /= n;
      for (double& share : r.routing_share[s]) share /= n;
    }
    // Rank among the candidates (plus itself): 1 + candidates strictly better; ties share
    // the best rank. A candidate's own entry never counts as better than itself.
    r.subset_rank.assign(n_subsets, 1);
    std::size_t firsts = 0;
    double rank_sum = 0.0;
    for (std::size_t s = 0; s < n_subsets; ++s) {
      int rank = 1;
      for (std::size_t m = 0; m < n_models; ++m) {
        const double c = candidate_score[m][s];
        if (higher(s) ? c > r.subset_score[s] : c < r.subset_score[s]) ++rank;
      }
      r.subset_rank[s] = rank;
      rank_sum += rank;
      if (rank == 1) ++firsts;
    }
    r.mtr = rank_sum / static_cast<double>(n_subsets);
    r.uplift = static_cast<double>(firsts) / static_cast<double>(n_subsets);
    for (const EvaluatedGroup& g : ev.groups) {
      double score = 0.0, rank = 0.0;
      for (std::size_t s : g.subsets) {
        score += r.subset_score[s];
        rank += r.subset_rank[s];
      }
      r.group_average.push_back(score / static_cast<double>(g.subsets.size()));
      r.group_mtr.push_back(rank / static_cast<double>(g.subsets.size()));
    }
  }

  // Pairwise win rates; win(b, a) = 1 - win(a, b) query by query, so only a < b is computed.
  const std::size_t n_runs = runs.size();
  ev.win_rate.assign(n_runs, std::vector<std::vector<double>>(n_runs, std::vector<double>(n_subsets, 0.5)));
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t a = 0; a < n_runs; ++a) {
    for (std::size_t b = a + 1; b < n_runs; ++b) pairs.emplace_back(a, b);
  }
  const auto pair_wins = parallel_map<std::vector<double>>(
      ctx, pairs.size(),
      [&](std::size_t p) {
        const auto [a, b] = pairs[p];
        std::vector<double> wins(n_subsets, 0.0);
        for (std::size_t i = 0; i < queries.size(); ++i) {
          const std::size_t s = query_subset[i];
          wins[s] += expected_win(bundle, queries[i], runs[a].decisions[i], runs[b].decisions[i],
                                  higher(s));
        }
        return wins;
      },
      1);
  for (std::size_t p = 0; p < pairs.size(); ++p) {
    const auto [a, b] = pairs[p];
    for (std::size_t s = 0; s < n_subsets; ++s) {
      const double rate = pair_wins[p][s] / static_cast<double>(ev.subsets[s].queries);
      ev.win_rate[a][b][s] = rate;
      ev.win_rate[b][a][s] = 1.0 - rate;
    }
  }
  if (best_single) {
    for (std::size_t a = 0; a < n_runs; ++a) {
      ev.adapters[a].win_rate_vs_best_single = ev.win_rate[a][*best_single];
    }
  }
  return ev;
}

}  // namespace zooter

// The results of evaluating adapters on a bundle's queries: scores, ranks, win rates and cost,
// exactly as docs/metrics.md defines them. Plain data; reports/ formats it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace zooter {

struct CostSummary {
  // Totals over the evaluated queries; NaN-free except `dollars`, which is empty when any
  // response it would need has no cost and its model no prices.
  double generations = 0.0;
  double generation_flops = 0.0;
  double ranker_calls = 0.0;
  double ranker_flops = 0.0;
  double router_calls = 0.0;
  double router_flops = 0.0;
  std::optional<double> dollars;

  [[nodiscard]] double total_flops() const { return generation_flops + ranker_flops + router_flops; }
};

struct AdapterResult {
  std::string name;                  // canonical spec, e.g. "rmr@qwen-rm"
  std::string kind;                  // "candidate", "baseline", "ranker" or "router"
  std::vector<std::string> notes;    // e.g. which model best-single chose and on what data
  double router_parameters = 0.0;

  // Indexed by evaluated subset (Evaluation::subsets order).
  std::vector<double> subset_score;
  std::vector<int> subset_rank;
  std::vector<double> win_rate_vs_best_single;
  std::vector<std::vector<double>> routing_share;  // [subset][model]: share of answers

  // Indexed by evaluated group (Evaluation::groups order).
  std::vector<double> group_average;
  std::vector<double> group_mtr;

  double mtr = 0.0;     // mean rank over every evaluated subset
  double uplift = 0.0;  // share of evaluated subsets ranked first

  CostSummary cost;
};

struct EvaluatedSubset {
  std::size_t subset = 0;   // index into Manifest::subsets
  std::size_t queries = 0;  // how many evaluated queries it has
};

struct EvaluatedGroup {
  std::size_t group = 0;                   // index into Manifest::groups
  std::vector<std::size_t> subsets;        // positions in Evaluation::subsets
};

struct Evaluation {
  std::string split;                          // the evaluated split, or "all"
  std::size_t queries = 0;
  std::vector<EvaluatedSubset> subsets;
  std::vector<EvaluatedGroup> groups;
  std::vector<AdapterResult> adapters;
  std::optional<std::size_t> best_single;     // position of best-single in adapters, if run
  // win_rate[a][b][s]: share of subset s's queries where adapter a's answer has a higher gold
  // score than b's, ties counting one half (lower is better flips the comparison).
  std::vector<std::vector<std::vector<double>>> win_rate;
};

}  // namespace zooter

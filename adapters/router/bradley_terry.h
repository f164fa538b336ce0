// Bradley-Terry ratings from weighted pairwise outcomes: P(a beats b) = p_a / (p_a + p_b).
// The maximum-likelihood ratings are found by Hunter's MM iteration (D. R. Hunter, "MM
// algorithms for generalized Bradley-Terry models", Annals of Statistics 32(1), 2004):
//   p_a <- W_a / sum_{b != a} n_ab / (p_a + p_b),   W_a = total wins of a, n_ab = a-b games,
// then normalised to sum 1. A small prior (one half game won and lost against every other
// model) keeps ratings finite when a model never wins or never loses.
#pragma once

#include <cstddef>
#include <vector>

namespace zooter::adapters::router {

// wins[a * n + b] = (weighted) games a won against b; a tie counts one half to each side.
// Returns p (sum 1), after `iterations` MM steps or when no rating moves by more than 1e-12.
[[nodiscard]] std::vector<double> bradley_terry(const std::vector<double>& wins, std::size_t n,
                                                double prior = 0.0, std::size_t iterations = 200);

}  // namespace zooter::adapters::router

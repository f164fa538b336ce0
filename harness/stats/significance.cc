#include "harness/stats/significance.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "harness/error.h"

namespace zooter::stats {

double sign_test_p(std::size_t wins, std::size_t losses) {
  const std::size_t n = wins + losses;
  const std::size_t k = std::min(wins, losses);
  if (n == 0 || 2 * k == n) return 1.0;
  // P(X = k) in log space, then P(X = j - 1) = P(X = j) * j / (n - j + 1) summed downwards
  // from the largest term: no term underflows before it stops mattering.
  const double dn = static_cast<double>(n);
  const double dk = static_cast<double>(k);
  const double log_top = std::lgamma(dn + 1.0) - std::lgamma(dk + 1.0) -
                         std::lgamma(dn - dk + 1.0) - dn * std::log(2.0);
  double term = 1.0, sum = 1.0;
  for (std::size_t j = k; j > 0; --j) {
    term *= static_cast<double>(j) / static_cast<double>(n - j + 1);
    sum += term;
    if (term < sum * 1e-18) break;
  }
  return std::min(1.0, 2.0 * std::exp(log_top) * sum);
}

double paired_bootstrap_p(std::span<const double> differences) {
  ZOOTER_CHECK(!differences.empty());
  std::size_t at_most_zero = 0, at_least_zero = 0;
  for (double d : differences) {
    at_most_zero += d <= 0.0 ? 1 : 0;
    at_least_zero += d >= 0.0 ? 1 : 0;
  }
  const double tail = static_cast<double>(std::min(at_most_zero, at_least_zero)) /
                      static_cast<double>(differences.size());
  return std::min(1.0, 2.0 * tail);
}

std::vector<double> holm(std::span<const double> p) {
  const std::size_t m = p.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  for (double v : p) ZOOTER_CHECK(!std::isnan(v));
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  std::vector<double> adjusted(m);
  double running = 0.0;
  for (std::size_t i = 0; i < m; ++i) {
    running = std::max(running, std::min(1.0, static_cast<double>(m - i) * p[order[i]]));
    adjusted[order[i]] = running;
  }
  return adjusted;
}

}  // namespace zooter::stats

#include "adapters/router/bradley_terry.h"

#include <cmath>

#include "harness/error.h"

namespace zooter::adapters::router {

std::vector<double> bradley_terry(const std::vector<double>& wins, std::size_t n, double prior,
                                  std::size_t iterations) {
  ZOOTER_CHECK(wins.size() == n * n);
  std::vector<double> p(n, 1.0 / static_cast<double>(n)), next(n);
  auto won = [&](std::size_t a, std::size_t b) { return a == b ? 0.0 : wins[a * n + b] + prior; };
  for (std::size_t it = 0; it < iterations; ++it) {
    double total = 0.0;
    for (std::size_t a = 0; a < n; ++a) {
      double w = 0.0, denominator = 0.0;
      for (std::size_t b = 0; b < n; ++b) {
        if (b == a) continue;
        w += won(a, b);
        denominator += (won(a, b) + won(b, a)) / (p[a] + p[b]);
      }
      next[a] = denominator > 0.0 ? w / denominator : p[a];
      total += next[a];
    }
    double moved = 0.0;
    for (std::size_t a = 0; a < n; ++a) {
      const double v = total > 0.0 ? next[a] / total : p[a];
      moved = std::max(moved, std::fabs(v - p[a]));
      p[a] = v;
    }
    if (moved < 1e-12) break;
  }
  return p;
}

}  // namespace zooter::adapters::router

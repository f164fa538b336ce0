// P-values on plain numbers: the exact two-sided sign test, the paired bootstrap p-value
// and Holm's step-down adjustment. Pure functions; paired_tests.h applies them to adapters.
//
// Definitions and references: docs/statistics.md.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace zooter::stats {

// Exact two-sided sign test (binomial test with p = 1/2) of `wins` against `losses`, ties
// already left out: p = min(1, 2 * P(X <= min(wins, losses))), X ~ Binomial(wins + losses, 1/2).
// 1 when there is nothing to compare. Summed term by term from lgamma-based log
// probabilities: exact up to rounding (relative error ~1e-12) for any n, no normal
// approximation. On paired 0/1 outcomes it is McNemar's exact test: wins and losses are
// then the two kinds of discordant pairs.
[[nodiscard]] double sign_test_p(std::size_t wins, std::size_t losses);

// Two-sided paired bootstrap p-value of replicate differences d_1..d_B (statistic of A minus
// statistic of B in each replicate): min(1, 2 * min(#{d <= 0}, #{d >= 0}) / B). It is the
// smallest alpha whose (1 - alpha) percentile interval of the difference excludes 0, so its
// resolution is 2 / B; 0 means no replicate fell on the other side. B >= 1.
[[nodiscard]] double paired_bootstrap_p(std::span<const double> differences);

// Holm (1979) step-down adjustment of a family of p-values, returned in input order: with p
// sorted ascending (ties in input order) p_(1) <= ... <= p_(m), the adjusted value of p_(i)
// is min(1, max_{j <= i} (m - j + 1) p_(j)). Rejecting where adjusted < alpha controls the
// family-wise error rate at alpha. Values must not be NaN.
[[nodiscard]] std::vector<double> holm(std::span<const double> p);

}  // namespace zooter::stats

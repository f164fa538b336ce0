// Paired-test results as people read them, shared by the terminal table, Markdown and HTML:
// a subset tally, a group-average difference with its p-value, and whether a comparison is of
// two adapters that gave the same answers.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "harness/stats/paired_tests.h"
#include "reports/number_format.h"
#include "reports/report.h"

namespace zooter::reports {

// "better on 2 subsets (1 significantly), worse on 3 (0)"; "better on 1 subset (...".
[[nodiscard]] inline std::string tally_text(const stats::SubsetTally& t) {
  return fmt::format("better on {} subset{} ({} significantly), worse on {} ({})", t.better,
                     t.better == 1 ? "" : "s", t.significantly_better, t.worse, t.significantly_worse);
}

// True when `a` and `b` gave the same answer to every query because each sends all of every
// subset's queries to one and the same candidate: a single model and the best-single that
// chose it. A paired test of the two is then "better on 0, worse on 0" and says nothing.
[[nodiscard]] inline bool same_single_candidate(const AdapterResult& a, const AdapterResult& b) {
  if (a.routing_share.empty() || a.routing_share.size() != b.routing_share.size()) return false;
  for (std::size_t s = 0; s < a.routing_share.size(); ++s) {
    const std::vector<double>& x = a.routing_share[s];
    const std::vector<double>& y = b.routing_share[s];
    const auto all = std::find(x.begin(), x.end(), 1.0);
    if (all == x.end() || y.size() != x.size() || y[static_cast<std::size_t>(all - x.begin())] != 1.0) {
      return false;
    }
  }
  return true;
}

// A difference with its sign: "+0.25", "-0.67", "0.00".
[[nodiscard]] inline std::string signed_fixed(double value, int decimals) {
  const std::string text = fixed(value, decimals);
  const bool positive = text[0] != '-' && text.find_first_not_of("0.") != std::string::npos;
  return positive ? "+" + text : text;
}

// "-0.81 (p 0.210)": A's group average minus B's in the group's display units (x100 for a
// percent group), signed, with the paired bootstrap p of that difference; "n/a" without one.
[[nodiscard]] inline std::string average_difference_text(const ReportGroup& group,
                                                         const stats::AggregateComparison& c) {
  if (!c.average_difference) return "n/a";
  return fmt::format("{} (p {})", signed_fixed(display_average(group, *c.average_difference), average_decimals(group)),
                     fixed(c.average_bootstrap_p, 3));
}

// The name of the reference adapter of `versus`.
[[nodiscard]] inline const std::string& reference_name(const Report& report, const VersusReference& versus) {
  return report.evaluation.adapters[versus.adapter].name;
}

}  // namespace zooter::reports

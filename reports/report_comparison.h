// Compares two report.json files of the same suite and pool: the regression gate behind
// `zooter compare BASE.json NEW.json`.
//
// A metric regresses when it gets worse by more than its threshold: quality (subset scores,
// group averages) by more than max_drop of its metric's scale range; MTR by more than
// max_rank_rise; %Uplift by more than max_uplift_drop. When both reports carry bootstrap
// intervals for a metric, a drop only counts when it is also significant: with `alpha` set,
// a one-sided z test of the change against the two reports' bootstrap standard errors
// (p = P(Z > worse / sqrt(se_base^2 + se_new^2)) < alpha; unpaired, so conservative for two
// runs on the same queries); without it, when the new value leaves the base interval.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace zooter::reports {

struct ComparisonOptions {
  double max_drop = 0.01;         // share of a metric's scale range (0.01 = 1%)
  double max_rank_rise = 0.10;    // MTR, in ranks
  double max_uplift_drop = 0.05;  // %Uplift, as a fraction of subsets
  std::optional<double> alpha;    // significance level of the z test (see above)
};

struct MetricChange {
  std::string adapter;
  std::string scope;   // subset id, group name, or "overall"
  std::string metric;  // "score", "average", "mtr", "uplift"
  double base = 0.0;
  double current = 0.0;
  bool worse = false;       // moved in the bad direction at all
  bool regression = false;  // worse beyond the threshold (and significantly, if testable)
  std::optional<double> p_value;  // of the z test, when alpha is set and both have errors
};

struct Comparison {
  bool comparable = true;
  std::string reason;                      // why not comparable
  std::vector<MetricChange> changes;       // every metric of every adapter in both reports
  std::vector<std::string> missing;        // adapters in BASE but not in NEW: a regression
  std::vector<std::string> added;          // adapters only in NEW
  [[nodiscard]] bool has_regression() const;
};

// Reads both files (InputError with path:line:column on bad JSON or a missing field).
[[nodiscard]] Comparison compare_reports(const std::string& base_path, const std::string& new_path,
                                         const ComparisonOptions& options);

// A Markdown summary fit for a pull-request comment: verdict, regressions, largest changes.
void write_comparison_markdown(const Comparison& comparison, const std::string& base_path,
                               const std::string& new_path, std::ostream& out);

}  // namespace zooter::reports

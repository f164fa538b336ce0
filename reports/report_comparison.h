// Compares two report.json files of the same suite and pool: the regression gate behind
// `zooter compare BASE.json NEW.json`.
//
// A metric regresses when it gets worse by more than its threshold: quality (subset scores,
// group averages) by more than max_drop of its metric's scale range; MTR by more than
// max_rank_rise; %Uplift by more than max_uplift_drop. When both reports carry bootstrap
// intervals for a metric, a drop only counts when it is also outside the base interval
// (the change is larger than the base run's own uncertainty).
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
};

struct MetricChange {
  std::string adapter;
  std::string scope;   // subset id, group name, or "overall"
  std::string metric;  // "score", "average", "mtr", "uplift"
  double base = 0.0;
  double current = 0.0;
  bool worse = false;       // moved in the bad direction at all
  bool regression = false;  // worse beyond the threshold (and the base interval, if any)
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

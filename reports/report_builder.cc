#include "reports/report_builder.h"

#include "harness/bundle.h"

namespace zooter::reports {

Report make_report(const Bundle& bundle, Evaluation evaluation) {
  const Manifest& m = bundle.manifest;
  Report report;
  report.suite = m.suite;
  report.description = m.description;
  report.simulated = m.simulated;
  for (const Model& model : m.models) report.models.push_back(model.name);
  for (const EvaluatedSubset& e : evaluation.subsets) {
    const Subset& s = m.subsets[e.subset];
    report.subsets.push_back({s.id, s.name, s.metric.name, s.metric.min, s.metric.max,
                              s.metric.higher_is_better, e.queries});
  }
  for (const EvaluatedGroup& e : evaluation.groups) {
    const Group& g = m.groups[e.group];
    report.groups.push_back({g.name, g.display == GroupDisplay::kPercent, e.subsets});
  }
  report.evaluation = std::move(evaluation);
  return report;
}

}  // namespace zooter::reports

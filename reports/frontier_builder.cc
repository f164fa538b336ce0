#include "reports/frontier_builder.h"

#include <algorithm>

#include "harness/error.h"

namespace zooter::reports {
namespace {

bool every_adapter_has_dollars(const Evaluation& ev) {
  return std::all_of(ev.adapters.begin(), ev.adapters.end(),
                     [](const AdapterResult& a) { return a.cost.dollars.has_value(); });
}

double cost_per_query(const AdapterResult& a, std::size_t queries, bool dollars) {
  const double total = dollars ? *a.cost.dollars : a.cost.total_flops() / 1e12;
  return total / static_cast<double>(queries);
}

// Share of all evaluated answers that came from `model` (subsets weighted by their queries).
double answer_share(const ReportLayout& report, const AdapterResult& a, std::size_t model) {
  double answers = 0.0;
  double total = 0.0;
  for (std::size_t s = 0; s < report.subsets.size(); ++s) {
    const auto n = static_cast<double>(report.subsets[s].queries);
    answers += a.routing_share[s][model] * n;
    total += n;
  }
  return total > 0.0 ? answers / total : 0.0;
}

std::size_t model_position(const ReportLayout& report, const std::string& name) {
  const auto it = std::find(report.models.begin(), report.models.end(), name);
  if (it == report.models.end()) throw UsageError("\"" + name + "\" is not a candidate of the bundle");
  return static_cast<std::size_t>(it - report.models.begin());
}

const AdapterResult& find_run(const Evaluation& ev, const std::string& name) {
  for (const AdapterResult& a : ev.adapters) {
    if (a.name == name) return a;
  }
  ZOOTER_CHECK(false && "the sweep evaluation lacks a PGR anchor run");
  return ev.adapters.front();
}

std::vector<stats::CostQuality> cost_quality(std::span<const FrontierPoint> points) {
  std::vector<stats::CostQuality> out;
  for (const FrontierPoint& p : points) out.push_back({p.cost, p.quality});
  return out;
}

}  // namespace

double normalised_quality(const ReportLayout& report, const AdapterResult& adapter) {
  double sum = 0.0;
  for (std::size_t s = 0; s < report.subsets.size(); ++s) {
    const ReportSubset& subset = report.subsets[s];
    const double span = subset.max - subset.min;
    double q = span > 0.0 ? (adapter.subset_score[s] - subset.min) / span : 0.0;
    if (!subset.higher_is_better) q = 1.0 - q;
    sum += q;
  }
  return report.subsets.empty() ? 0.0 : sum / static_cast<double>(report.subsets.size());
}

std::string reference_names(const Frontier& frontier) {
  std::string out;
  for (const FrontierPoint& p : frontier.points) {
    if (p.reference) out += (out.empty() ? "" : ", ") + p.adapter;
  }
  return out;
}

Frontier make_frontier(const ReportLayout& report, const Evaluation& ev, const FrontierInputs& inputs) {
  const Evaluation* sweep_ev = inputs.sweep_evaluation;
  ZOOTER_CHECK(inputs.sweeps.empty() || sweep_ev != nullptr);
  ZOOTER_CHECK(inputs.strong.empty() == inputs.weak.empty());
  const bool dollars = every_adapter_has_dollars(ev) && (sweep_ev == nullptr || every_adapter_has_dollars(*sweep_ev));
  const bool pair = !inputs.strong.empty();
  const std::size_t strong = pair ? model_position(report, inputs.strong) : 0;
  if (pair) (void)model_position(report, inputs.weak);

  Frontier f;
  f.cost_unit = dollars ? "dollars" : "TFLOPs";
  f.strong = inputs.strong;
  f.weak = inputs.weak;
  auto point = [&](const AdapterResult& a) {
    return FrontierPoint{a.name, cost_per_query(a, ev.queries, dollars), normalised_quality(report, a),
                         pair ? answer_share(report, a, strong) : 0.0, false, false};
  };
  std::vector<FrontierPoint> deployable;
  for (const AdapterResult& a : ev.adapters) {
    f.points.push_back(point(a));
    f.points.back().reference = std::find(inputs.references.begin(), inputs.references.end(), a.name) !=
                                inputs.references.end();
    if (!f.points.back().reference) deployable.push_back(f.points.back());
  }
  const std::vector<stats::CostQuality> plane = cost_quality(f.points);
  for (const std::size_t i : stats::pareto_front(plane)) f.points[i].pareto = true;
  // A run of references alone (no pipeline run is: best-single is always there) keeps them all.
  const bool has_references = !deployable.empty() && deployable.size() < f.points.size();
  const std::vector<stats::CostQuality> headline = has_references ? cost_quality(deployable) : plane;
  f.hull = stats::non_decreasing_hull(headline);
  f.aiq = stats::aiq(headline);
  if (has_references) f.aiq_with_references = stats::aiq(plane);

  for (const SweepPlan& plan : inputs.sweeps) {
    Sweep sweep;
    sweep.adapter = plan.adapter;
    sweep.lambdas = plan.lambdas;
    for (const std::size_t r : plan.runs) sweep.points.push_back(point(sweep_ev->adapters[r]));
    const std::vector<stats::CostQuality> curve = cost_quality(sweep.points);
    for (const std::size_t i : stats::pareto_front(curve)) sweep.points[i].pareto = true;
    sweep.aiq = stats::aiq(curve);
    if (pair) {
      const double strong_quality = normalised_quality(report, find_run(*sweep_ev, "single@" + inputs.strong));
      const double weak_quality = normalised_quality(report, find_run(*sweep_ev, "single@" + inputs.weak));
      std::vector<stats::CallQuality> calls;
      for (const FrontierPoint& p : sweep.points) calls.push_back({p.strong_share, p.quality});
      sweep.apgr = stats::apgr(calls, weak_quality, strong_quality);
      sweep.cpt20 = stats::cpt(calls, weak_quality, strong_quality, 0.2);
      sweep.cpt50 = stats::cpt(calls, weak_quality, strong_quality, 0.5);
      sweep.cpt80 = stats::cpt(calls, weak_quality, strong_quality, 0.8);
    }
    f.sweeps.push_back(std::move(sweep));
  }
  return f;
}

}  // namespace zooter::reports

// report.csv: tidy data, one row per adapter x scope x metric, so it loads into pandas or R
// without reshaping. Columns: adapter, kind, group, subset, model, opponent, metric, value.
// Empty cells mean "not applicable"; a value that is unknown (a dollar cost without prices)
// is written NA, which both pandas and R read as missing.
#include <ostream>

#include "reports/csv_field.h"
#include "reports/number_format.h"
#include "reports/report.h"
#include "reports/writer_factories.h"

namespace zooter::reports {
namespace {

std::string optional_value(const std::optional<double>& v) { return v ? exact(*v) : ""; }

// The cost-quality frontier: one row per point and metric, the sweeps' points with
// kind "sweep", and the frontier-level AIQ with an empty adapter.
void write_frontier(const Frontier& f, const Evaluation& ev, std::ostream& out) {
  const bool pair = !f.strong.empty();
  const std::string cost_metric = f.cost_unit == "dollars" ? "frontier_dollars_per_query"
                                                           : "frontier_tflops_per_query";
  auto row = [&](const std::string& adapter, const std::string& kind, const std::string& metric,
                 const std::string& value) {
    out << csv_field(adapter) << ',' << kind << ",,,,," << metric << ',' << (value.empty() ? "NA" : value)
        << '\n';
  };
  auto point = [&](const FrontierPoint& p, const std::string& kind) {
    row(p.adapter, kind, cost_metric, exact(p.cost));
    row(p.adapter, kind, "frontier_quality", exact(p.quality));
    row(p.adapter, kind, "pareto", p.pareto ? "1" : "0");
    if (pair) row(p.adapter, kind, "strong_share", exact(p.strong_share));
  };
  for (std::size_t a = 0; a < f.points.size(); ++a) point(f.points[a], ev.adapters[a].kind);
  row("", "frontier", "aiq", exact(f.aiq));
  if (f.aiq_with_references) row("", "frontier", "aiq_with_references", exact(*f.aiq_with_references));
  for (const Sweep& sweep : f.sweeps) {
    for (std::size_t i = 0; i < sweep.points.size(); ++i) {
      row(sweep.points[i].adapter, "sweep", "lambda", exact(sweep.lambdas[i]));
      point(sweep.points[i], "sweep");
    }
    row(sweep.adapter, "sweep", "aiq", exact(sweep.aiq));
    if (pair) {
      row(sweep.adapter, "sweep", "apgr", optional_value(sweep.apgr));
      row(sweep.adapter, "sweep", "cpt20", optional_value(sweep.cpt20));
      row(sweep.adapter, "sweep", "cpt50", optional_value(sweep.cpt50));
      row(sweep.adapter, "sweep", "cpt80", optional_value(sweep.cpt80));
    }
  }
}

class CsvWriter final : public Writer {
 public:
  std::string file_name() const override { return "report.csv"; }

  void write(const Report& report, std::ostream& out) const override {
    const Evaluation& ev = report.evaluation;
    out << "adapter,kind,group,subset,model,opponent,metric,value\n";
    for (std::size_t a = 0; a < ev.adapters.size(); ++a) {
      const AdapterResult& r = ev.adapters[a];
      auto row = [&](const std::string& group, const std::string& subset, const std::string& model,
                     const std::string& opponent, const char* metric, const std::string& value) {
        out << csv_field(r.name) << ',' << r.kind << ',' << csv_field(group) << ',' << csv_field(subset) << ','
            << csv_field(model) << ',' << csv_field(opponent) << ',' << metric << ','
            << (value.empty() ? "NA" : value) << '\n';
      };
      const stats::AdapterUncertainty* u =
          report.uncertainty ? &report.uncertainty->adapters[a] : nullptr;
      const stats::Comparison* vs =
          a < report.versus_best_single.size() ? &report.versus_best_single[a] : nullptr;
      const std::string best_name = ev.best_single ? ev.adapters[*ev.best_single].name : "";
      auto bounds = [&](const std::string& group, const std::string& subset, const std::string& metric,
                        const stats::Interval& i) {
        row(group, subset, "", "", (metric + "_lo").c_str(), exact(i.lo));
        row(group, subset, "", "", (metric + "_hi").c_str(), exact(i.hi));
        row(group, subset, "", "", (metric + "_se").c_str(), exact(i.se));
      };
      // A subset's paired tests against `opponent` (best-single or a --versus reference).
      auto subset_tests = [&](const std::string& group, const std::string& subset,
                              const std::string& opponent, const stats::SubsetComparison& c) {
        row(group, subset, "", opponent, "difference", exact(c.difference));
        row(group, subset, "", opponent, "sign_p", exact(c.sign_p));
        row(group, subset, "", opponent, "sign_p_holm", exact(c.sign_p_holm));
        row(group, subset, "", opponent, "bootstrap_p", exact(c.bootstrap_p));
        row(group, subset, "", opponent, "bootstrap_p_holm", exact(c.bootstrap_p_holm));
      };
      // The subsets better and worse than `opponent`, and how many of each significantly.
      auto tally_rows = [&](const std::string& opponent, const stats::SubsetTally& t) {
        row("", "", "", opponent, "better_subsets", exact(static_cast<double>(t.better)));
        row("", "", "", opponent, "significantly_better_subsets",
            exact(static_cast<double>(t.significantly_better)));
        row("", "", "", opponent, "worse_subsets", exact(static_cast<double>(t.worse)));
        row("", "", "", opponent, "significantly_worse_subsets",
            exact(static_cast<double>(t.significantly_worse)));
      };
      for (std::size_t g = 0; g < report.groups.size(); ++g) {
        const ReportGroup& group = report.groups[g];
        for (std::size_t s : group.subsets) {
          const std::string& id = report.subsets[s].id;
          row(group.name, id, "", "", "score", exact(r.subset_score[s]));
          row(group.name, id, "", "", "rank", exact(r.subset_rank[s]));
          if (u != nullptr) {
            bounds(group.name, id, "score", u->subset_score[s]);
            bounds(group.name, id, "rank", u->subset_rank[s]);
          }
          if (vs != nullptr) subset_tests(group.name, id, best_name, vs->subsets[s]);
          if (!r.win_rate_vs_best_single.empty()) {
            row(group.name, id, "", "", "win_rate_vs_best_single", exact(r.win_rate_vs_best_single[s]));
          }
          for (std::size_t m = 0; m < report.models.size(); ++m) {
            row(group.name, id, report.models[m], "", "routing_share", exact(r.routing_share[s][m]));
          }
          for (std::size_t b = 0; b < ev.adapters.size(); ++b) {
            if (b == a) continue;
            row(group.name, id, "", ev.adapters[b].name, "win_rate", exact(ev.win_rate[a][b][s]));
          }
        }
        row(group.name, "", "", "", "average", exact(r.group_average[g]));
        row(group.name, "", "", "", "mtr", exact(r.group_mtr[g]));
        if (u != nullptr) {
          bounds(group.name, "", "average", u->group_average[g]);
          bounds(group.name, "", "mtr", u->group_mtr[g]);
        }
      }
      row("", "", "", "", "mtr", exact(r.mtr));
      row("", "", "", "", "uplift", exact(r.uplift));
      if (u != nullptr) {
        bounds("", "", "mtr", u->mtr);
        bounds("", "", "uplift", u->uplift);
      }
      if (vs != nullptr) tally_rows(best_name, vs->overall.tally);
      for (const VersusReference& versus : report.versus) {
        if (versus.adapter == a) continue;
        const stats::Comparison& c = versus.comparisons[a];
        const std::string& opponent = ev.adapters[versus.adapter].name;
        for (std::size_t g = 0; g < report.groups.size(); ++g) {
          const ReportGroup& group = report.groups[g];
          for (std::size_t s : group.subsets) {
            subset_tests(group.name, report.subsets[s].id, opponent, c.subsets[s]);
          }
          const stats::AggregateComparison& gc = c.groups[g];
          row(group.name, "", "", opponent, "average_difference",
              gc.average_difference ? exact(*gc.average_difference) : "");
          row(group.name, "", "", opponent, "average_bootstrap_p",
              gc.average_bootstrap_p ? exact(*gc.average_bootstrap_p) : "");
        }
        tally_rows(opponent, c.overall.tally);
        row("", "", "", opponent, "mtr_difference", exact(c.overall.mtr_difference));
        row("", "", "", opponent, "mtr_bootstrap_p", exact(c.overall.mtr_bootstrap_p));
      }
      const CostSummary& c = r.cost;
      const double n = static_cast<double>(ev.queries);
      const CostSummary* best = ev.best_single ? &ev.adapters[*ev.best_single].cost : nullptr;
      const std::pair<const char*, double> costs[] = {
          {"generations", c.generations},   {"generation_flops", c.generation_flops},
          {"ranker_calls", c.ranker_calls}, {"ranker_flops", c.ranker_flops},
          {"router_calls", c.router_calls}, {"router_flops", c.router_flops},
          {"total_flops", c.total_flops()}};
      for (const auto& [metric, value] : costs) {
        row("", "", "", "", metric, exact(value));
        row("", "", "", "", (std::string(metric) + "_per_query").c_str(), exact(value / n));
      }
      row("", "", "", "", "dollars", c.dollars ? exact(*c.dollars) : "");
      row("", "", "", "", "dollars_per_query", c.dollars ? exact(*c.dollars / n) : "");
      if (best != nullptr) {
        row("", "", "", "", "total_flops_vs_best_single",
            best->total_flops() > 0 ? exact(c.total_flops() / best->total_flops()) : "");
        row("", "", "", "", "generations_vs_best_single",
            best->generations > 0 ? exact(c.generations / best->generations) : "");
        row("", "", "", "", "dollars_vs_best_single",
            c.dollars && best->dollars && *best->dollars > 0 ? exact(*c.dollars / *best->dollars) : "");
      }
      if (a < report.latency.size()) {
        for (const auto& [schedule, l] : {std::pair{"parallel", &report.latency[a].parallel},
                                          std::pair{"sequential", &report.latency[a].sequential}}) {
          const std::string suffix = std::string("_") + schedule;
          row("", "", "", "", ("latency_routing_seconds" + suffix).c_str(), exact(l->mean.routing));
          row("", "", "", "", ("latency_generation_seconds" + suffix).c_str(), exact(l->mean.generation));
          row("", "", "", "", ("latency_scoring_seconds" + suffix).c_str(), exact(l->mean.scoring));
          row("", "", "", "", ("latency_seconds" + suffix).c_str(), exact(l->mean.total()));
          row("", "", "", "", ("latency_p50_seconds" + suffix).c_str(), exact(l->p50_total));
          row("", "", "", "", ("latency_p95_seconds" + suffix).c_str(), exact(l->p95_total));
        }
      }
    }
    if (report.frontier) write_frontier(*report.frontier, ev, out);
  }
};

}  // namespace

std::unique_ptr<Writer> make_csv_writer() { return std::make_unique<CsvWriter>(); }

}  // namespace zooter::reports

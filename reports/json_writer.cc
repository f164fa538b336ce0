// report.json: everything the run computed, under "results", and where it came from, under
// "provenance" (date, versions, timings). Only "provenance" may differ between two runs of
// the same configuration on the same bundle; golden tests compare "results".
#include <rapidjson/document.h>
#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include <cmath>
#include <ostream>

#include "reports/report.h"
#include "reports/writer_factories.h"

namespace zooter::reports {
namespace {

using Json = rapidjson::PrettyWriter<rapidjson::OStreamWrapper>;

void str(Json& w, const std::string& s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

// JSON has no NaN: unknown values are null, and the report's notes say why.
void num(Json& w, double v) {
  if (std::isfinite(v)) {
    w.Double(v);
  } else {
    w.Null();
  }
}
void num(Json& w, const std::optional<double>& v) {
  if (v) {
    num(w, *v);
  } else {
    w.Null();
  }
}

// "<prefix>_interval": [lo, hi] and "<prefix>_se".
void interval(Json& w, const std::string& prefix, const stats::Interval& i) {
  str(w, prefix + "_interval");
  w.StartArray();
  num(w, i.lo);
  num(w, i.hi);
  w.EndArray();
  str(w, prefix + "_se");
  num(w, i.se);
}

void sign_and_bootstrap(Json& w, const stats::AggregateComparison& c) {
  w.Key("better_subsets"); w.Uint64(c.tally.better);
  w.Key("significantly_better_subsets"); w.Uint64(c.tally.significantly_better);
  w.Key("worse_subsets"); w.Uint64(c.tally.worse);
  w.Key("significantly_worse_subsets"); w.Uint64(c.tally.significantly_worse);
  w.Key("wins"); w.Uint64(c.wins);
  w.Key("losses"); w.Uint64(c.losses);
  w.Key("ties"); w.Uint64(c.ties);
  w.Key("sign_p"); num(w, c.sign_p);
  w.Key("mtr_difference"); num(w, c.mtr_difference);
  w.Key("mtr_bootstrap_p"); num(w, c.mtr_bootstrap_p);
  if (c.average_difference) {
    w.Key("average_difference"); num(w, *c.average_difference);
    w.Key("average_bootstrap_p"); num(w, c.average_bootstrap_p);
  }
}

// One paired comparison (A against a reference): overall, per group, per subset.
void write_comparison(Json& w, const Report& report, const stats::Comparison& c) {
  w.StartObject();
  w.Key("overall");
  w.StartObject();
  sign_and_bootstrap(w, c.overall);
  w.EndObject();
  w.Key("groups");
  w.StartObject();
  for (std::size_t g = 0; g < report.groups.size(); ++g) {
    w.Key(report.groups[g].name.c_str());
    w.StartObject();
    sign_and_bootstrap(w, c.groups[g]);
    w.EndObject();
  }
  w.EndObject();
  w.Key("subsets");
  w.StartObject();
  for (const ReportGroup& g : report.groups) {
    for (std::size_t s : g.subsets) {
      const stats::SubsetComparison& sc = c.subsets[s];
      w.Key(report.subsets[s].id.c_str());
      w.StartObject();
      w.Key("difference"); num(w, sc.difference);
      w.Key("wins"); w.Uint64(sc.wins);
      w.Key("losses"); w.Uint64(sc.losses);
      w.Key("ties"); w.Uint64(sc.ties);
      w.Key("mcnemar"); w.Bool(sc.binary);
      w.Key("sign_p"); num(w, sc.sign_p);
      w.Key("sign_p_holm"); num(w, sc.sign_p_holm);
      w.Key("bootstrap_p"); num(w, sc.bootstrap_p);
      w.Key("bootstrap_p_holm"); num(w, sc.bootstrap_p_holm);
      w.EndObject();
    }
  }
  w.EndObject();
  w.EndObject();
}

void strings(Json& w, const std::vector<std::string>& items) {
  w.StartArray();
  for (const std::string& s : items) str(w, s);
  w.EndArray();
}

void write_cost(Json& w, const CostSummary& c, double queries, const CostSummary* best) {
  w.StartObject();
  const std::pair<const char*, double> fields[] = {
      {"generations", c.generations},   {"generation_flops", c.generation_flops},
      {"ranker_calls", c.ranker_calls}, {"ranker_flops", c.ranker_flops},
      {"router_calls", c.router_calls}, {"router_flops", c.router_flops},
      {"total_flops", c.total_flops()}};
  for (const auto& [name, value] : fields) {
    w.Key(name);
    num(w, value);
  }
  w.Key("dollars");
  num(w, c.dollars);
  w.Key("per_query");
  w.StartObject();
  for (const auto& [name, value] : fields) {
    w.Key(name);
    num(w, value / queries);
  }
  w.Key("dollars");
  num(w, c.dollars ? std::optional<double>(*c.dollars / queries) : std::nullopt);
  w.EndObject();
  if (best != nullptr) {
    w.Key("vs_best_single");
    w.StartObject();
    w.Key("total_flops");
    num(w, best->total_flops() > 0 ? c.total_flops() / best->total_flops() : NAN);
    w.Key("generations");
    num(w, best->generations > 0 ? c.generations / best->generations : NAN);
    w.Key("dollars");
    num(w, c.dollars && best->dollars && *best->dollars > 0
               ? std::optional<double>(*c.dollars / *best->dollars)
               : std::nullopt);
    w.EndObject();
  }
  w.EndObject();
}

void write_frontier(Json& w, const std::optional<Frontier>& frontier);

void write_results(Json& w, const Report& report) {
  const Evaluation& ev = report.evaluation;
  w.StartObject();
  w.Key("suite"); str(w, report.suite);
  w.Key("description"); str(w, report.description);
  w.Key("simulated"); w.Bool(report.simulated);
  w.Key("split"); str(w, ev.split);
  w.Key("queries"); w.Uint64(ev.queries);
  w.Key("models"); strings(w, report.models);
  w.Key("subsets");
  w.StartArray();
  for (const ReportGroup& g : report.groups) {
    for (std::size_t s : g.subsets) {
      const ReportSubset& subset = report.subsets[s];
      w.StartObject();
      w.Key("id"); str(w, subset.id);
      w.Key("name"); str(w, subset.name);
      w.Key("group"); str(w, g.name);
      w.Key("metric"); str(w, subset.metric);
      w.Key("min"); num(w, subset.min);
      w.Key("max"); num(w, subset.max);
      w.Key("higher_is_better"); w.Bool(subset.higher_is_better);
      w.Key("queries"); w.Uint64(subset.queries);
      w.EndObject();
    }
  }
  w.EndArray();
  w.Key("groups");
  w.StartArray();
  for (const ReportGroup& g : report.groups) {
    w.StartObject();
    w.Key("name"); str(w, g.name);
    w.Key("display"); w.String(g.percent ? "percent" : "raw");
    w.Key("subsets");
    w.StartArray();
    for (std::size_t s : g.subsets) str(w, report.subsets[s].id);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("best_single");
  if (ev.best_single) {
    str(w, ev.adapters[*ev.best_single].name);
  } else {
    w.Null();
  }
  const double n = static_cast<double>(ev.queries);
  const CostSummary* best = ev.best_single ? &ev.adapters[*ev.best_single].cost : nullptr;
  w.Key("adapters");
  w.StartArray();
  for (std::size_t a = 0; a < ev.adapters.size(); ++a) {
    const AdapterResult& r = ev.adapters[a];
    w.StartObject();
    w.Key("name"); str(w, r.name);
    w.Key("kind"); str(w, r.kind);
    w.Key("notes"); strings(w, r.notes);
    if (a < report.seed_spread.size() && !report.seed_spread[a].quality.empty()) {
      // Only for adapters given seeds=: reports without them keep their exact bytes.
      const SeedSpread& spread = report.seed_spread[a];
      w.Key("seeds");
      w.StartObject();
      w.Key("first"); w.Uint64(spread.first_seed);
      w.Key("count"); w.Uint64(spread.quality.size());
      w.Key("quality_per_seed");
      w.StartArray();
      for (const double q : spread.quality) num(w, q);
      w.EndArray();
      w.Key("quality_mean"); num(w, spread.mean);
      w.Key("quality_sd"); num(w, spread.sd);
      w.Key("quality_min"); num(w, spread.min);
      w.Key("quality_max"); num(w, spread.max);
      w.EndObject();
    }
    w.Key("router_parameters"); num(w, r.router_parameters);
    w.Key("mtr"); num(w, r.mtr);
    w.Key("uplift"); num(w, r.uplift);
    const stats::AdapterUncertainty* u =
        report.uncertainty ? &report.uncertainty->adapters[a] : nullptr;
    if (u != nullptr) {
      interval(w, "mtr", u->mtr);
      interval(w, "uplift", u->uplift);
    }
    w.Key("groups");
    w.StartObject();
    for (std::size_t g = 0; g < report.groups.size(); ++g) {
      w.Key(report.groups[g].name.c_str());
      w.StartObject();
      w.Key("average"); num(w, r.group_average[g]);
      w.Key("mtr"); num(w, r.group_mtr[g]);
      if (u != nullptr) {
        interval(w, "average", u->group_average[g]);
        interval(w, "mtr", u->group_mtr[g]);
      }
      w.EndObject();
    }
    w.EndObject();
    w.Key("subsets");
    w.StartObject();
    for (const ReportGroup& g : report.groups) {
      for (std::size_t s : g.subsets) {
        w.Key(report.subsets[s].id.c_str());
        w.StartObject();
        w.Key("score"); num(w, r.subset_score[s]);
        w.Key("rank"); w.Int(r.subset_rank[s]);
        if (u != nullptr) {
          interval(w, "score", u->subset_score[s]);
          interval(w, "rank", u->subset_rank[s]);
        }
        w.Key("win_rate_vs_best_single");
        num(w, r.win_rate_vs_best_single.empty() ? NAN : r.win_rate_vs_best_single[s]);
        w.Key("routing_share");
        w.StartObject();
        for (std::size_t m = 0; m < report.models.size(); ++m) {
          w.Key(report.models[m].c_str());
          num(w, r.routing_share[s][m]);
        }
        w.EndObject();
        w.EndObject();
      }
    }
    w.EndObject();
    w.Key("win_rates");
    w.StartObject();
    for (std::size_t b = 0; b < ev.adapters.size(); ++b) {
      if (b == a) continue;
      w.Key(ev.adapters[b].name.c_str());
      w.StartObject();
      for (const ReportGroup& g : report.groups) {
        for (std::size_t s : g.subsets) {
          w.Key(report.subsets[s].id.c_str());
          num(w, ev.win_rate[a][b][s]);
        }
      }
      w.EndObject();
    }
    w.EndObject();
    w.Key("cost");
    write_cost(w, r.cost, n, best);
    if (a < report.latency.size()) {
      w.Key("latency_seconds");
      w.StartObject();
      for (const auto& [schedule, l] : {std::pair{"parallel", &report.latency[a].parallel},
                                        std::pair{"sequential", &report.latency[a].sequential}}) {
        w.Key(schedule);
        w.StartObject();
        w.Key("routing"); num(w, l->mean.routing);
        w.Key("generation"); num(w, l->mean.generation);
        w.Key("scoring"); num(w, l->mean.scoring);
        w.Key("mean"); num(w, l->mean.total());
        w.Key("p50"); num(w, l->p50_total);
        w.Key("p95"); num(w, l->p95_total);
        w.EndObject();
      }
      w.EndObject();
    }
    if (a < report.versus_best_single.size()) {
      w.Key("vs_best_single");
      write_comparison(w, report, report.versus_best_single[a]);
    }
    if (!report.versus.empty()) {
      w.Key("versus");
      w.StartObject();
      for (const VersusReference& versus : report.versus) {
        if (versus.adapter == a) continue;
        w.Key(ev.adapters[versus.adapter].name.c_str());
        write_comparison(w, report, versus.comparisons[a]);
      }
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("notes"); strings(w, report.notes);
  w.Key("bootstrap");
  if (report.uncertainty) {
    w.StartObject();
    w.Key("replicates"); w.Uint64(report.uncertainty->replicates);
    w.Key("level"); num(w, report.uncertainty->level);
    w.Key("seed"); w.Uint64(report.uncertainty->seed);
    w.Key("alpha"); num(w, report.alpha);
    if (!report.versus.empty()) {
      // Only with --versus, so reports without it keep their bytes.
      w.Key("versus");
      w.StartArray();
      for (const VersusReference& versus : report.versus) str(w, report.evaluation.adapters[versus.adapter].name);
      w.EndArray();
    }
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("reference");
  if (!report.reference) {
    w.Null();
  } else {
    w.StartObject();
    w.Key("source"); str(w, report.reference->source);
    auto per_group = [&](const std::vector<std::optional<double>> ReferenceRow::*cells, const ReferenceRow& row) {
      w.StartObject();
      for (std::size_t g = 0; g < report.groups.size(); ++g) {
        w.Key(report.groups[g].name.c_str());
        num(w, reference_cell(&row, cells, g));
      }
      w.EndObject();
    };
    w.Key("rows");
    w.StartArray();
    for (const ReferenceRow& row : report.reference->rows) {
      w.StartObject();
      w.Key("adapter"); str(w, row.adapter);
      w.Key("groups"); per_group(&ReferenceRow::group_average, row);
      w.Key("group_mtr"); per_group(&ReferenceRow::group_mtr, row);
      w.Key("mtr"); num(w, row.mtr);
      w.Key("uplift"); num(w, row.uplift);
      w.EndObject();
    }
    w.EndArray();
    w.Key("ablation");
    w.StartArray();
    for (const ReferenceRow& row : report.reference->ablation) {
      w.StartObject();
      w.Key("adapter"); str(w, row.adapter);
      w.Key("group_mtr"); per_group(&ReferenceRow::group_mtr, row);
      w.Key("mtr"); num(w, row.mtr);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.Key("frontier");
  write_frontier(w, report.frontier);
  w.EndObject();
}

void write_point(Json& w, const FrontierPoint& p, bool pair) {
  w.StartObject();
  w.Key("adapter"); str(w, p.adapter);
  w.Key("cost"); num(w, p.cost);
  w.Key("quality"); num(w, p.quality);
  if (pair) {
    w.Key("strong_share"); num(w, p.strong_share);
  }
  w.Key("pareto"); w.Bool(p.pareto);
  w.Key("reference"); w.Bool(p.reference);
  w.EndObject();
}

void write_frontier(Json& w, const std::optional<Frontier>& frontier) {
  if (!frontier) {
    w.Null();
    return;
  }
  const Frontier& f = *frontier;
  const bool pair = !f.strong.empty();
  w.StartObject();
  w.Key("cost_unit"); str(w, f.cost_unit + " per query");
  w.Key("quality"); w.String("mean normalised subset score");
  w.Key("points");
  w.StartArray();
  for (const FrontierPoint& p : f.points) write_point(w, p, pair);
  w.EndArray();
  w.Key("hull");
  w.StartArray();
  for (const stats::CostQuality& v : f.hull) {
    w.StartArray();
    num(w, v.cost);
    num(w, v.quality);
    w.EndArray();
  }
  w.EndArray();
  w.Key("aiq"); num(w, f.aiq);
  w.Key("aiq_with_references"); num(w, f.aiq_with_references);
  for (const auto& [key, name] : {std::pair{"strong", &f.strong}, std::pair{"weak", &f.weak}}) {
    w.Key(key);
    if (pair) {
      str(w, *name);
    } else {
      w.Null();
    }
  }
  w.Key("sweeps");
  w.StartArray();
  for (const Sweep& s : f.sweeps) {
    w.StartObject();
    w.Key("adapter"); str(w, s.adapter);
    w.Key("lambdas");
    w.StartArray();
    for (const double l : s.lambdas) num(w, l);
    w.EndArray();
    w.Key("points");
    w.StartArray();
    for (const FrontierPoint& p : s.points) write_point(w, p, pair);
    w.EndArray();
    w.Key("aiq"); num(w, s.aiq);
    if (pair) {
      w.Key("apgr"); num(w, s.apgr);
      w.Key("cpt20"); num(w, s.cpt20);
      w.Key("cpt50"); num(w, s.cpt50);
      w.Key("cpt80"); num(w, s.cpt80);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void write_pairs(Json& w, const std::vector<std::pair<std::string, std::string>>& pairs) {
  w.StartObject();
  for (const auto& [k, v] : pairs) {
    str(w, k);
    str(w, v);
  }
  w.EndObject();
}

void write_provenance(Json& w, const Provenance& p) {
  w.StartObject();
  w.Key("tool"); w.String("zooter");
  w.Key("tool_version"); str(w, p.tool_version);
  w.Key("git_commit"); str(w, p.git_commit);
  w.Key("bundle_path"); str(w, p.bundle_path);
  w.Key("bundle_hash"); str(w, p.bundle_hash);
  w.Key("date"); str(w, p.date);
  w.Key("threads"); w.Int(p.threads);
  w.Key("seed"); w.Uint64(p.seed);
  w.Key("configuration"); write_pairs(w, p.configuration);
  w.Key("measurements"); write_pairs(w, p.measurements);
  if (!p.bundle.empty()) {  // the manifest's own provenance, as it is
    rapidjson::Document bundle;
    bundle.Parse(p.bundle.c_str(), p.bundle.size());
    if (!bundle.HasParseError() && bundle.IsObject()) {
      w.Key("bundle");
      bundle.Accept(w);
    }
  }
  w.EndObject();
}

class JsonWriter final : public Writer {
 public:
  std::string file_name() const override { return "report.json"; }

  void write(const Report& report, std::ostream& out) const override {
    rapidjson::OStreamWrapper stream(out);
    Json w(stream);
    w.SetIndent(' ', 2);
    w.StartObject();
    w.Key("format"); w.String("zooter-report");
    w.Key("version"); w.Int(1);
    w.Key("results");
    write_results(w, report);
    w.Key("provenance");
    write_provenance(w, report.provenance);
    w.EndObject();
    out << '\n';
  }
};

}  // namespace

std::unique_ptr<Writer> make_json_writer() { return std::make_unique<JsonWriter>(); }

}  // namespace zooter::reports

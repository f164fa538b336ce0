// report.md: the paper's Table 1 layout as a Markdown table, with the published numbers beside
// ours on the paper simulation ("ours / paper"), then per-subset scores and ranks, cost and
// notes. Meant to be pasted into a pull request or a results page.
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "reports/frontier_builder.h"
#include "reports/number_format.h"
#include "reports/paired_text.h"
#include "reports/bma_comparison.h"
#include "reports/reference_agreement.h"
#include "reports/markdown_text.h"
#include "reports/report.h"
#include "reports/table2_writer.h"
#include "reports/writer_factories.h"

namespace zooter::reports {
namespace {

void write_frontier(const Frontier& f, std::ostream& out) {
  const bool pair = !f.strong.empty();
  out << fmt::format("\n## Cost-quality frontier\n\nCost: {} per query. Quality: mean normalised "
                     "subset score (0..1). AIQ of the deployable adapters' non-decreasing convex hull: {}.{} "
                     "Pareto-optimal points are marked *.\n\n| Adapter | cost | quality |{}\n"
                     "|---|---:|---:|{}\n",
                     f.cost_unit, fixed(f.aiq, 4),
                     f.aiq_with_references
                         ? fmt::format(" Reference line, with {} (reads the evaluated gold, not deployable): {}.",
                                       markdown_cell(reference_names(f)), fixed(*f.aiq_with_references, 4))
                         : "",
                     pair ? " strong share |" : "", pair ? "---:|" : "");
  auto row = [&](const FrontierPoint& p, const std::string& label) {
    out << fmt::format("| {}{} | {} | {} |{}\n", markdown_cell(label), p.pareto ? " *" : "",
                       cost_text(p.cost, f.cost_unit), fixed(p.quality, 4),
                       pair ? " " + fixed(p.strong_share, 3) + " |" : "");
  };
  for (const FrontierPoint& p : f.points) row(p, p.adapter);
  for (const Sweep& sweep : f.sweeps) {
    out << fmt::format("\n### Sweep of `{}` over lambda\n\nAIQ {}", markdown_cell(sweep.adapter),
                       fixed(sweep.aiq, 4));
    if (pair) {
      out << fmt::format("; {} (strong) vs {} (weak): APGR {}, CPT(20%) {}, CPT(50%) {}, CPT(80%) {}",
                         f.strong, f.weak, fixed(sweep.apgr, 3), fixed(sweep.cpt20, 3),
                         fixed(sweep.cpt50, 3), fixed(sweep.cpt80, 3));
    }
    out << fmt::format(".\n\n| lambda | cost | quality |{}\n|---|---:|---:|{}\n",
                       pair ? " strong share |" : "", pair ? "---:|" : "");
    for (std::size_t i = 0; i < sweep.points.size(); ++i) {
      row(sweep.points[i], fmt::format("{:g}", sweep.lambdas[i]));
    }
  }
}

// Every adapter against one --versus reference: subset tallies, then per group the difference
// of the averages and overall the difference of the MTRs, each with its paired bootstrap p.
void write_versus(const Report& report, const VersusReference& versus, std::ostream& out) {
  const Evaluation& ev = report.evaluation;
  out << fmt::format("\n## Paired tests against {}\n\nPaired bootstrap tests per subset, Holm-corrected, "
                     "alpha {:g}; per group, the adapter's average minus {}'s with the paired bootstrap p "
                     "of that difference; MTR difference below 0: the adapter ranks better.\n\n"
                     "| Adapter | better subsets (significant) | worse subsets (significant) |",
                     markdown_cell(reference_name(report, versus)), report.alpha,
                     markdown_cell(reference_name(report, versus)));
  for (const ReportGroup& g : report.groups) out << ' ' << markdown_cell(g.name) << " Avg. difference (p) |";
  out << " MTR difference (p) |\n|---|---:|---:|";
  for (std::size_t g = 0; g < report.groups.size(); ++g) out << "---:|";
  out << "---:|\n";
  for (std::size_t a = 0; a < ev.adapters.size(); ++a) {
    if (a == versus.adapter) continue;
    const stats::Comparison& c = versus.comparisons[a];
    const stats::SubsetTally& t = c.overall.tally;
    out << fmt::format("| {} | {} ({}) | {} ({}) |", markdown_cell(ev.adapters[a].name), t.better,
                       t.significantly_better, t.worse, t.significantly_worse);
    for (std::size_t g = 0; g < report.groups.size(); ++g) {
      out << ' ' << average_difference_text(report.groups[g], c.groups[g]) << " |";
    }
    out << fmt::format(" {} (p {}) |\n", signed_fixed(c.overall.mtr_difference, 2), fixed(c.overall.mtr_bootstrap_p, 3));
  }
}

class MarkdownWriter final : public Writer {
 public:
  std::string file_name() const override { return "report.md"; }

  void write(const Report& report, std::ostream& out) const override {
    const Evaluation& ev = report.evaluation;
    const bool with_reference = report.reference.has_value();
    const double n = static_cast<double>(ev.queries);
    out << "# " << report.suite << ": split `" << ev.split << "`, " << ev.queries << " queries, "
        << report.subsets.size() << " subsets, " << report.models.size() << " candidates\n\n";
    if (report.simulated) {
      out << "> **Simulated data.** Generated by `zooter synth` and calibrated to the paper's "
             "published averages; not the paper's own data.\n\n";
    }
    out << "## Table 1 layout\n\n";
    if (with_reference) {
      out << "Cells read `ours / paper`. Paper numbers: " << report.reference->source
          << "; `n/a` = not published or not known to this project (never filled in).\n\n";
      if (const std::string agreement = agreement_text(report); !agreement.empty()) {
        out << agreement << " (tolerances: docs/simulation.md).\n\n";
      }
      // The paper compares its router with its BMA; best-single is this project's baseline.
      const std::vector<std::string> bma = bma_comparison_lines(report);
      for (const std::string& line : bma) out << "- " << markdown_cell(line) << '\n';
      if (!bma.empty()) out << '\n';
    }
    out << "| Adapter |";
    for (const ReportGroup& g : report.groups) {
      out << ' ' << g.name << (g.percent ? " Avg. (%)" : " Avg.") << " | " << g.name << " MTR |";
    }
    out << " MTR | %Uplift |\n|---|";
    for (std::size_t g = 0; g < report.groups.size(); ++g) out << "---:|---:|";
    out << "---:|---:|\n";
    for (const AdapterResult& a : ev.adapters) {
      const ReferenceRow* paper = find_reference(report, a.name);
      out << "| " << markdown_cell(a.name) << " |";
      for (std::size_t g = 0; g < report.groups.size(); ++g) {
        const ReportGroup& group = report.groups[g];
        const std::optional<double> paper_avg = reference_cell(paper, &ReferenceRow::group_average, g);
        out << ' '
            << beside_paper(fixed(display_average(group, a.group_average[g]), average_decimals(group)),
                            paper_avg, average_decimals(group), with_reference)
            << " | "
            << beside_paper(fixed(a.group_mtr[g], 2), reference_cell(paper, &ReferenceRow::group_mtr, g), 2,
                            with_reference)
            << " |";
      }
      out << ' '
          << beside_paper(fixed(a.mtr, 2), paper != nullptr ? paper->mtr : std::nullopt, 2, with_reference)
          << " | "
          << beside_paper(fixed(a.uplift, 2), paper != nullptr ? paper->uplift : std::nullopt, 2,
                  with_reference)
          << " |\n";
    }

    write_table2(report, Table2Style::kMarkdown, out);

    if (report.uncertainty) {
      out << fmt::format("\n## Uncertainty and paired tests against best-single\n\n"
                         "{:g}% percentile bootstrap intervals ({} replicates, queries resampled "
                         "within subsets); paired bootstrap tests per subset, Holm-corrected, "
                         "alpha {:g}.\n\n| Adapter | MTR | MTR interval | %Uplift interval | "
                         "better subsets (significant) | worse subsets (significant) |\n"
                         "|---|---:|---:|---:|---:|---:|\n",
                         report.uncertainty->level * 100, report.uncertainty->replicates, report.alpha);
      for (std::size_t a = 0; a < ev.adapters.size(); ++a) {
        const stats::AdapterUncertainty& u = report.uncertainty->adapters[a];
        std::string better = "-", worse = "-";
        if (a < report.versus_best_single.size() && ev.best_single && a != *ev.best_single) {
          const stats::SubsetTally& t = report.versus_best_single[a].overall.tally;
          if (same_single_candidate(ev.adapters[a], ev.adapters[*ev.best_single])) {
            better = worse = "same answers";
          } else {
            better = fmt::format("{} ({})", t.better, t.significantly_better);
            worse = fmt::format("{} ({})", t.worse, t.significantly_worse);
          }
        }
        out << fmt::format("| {} | {} | [{}, {}] | [{}, {}] | {} | {} |\n", markdown_cell(ev.adapters[a].name),
                           fixed(ev.adapters[a].mtr, 2), fixed(u.mtr.lo, 2), fixed(u.mtr.hi, 2),
                           fixed(u.uplift.lo, 2), fixed(u.uplift.hi, 2), better, worse);
      }
    }

    for (const VersusReference& versus : report.versus) write_versus(report, versus, out);

    out << "\n## Cost per query\n\nLatency is the model of docs/cost-model.md (mean seconds, "
           "candidates generating in parallel / in sequence), not a measurement.\n\n"
           "| Adapter | generations | TFLOPs | ranker calls | router calls | dollars | FLOPs vs "
           "best-single | latency s (parallel / sequential) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n";
    const CostSummary* best = ev.best_single ? &ev.adapters[*ev.best_single].cost : nullptr;
    for (std::size_t i = 0; i < ev.adapters.size(); ++i) {
      const AdapterResult& a = ev.adapters[i];
      const CostSummary& c = a.cost;
      const std::string latency =
          i < report.latency.size() ? fixed(report.latency[i].parallel.mean.total(), 2) + " / " +
                                          fixed(report.latency[i].sequential.mean.total(), 2)
                                    : "n/a";
      out << fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", markdown_cell(a.name),
                         fixed(c.generations / n, 2), fixed(c.total_flops() / n / 1e12, 3),
                         fixed(c.ranker_calls / n, 2), fixed(c.router_calls / n, 2),
                         c.dollars ? fixed(*c.dollars / n, 6) : "n/a",
                         best != nullptr && best->total_flops() > 0
                             ? fixed(c.total_flops() / best->total_flops(), 2) + "x"
                             : "n/a",
                         latency);
    }

    if (report.frontier) write_frontier(*report.frontier, out);

    out << "\n## Per subset: score (rank)\n\n| Subset | queries |";
    for (const AdapterResult& a : ev.adapters) out << ' ' << markdown_cell(a.name) << " |";
    out << "\n|---|---:|";
    for (std::size_t a = 0; a < ev.adapters.size(); ++a) out << "---:|";
    out << '\n';
    for (const ReportGroup& g : report.groups) {
      for (std::size_t s : g.subsets) {
        const ReportSubset& subset = report.subsets[s];
        out << "| " << subset.id << " | " << subset.queries << " |";
        for (const AdapterResult& a : ev.adapters) {
          out << ' ' << fixed(a.subset_score[s], 3) << " (" << a.subset_rank[s] << ") |";
        }
        out << '\n';
      }
    }

    std::vector<std::string> notes = report.notes;
    for (const AdapterResult& a : ev.adapters) notes.insert(notes.end(), a.notes.begin(), a.notes.end());
    if (!notes.empty()) {
      out << "\n## Notes\n\n";
      for (const std::string& note : notes) out << "- " << note << '\n';
    }
  }
};

}  // namespace

std::unique_ptr<Writer> make_markdown_writer() { return std::make_unique<MarkdownWriter>(); }

}  // namespace zooter::reports

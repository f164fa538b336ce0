#include "pipeline/paper_reference_rows.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>

#include "adapters/adapter_spec.h"
#include "suites/paper_reference.h"

namespace zooter::pipeline {
namespace {

// A zooter adapter trained as the paper trains its router: QwenRM rewards, the bundle's tags and
// labels as the paper makes them, any beta, trained here (no router file). How the router is
// fitted (its hidden layer, epochs, early stopping, optimiser, seed) does not make another
// variant: the paper fine-tunes a model of its own, which ours stand in for. Other settings
// (temperature, normalisation, tags, features) change what is distilled: ours, not the paper's.
constexpr std::string_view kPaperVariantKeys[] = {"reward", "beta", "hard-label", "seed", "seeds",
                                              "hidden", "epochs", "validation", "patience", "lr",
                                              "l2", "batch", "optimiser"};
struct PaperVariant {
  double beta = 0.3;
  bool hard_label = false;
};

std::optional<PaperVariant> paper_variant_of(const adapters::AdapterSpec& spec) {
  if (spec.name != "zooter" || spec.get("file")) return std::nullopt;
  if (spec.get("reward").value_or("qwen-rm") != "qwen-rm") return std::nullopt;
  for (const auto& [key, value] : spec.arguments) {
    if (std::find(std::begin(kPaperVariantKeys), std::end(kPaperVariantKeys), key) == std::end(kPaperVariantKeys)) {
      return std::nullopt;
    }
  }
  PaperVariant v;
  v.beta = adapters::number_argument(spec, "beta", 0.3);
  v.hard_label = spec.get("hard-label").value_or("0") != "0";
  return v;
}

std::vector<std::optional<double>> per_group(const reports::ReportLayout& layout,
                                             const std::array<double, suites::kPaperGroups.size()>& cells) {
  std::vector<std::optional<double>> out;
  for (const reports::ReportGroup& g : layout.groups) {
    const std::optional<std::size_t> position = suites::paper_group(g.name);
    out.push_back(position ? std::optional<double>(cells[*position]) : std::nullopt);
  }
  return out;
}

}  // namespace

std::optional<reports::Reference> paper_reference_for(const reports::ReportLayout& layout,
                                                      const Evaluation& evaluation) {
  if (layout.suite != "zooter-paper") return std::nullopt;
  reports::Reference reference;
  reference.source = "Lu et al., \"Routing to the Expert\" (NAACL 2024), Tables 1 and 2, as printed";
  reference.best_model_on_average = std::string(suites::kPaperBestModelOnAverage);
  reference.tolerance = reports::ReferenceTolerance{
      {}, suites::kPaperGroupMtrTolerance, suites::kPaperMtrTolerance, suites::kPaperUpliftTolerance};
  for (const std::optional<double>& t : per_group(layout, suites::kPaperAverageTolerance)) {
    reference.tolerance->group_average.push_back(t.value_or(0.0));
  }
  for (const AdapterResult& a : evaluation.adapters) {
    const adapters::AdapterSpec spec = adapters::AdapterSpec::parse(a.name);
    const std::optional<PaperVariant> variant = paper_variant_of(spec);
    const suites::PaperRow* row = suites::paper_row(a.name);
    if (variant && !variant->hard_label && variant->beta == 0.3) row = suites::paper_row("zooter");
    if (row != nullptr) {
      reference.rows.push_back({a.name, per_group(layout, row->group_average), per_group(layout, row->group_mtr),
                                row->mean_task_rank, row->uplift});
    }
    if (!variant) continue;
    if (const suites::PaperAblationRow* ablation = suites::paper_ablation_row(variant->beta, variant->hard_label)) {
      reference.ablation.push_back({a.name, {}, per_group(layout, ablation->group_mtr), ablation->mean_task_rank,
                                    std::nullopt});
    }
  }
  return reference;
}

}  // namespace zooter::pipeline

#include "pipeline/paper_reference_rows.h"

#include "adapters/adapter_spec.h"
#include "suites/paper_reference.h"

namespace zooter::pipeline {
namespace {

// The Table 1 row an adapter stands for, if any.
std::optional<std::string> paper_row_of(const std::string& adapter) {
  const adapters::AdapterSpec spec = adapters::AdapterSpec::parse(adapter);
  if (spec.name == "zooter") {
    // The paper's Zooter: QwenRM rewards, beta = 0.3. Other settings are ours, not the paper's.
    if (spec.get("file")) return std::nullopt;
    if (spec.get("reward").value_or("qwen-rm") != "qwen-rm") return std::nullopt;
    if (spec.get("beta").value_or("0.3") != "0.3") return std::nullopt;
    if (spec.get("hard-label")) return std::nullopt;
    return "zooter";
  }
  for (const suites::PaperRow& row : suites::paper_table1()) {
    if (row.adapter == adapter) return adapter;
  }
  return std::nullopt;
}

}  // namespace

std::optional<reports::Reference> paper_reference_for(const reports::ReportLayout& layout,
                                                      const Evaluation& evaluation) {
  if (layout.suite != "zooter-paper") return std::nullopt;
  reports::Reference reference;
  reference.source =
      "Lu et al. 2023, \"Routing to the Expert\", Table 1 (only the cells stored in "
      "suites/paper_reference.cc)";
  for (const AdapterResult& a : evaluation.adapters) {
    const auto row = paper_row_of(a.name);
    if (!row) continue;
    reports::ReferenceRow out;
    out.adapter = a.name;
    for (const reports::ReportGroup& g : layout.groups) {
      out.group_average.push_back(suites::paper_group_average(*row, g.name));
    }
    out.mtr = suites::paper_mean_task_rank(*row);
    out.uplift = suites::paper_uplift(*row);
    reference.rows.push_back(std::move(out));
  }
  return reference;
}

}  // namespace zooter::pipeline

#include "reports/table2_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "reports/number_format.h"
#include "reports/markdown_text.h"

namespace zooter::reports {
namespace {

// The rows of the layout: every router, and best-single for reference.
std::vector<const AdapterResult*> table2_rows(const Evaluation& ev) {
  std::vector<const AdapterResult*> rows;
  for (std::size_t a = 0; a < ev.adapters.size(); ++a) {
    if (ev.adapters[a].kind == "router" || (ev.best_single && a == *ev.best_single)) rows.push_back(&ev.adapters[a]);
  }
  return rows;
}

}  // namespace

void write_table2(const Report& report, Table2Style style, std::ostream& out) {
  const Evaluation& ev = report.evaluation;
  const bool any_router = std::any_of(ev.adapters.begin(), ev.adapters.end(),
                                      [](const AdapterResult& a) { return a.kind == "router"; });
  if (!any_router) return;
  const bool with_reference = report.reference.has_value();
  const std::vector<const AdapterResult*> rows = table2_rows(ev);

  // One row of cells: the variant's name, its MTR per group, and overall.
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> head{"Variant"};
  for (const ReportGroup& g : report.groups) head.push_back(g.name + " MTR");
  head.push_back("MTR");
  for (const AdapterResult* r : rows) {
    const ReferenceRow* paper = find_reference(report, r->name, /*ablation=*/true);
    std::vector<std::string> line{r->name};
    for (std::size_t g = 0; g < r->group_mtr.size(); ++g) {
      line.push_back(beside_paper(fixed(r->group_mtr[g], 2), reference_cell(paper, &ReferenceRow::group_mtr, g), 2,
                                  with_reference));
    }
    line.push_back(beside_paper(fixed(r->mtr, 2), paper != nullptr ? paper->mtr : std::nullopt, 2, with_reference));
    table.push_back(std::move(line));
  }

  if (style == Table2Style::kMarkdown) {
    out << "\n## Table 2 layout: mean task rank of the routers\n\n";
    if (with_reference) {
      out << "Cells read `ours / paper`; n/a = a variant the paper's Table 2 does not have.\n\n";
    }
    out << "|";
    for (const std::string& h : head) out << ' ' << markdown_cell(h) << " |";
    out << "\n|---|";
    for (std::size_t c = 1; c < head.size(); ++c) out << "---:|";
    out << '\n';
    for (const std::vector<std::string>& line : table) {
      out << "|";
      for (const std::string& c : line) out << ' ' << markdown_cell(c) << " |";
      out << '\n';
    }
    return;
  }
  std::vector<std::size_t> width(head.size());
  for (std::size_t c = 0; c < head.size(); ++c) {
    width[c] = head[c].size();
    for (const std::vector<std::string>& line : table) width[c] = std::max(width[c], line[c].size());
  }
  auto print = [&](const std::vector<std::string>& line) {
    std::string text = fmt::format("{:<{}}", line[0], width[0]);
    for (std::size_t c = 1; c < line.size(); ++c) text += fmt::format("  {:>{}}", line[c], width[c]);
    out << text << '\n';
    return text.size();
  };
  out << fmt::format("{} | Table 2 layout: mean task rank per group and overall{}\n", report.suite,
                     with_reference ? " (cells: ours / paper)" : "");
  if (report.simulated) out << "SIMULATED DATA (docs/simulation.md)\n";
  out << std::string(print(head), '-') << '\n';
  for (const std::vector<std::string>& line : table) print(line);
}

}  // namespace zooter::reports

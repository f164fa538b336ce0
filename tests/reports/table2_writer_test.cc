// The Table 2 layout, in report.md and in `zooter ablate`'s text: only routers and best-single,
// MTR per group and overall, and "ours / paper" cells on a report that carries the paper's
// reference (n/a for a variant the paper does not have).
#include <gtest/gtest.h>

#include <sstream>

#include "reports/report.h"
#include "reports/table2_writer.h"
#include "reports/writer.h"

namespace zooter::reports {
namespace {

AdapterResult result(const std::string& name, const std::string& kind, double g0, double g1, double mtr) {
  AdapterResult a;
  a.name = name;
  a.kind = kind;
  a.subset_score = {0.5};
  a.subset_rank = {1};
  a.routing_share = {{1.0}};
  a.group_average = {0.5, 0.5};
  a.group_mtr = {g0, g1};
  a.mtr = mtr;
  return a;
}

Report report_with(std::vector<AdapterResult> adapters) {
  Report r;
  r.suite = "mini";
  r.models = {"m"};
  r.subsets = {{"s", "s", "acc", 0.0, 1.0, true, 1}};
  r.groups = {{"chat", false, {0}}, {"code", false, {0}}};
  r.evaluation.queries = 1;
  r.evaluation.adapters = std::move(adapters);
  r.evaluation.best_single = 1;
  return r;
}

std::string markdown(const Report& r) {
  std::ostringstream out;
  make_writer("markdown")->write(r, out);
  return out.str();
}

TEST(MarkdownTable2, RoutersAndBestSingleOnly) {
  const Report r = report_with({result("single@m", "candidate", 3, 3, 3),
                                result("best-single", "baseline", 2, 1.5, 1.75),
                                result("zooter@beta=0.3", "router", 1.25, 2, 1.625)});
  const std::string md = markdown(r);
  const std::size_t at = md.find("## Table 2 layout");
  ASSERT_NE(at, std::string::npos);
  const std::string table = md.substr(at, md.find("\n## ", at + 1) - at);
  EXPECT_NE(table.find("| Variant | chat MTR | code MTR | MTR |\n|---|---:|---:|---:|\n"), std::string::npos);
  EXPECT_NE(table.find("| best-single | 2.00 | 1.50 | 1.75 |\n"), std::string::npos);
  EXPECT_NE(table.find("| zooter@beta=0.3 | 1.25 | 2.00 | 1.62 |\n"), std::string::npos);
  EXPECT_EQ(table.find("single@m"), std::string::npos);
  EXPECT_EQ(table.find("n/a"), std::string::npos);  // no reference: no paper cells
}

TEST(MarkdownTable2, PaperCellsBesideOurs) {
  Report r = report_with({result("best-single", "baseline", 2, 1.5, 1.75),
                          result("zooter@beta=1", "router", 1, 1, 1),
                          result("zooter@beta=0.2", "router", 1.5, 1, 1.25)});
  r.evaluation.best_single = 0;
  Reference reference;
  reference.source = "Lu et al., Table 2";
  reference.ablation.push_back({"zooter@beta=1", {}, {2.3, 3.25}, 2.34, std::nullopt});
  r.reference = reference;
  const std::string md = markdown(r);
  EXPECT_NE(md.find("| zooter@beta=1 | 1.00 / 2.30 | 1.00 / 3.25 | 1.00 / 2.34 |\n"), std::string::npos) << md;
  // No Table 2 row for beta 0.2 (nor for best-single): the paper cells read n/a.
  EXPECT_NE(md.find("| zooter@beta=0.2 | 1.50 / n/a | 1.00 / n/a | 1.25 / n/a |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| best-single | 2.00 / n/a | 1.50 / n/a | 1.75 / n/a |\n"), std::string::npos) << md;
}

TEST(TextTable2, SameCellsAlignedForTheTerminal) {
  Report r = report_with({result("best-single", "baseline", 2, 1.5, 1.75),
                          result("zooter@beta=1", "router", 1, 1, 1)});
  r.evaluation.best_single = 0;
  Reference reference;
  reference.ablation.push_back({"zooter@beta=1", {}, {2.3, 3.25}, 2.34, std::nullopt});
  r.reference = reference;
  std::ostringstream out;
  write_table2(r, Table2Style::kText, out);
  EXPECT_EQ(out.str(),
            "mini | Table 2 layout: mean task rank per group and overall (cells: ours / paper)\n"
            "Variant           chat MTR     code MTR          MTR\n"
            "----------------------------------------------------\n"
            "best-single     2.00 / n/a   1.50 / n/a   1.75 / n/a\n"
            "zooter@beta=1  1.00 / 2.30  1.00 / 3.25  1.00 / 2.34\n");
}

TEST(MarkdownTable2, AbsentWithoutRouters) {
  const Report r = report_with({result("single@m", "candidate", 1, 1, 1),
                                result("best-single", "baseline", 1, 1, 1)});
  EXPECT_EQ(markdown(r).find("Table 2"), std::string::npos);
}

}  // namespace
}  // namespace zooter::reports

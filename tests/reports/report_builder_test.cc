// The bundle's own provenance in a report: the note on what an importer left out, and
// report.json's provenance.bundle and report.html's Provenance section.
#include "reports/report_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "harness/bundle.h"
#include "harness/evaluator.h"
#include "harness/run_context.h"
#include "reports/report.h"
#include "reports/writer.h"
#include "suites/random_suite.h"

namespace zooter::reports {
namespace {

using ::testing::HasSubstr;

const std::string kImported =
    R"({"importer":"alpaca-eval","queries_read":805,"queries_kept":791,"queries_dropped":14,)"
    R"("exclusions":{"missing_output":2,"null_preference":12}})";

std::string written(const std::string& format, const Report& report) {
  std::ostringstream out;
  make_writer(format)->write(report, out);
  return out.str();
}

TEST(ReportBuilderTest, ExclusionsNoteNamesEveryReason) {
  EXPECT_EQ(exclusions_note(kImported),
            "14 queries of the source were left out when the bundle was imported (missing_output 2, "
            "null_preference 12); the bundle's provenance has the details");
}

TEST(ReportBuilderTest, NothingDroppedMeansNoNote) {
  EXPECT_EQ(exclusions_note(R"({"queries_dropped":0,"exclusions":{}})"), "");
  EXPECT_EQ(exclusions_note(R"({"source":"written by hand"})"), "");
  EXPECT_EQ(exclusions_note(""), "");
  EXPECT_EQ(exclusions_note("{not json"), "");
}

TEST(ReportBuilderTest, WritersShowTheBundleProvenance) {
  Report report;
  report.provenance.bundle = kImported;
  EXPECT_THAT(written("json", report),
              HasSubstr("    \"bundle\": {\n      \"importer\": \"alpaca-eval\",\n      \"queries_read\": 805,"));
  EXPECT_THAT(written("html", report),
              HasSubstr("<h3>Bundle provenance</h3>\n<pre>{&quot;importer&quot;:&quot;alpaca-eval&quot;,"));
  report.provenance.bundle = "";
  EXPECT_EQ(written("json", report).find("\"bundle\""), std::string::npos);
}

// A run larger than the drill-down's bound embeds a sample that holds the queries the routers
// disagree on, in bundle order, and says how many it stands for.
TEST(ReportBuilderTest, LargeRunsGetASampledDrilldown) {
  const Bundle bundle = suites::make_random_bundle({.queries = 2500, .models = 3, .subsets = 2}, RunContext(1));
  std::vector<std::uint32_t> queries(bundle.query_count());
  std::iota(queries.begin(), queries.end(), 0U);
  Evaluation evaluation;
  for (std::size_t s = 0; s < 2; ++s) evaluation.subsets.push_back({s, 0});
  std::vector<AdapterRun> runs(3);
  runs[0].kind = "candidate";  // always the third candidate: not counted as disagreeing
  runs[1].kind = "router";
  runs[2].kind = "router";
  for (std::uint32_t q : queries) {
    runs[0].decisions.push_back({.answer = 2});
    runs[1].decisions.push_back({.answer = 0});
    runs[2].decisions.push_back({.answer = static_cast<std::int16_t>(q % 500 == 499 ? 1 : 0)});
  }
  const Drilldown d = make_drilldown(bundle, evaluation, queries, runs);
  EXPECT_EQ(d.evaluated_queries, 2500u);
  EXPECT_EQ(d.most_disagreeing, 1000u);
  EXPECT_EQ(d.per_subset, 500u);
  ASSERT_LE(d.queries.size(), 2000u);
  ASSERT_GT(d.queries.size(), 1000u);
  std::vector<std::string> ids;
  for (const QueryDetail& q : d.queries) ids.push_back(q.id);
  for (std::uint32_t q = 499; q < 2500; q += 500) {
    SCOPED_TRACE(q);
    EXPECT_NE(std::find(ids.begin(), ids.end(), bundle.queries.id[q]), ids.end());
  }
  for (std::size_t i = 1; i < d.queries.size(); ++i) {
    EXPECT_LT(std::find(bundle.queries.id.begin(), bundle.queries.id.end(), ids[i - 1]),
              std::find(bundle.queries.id.begin(), bundle.queries.id.end(), ids[i]));
  }
}

}  // namespace
}  // namespace zooter::reports

// make_report and the bundle's own provenance: what an importer left out reaches the report
// (report.json's provenance.bundle, report.html's Provenance section and a note).
#include "reports/report_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "reports/report.h"
#include "reports/writer.h"
#include "tests/helpers.h"

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

TEST(ReportBuilderTest, BundleProvenanceAndItsExclusionsReachTheReport) {
  Bundle bundle = load_bundle(test::tiny_bundle_dir());
  bundle.manifest.provenance_json = kImported;
  const Report report = make_report(bundle, Evaluation{});
  EXPECT_EQ(report.provenance.bundle, kImported);
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_EQ(report.notes[0], "14 queries of the source were left out when the bundle was imported (missing_output 2, "
                             "null_preference 12); the bundle's provenance has the details");
  EXPECT_THAT(written("json", report),
              HasSubstr("    \"bundle\": {\n      \"importer\": \"alpaca-eval\",\n      \"queries_read\": 805,"));
  EXPECT_THAT(written("html", report),
              HasSubstr("<h3>Bundle provenance</h3>\n<pre>{&quot;importer&quot;:&quot;alpaca-eval&quot;,"));
}

TEST(ReportBuilderTest, NothingDroppedMeansNoNote) {
  const Bundle tiny = load_bundle(test::tiny_bundle_dir());
  Report report = make_report(tiny, Evaluation{});
  EXPECT_EQ(report.provenance.bundle, R"({"source":"written by hand for zooter's tests and documentation"})");
  EXPECT_TRUE(report.notes.empty());
  Bundle bundle = tiny;
  bundle.manifest.provenance_json = R"({"queries_dropped":0,"exclusions":{}})";
  EXPECT_TRUE(make_report(bundle, Evaluation{}).notes.empty());
  bundle.manifest.provenance_json = "";
  report = make_report(bundle, Evaluation{});
  EXPECT_EQ(written("json", report).find("\"bundle\""), std::string::npos);
}

}  // namespace
}  // namespace zooter::reports

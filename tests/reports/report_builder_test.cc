// The bundle's own provenance in a report: the note on what an importer left out, and
// report.json's provenance.bundle and report.html's Provenance section.
#include "reports/report_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "reports/report.h"
#include "reports/writer.h"

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

}  // namespace
}  // namespace zooter::reports

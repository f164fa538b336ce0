// What an importer left out reaches the report of a run: the bundle's provenance (JSON and HTML)
// and a note, through the run pipeline.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/run_context.h"
#include "pipeline/run_pipeline.h"
#include "tests/helpers.h"

namespace zooter::pipeline {
namespace {

TEST(BundleProvenance, ExclusionsReachTheReportOfARun) {
  Bundle bundle = load_bundle(test::tiny_bundle_dir());
  const std::string imported = R"({"importer":"alpaca-eval","queries_dropped":14,"exclusions":{"missing_output":14}})";
  bundle.manifest.provenance_json = imported;
  RunSettings settings;
  settings.bootstrap = 0;
  const reports::Report report = run_evaluation(bundle, settings, RunContext(1));
  EXPECT_EQ(report.provenance.bundle, imported);
  const std::string note =
      "14 queries of the source were left out when the bundle was imported (missing_output 14); the "
      "bundle's provenance has the details";
  EXPECT_NE(std::find(report.notes.begin(), report.notes.end(), note), report.notes.end());
}

TEST(BundleProvenance, NothingLeftOutNoNote) {
  const Bundle bundle = load_bundle(test::tiny_bundle_dir());
  RunSettings settings;
  settings.bootstrap = 0;
  const reports::Report report = run_evaluation(bundle, settings, RunContext(1));
  EXPECT_EQ(report.provenance.bundle, R"({"source":"written by hand for zooter's tests and documentation"})");
  for (const std::string& note : report.notes) EXPECT_EQ(note.find("left out"), std::string::npos) << note;
}

}  // namespace
}  // namespace zooter::pipeline

// Output is byte-identical for any thread count: the same evaluation with 1 and with 4
// threads, written by every writer, must match to the byte.
#include <gtest/gtest.h>

#include <sstream>

#include "harness/bundle.h"
#include "harness/bundle_writer.h"
#include "pipeline/run_pipeline.h"
#include "harness/run_context.h"
#include "reports/writer.h"
#include "suites/random_suite.h"

namespace zooter {
namespace {

std::string all_reports(const Bundle& bundle, int threads) {
  const RunContext ctx(threads);
  reports::Report report = pipeline::run_evaluation(bundle, {}, ctx);
  report.provenance = reports::Provenance{};
  std::ostringstream out;
  for (const std::string& format : reports::writer_formats()) {
    reports::make_writer(format)->write(report, out);
  }
  return out.str();
}

TEST(Determinism, ReportsIdenticalForOneAndFourThreads) {
  suites::RandomSuiteOptions options;
  options.queries = 20000;  // many blocks of kGrain queries
  options.models = 5;
  options.reward_models = 2;
  const Bundle bundle = suites::make_random_bundle(options, RunContext(4));
  const std::string one = all_reports(bundle, 1);
  const std::string four = all_reports(bundle, 4);
  EXPECT_GT(one.size(), 10000u);
  EXPECT_TRUE(one == four) << "reports differ between --threads 1 and --threads 4";
}

TEST(Determinism, RandomBundleIdenticalForOneAndFourThreads) {
  suites::RandomSuiteOptions options;
  options.queries = 5000;
  const Bundle a = suites::make_random_bundle(options, RunContext(1));
  const Bundle b = suites::make_random_bundle(options, RunContext(4));
  EXPECT_EQ(a.responses.gold, b.responses.gold);
  EXPECT_EQ(a.responses.rewards, b.responses.rewards);
  EXPECT_EQ(a.queries.text, b.queries.text);
}

}  // namespace
}  // namespace zooter

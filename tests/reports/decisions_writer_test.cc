// decisions.csv: one row per evaluated query of examples/tiny, every adapter's answer named.
// Expected answers by hand from examples/tiny/responses.jsonl: on h1 (gold alpha 1, beta 0.5,
// gamma 0) and m3 (alpha 1, beta 0, gamma 0) the oracle takes alpha; single@beta always beta;
// random is the uniform expectation.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/run_context.h"
#include "pipeline/run_pipeline.h"
#include "reports/report.h"
#include "reports/writer.h"
#include "tests/helpers.h"

namespace zooter::reports {
namespace {

std::string decisions_of(bool keep) {
  const Bundle bundle = load_bundle(test::tiny_bundle_dir());
  pipeline::RunSettings settings;
  settings.adapters = {"best-single", "single@beta", "random", "oracle"};
  settings.bootstrap = 0;
  settings.decisions = keep;
  const Report report = pipeline::run_evaluation(bundle, settings, RunContext(1));
  std::ostringstream out;
  make_writer("decisions")->write(report, out);
  return out.str();
}

TEST(DecisionsWriter, EveryQueryEveryAdapter) {
  const std::string csv = decisions_of(true);
  const std::vector<std::string> lines = test::split_lines(csv);
  ASSERT_EQ(lines.size(), 8u) << csv;  // header and the 7 test queries
  EXPECT_EQ(lines[0], "query,subset,best-single,single@beta,random,oracle");
  EXPECT_EQ(lines[1].substr(0, lines[1].find(',', 3)), "h1,chat/helpful");
  EXPECT_EQ(lines[1].substr(lines[1].find(",beta,")), ",beta,uniform,alpha");
  EXPECT_EQ(lines[7].substr(0, lines[7].find(',', 3)), "m3,exam/math");
  EXPECT_EQ(lines[7].substr(lines[7].find(",beta,")), ",beta,uniform,alpha");
}

TEST(DecisionsWriter, WithoutATableOnlyTheHeader) {
  EXPECT_EQ(decisions_of(false), "query,subset,best-single,single@beta,random,oracle\n");
}

}  // namespace
}  // namespace zooter::reports

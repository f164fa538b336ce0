// Golden tests: the whole output of every writer on examples/tiny, compared byte for byte
// with the reviewed files in tests/golden/. Provenance is left at its defaults so the files
// hold only deterministic content. After an intended change, regenerate with
//   ZOOTER_UPDATE_GOLDEN=1 build/zooter_tests --gtest_filter='Golden*'
// and review the diff before committing it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/support/test_paths.h"
#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "pipeline/run_pipeline.h"
#include "harness/run_context.h"
#include "reports/writer.h"

namespace zooter::reports {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Report tiny_report() {
  const Bundle bundle = load_bundle(zooter::test::test_data("/../examples/tiny"));
  const RunContext ctx(1);
  Report report = pipeline::run_evaluation(bundle, {}, ctx);
  report.provenance = Provenance{};  // timings and dates are not golden
  return report;
}

void check_golden(const std::string& format, const std::string& file) {
  const Report report = tiny_report();
  std::ostringstream out;
  make_writer(format)->write(report, out);
  const std::string path = zooter::test::test_data("/golden/") + file;
  if (std::getenv("ZOOTER_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << out.str();
    GTEST_SKIP() << "rewrote " << path;
  }
  const std::string expected = read_file(path);
  ASSERT_FALSE(expected.empty()) << path << " is missing; run with ZOOTER_UPDATE_GOLDEN=1";
  EXPECT_EQ(out.str(), expected) << "differs from " << path;
}

TEST(Golden, Table) { check_golden("table", "tiny.table.txt"); }
TEST(Golden, Csv) { check_golden("csv", "tiny.report.csv"); }
TEST(Golden, Json) { check_golden("json", "tiny.report.json"); }
TEST(Golden, Markdown) { check_golden("markdown", "tiny.report.md"); }

}  // namespace
}  // namespace zooter::reports

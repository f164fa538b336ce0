// zooter compare's three outcomes on constructed reports: the tiny bundle's report against
// itself (no regression), against a copy with one subset score lowered (regression), and
// against a copy of another suite (not comparable).
#include "tests/support/test_paths.h"
#include "reports/report_comparison.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "pipeline/run_pipeline.h"
#include "harness/run_context.h"
#include "reports/writer.h"

namespace zooter::reports {
namespace {

std::string tiny_json() {
  const Bundle bundle = load_bundle(zooter::test::test_data("/../examples/tiny"));
  pipeline::RunSettings settings;
  settings.bootstrap = 0;
  Report report = pipeline::run_evaluation(bundle, settings, RunContext(1));
  std::ostringstream out;
  make_writer("json")->write(report, out);
  return out.str();
}

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("zooter-compare-" + name + ".json");
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ReportComparison, IdenticalReportsHaveNoRegression) {
  const std::string path = write_temp("same", tiny_json());
  const Comparison c = compare_reports(path, path, {});
  EXPECT_TRUE(c.comparable);
  EXPECT_FALSE(c.has_regression());
  // 7 adapters x (3 subset scores + 2 groups x (average, mtr) + overall mtr, uplift) = 63.
  EXPECT_EQ(c.changes.size(), 63u);
}

TEST(ReportComparison, LowerSubsetScoreIsARegression) {
  const std::string json = tiny_json();
  // single@alpha's first subset score is 0.5 (chat/helpful); drop it to 0.4: 10% of the scale.
  const std::string lowered = replace_once(json, "\"score\": 0.5,", "\"score\": 0.4,");
  const std::string base = write_temp("base", json), now = write_temp("lowered", lowered);
  const Comparison c = compare_reports(base, now, {});
  ASSERT_TRUE(c.comparable);
  EXPECT_TRUE(c.has_regression());
  std::size_t regressions = 0;
  for (const MetricChange& m : c.changes) {
    if (!m.regression) continue;
    ++regressions;
    EXPECT_EQ(m.adapter, "single@alpha");
    EXPECT_EQ(m.scope, "chat/helpful");
    EXPECT_DOUBLE_EQ(m.base, 0.5);
    EXPECT_DOUBLE_EQ(m.current, 0.4);
  }
  EXPECT_EQ(regressions, 1u);
  // A drop of 10% of the scale passes a threshold of 20%.
  ComparisonOptions lenient;
  lenient.max_drop = 0.2;
  EXPECT_FALSE(compare_reports(base, now, lenient).has_regression());
}

TEST(ReportComparison, AlphaTestsTheDropAgainstBothStandardErrors) {
  const std::string json = tiny_json();
  // Drop 0.1 with standard errors 0.03 and 0.04: z = 0.1 / 0.05 = 2, p = P(Z > 2) = 0.02275.
  const std::string base = write_temp("se-base", replace_once(json, "\"score\": 0.5,",
                                                              "\"score\": 0.5, \"score_se\": 0.03,"));
  const std::string now = write_temp("se-new", replace_once(json, "\"score\": 0.5,",
                                                            "\"score\": 0.4, \"score_se\": 0.04,"));
  ComparisonOptions options;
  options.alpha = 0.05;
  const Comparison at5 = compare_reports(base, now, options);
  EXPECT_TRUE(at5.has_regression());
  const MetricChange* tested = nullptr;
  for (const MetricChange& m : at5.changes) {
    if (m.p_value) tested = &m;
  }
  ASSERT_NE(tested, nullptr);
  EXPECT_EQ(tested->scope, "chat/helpful");
  EXPECT_NEAR(*tested->p_value, 0.0227501319, 1e-9);
  options.alpha = 0.01;  // the same drop is not significant at 1%
  EXPECT_FALSE(compare_reports(base, now, options).has_regression());
  // Without alpha there is no interval in these reports, so the threshold alone decides.
  EXPECT_TRUE(compare_reports(base, now, {}).has_regression());
}

TEST(ReportComparison, OtherSuiteIsNotComparable) {
  const std::string json = tiny_json();
  const std::string other = replace_once(json, "\"suite\": \"tiny\"", "\"suite\": \"other\"");
  const Comparison c = compare_reports(write_temp("a", json), write_temp("other", other), {});
  EXPECT_FALSE(c.comparable);
  EXPECT_EQ(c.reason, "different suites: \"tiny\" vs \"other\"");
}

// The new report's first subset ("chat/helpful", metric "win-rate" on 0..1, higher better)
// with one field of its metric definition set to `value` (JSON text).
std::string with_subset_field(const std::string& json, const char* key, const char* value) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  rapidjson::Document replacement(&doc.GetAllocator());
  replacement.Parse(value);
  rapidjson::Value& subset = doc["results"]["subsets"][0];
  if (subset.HasMember(key)) {
    subset[key].CopyFrom(replacement, doc.GetAllocator());
  } else {
    subset.AddMember(rapidjson::Value(key, doc.GetAllocator()), rapidjson::Value(replacement, doc.GetAllocator()),
                     doc.GetAllocator());
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return buffer.GetString();
}

// Scores on different scales, or in opposite directions, are not comparable numbers: a
// change to any field of any subset's metric definition makes the reports not comparable,
// naming the subset and the field, even when every score is unchanged.
TEST(ReportComparison, ChangedMetricDefinitionIsNotComparable) {
  const struct {
    const char* key;
    const char* value;
    const char* differs;
  } cases[] = {
      {"metric", R"("accuracy")", R"(metric "win-rate" vs "accuracy")"},
      {"min", "-1", "min 0 vs -1"},
      {"max", "10", "max 1 vs 10"},
      {"max", "1.5", "max 1 vs 1.5"},
      {"higher_is_better", "false", "higher_is_better true vs false"},
      {"group", R"("exam")", R"(group "chat" vs "exam")"},
  };
  const std::string json = tiny_json();
  const std::string base = write_temp("definition-base", json);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.key);
    const std::string changed = write_temp("definition", with_subset_field(json, c.key, c.value));
    const Comparison one_way = compare_reports(base, changed, {});
    EXPECT_FALSE(one_way.comparable);
    EXPECT_EQ(one_way.reason, std::string("different metric definitions: subset \"chat/helpful\": ") + c.differs);
    EXPECT_TRUE(one_way.changes.empty());
    EXPECT_FALSE(compare_reports(changed, base, {}).comparable);  // and the other way round
  }
}

TEST(ReportComparison, EveryChangedSubsetAndFieldIsNamed) {
  const std::string json = tiny_json();
  std::string changed = with_subset_field(json, "max", "10");
  changed = with_subset_field(changed, "higher_is_better", "false");
  rapidjson::Document doc;
  doc.Parse(changed.c_str());
  doc["results"]["subsets"][2]["min"].SetDouble(0.5);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  const Comparison c = compare_reports(write_temp("two-base", json), write_temp("two", buffer.GetString()), {});
  EXPECT_FALSE(c.comparable);
  EXPECT_EQ(c.reason,
            "different metric definitions: subset \"chat/helpful\": max 1 vs 10, higher_is_better true vs false; "
            "subset \"exam/math\": min 0 vs 0.5");
}

TEST(ReportComparison, MissingAdapterIsARegression) {
  const std::string json = tiny_json();
  const std::string renamed = replace_once(json, "\"name\": \"oracle\"", "\"name\": \"oracle2\"");
  const Comparison c = compare_reports(write_temp("b", json), write_temp("renamed", renamed), {});
  ASSERT_TRUE(c.comparable);
  EXPECT_EQ(c.missing, std::vector<std::string>{"oracle"});
  EXPECT_EQ(c.added, std::vector<std::string>{"oracle2"});
  EXPECT_TRUE(c.has_regression());
}

TEST(ReportComparison, BadJsonNamesFileAndLine) {
  const std::string path = write_temp("bad", "{\n  \"format\": \"zooter-report\",\n  oops\n}\n");
  try {
    (void)compare_reports(path, path, {});
    FAIL() << "expected an InputError";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":3: column 3: invalid JSON"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace zooter::reports

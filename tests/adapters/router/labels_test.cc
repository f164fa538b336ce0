#include "adapters/router/labels.h"

#include <gtest/gtest.h>

#include <cmath>

#include "harness/error.h"

namespace zooter::adapters::router {
namespace {

LabelMatrix matrix(std::size_t columns, std::vector<double> values) {
  LabelMatrix m;
  m.columns = columns;
  m.values = std::move(values);
  return m;
}

void expect_rows(const LabelMatrix& m, const std::vector<std::vector<double>>& expected) {
  ASSERT_EQ(m.rows(), expected.size());
  for (std::size_t r = 0; r < expected.size(); ++r) {
    SCOPED_TRACE("row " + std::to_string(r));
    ASSERT_EQ(m.columns, expected[r].size());
    for (std::size_t c = 0; c < m.columns; ++c) EXPECT_NEAR(m.row(r)[c], expected[r][c], 1e-12);
  }
}

// Tags of 4 rows: {t0}, {t0, t1}, {t1}, {}.
TagLists four_rows_of_tags() {
  TagLists t;
  t.count = 2;
  t.ids = {0, 0, 1, 1};
  t.offset = {0, 1, 3, 4, 4};
  return t;
}

TEST(Labels, SilverLabelsAreSoftmaxOfRewards) {
  // softmax(0, ln 2, ln 3) = (1, 2, 3) / 6; adding a constant changes nothing.
  const double l2 = std::log(2.0), l3 = std::log(3.0);
  const LabelMatrix s = silver_labels(matrix(3, {0, l2, l3, 10, 10 + l2, 10 + l3}));
  expect_rows(s, {{1.0 / 6, 2.0 / 6, 3.0 / 6}, {1.0 / 6, 2.0 / 6, 3.0 / 6}});
}

TEST(Labels, TemperatureDividesRewards) {
  // (0, 2 ln 2) at T = 2 is softmax(0, ln 2) = (1/3, 2/3); T = 0.5 gives softmax(0, 4 ln 2).
  const LabelMatrix r = matrix(2, {0, 2 * std::log(2.0)});
  expect_rows(silver_labels(r, 2.0), {{1.0 / 3, 2.0 / 3}});
  expect_rows(silver_labels(r, 0.5), {{1.0 / 17, 16.0 / 17}});
}

TEST(Labels, SilverLabelsSurviveHugeRewards) {
  const LabelMatrix s = silver_labels(matrix(2, {1000.0, 1000.0}));
  expect_rows(s, {{0.5, 0.5}});
}

TEST(Labels, HardLabelsPickFirstArgMax) {
  expect_rows(hard_labels(matrix(3, {1, 3, 3, -1, -2, -5})), {{0, 1, 0}, {1, 0, 0}});
}

TEST(Labels, Normalisations) {
  const LabelMatrix r = matrix(3, {1, 2, 3, 1, 2, 5});
  const double z = 1.0 / std::sqrt(2.0 / 3.0);  // sd of (1, 2, 3) is sqrt(2/3)
  // Row 2: mean 8/3, deviations (-5/3, -2/3, 7/3), variance (25 + 4 + 49) / 27 = 26/9.
  const double sd2 = std::sqrt(26.0 / 9.0);
  expect_rows(normalise_rewards(r, Normalisation::kQueryZ),
              {{-z, 0, z}, {(-5.0 / 3) / sd2, (-2.0 / 3) / sd2, (7.0 / 3) / sd2}});
  expect_rows(normalise_rewards(r, Normalisation::kQueryMinMax), {{0, 0.5, 1}, {0, 0.25, 1}});
  // Per column over the two rows: (1, 1) is constant -> 0; (2, 2) -> 0; (3, 5) -> (-1, 1).
  expect_rows(normalise_rewards(r, Normalisation::kModelZ), {{0, 0, -1}, {0, 0, 1}});
  expect_rows(normalise_rewards(r, Normalisation::kNone), {{1, 2, 3}, {1, 2, 5}});
  expect_rows(normalise_rewards(matrix(2, {4, 4}), Normalisation::kQueryZ), {{0, 0}});
  expect_rows(normalise_rewards(matrix(2, {4, 4}), Normalisation::kQueryMinMax), {{0, 0}});
}

TEST(Labels, NormalisationNames) {
  for (auto n : {Normalisation::kNone, Normalisation::kQueryZ, Normalisation::kModelZ,
                 Normalisation::kQueryMinMax}) {
    EXPECT_EQ(parse_normalisation(normalisation_name(n)), n);
  }
  try {
    (void)parse_normalisation("zscore");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "unknown reward normalisation \"zscore\" (known: none, query-z, model-z, "
                 "query-minmax)");
  }
}

TEST(Labels, TagEnhancementByHand) {
  const LabelMatrix s = matrix(3, {0.5, 0.5, 0.0,    // q0, tags {t0}
                                   0.1, 0.1, 0.8,    // q1, tags {t0, t1}
                                   0.0, 1.0, 0.0,    // q2, tags {t1}
                                   0.2, 0.3, 0.5});  // q3, no tags
  // s_t0 = mean(q0, q1) = (0.3, 0.3, 0.4); s_t1 = mean(q1, q2) = (0.05, 0.55, 0.4).
  // beta = 0.3 (the tag part's weight):
  //   q0: 0.7 (0.5, 0.5, 0) + 0.3 (0.3, 0.3, 0.4) = (0.44, 0.44, 0.12)
  //   q1: 0.7 (0.1, 0.1, 0.8) + 0.3 mean(s_t0, s_t1) = (0.07, 0.07, 0.56) + 0.3 (0.175, 0.425,
  //       0.4) = (0.1225, 0.1975, 0.68)
  //   q2: 0.7 (0, 1, 0) + 0.3 (0.05, 0.55, 0.4) = (0.015, 0.865, 0.12)
  //   q3: no tags, unchanged
  expect_rows(enhance_with_tags(s, four_rows_of_tags(), 0.3),
              {{0.44, 0.44, 0.12}, {0.1225, 0.1975, 0.68}, {0.015, 0.865, 0.12}, {0.2, 0.3, 0.5}});
  // beta = 0: plain distillation; beta = 1: tag level only.
  EXPECT_EQ(enhance_with_tags(s, four_rows_of_tags(), 0.0).values, s.values);
  expect_rows(enhance_with_tags(s, four_rows_of_tags(), 1.0),
              {{0.3, 0.3, 0.4}, {0.175, 0.425, 0.4}, {0.05, 0.55, 0.4}, {0.2, 0.3, 0.5}});
}

TEST(Labels, EnhancedRowsStayDistributions) {
  const LabelMatrix s = silver_labels(matrix(3, {1, 2, 3, 0, 0, 1, 5, 1, 1, 2, 2, 2}));
  const LabelMatrix e = enhance_with_tags(s, four_rows_of_tags(), 0.3);
  for (std::size_t r = 0; r < e.rows(); ++r) {
    double sum = 0.0;
    for (double x : e.row(r)) sum += x;
    EXPECT_NEAR(sum, 1.0, 1e-12);
  }
}

TEST(Labels, NoTagsKeepsLabels) {
  const LabelMatrix s = matrix(2, {0.25, 0.75, 0.5, 0.5});
  TagLists none;
  none.offset = {0, 0, 0};
  EXPECT_EQ(enhance_with_tags(s, none, 0.3).values, s.values);
}

}  // namespace
}  // namespace zooter::adapters::router

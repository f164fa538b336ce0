#include "adapters/router/training_set.h"

#include <gtest/gtest.h>

#include <cmath>

#include "harness/error.h"
#include "harness/run_context.h"
#include "tests/adapters/router/topic_bundle.h"

namespace zooter::adapters::router {
namespace {

TEST(RouterTrainingSet, ResolvesRewardSource) {
  Bundle b = testing::make_topic_bundle();
  EXPECT_EQ(resolve_reward_source(b, "", true).name, "qwen-rm");  // preferred though listed second
  EXPECT_EQ(resolve_reward_source(b, "other-rm", false).reward_model, 0u);
  EXPECT_FALSE(resolve_reward_source(b, "gold", true).reward_model.has_value());
  try {
    (void)resolve_reward_source(b, "gold", false);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "zooter: reward=gold needs a training split whose gold may be learned "
                 "from (gold_for_training is false for it)");
  }
  try {
    (void)resolve_reward_source(b, "judge", true);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "zooter: unknown reward model \"judge\" (bundle has: other-rm, qwen-rm; or gold)");
  }
  b.manifest.reward_models[1].name = "judge";
  EXPECT_EQ(resolve_reward_source(b, "", false).name, "other-rm");  // no qwen-rm: the first
  b.manifest.reward_models.clear();
  EXPECT_EQ(resolve_reward_source(b, "", true).name, "gold");
  EXPECT_THROW((void)resolve_reward_source(b, "", false), UsageError);
}

TEST(RouterTrainingSet, GoldOfLowerIsBetterIsNegated) {
  Bundle b = testing::make_topic_bundle();
  b.manifest.subsets[1].metric.higher_is_better = false;  // topic 1 = "code"
  const std::vector<std::uint32_t> q = {0, 1};            // topics 0 and 1
  const LabelMatrix r = reward_matrix(b, q, RewardSource{std::nullopt, "gold"});
  EXPECT_EQ(r.row(0)[0], 0.9);
  EXPECT_EQ(r.row(0)[1], 0.3);
  EXPECT_EQ(r.row(1)[1], -0.9);
  EXPECT_EQ(r.row(1)[0], -0.3);
}

TEST(RouterTrainingSet, BundleTagsRenumbered) {
  const Bundle b = testing::make_topic_bundle();
  const std::vector<std::uint32_t> q = {2, 5, 1};  // topics 2, 2, 1
  const TagLists tags = bundle_tags(b, q);
  EXPECT_EQ(tags.count, 2u);
  EXPECT_EQ(tags.ids, (std::vector<std::uint32_t>{0, 0, 1}));
  EXPECT_EQ(tags.offset, (std::vector<std::uint32_t>{0, 1, 2, 3}));
}

TEST(RouterTrainingSet, LabelsFollowOptions) {
  const Bundle b = testing::make_topic_bundle();
  const std::vector<std::uint32_t> q = {0, 3, 6};  // all topic 0, tagged alike
  const Featuriser f(FeaturiserConfig{1u << 10, true, true, 3});
  const RewardSource qwen{1, "qwen-rm"};
  LabelOptions o;
  o.beta = 0.0;
  o.hard_label = true;
  TrainingSet set = make_training_set(b, q, f, qwen, o, 0, RunContext(1));
  EXPECT_EQ(set.features.rows(), 3u);
  EXPECT_EQ(set.keys, (std::vector<std::uint64_t>{0, 3, 6}));
  for (std::size_t r = 0; r < 3; ++r) {
    EXPECT_EQ(set.labels.row(r)[0], 1.0);
    EXPECT_EQ(set.labels.row(r)[1], 0.0);
  }
  // beta = 1 with one shared tag: every row becomes the tag mean, so all rows are equal.
  o.hard_label = false;
  o.beta = 1.0;
  set = make_training_set(b, q, f, qwen, o, 0, RunContext(1));
  EXPECT_EQ(set.tagged_queries, 3u);
  EXPECT_EQ(set.tag_count, 1u);
  for (std::size_t c = 0; c < 3; ++c) {
    EXPECT_DOUBLE_EQ(set.labels.row(0)[c], set.labels.row(2)[c]);
  }
  o.tags = TagSource::kNone;
  set = make_training_set(b, q, f, qwen, o, 0, RunContext(1));
  EXPECT_EQ(set.tagged_queries, 0u);
  EXPECT_NE(set.labels.row(0)[1], set.labels.row(2)[1]);  // the rewards' noise differs
}

// Unless asked otherwise, gold (bounded, on each subset's own scale) is standardised per query
// and a reward model's scores are distilled raw, as the paper does.
TEST(RouterTrainingSet, NormalisationFollowsTheRewardKind) {
  const RewardSource gold{std::nullopt, "gold"};
  const RewardSource qwen{1, "qwen-rm"};
  EXPECT_EQ(resolve_normalisation(std::nullopt, gold), Normalisation::kQueryZ);
  EXPECT_EQ(resolve_normalisation(std::nullopt, qwen), Normalisation::kNone);
  EXPECT_EQ(resolve_normalisation(Normalisation::kNone, gold), Normalisation::kNone);
  EXPECT_EQ(resolve_normalisation(Normalisation::kModelZ, qwen), Normalisation::kModelZ);

  const Bundle b = testing::make_topic_bundle();
  const std::vector<std::uint32_t> q = {0};  // topic 0: gold 0.9, 0.3, 0.3
  const Featuriser f(FeaturiserConfig{1u << 10, true, true, 3});
  LabelOptions o;
  o.beta = 1.0;
  o.tags = TagSource::kNone;
  // query-z: mean 0.5, population sd sqrt(0.08), so z = (sqrt 2, -1/sqrt 2, -1/sqrt 2) and the
  // softmax gives the best candidate 1 / (1 + 2 exp(-3 / sqrt 2)) = 0.80661.
  TrainingSet set = make_training_set(b, q, f, gold, o, 0, RunContext(1));
  const double best = 1.0 / (1.0 + 2.0 * std::exp(-3.0 / std::sqrt(2.0)));
  EXPECT_NEAR(set.labels.row(0)[0], best, 1e-12);
  EXPECT_NEAR(set.labels.row(0)[1], (1.0 - best) / 2.0, 1e-12);
  EXPECT_NEAR(best, 0.80661, 1e-5);
  // Raw gold, when asked: 1 / (1 + 2 exp(-0.6)) = 0.47673.
  o.normalisation = Normalisation::kNone;
  set = make_training_set(b, q, f, gold, o, 0, RunContext(1));
  EXPECT_NEAR(set.labels.row(0)[0], 1.0 / (1.0 + 2.0 * std::exp(-0.6)), 1e-12);
  // qwen-rm's default is the raw rewards: the same labels as normalise=none.
  const TrainingSet raw = make_training_set(b, q, f, qwen, o, 0, RunContext(1));
  o.normalisation.reset();
  set = make_training_set(b, q, f, qwen, o, 0, RunContext(1));
  EXPECT_EQ(set.labels.values, raw.labels.values);
}

}  // namespace
}  // namespace zooter::adapters::router

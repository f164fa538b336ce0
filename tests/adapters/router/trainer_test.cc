#include "adapters/router/trainer.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <cstring>
#include <sstream>

#include "harness/error.h"
#include "harness/run_context.h"
#include "tests/adapters/router/topic_bundle.h"

namespace zooter::adapters::router {
namespace {

// n texts of the three topics (row r has topic r % 3) with soft labels favouring the topic's
// candidate.
struct Data {
  SparseRows features;
  LabelMatrix labels;
  std::vector<std::uint64_t> keys;
};

Data make_data(std::size_t n, std::uint32_t dimension = 1u << 12) {
  std::vector<std::string> texts;
  Data d;
  d.labels = LabelMatrix(n, 3);
  for (std::size_t r = 0; r < n; ++r) {
    texts.push_back(testing::topic_text(r % 3, r));
    for (std::size_t c = 0; c < 3; ++c) d.labels.row(r)[c] = c == r % 3 ? 0.8 : 0.1;
    d.keys.push_back(1000 + r);
  }
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  d.features = Featuriser(FeaturiserConfig{dimension, true, true, 3}).rows(views, RunContext(1));
  return d;
}

TrainerConfig quick_config() {
  TrainerConfig c;
  c.epochs = 4;
  c.batch_size = 8;
  c.optimiser.learning_rate = 0.05;
  c.seed = 42;
  return c;
}

bool same_bits(const LinearModel& a, const LinearModel& b) {
  return a.parameter_count() == b.parameter_count() &&
         std::memcmp(a.parameters().data(), b.parameters().data(),
                     a.parameter_count() * sizeof(float)) == 0;
}

void expect_same_for_any_thread_count(std::uint32_t hidden, OptimiserKind kind) {
  const Data d = make_data(300);
  TrainerConfig c = quick_config();
  c.optimiser.kind = kind;
  const ModelShape shape{1u << 12, 3, hidden};
  LinearModel one(shape, c.seed), four(shape, c.seed);
  const TrainingSummary s1 = train(one, d.features, d.labels, d.keys, c, RunContext(1));
  const TrainingSummary s4 = train(four, d.features, d.labels, d.keys, c, RunContext(4));
  EXPECT_TRUE(same_bits(one, four));
  EXPECT_EQ(s1.epochs_run, s4.epochs_run);
  EXPECT_EQ(std::memcmp(&s1.training_loss, &s4.training_loss, sizeof(double)), 0);
}

TEST(Trainer, SameWeightsForAnyThreadCountLinear) {
  expect_same_for_any_thread_count(0, OptimiserKind::kAdam);
}

TEST(Trainer, SameWeightsForAnyThreadCountHidden) {
  expect_same_for_any_thread_count(16, OptimiserKind::kAdam);
}

TEST(Trainer, SameWeightsForAnyThreadCountAdaGrad) {
  expect_same_for_any_thread_count(0, OptimiserKind::kAdaGrad);
}

TEST(Trainer, SeedChangesTheResult) {
  const Data d = make_data(120);
  TrainerConfig c = quick_config();
  LinearModel a(ModelShape{1u << 12, 3, 0}, 0), b(ModelShape{1u << 12, 3, 0}, 0);
  (void)train(a, d.features, d.labels, d.keys, c, RunContext(1));
  c.seed = 43;
  (void)train(b, d.features, d.labels, d.keys, c, RunContext(1));
  EXPECT_FALSE(same_bits(a, b));
}

TEST(Trainer, LearnsTopics) {
  for (std::uint32_t hidden : {0u, 8u}) {
    SCOPED_TRACE("hidden " + std::to_string(hidden));
    const Data d = make_data(300);
    LinearModel model(ModelShape{1u << 12, 3, hidden}, 1);
    const TrainingSummary s =
        train(model, d.features, d.labels, d.keys, quick_config(), RunContext(2));
    // The best achievable KL is 0; the uniform start is KL((.8,.1,.1) || 1/3) = 0.4149.
    EXPECT_LT(s.training_loss, 0.1);
    const Data fresh = make_data(60);  // new texts (keys differ by row, same topics)
    std::size_t right = 0;
    Activations a;
    for (std::size_t r = 0; r < fresh.features.rows(); ++r) {
      right += model.route(fresh.features.row(r), a) == r % 3 ? 1 : 0;
    }
    EXPECT_EQ(right, fresh.features.rows());
  }
}

TEST(Trainer, ValidationRowsAreKeyed) {
  std::vector<std::uint64_t> keys(2000);
  for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = 5000 + i;
  const std::vector<std::uint32_t> rows = validation_rows(keys, keys.size(), 0.05, 9);
  EXPECT_GT(rows.size(), 60u);  // 100 expected, sd ~9.7
  EXPECT_LT(rows.size(), 140u);
  // Reversing the order of the examples holds out the same keys.
  std::vector<std::uint64_t> reversed(keys.rbegin(), keys.rend());
  const std::vector<std::uint32_t> rrows = validation_rows(reversed, reversed.size(), 0.05, 9);
  ASSERT_EQ(rrows.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(reversed[rrows[rows.size() - 1 - i]], keys[rows[i]]);
  }
  EXPECT_TRUE(validation_rows(keys, keys.size(), 0.0, 9).empty());
}

TEST(Trainer, KeepsBestValidationEpoch) {
  const Data d = make_data(600);
  TrainerConfig c = quick_config();
  c.epochs = 6;
  c.validation_fraction = 0.2;
  LinearModel model(ModelShape{1u << 12, 3, 0}, 0);
  const TrainingSummary s = train(model, d.features, d.labels, d.keys, c, RunContext(2));
  EXPECT_GT(s.validation_examples, 60u);
  EXPECT_EQ(s.training_examples + s.validation_examples, 600u);
  EXPECT_GE(s.best_epoch, 1u);
  EXPECT_LE(s.best_epoch, s.epochs_run);
  // The kept weights are the best epoch's: their validation loss is the one reported.
  const std::vector<std::uint32_t> held = validation_rows(d.keys, 600, 0.2, c.seed);
  EXPECT_DOUBLE_EQ(mean_loss(model, d.features, d.labels, held, RunContext(1)), s.validation_loss);
}

TEST(Trainer, WritesProgress) {
  const Data d = make_data(60);
  TrainerConfig c = quick_config();
  c.epochs = 2;
  for (const bool terminal : {true, false}) {
    SCOPED_TRACE(terminal ? "terminal" : "log");
    LinearModel model(ModelShape{1u << 12, 3, 0}, 0);
    std::ostringstream out;
    (void)train(model, d.features, d.labels, d.keys, c, RunContext(1), {&out, terminal});
    const std::string text = out.str();
    EXPECT_NE(text.find("epoch 1/2"), std::string::npos);
    EXPECT_NE(text.find("epoch 2/2"), std::string::npos);
    // A bar on a terminal; off it one line per epoch, no redraws.
    EXPECT_EQ(text.find("100%") != std::string::npos, terminal);
    EXPECT_EQ(text.find('\r') != std::string::npos, terminal);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
  }
}

TEST(Trainer, RejectsBadConfig) {
  const Data d = make_data(30);
  LinearModel model(ModelShape{1u << 12, 3, 0}, 0);
  TrainerConfig c = quick_config();
  c.epochs = 0;
  EXPECT_THROW((void)train(model, d.features, d.labels, d.keys, c, RunContext(1)), UsageError);
  c = quick_config();
  c.optimiser.learning_rate = -1.0;
  EXPECT_THROW((void)train(model, d.features, d.labels, d.keys, c, RunContext(1)), UsageError);
  c = quick_config();
  c.validation_fraction = 0.9;
  EXPECT_THROW((void)train(model, d.features, d.labels, d.keys, c, RunContext(1)), UsageError);
}

}  // namespace
}  // namespace zooter::adapters::router

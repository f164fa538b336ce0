// QualityRouter, the shared decision path of knn, sw-ranking, mlp and mf: it routes each query
// to the argmax of the predicted qualities, and a prediction that is not finite (a diverged
// model) stops the run with a usage error naming the query and the candidate, instead of the
// argmax sending the query to the first candidate (NaN loses every comparison).
#include "adapters/quality_routing.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "adapters/training_diverged.h"
#include "harness/bundle.h"
#include "harness/run_context.h"
#include "tests/adapters/router/topic_bundle.h"

namespace zooter::adapters {
namespace {

using router::testing::make_topic_bundle;
using router::testing::split_queries;

struct NoModel {};
struct NoScratch {};

// Predicts (0.1, 0.2, 0.3) rotated by the query's topic, so candidate (topic + 2) % 3 is best;
// on query `broken` candidate 1's quality is `broken_value` instead.
class FixedRouter : public QualityRouter<NoModel, NoScratch> {
 public:
  FixedRouter(const Bundle& bundle, std::uint32_t broken, double broken_value)
      : QualityRouter(bundle, parts(bundle)), broken_(broken), broken_value_(broken_value) {}

 private:
  static QualityRouterParts<NoModel> parts(const Bundle& bundle) {
    QualityRouterParts<NoModel> p;
    p.name = "fixed@test=1";
    p.model.folds.resize(1);
    p.cost.assign(bundle.model_count(), 0.0);
    return p;
  }

  void predict(std::uint32_t q, router::SparseView, NoScratch&,
               std::vector<double>& quality) const override {
    const std::size_t topic = q % 3;
    for (std::size_t m = 0; m < quality.size(); ++m) quality[(topic + m) % 3] = 0.1 * static_cast<double>(m + 1);
    if (q == broken_) quality[1] = broken_value_;
  }

  std::uint32_t broken_;
  double broken_value_;
};

constexpr std::uint32_t kNoQuery = ~std::uint32_t{0};

TEST(QualityRouter, RoutesEachQueryToTheHighestPredictedQuality) {
  const Bundle b = make_topic_bundle();
  const std::vector<std::uint32_t> test = split_queries(b, 1);
  const FixedRouter router(b, kNoQuery, 0.0);
  for (int threads : {1, 2}) {
    const RunContext run(threads, 5);
    const std::vector<Decision> d = router.decide(test, run);
    ASSERT_EQ(d.size(), test.size());
    for (std::size_t i = 0; i < test.size(); ++i) {
      EXPECT_EQ(d[i].answer, static_cast<int>((test[i] % 3 + 2) % 3)) << "query " << test[i];
    }
  }
}

TEST(QualityRouter, NanPredictionIsAUsageErrorNamingQueryAndCandidate) {
  const Bundle b = make_topic_bundle();
  const std::vector<std::uint32_t> test = split_queries(b, 1);
  const std::uint32_t broken = test[7];  // q127
  const FixedRouter router(b, broken, std::numeric_limits<double>::quiet_NaN());
  const std::string expected =
      "adapter \"fixed@test=1\": predicted a quality of nan for candidate \"beta\" on query "
      "\"q127\"; its training diverged or overflowed: try a smaller lr= or stronger "
      "regularisation";
  for (int threads : {1, 2}) {
    const RunContext run(threads, 5);
    try {
      (void)router.decide(test, run);
      ADD_FAILURE() << "decide() routed on a NaN prediction";
    } catch (const TrainingDiverged& e) {
      EXPECT_EQ(std::string(e.what()), expected);
    }
    EXPECT_THROW((void)router.quality_estimates(test, run), TrainingDiverged);
    EXPECT_THROW((void)router.decide_at_lambda(test, 0.5, run), UsageError);
  }
}

TEST(QualityRouter, InfinitePredictionIsAUsageErrorToo) {
  const Bundle b = make_topic_bundle();
  const std::vector<std::uint32_t> test = split_queries(b, 1);
  const FixedRouter router(b, test[0], -std::numeric_limits<double>::infinity());
  const RunContext run(1, 5);
  try {
    (void)router.decide(test, run);
    ADD_FAILURE() << "decide() routed on an infinite prediction";
  } catch (const TrainingDiverged& e) {
    EXPECT_NE(std::string(e.what()).find("a quality of -inf for candidate \"beta\" on query \"q120\""),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace zooter::adapters

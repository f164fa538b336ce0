// Which adapters of a paper-simulation report get the paper's published rows beside them.
#include "pipeline/paper_reference_rows.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/evaluation.h"

namespace zooter::pipeline {
namespace {

std::vector<std::string> adapters_of(const std::vector<reports::ReferenceRow>& rows) {
  std::vector<std::string> out;
  for (const reports::ReferenceRow& r : rows) out.push_back(r.adapter);
  return out;
}

// The paper's router is Zooter at beta 0.3 on QwenRM rewards, trained once: a seed or a
// seed-mean (seeds=N), and how the router is fitted (hidden layer, epochs, early stopping,
// learning rate), keep the variant; what is distilled (temperature=, the reward) is ours.
TEST(PaperReferenceRows, TrainingSeedsKeepThePapersVariant) {
  reports::ReportLayout layout;
  layout.suite = "zooter-paper";
  Evaluation evaluation;
  for (const char* name : {"zooter@beta=0.3,reward=qwen-rm,seeds=5", "zooter@beta=1,reward=qwen-rm,seed=3",
                           "zooter@beta=0.3,reward=qwen-rm,temperature=2", "zooter@beta=0.3,reward=gold",
                           "zooter@beta=0.7,hidden=64,lr=0.1,reward=qwen-rm,validation=0"}) {
    AdapterResult a;
    a.name = name;
    evaluation.adapters.push_back(a);
  }
  const std::optional<reports::Reference> reference = paper_reference_for(layout, evaluation);
  ASSERT_TRUE(reference.has_value());
  EXPECT_EQ(adapters_of(reference->rows), std::vector<std::string>{"zooter@beta=0.3,reward=qwen-rm,seeds=5"});
  EXPECT_EQ(adapters_of(reference->ablation),
            (std::vector<std::string>{"zooter@beta=0.3,reward=qwen-rm,seeds=5", "zooter@beta=1,reward=qwen-rm,seed=3",
                                      "zooter@beta=0.7,hidden=64,lr=0.1,reward=qwen-rm,validation=0"}));
  EXPECT_EQ(reference->rows[0].mtr, 1.94);  // Table 1, Zooter's All MTR
  EXPECT_EQ(reference->ablation[1].mtr, 2.34);  // Table 2, beta = 1.0
  EXPECT_EQ(reference->ablation[2].mtr, 2.31);  // Table 2, beta = 0.7
}

TEST(PaperReferenceRows, OtherSuitesHaveNone) {
  reports::ReportLayout layout;
  layout.suite = "routerdc";
  EXPECT_FALSE(paper_reference_for(layout, Evaluation{}).has_value());
}

}  // namespace
}  // namespace zooter::pipeline

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
// seed-mean (seeds=N) is the same variant; a setting of ours (lr=) is not the paper's.
TEST(PaperReferenceRows, TrainingSeedsKeepThePapersVariant) {
  reports::ReportLayout layout;
  layout.suite = "zooter-paper";
  Evaluation evaluation;
  for (const char* name : {"zooter@beta=0.3,reward=qwen-rm,seeds=5", "zooter@beta=1,reward=qwen-rm,seed=3",
                           "zooter@beta=0.3,lr=0.1,reward=qwen-rm", "zooter@beta=0.3,reward=gold"}) {
    AdapterResult a;
    a.name = name;
    evaluation.adapters.push_back(a);
  }
  const std::optional<reports::Reference> reference = paper_reference_for(layout, evaluation);
  ASSERT_TRUE(reference.has_value());
  EXPECT_EQ(adapters_of(reference->rows), std::vector<std::string>{"zooter@beta=0.3,reward=qwen-rm,seeds=5"});
  EXPECT_EQ(adapters_of(reference->ablation),
            (std::vector<std::string>{"zooter@beta=0.3,reward=qwen-rm,seeds=5", "zooter@beta=1,reward=qwen-rm,seed=3"}));
  EXPECT_EQ(reference->rows[0].mtr, 1.94);  // Table 1, Zooter's All MTR
  EXPECT_EQ(reference->ablation[1].mtr, 2.34);  // Table 2, beta = 1.0
}

TEST(PaperReferenceRows, OtherSuitesHaveNone) {
  reports::ReportLayout layout;
  layout.suite = "routerdc";
  EXPECT_FALSE(paper_reference_for(layout, Evaluation{}).has_value());
}

}  // namespace
}  // namespace zooter::pipeline

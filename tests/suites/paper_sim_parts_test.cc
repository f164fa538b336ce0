// The pieces of the paper simulation on inputs small enough to check by hand: pseudo-words,
// query text, largest-remainder shares, subset counts, FLASK's rare tags, subset targets,
// exam-style queries and the reward models' misjudgement of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "harness/run_context.h"
#include "suites/paper_profile.h"
#include "suites/paper_reference.h"
#include "suites/paper_sim_calibration.h"
#include "suites/paper_sim_latent.h"
#include "suites/paper_sim_tags.h"
#include "suites/query_text.h"

namespace zooter::suites {
namespace {

TEST(PaperSimParts, PseudoWordsAreDistinctLowercaseAndNotRealWords) {
  std::set<std::string> real;
  for (auto w : filler_words()) real.insert(std::string(w));
  for (auto w : opening_words()) real.insert(std::string(w));
  for (std::size_t d = 0; d < kDomainCount; ++d) {
    for (auto w : domain_words(static_cast<Domain>(d))) real.insert(std::string(w));
  }
  std::set<std::string> seen;
  const std::size_t n = paper_profile().tag_count * kWordsPerTag;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string w = pseudo_word(i);
    ASSERT_GE(w.size(), 6u) << w;
    ASSERT_TRUE(std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; }));
    ASSERT_EQ(real.count(w), 0u) << w;
    ASSERT_TRUE(seen.insert(w).second) << "duplicate " << w;
  }
  EXPECT_EQ(pseudo_word(7), pseudo_word(7));
}

TEST(PaperSimParts, TextDrawsFromTheQuerysVocabularies) {
  const TagVocabulary vocabulary({Domain::kCoding, Domain::kHistory});
  EXPECT_EQ(vocabulary.name(0), "coding-" + vocabulary.word(0, 0));
  const std::vector<std::uint32_t> tags = {0};
  const std::string text =
      compose_query_text(vocabulary, TextStyle{}, 5, 42, Domain::kCoding, tags, 400, false);
  EXPECT_EQ(text,
            compose_query_text(vocabulary, TextStyle{}, 5, 42, Domain::kCoding, tags, 400, false));
  EXPECT_NE(text,
            compose_query_text(vocabulary, TextStyle{}, 6, 42, Domain::kCoding, tags, 400, false));
  std::vector<std::string> words;
  for (std::size_t b = 0, e; b < text.size(); b = e + 1) {
    e = text.find(' ', b);
    if (e == std::string::npos) e = text.size();
    words.push_back(text.substr(b, e - b));
  }
  ASSERT_EQ(words.size(), 400u);
  const std::set<std::string> tag_words = {vocabulary.word(0, 0), vocabulary.word(0, 1),
                                           vocabulary.word(0, 2)};
  std::size_t tag_hits = 0, other_tag_hits = 0;
  for (const std::string& w : words) {
    tag_hits += tag_words.count(w);
    for (std::size_t k = 0; k < kWordsPerTag; ++k) other_tag_hits += w == vocabulary.word(1, k);
  }
  // 16% of 399 positions are tag words: about 64, sd 7.
  EXPECT_GT(tag_hits, 35u);
  EXPECT_LT(tag_hits, 95u);
  EXPECT_EQ(other_tag_hits, 0u);
}

TEST(PaperSimParts, LargestRemainder) {
  const std::vector<double> weights = {1, 1, 1};
  EXPECT_EQ(largest_remainder(weights, 10), (std::vector<std::size_t>{4, 3, 3}));
  const std::vector<double> skewed = {0.5, 0.3, 0.2};
  EXPECT_EQ(largest_remainder(skewed, 7), (std::vector<std::size_t>{4, 2, 1}));
  EXPECT_EQ(largest_remainder(skewed, 0), (std::vector<std::size_t>{0, 0, 0}));
}

TEST(PaperSimParts, TrainingSourcesScale) {
  const PaperProfile& p = paper_profile();
  const std::vector<std::size_t> counts = subset_query_counts(p, 1000);
  std::size_t train = 0, test = 0;
  for (std::size_t s = 0; s < counts.size(); ++s) {
    (p.subsets[s].group == p.train_group ? train : test) += counts[s];
    if (p.subsets[s].group != p.train_group) {
      EXPECT_EQ(counts[s], p.subsets[s].queries);
    }
  }
  EXPECT_EQ(train, 1000u);
  EXPECT_EQ(test, 18773u);
  EXPECT_EQ(counts[26], 392u);  // ultrachat: 1000 x 18588 / 47465 = 391.6
}

TEST(PaperSimParts, SmallPlanHasTagsAndExactDomains) {
  const PaperProfile& p = paper_profile();
  const std::vector<std::size_t> counts = subset_query_counts(p, 500);
  const QueryPlan plan = plan_queries(p, TagStyle{}, counts, 3, RunContext(2));
  ASSERT_EQ(plan.size(), 18773u + 500u);
  EXPECT_EQ(plan.tag_domain.size(), p.tag_count);
  for (std::size_t q = 0; q < plan.size(); ++q) {
    const auto tags = plan.tags(q);
    ASSERT_GE(tags.size(), 1u);
    ASSERT_LE(tags.size(), kMaxTagsPerQuery);
    EXPECT_EQ(plan.tag_domain[tags[0]], plan.domain[q]);  // the first tag is of the query's domain
  }
  // mbpp is code only.
  const std::size_t mbpp = counts.size() - 1;
  for (std::size_t q = plan.subset_begin[mbpp]; q < plan.subset_begin[mbpp + 1]; ++q) {
    EXPECT_EQ(plan.domain[q], Domain::kCoding);
  }
}

// FLASK's queries draw their tags uniformly over their domain's vocabulary, the other groups'
// by the Zipf popularity 1 / (rank + 2): a FLASK tag's rank within its domain, as a share of the
// domain's tags, averages 1/2 (sd 0.29 / sqrt(about 1,700 first tags) = 0.007), where a
// popularity draw averages about 0.17 on a domain of 400 tags ((400 - 2 H) / (400 H) with
// H = sum over r < 400 of 1 / (r + 2) = 5.6) and less on smaller domains.
TEST(PaperSimParts, FlaskQueriesCarryRareTags) {
  const PaperProfile& p = paper_profile();
  const std::vector<std::size_t> counts = subset_query_counts(p, 20000);
  const QueryPlan plan = plan_queries(p, TagStyle{}, counts, 5, RunContext(2));
  std::vector<std::size_t> first(kDomainCount, plan.tag_domain.size()), size(kDomainCount, 0);
  for (std::size_t t = 0; t < plan.tag_domain.size(); ++t) {
    const std::size_t d = domain_index(plan.tag_domain[t]);
    first[d] = std::min(first[d], t);
    ++size[d];
  }
  auto mean_relative_rank = [&](std::string_view group) {
    double sum = 0.0;
    std::size_t n = 0;
    for (std::size_t q = 0; q < plan.size(); ++q) {
      if (p.groups[p.subsets[plan.subset[q]].group].name != group) continue;
      const std::uint32_t tag = plan.tags(q)[0];
      const std::size_t d = domain_index(plan.tag_domain[tag]);
      sum += static_cast<double>(tag - first[d]) / static_cast<double>(size[d]);
      ++n;
    }
    return sum / static_cast<double>(n);
  };
  EXPECT_NEAR(mean_relative_rank("flask"), 0.5, 0.03);
  EXPECT_LT(mean_relative_rank("alpaca-eval"), 0.25);
  EXPECT_LT(mean_relative_rank("mt-bench"), 0.25);
  EXPECT_LT(mean_relative_rank("benchmarks"), 0.25);
}

TEST(PaperSimParts, SubsetTargetsAverageToThePaper) {
  const PaperProfile& p = paper_profile();
  const std::vector<PerModel> targets = subset_targets(p);
  for (std::size_t g = 0; g < p.groups.size(); ++g) {
    if (!p.groups[g].test) continue;
    for (std::size_t m = 0; m < kPaperModels; ++m) {
      double sum = 0.0;
      std::size_t n = 0;
      for (std::size_t s = 0; s < p.subsets.size(); ++s) {
        if (p.subsets[s].group != g) continue;
        EXPECT_GT(targets[s][m], p.groups[g].min);
        EXPECT_LT(targets[s][m], p.groups[g].max);
        sum += targets[s][m];
        ++n;
      }
      const double scale = p.groups[g].display == GroupDisplay::kPercent ? 100.0 : 1.0;
      const auto paper =
          paper_group_average("single@" + std::string(p.models[m].name), p.groups[g].name);
      ASSERT_TRUE(paper.has_value());
      EXPECT_NEAR(scale * sum / static_cast<double>(n), *paper, 1e-9);
    }
  }
}

// The candidates' order on each subset fixes their Table 1 ranks. From the targets alone (no
// data), each candidate's per-group MTR, MTR and %Uplift against the paper's tolerances: 34 of
// the 36 cells (six rows of 4 group MTRs, MTR, %Uplift) are met. The misses are two overall
// MTRs, each 0.21 from the paper's against a tolerance of 0.20 (on seed 1's data wizardmath's
// lands at 4.77, within). Guards the rank search against regressions.
TEST(PaperSimParts, SubsetTargetsGiveTheCandidatesRanks) {
  const PaperProfile& p = paper_profile();
  const std::vector<PerModel> targets = subset_targets(p);
  std::vector<std::string> missed;
  for (std::size_t m = 0; m < kPaperModels; ++m) {
    const std::string name(p.models[m].name);
    const PaperRow* row = paper_row("single@" + std::string(p.models[m].name));
    ASSERT_NE(row, nullptr);
    double all = 0.0, firsts = 0.0, n = 0.0;
    for (std::size_t g = 0; g < p.groups.size(); ++g) {
      if (!p.groups[g].test) continue;
      const std::optional<std::size_t> column = paper_group(p.groups[g].name);
      ASSERT_TRUE(column.has_value());
      double sum = 0.0, count = 0.0;
      for (std::size_t s = 0; s < p.subsets.size(); ++s) {
        if (p.subsets[s].group != g) continue;
        double rank = 1.0;
        for (std::size_t o = 0; o < kPaperModels; ++o) {
          if (targets[s][o] > targets[s][m]) rank += 1.0;
        }
        sum += rank;
        count += 1.0;
        if (rank == 1.0) firsts += 1.0;
      }
      all += sum;
      n += count;
      if (std::abs(sum / count - row->group_mtr[*column]) > kPaperGroupMtrTolerance + 1e-9) {
        missed.push_back(name + " " + std::string(p.groups[g].name) + " MTR " +
                         std::to_string(sum / count));
      }
    }
    if (std::abs(all / n - row->mean_task_rank) > kPaperMtrTolerance + 1e-9) {
      missed.push_back(name + " MTR " + std::to_string(all / n));
    }
    if (std::abs(firsts / n - row->uplift) > kPaperUpliftTolerance + 1e-9) {
      missed.push_back(name + " %Uplift " + std::to_string(firsts / n));
    }
  }
  // 53 / 26 against 1.83 and 125 / 26 against 4.60.
  EXPECT_EQ(missed, (std::vector<std::string>{"wizardlm MTR 2.038462", "wizardmath MTR 4.807692"}));
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  for (std::size_t b = 0, e; b < text.size(); b = e + 1) {
    e = text.find(' ', b);
    if (e == std::string::npos) e = text.size();
    words.push_back(text.substr(b, e - b));
  }
  return words;
}

// An exam-style query takes 90% of its filler words (46% of the positions after the first)
// from the exam words: about 0.414 x 399 = 165 of them, sd 10. The same query not exam-style
// has none (no exam word is in another vocabulary) and is otherwise the same text.
TEST(PaperSimParts, ExamStyleTextReadsLikeAnExamQuestion) {
  const TagVocabulary vocabulary({Domain::kMath});
  const std::vector<std::uint32_t> tags = {0};
  const std::vector<std::string> exam =
      split_words(compose_query_text(vocabulary, TextStyle{}, 5, 42, Domain::kMath, tags, 400, true));
  const std::vector<std::string> open =
      split_words(compose_query_text(vocabulary, TextStyle{}, 5, 42, Domain::kMath, tags, 400, false));
  ASSERT_EQ(exam.size(), 400u);
  ASSERT_EQ(open.size(), 400u);
  const auto exam_words_list = exam_words();
  const std::set<std::string> exam_set(exam_words_list.begin(), exam_words_list.end());
  std::size_t exam_hits = 0, open_hits = 0, differing = 0;
  for (std::size_t i = 0; i < exam.size(); ++i) {
    exam_hits += exam_set.count(exam[i]);
    open_hits += exam_set.count(open[i]);
    if (exam[i] != open[i]) {
      ++differing;
      EXPECT_EQ(exam_set.count(exam[i]), 1u) << "position " << i << ": " << exam[i];
    }
  }
  EXPECT_GT(exam_hits, 130u);
  EXPECT_LT(exam_hits, 200u);
  EXPECT_EQ(open_hits, 0u);
  EXPECT_EQ(differing, exam_hits);
}

// Exam-style are the three benchmarks and the exam-like training sources throughout, a tenth
// of the other training sources, and no AlpacaEval, FLASK or MT-Bench query.
TEST(PaperSimParts, ExamStyleQueriesFollowTheirSubsetsShare) {
  const PaperProfile& p = paper_profile();
  const std::vector<std::size_t> counts = subset_query_counts(p, 20000);
  const QueryPlan plan = plan_queries(p, TagStyle{}, counts, 5, RunContext(2));
  ASSERT_EQ(plan.exam.size(), plan.size());
  std::size_t mixed = 0, mixed_exam = 0;
  for (std::size_t q = 0; q < plan.size(); ++q) {
    const SubsetProfile& subset = p.subsets[plan.subset[q]];
    const std::string_view group = p.groups[subset.group].name;
    if (group == "benchmarks" || subset.id == "divinstruct/flan" ||
        subset.id == "divinstruct/math" || subset.id == "divinstruct/dmcc" ||
        subset.id == "divinstruct/mbpp") {
      ASSERT_EQ(plan.exam[q], 1) << subset.id;
    } else if (group == "divinstruct") {
      ++mixed;
      mixed_exam += plan.exam[q];
    } else {
      ASSERT_EQ(plan.exam[q], 0) << subset.id;
    }
  }
  // About 18,800 queries at 0.1: 1,880, sd 41.
  ASSERT_GT(mixed, 18000u);
  EXPECT_NEAR(static_cast<double>(mixed_exam) / static_cast<double>(mixed), 0.1, 0.01);
}

// On an exam-style query a reward model misses exam_blindness of the known expertise and
// rewards, in its place, exam_fluency x the candidate's fluency: its mean domain strength over
// the six open domains (docs/simulation.md, table of D), less the mean over candidates. By
// hand: wizardcoder (-0.2 - 0.7 - 0.7 + 0.1 - 0.4 - 0.6) / 6 = -0.416667, wizardlm -0.033333,
// wizardmath -0.316667, llama-2-chat 0.183333, openchat 0.266667, vicuna 0.15; their mean
// -0.027778. Nothing changes on other queries, and the gold side (expertise) never does.
TEST(PaperSimParts, RewardModelsRewardFluencyOnExamQueries) {
  const PaperProfile& p = paper_profile();
  const std::vector<std::size_t> counts = subset_query_counts(p, 200);
  const QueryPlan plan = plan_queries(p, TagStyle{}, counts, 5, RunContext(2));
  const RunContext ctx(2);
  const LatentDraws clear = draw_latents(p, plan, {0.0, 0.0, 1.0, 0.0, 0.0}, 5, ctx);
  const LatentDraws blind = draw_latents(p, plan, {0.0, 0.0, 1.0, 0.8, 0.0}, 5, ctx);
  const LatentDraws fluent = draw_latents(p, plan, {0.0, 0.0, 1.0, 0.8, 2.0}, 5, ctx);
  const double open_strength[kPaperModels] = {-0.388889, -0.005556, -0.288889,
                                              0.211111,  0.294444,  0.177778};
  std::size_t exam_queries = 0, missed = 0;
  for (std::size_t q = 0; q < plan.size(); ++q) {
    const bool exam = plan.exam[q] != 0;
    exam_queries += exam ? 1 : 0;
    for (std::size_t m = 0; m < kPaperModels; ++m) {
      const std::size_t c = q * kPaperModels + m;
      ASSERT_EQ(clear.expertise[c], fluent.expertise[c]);
      ASSERT_EQ(clear.missed_expertise[c], 0.0);
      ASSERT_EQ(blind.missed_expertise[c], fluent.missed_expertise[c]);
      if (!exam) {
        ASSERT_EQ(blind.missed_expertise[c], 0.0) << "query " << q;
      }
      missed += blind.missed_expertise[c] != 0.0 ? 1 : 0;
      for (std::size_t r = 0; r < kPaperRewardModels; ++r) {
        const double credited = (fluent.reward_noise[r][c] - blind.reward_noise[r][c]) / 2.0;
        ASSERT_NEAR(credited, exam ? open_strength[m] : 0.0, 1e-6)
            << "query " << q << " model " << m << " reward model " << r;
      }
    }
  }
  // The 18,773 test queries include 15,525 benchmark questions.
  EXPECT_GT(exam_queries, 15525u);
  EXPECT_LT(exam_queries, plan.size());
  EXPECT_GT(missed, 15525u * 5);
}

}  // namespace
}  // namespace zooter::suites

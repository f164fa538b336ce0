// The paper simulation against the Zooter paper's Table 1 and its own promises: every
// calibrated cell for seeds 1 and 2, the counts of queries, sources and tags, the scales of the
// gold scores, and byte-identical output for 1 and 4 threads.
//
// The Table 1 numbers below are typed in from the paper independently of
// suites/paper_reference.cc, and every cell is recomputed here from the bundle alone.
#include "suites/paper_sim.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/bundle_writer.h"
#include "harness/error.h"
#include "harness/run_context.h"

namespace zooter::suites {
namespace {

constexpr const char* kGroups[] = {"alpaca-eval", "flask", "mt-bench", "benchmarks"};
constexpr double kTolerance[] = {0.02, 0.05, 0.10, 1.0};

struct PaperCells {
  const char* adapter;
  double value[4];  // AlpacaEval, FLASK, MT-Bench, Benchmarks (%)
};

// Lu et al. 2023 (arXiv:2311.08692), Table 1.
constexpr PaperCells kTable1[] = {
    {"single@wizardcoder", {0.42, 3.12, 4.44, 30.9}},
    {"single@wizardlm", {0.89, 3.89, 7.15, 44.2}},
    {"single@wizardmath", {0.47, 3.28, 5.73, 34.8}},
    {"single@llama-2-chat", {0.91, 3.88, 6.72, 32.3}},
    {"single@openchat", {0.89, 3.79, 7.12, 31.2}},
    {"single@vicuna", {0.80, 3.70, 6.58, 33.6}},
    {"rmr@oassist-rm", {0.79, 3.75, 6.59, 35.1}},
    {"rmr@llm-blender", {0.83, 3.77, 6.21, 36.4}},
    {"rmr@auto-j", {0.89, 3.92, 7.03, 32.2}},
    {"rmr@ultrarm", {0.92, 4.06, 7.18, 40.1}},
    {"rmr@qwen-rm", {0.92, 4.04, 7.26, 38.6}},
    {"oracle", {0.98, 4.56, 8.25, 75.3}},
};

// Bundles are synthesised once per test program and shared by the tests: seed 1 with one
// thread (the reference of the thread comparison), seed 2 with two.
class PaperSim : public ::testing::Test {
 protected:
  static const Bundle& bundle(std::uint64_t seed) {
    static std::map<std::uint64_t, std::unique_ptr<Bundle>> cache;
    auto& slot = cache[seed];
    if (!slot) {
      const int threads = seed == 1 ? 1 : 2;
      slot = std::make_unique<Bundle>(synthesize_paper_bundle({seed}, RunContext(threads)));
    }
    return *slot;
  }
};

std::size_t split_index(const Bundle& b, const std::string& name) {
  const auto s = b.manifest.find_split(name);
  EXPECT_TRUE(s.has_value()) << name;
  return s.value_or(0);
}

// The candidate an adapter answers query q with.
std::size_t pick(const Bundle& b, const std::string& adapter, std::size_t q) {
  const std::size_t models = b.model_count();
  if (adapter.rfind("single@", 0) == 0) return *b.manifest.find_model(adapter.substr(7));
  std::size_t best = 0;
  if (adapter == "oracle") {
    for (std::size_t m = 1; m < models; ++m) {
      if (b.gold(q, m) > b.gold(q, best)) best = m;
    }
    return best;
  }
  const std::size_t r = *b.manifest.find_reward_model(adapter.substr(4));  // "rmr@"
  for (std::size_t m = 1; m < models; ++m) {
    if (b.reward(r, q, m) > b.reward(r, q, best)) best = m;  // ties: the lowest index
  }
  return best;
}

// Group average on the test split: the mean over the group's subsets of each subset's mean
// gold score of the adapter's picks; x100 for percent groups.
double group_average(const Bundle& b, const std::string& adapter, const std::string& group) {
  const std::size_t test = split_index(b, "test");
  const auto g = std::find_if(b.manifest.groups.begin(), b.manifest.groups.end(),
                              [&](const Group& x) { return x.name == group; });
  EXPECT_NE(g, b.manifest.groups.end()) << group;
  std::map<std::size_t, std::pair<double, std::size_t>> per_subset;
  for (std::size_t s : g->subsets) per_subset[s] = {0.0, 0};
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    auto it = per_subset.find(b.queries.subset[q]);
    if (it == per_subset.end() || b.queries.split[q] != test) continue;
    it->second.first += b.gold(q, pick(b, adapter, q));
    ++it->second.second;
  }
  double total = 0.0;
  for (const auto& [s, sum] : per_subset) {
    EXPECT_GT(sum.second, 0u) << b.manifest.subsets[s].id;
    total += sum.first / static_cast<double>(sum.second);
  }
  const double average = total / static_cast<double>(per_subset.size());
  return g->display == GroupDisplay::kPercent ? 100.0 * average : average;
}

void expect_calibrated(const Bundle& b) {
  for (const PaperCells& row : kTable1) {
    for (std::size_t g = 0; g < std::size(kGroups); ++g) {
      SCOPED_TRACE(std::string(row.adapter) + " on " + kGroups[g]);
      EXPECT_NEAR(group_average(b, row.adapter, kGroups[g]), row.value[g], kTolerance[g]);
    }
  }
}

TEST_F(PaperSim, CalibratedToTable1Seed1) { expect_calibrated(bundle(1)); }
TEST_F(PaperSim, CalibratedToTable1Seed2) { expect_calibrated(bundle(2)); }

TEST_F(PaperSim, QueriesPerSubset) {
  const Bundle& b = bundle(1);
  const std::map<std::string, std::size_t> expected = {
      {"alpaca-eval/helpful_base", 129}, {"alpaca-eval/koala", 156}, {"alpaca-eval/oasst", 188},
      {"alpaca-eval/selfinstruct", 252}, {"alpaca-eval/vicuna", 80},
      {"flask/culture", 391}, {"flask/humanities", 363}, {"flask/technology", 280},
      {"flask/social_science", 278}, {"flask/language", 232}, {"flask/math", 230},
      {"flask/coding", 207}, {"flask/natural_science", 172}, {"flask/health", 121},
      {"flask/history", 89},
      {"mt-bench/writing", 10}, {"mt-bench/roleplay", 10}, {"mt-bench/reasoning", 10},
      {"mt-bench/math", 10}, {"mt-bench/coding", 10}, {"mt-bench/extraction", 10},
      {"mt-bench/stem", 10}, {"mt-bench/humanities", 10},
      {"mmlu", 14042}, {"gsm8k", 1319}, {"humaneval", 164},
      // The paper's DivInstruct sources (training split only).
      {"divinstruct/ultrachat", 18588}, {"divinstruct/sharegpt", 10432},
      {"divinstruct/wizardlm-sharegpt", 5325}, {"divinstruct/wizardlm-alpaca", 5145},
      {"divinstruct/alpaca", 2186}, {"divinstruct/repair", 1034},
      {"divinstruct/openchat", 1033}, {"divinstruct/flan", 862}, {"divinstruct/math", 849},
      {"divinstruct/unnatural", 582}, {"divinstruct/dmcc", 573}, {"divinstruct/dolly", 560},
      {"divinstruct/oasst", 183}, {"divinstruct/lima", 70}, {"divinstruct/mbpp", 43}};
  std::map<std::string, std::size_t> counted;
  std::map<std::string, std::set<std::size_t>> splits;
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    const std::string& id = b.manifest.subsets[b.queries.subset[q]].id;
    ++counted[id];
    splits[id].insert(b.queries.split[q]);
  }
  EXPECT_EQ(counted, expected);
  const std::size_t train = split_index(b, "train"), test = split_index(b, "test");
  for (const auto& [id, used] : splits) {
    const bool is_train = id.rfind("divinstruct/", 0) == 0;
    EXPECT_EQ(used, std::set<std::size_t>{is_train ? train : test}) << id;
  }
  EXPECT_EQ(b.manifest.subsets.size(), expected.size());
}

TEST_F(PaperSim, TrainingSplit) {
  const Bundle& b = bundle(1);
  const std::size_t train = split_index(b, "train");
  EXPECT_FALSE(b.manifest.splits[train].gold_for_training);
  std::size_t queries = 0;
  std::set<std::uint32_t> tags;
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    if (b.queries.split[q] != train) continue;
    ++queries;
    ASSERT_FALSE(b.queries.tags(q).empty()) << b.queries.id[q];
    tags.insert(b.queries.tags(q).begin(), b.queries.tags(q).end());
  }
  // The 15 source counts as given sum to 47,465 (47,986 is stated for the whole collection;
  // docs/simulation.md).
  EXPECT_EQ(queries, 47465u);
  EXPECT_EQ(queries, kPaperTrainQueries);
  EXPECT_EQ(tags.size(), 6270u);
  EXPECT_EQ(b.tag_names.size(), 6270u);
  EXPECT_EQ(std::set<std::string>(b.tag_names.begin(), b.tag_names.end()).size(), 6270u);
}

TEST_F(PaperSim, ManifestModelsAndRewards) {
  const Bundle& b = bundle(1);
  const Manifest& m = b.manifest;
  EXPECT_EQ(m.suite, "zooter-paper");
  EXPECT_TRUE(m.simulated);
  EXPECT_NE(m.provenance_json.find("\"seed\":1"), std::string::npos);
  EXPECT_NE(m.provenance_json.find("arXiv:2311.08692"), std::string::npos);
  const std::vector<std::string> models = {"wizardcoder", "wizardlm", "wizardmath",
                                           "llama-2-chat", "openchat", "vicuna"};
  ASSERT_EQ(m.models.size(), models.size());
  for (std::size_t i = 0; i < models.size(); ++i) {
    EXPECT_EQ(m.models[i].name, models[i]);
    EXPECT_EQ(m.models[i].parameters, 13e9);
    EXPECT_FALSE(m.models[i].price_per_million_input.has_value());
  }
  const std::vector<std::pair<std::string, double>> rms = {
      {"oassist-rm", 0.3e9}, {"llm-blender", 0.3e9}, {"auto-j", 13e9}, {"ultrarm", 13e9},
      {"qwen-rm", 7e9}};
  ASSERT_EQ(m.reward_models.size(), rms.size());
  for (std::size_t i = 0; i < rms.size(); ++i) {
    EXPECT_EQ(m.reward_models[i].name, rms[i].first);
    EXPECT_EQ(m.reward_models[i].parameters, rms[i].second);
  }
  const Responses& r = b.responses;
  const std::size_t cells = b.query_count() * b.model_count();
  ASSERT_EQ(r.rewards.size(), rms.size());
  for (const auto& rewards : r.rewards) {
    ASSERT_EQ(rewards.size(), cells);
    EXPECT_TRUE(std::all_of(rewards.begin(), rewards.end(),
                            [](double x) { return std::isfinite(x); }));
  }
  EXPECT_TRUE(std::all_of(r.dollars.begin(), r.dollars.end(),
                          [](double x) { return std::isnan(x); }));
  EXPECT_TRUE(std::all_of(r.output_tokens.begin(), r.output_tokens.end(),
                          [](std::uint32_t t) { return t >= 4 && t <= 4096; }));
  EXPECT_TRUE(r.text.empty());
}

TEST_F(PaperSim, GoldScoresOnEachScale) {
  for (std::uint64_t seed : {1, 2}) {
    const Bundle& b = bundle(seed);
    for (std::size_t q = 0; q < b.query_count(); ++q) {
      const Subset& subset = b.manifest.subsets[b.queries.subset[q]];
      const std::string& group = b.manifest.groups[subset.group].name;
      // Steps: AlpacaEval win/tie/loss halves, MT-Bench the mean of two integer turns, the rest
      // integers (benchmarks 0/1).
      const double step = group == "alpaca-eval" || group == "mt-bench" ? 0.5 : 1.0;
      for (std::size_t m = 0; m < b.model_count(); ++m) {
        const double gold = b.gold(q, m);
        ASSERT_GE(gold, subset.metric.min) << b.queries.id[q];
        ASSERT_LE(gold, subset.metric.max) << b.queries.id[q];
        ASSERT_EQ(std::fmod(gold, step), 0.0) << b.queries.id[q] << " " << gold;
      }
    }
  }
}

TEST_F(PaperSim, TextIsLowercaseWords) {
  const Bundle& b = bundle(1);
  for (std::size_t q = 0; q < b.query_count(); q += 97) {
    const std::string& text = b.queries.text[q];
    ASSERT_FALSE(text.empty());
    EXPECT_TRUE(std::all_of(text.begin(), text.end(),
                            [](char c) { return c == ' ' || (c >= 'a' && c <= 'z'); }))
        << text;
    EXPECT_EQ(text.find("  "), std::string::npos);
    EXPECT_GT(b.queries.input_tokens[q], 0u);
  }
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Also checks that the written bundle is valid: the loader reads back the same data.
TEST_F(PaperSim, SameBytesForOneAndFourThreads) {
  const std::filesystem::path root = std::filesystem::temp_directory_path() /
                                     ("zooter-paper-sim-" + std::to_string(::getpid()));
  write_bundle(bundle(1), (root / "one").string());
  write_bundle(synthesize_paper_bundle({1}, RunContext(4)), (root / "four").string());
  for (const char* file : {"manifest.json", "queries.jsonl", "responses.jsonl"}) {
    SCOPED_TRACE(file);
    const std::string one = read_file(root / "one" / file);
    EXPECT_FALSE(one.empty());
    EXPECT_TRUE(read_file(root / "four" / file) == one);  // not EXPECT_EQ: 70 MB diffs
  }
  const Bundle loaded = load_bundle((root / "one").string());
  EXPECT_TRUE(loaded.manifest.simulated);
  EXPECT_EQ(loaded.queries.id, bundle(1).queries.id);
  EXPECT_TRUE(loaded.queries.text == bundle(1).queries.text);
  EXPECT_TRUE(loaded.responses.gold == bundle(1).responses.gold);
  EXPECT_TRUE(loaded.responses.rewards == bundle(1).responses.rewards);
  EXPECT_TRUE(loaded.responses.output_tokens == bundle(1).responses.output_tokens);
  EXPECT_EQ(loaded.tag_names.size(), bundle(1).tag_names.size());
  std::filesystem::remove_all(root);
}

TEST_F(PaperSim, SeedsDiffer) {
  EXPECT_NE(bundle(1).queries.text, bundle(2).queries.text);
  EXPECT_NE(bundle(1).responses.gold, bundle(2).responses.gold);
}

TEST_F(PaperSim, RejectsAbsurdTrainingSize) {
  EXPECT_THROW((void)synthesize_paper_bundle({1, kMaxPaperTrainQueries + 1}, RunContext(1)),
               InputError);
}

}  // namespace
}  // namespace zooter::suites

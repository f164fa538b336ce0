// add_gold (zooter gold): merges a scores file into a gold-pending copy of examples/tiny. The
// scores used are tiny's own gold, so the result must load exactly like examples/tiny; every
// bad scores file is refused with "path:line: message" and leaves the output unwritten.
#include "harness/gold_scores.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "harness/bundle.h"
#include "harness/bundle_loader.h"
#include "harness/error.h"
#include "tests/harness/pending_bundle.h"
#include "tests/helpers.h"

namespace zooter {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class GoldScoresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One line per (query, model), query-major: (q, m) is line 3q + m + 1.
    const Bundle tiny = load_bundle(test::tiny_bundle_dir());
    for (std::size_t q = 0; q < tiny.query_count(); ++q) {
      for (std::size_t m = 0; m < tiny.model_count(); ++m) {
        lines_.push_back(R"({"query": ")" + tiny.queries.id[q] + R"(", "model": ")" +
                         tiny.manifest.models[m].name + R"(", "gold": )" + std::to_string(tiny.gold(q, m)) +
                         "}");
      }
    }
  }
  std::string write_scores() const {
    test::write_file(scores_, test::join_lines(lines_));
    return scores_;
  }
  GoldOptions options() const {
    GoldOptions o;
    o.scores_path = scores_;
    o.out_dir = out_;
    return o;
  }
  // what() of the InputError add_gold throws; the output must not exist afterwards.
  std::string gold_error() const {
    write_scores();
    try {
      (void)add_gold(dir_, options());
    } catch (const InputError& e) {
      EXPECT_FALSE(std::filesystem::exists(out_)) << "written despite the error";
      return e.what();
    }
    ADD_FAILURE() << "add_gold succeeded, but an InputError was expected";
    return "";
  }

  test::TempDir tmp_;
  const std::string dir_ = test::copy_tiny_pending_bundle(tmp_);
  const std::string scores_ = tmp_.file("scores.jsonl");
  const std::string out_ = tmp_.file("graded");
  std::vector<std::string> lines_;
};

TEST_F(GoldScoresTest, EveryPairGivesBackTheGradedBundle) {
  write_scores();
  const GoldSummary summary = add_gold(dir_, options());
  EXPECT_EQ(summary.scores, 27u);
  EXPECT_EQ(summary.metrics_declared, 0u);
  const Bundle graded = load_bundle(out_);  // no longer pending: loads by default
  const Bundle tiny = load_bundle(test::tiny_bundle_dir());
  EXPECT_FALSE(graded.manifest.gold_pending);
  EXPECT_EQ(graded.responses.gold, tiny.responses.gold);
  EXPECT_EQ(graded.responses.dollars, tiny.responses.dollars);
  EXPECT_EQ(graded.responses.rewards, tiny.responses.rewards);
  EXPECT_THAT(test::read_file(out_ + "/manifest.json"),
              HasSubstr(R"("gold_added":{"scores_file":"scores.jsonl","scores_hash":")"));
  // gold goes right after model; the other fields stay as they were.
  EXPECT_THAT(test::read_file(out_ + "/responses.jsonl"),
              StartsWith(R"({"query":"t1","model":"gamma","gold":0.5,"output_tokens":40,"cost":0.001,)"));
  // The input is untouched.
  EXPECT_TRUE(load_bundle(dir_, [] { LoadOptions o; o.allow_gold_pending = true; return o; }()).manifest.gold_pending);
}

TEST_F(GoldScoresTest, InPlace) {
  write_scores();
  GoldOptions o = options();
  o.out_dir = dir_;
  (void)add_gold(dir_, o);
  EXPECT_EQ(load_bundle(dir_).responses.gold, load_bundle(test::tiny_bundle_dir()).responses.gold);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/responses.jsonl.partial"));
}

TEST_F(GoldScoresTest, RerunCompletesAnInterruptedRun) {
  // An in-place run stopped between its two renames: responses.jsonl has gold (here stale
  // values, 0.25 everywhere), manifest.json still says pending. The loader refuses that bundle
  // by default; running the same command again completes it with the scores file's gold.
  write_scores();
  GoldOptions o = options();
  o.out_dir = dir_;
  (void)add_gold(dir_, o);
  const std::string pending_manifest = test::read_file(test::copy_tiny_pending_bundle(tmp_, "p") + "/manifest.json");
  test::write_file(dir_ + "/manifest.json", pending_manifest);
  std::string responses = test::read_file(dir_ + "/responses.jsonl");
  for (std::size_t at = responses.find(R"("gold":)"); at != std::string::npos; at = responses.find(R"("gold":)", at + 1)) {
    const std::size_t end = responses.find(',', at);
    responses.replace(at, end - at, R"("gold":0.25)");
  }
  test::write_file(dir_ + "/responses.jsonl", responses);
  LoadOptions pending;
  pending.allow_gold_pending = true;
  try {
    (void)load_bundle(dir_, pending);
    ADD_FAILURE() << "a pending bundle with gold loaded";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("responses.jsonl:1: gold: not allowed while manifest.json says"));
  }
  EXPECT_EQ(add_gold(dir_, o).scores, 27u);
  const Bundle graded = load_bundle(dir_);
  EXPECT_EQ(graded.responses.gold, load_bundle(test::tiny_bundle_dir()).responses.gold);
  // One gold field a line, not the stale one kept beside the new.
  const std::string rewritten = test::read_file(dir_ + "/responses.jsonl");
  EXPECT_EQ(rewritten.find("0.25"), std::string::npos);
  std::size_t golds = 0;
  for (std::size_t at = rewritten.find(R"("gold":)"); at != std::string::npos; at = rewritten.find(R"("gold":)", at + 1)) ++golds;
  EXPECT_EQ(golds, 27u);
}

TEST_F(GoldScoresTest, MissingPair) {
  lines_.erase(lines_.begin() + 4);  // line 5: (t2, beta)
  EXPECT_EQ(gold_error(), scores_ + R"(: missing gold for query "t2" and model "beta")");
}

TEST_F(GoldScoresTest, DuplicatePair) {
  lines_.push_back(lines_[0]);
  EXPECT_THAT(gold_error(), StartsWith(scores_ + R"(:28: duplicate gold for query "t1" and model "alpha" )"
                                                 "(first at line 1)"));
}

TEST_F(GoldScoresTest, OutOfScale) {
  lines_[6] = R"({"query": "h1", "model": "alpha", "gold": 1.5})";
  EXPECT_THAT(gold_error(),
              StartsWith(scores_ + R"(:7: gold: 1.5 is outside the scale [0, 1] of subset "chat/helpful")"));
}

TEST_F(GoldScoresTest, UnknownQueryAndModel) {
  lines_.push_back(R"({"query": "nosuch", "model": "alpha", "gold": 1})");
  lines_.push_back(R"({"query": "t1", "model": "delta", "gold": 1})");
  const std::string error = gold_error();
  EXPECT_THAT(error, StartsWith(scores_ + R"(:28: unknown query "nosuch" (not in the bundle's queries.jsonl))"));
  EXPECT_THAT(error, HasSubstr("\n" + scores_ + R"(:29: unknown model "delta" (not in the bundle's manifest.json))"));
}

TEST_F(GoldScoresTest, BadLines) {
  lines_[0] = R"({"query": "t1", "model": "alpha", "gold": "good"})";
  lines_[1] = R"({"query": "t1", "model": "beta", "gold": 1, "judge": "x"})";
  lines_[2] = "[1]";
  lines_[3] = "{";
  lines_[4] = R"({"query": "t1", "model": "alpha", "gold": 1, "gold": 0})";  // which gold?
  lines_[5] = "{\"query\": \"t\xff\", \"model\": \"alpha\", \"gold\": 1}";  // not UTF-8
  const std::string error = gold_error();
  EXPECT_THAT(error, StartsWith(scores_ + R"(:1: "gold": expected a number)"));
  EXPECT_THAT(error, HasSubstr(scores_ + R"(:2: unknown field "judge" (known: query, model, gold, meta))"));
  EXPECT_THAT(error, HasSubstr(scores_ + ":3: expected a JSON object"));
  EXPECT_THAT(error, HasSubstr(scores_ + ":4: column 2: invalid JSON: Missing a name for object member."));
  EXPECT_THAT(error, HasSubstr(scores_ + R"(:5: key "gold" appears twice in one object (which value is meant?))"));
  EXPECT_THAT(error, HasSubstr(scores_ + ":6: column 13: invalid JSON: Invalid encoding in string."));
}

TEST_F(GoldScoresTest, OnlyAPendingBundle) {
  write_scores();
  const std::string graded = test::copy_tiny_bundle(tmp_, "tiny");
  try {
    (void)add_gold(graded, options());
    ADD_FAILURE() << "a graded bundle took gold again";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), graded + "/manifest.json: gold is not pending: every response has its gold already");
  }
}

TEST_F(GoldScoresTest, MetricDeclaredForSubsetsWithoutOne) {
  test::replace_in_file(dir_ + "/manifest.json", R"(,
       "metric": {"name": "accuracy", "min": 0, "max": 1, "higher_is_better": true})", "");
  write_scores();
  EXPECT_THROW((void)add_gold(dir_, options()), UsageError);
  EXPECT_FALSE(std::filesystem::exists(out_));
  Metric metric{"pass", 0.0, 1.0, true};
  GoldOptions o = options();
  o.metric = &metric;
  EXPECT_EQ(add_gold(dir_, o).metrics_declared, 1u);
  const Bundle graded = load_bundle(out_);
  EXPECT_EQ(graded.manifest.subsets[*graded.manifest.find_subset("exam/math")].metric.name, "pass");
  // Given again, now that every subset has one, it is a usage mistake.
  EXPECT_THROW((void)add_gold(test::copy_tiny_pending_bundle(tmp_, "again"), o), UsageError);
}

}  // namespace
}  // namespace zooter

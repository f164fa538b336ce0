// decisions@file=PATH through the whole run pipeline: an outside router's file is evaluated as
// a built-in router is, its scores make it cost-aware (lambda=, --sweep-lambda), and misuse is a
// usage error with its exact message.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <sstream>
#include <string>

#include "harness/bundle.h"
#include "harness/error.h"
#include "harness/run_context.h"
#include "pipeline/run_pipeline.h"
#include "reports/writer.h"
#include "tests/adapters/router/topic_bundle.h"
#include "tests/helpers.h"

namespace zooter::adapters {
namespace {

using router::testing::make_priced_topic_bundle;
using router::testing::split_queries;

// The priced topic bundle's test queries decided by the topic's best candidate, with scores equal
// to the gold (0.9 for that candidate, 0.3 for the others) and 1e6 router FLOPs each.
std::string write_perfect_router(const Bundle& b, const test::TempDir& dir) {
  const char* names[] = {"alpha", "beta", "gamma"};
  std::string text;
  for (const std::uint32_t q : split_queries(b, 1)) {
    const std::size_t topic = q % 3;
    text += fmt::format("{{\"query\": \"{}\", \"model\": \"{}\", \"scores\": {{\"alpha\": {}, \"beta\": {}, "
                        "\"gamma\": {}}}, \"router_flops\": 1e6}}\n",
                        b.queries.id[q], names[topic], topic == 0 ? 0.9 : 0.3, topic == 1 ? 0.9 : 0.3,
                        topic == 2 ? 0.9 : 0.3);
  }
  const std::string path = dir.file("decisions.jsonl");
  test::write_file(path, text);
  return path;
}

const AdapterResult& result_named(const reports::Report& r, const std::string& name) {
  for (const auto& a : r.evaluation.adapters) {
    if (a.name == name) return a;
  }
  throw std::runtime_error("no adapter " + name);
}

void expect_scores(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << "subset " << i;
}

TEST(DecisionsAdapter, IsEvaluatedLikeABuiltInRouterAndSweepsItsScores) {
  const Bundle b = make_priced_topic_bundle();
  const test::TempDir dir;
  const std::string spec = "decisions@file=" + write_perfect_router(b, dir);
  pipeline::RunSettings s;
  s.adapters = {spec, "oracle", "best-single"};
  s.bootstrap = 0;
  s.sweep_lambdas = {0, 10};
  const reports::Report report = pipeline::run_evaluation(b, s, RunContext(2));
  const AdapterResult& outside = result_named(report, spec);
  EXPECT_EQ(outside.kind, "router");
  EXPECT_EQ(outside.subset_score, result_named(report, "oracle").subset_score);
  expect_scores(outside.subset_score, {0.9, 0.9, 0.9});
  EXPECT_DOUBLE_EQ(outside.cost.router_calls, 60.0);
  EXPECT_DOUBLE_EQ(outside.cost.router_flops, 60e6);
  ASSERT_TRUE(report.frontier.has_value());
  ASSERT_EQ(report.frontier->sweeps.size(), 1u);
  const reports::Sweep& sweep = report.frontier->sweeps[0];
  EXPECT_EQ(sweep.adapter, spec);
  ASSERT_EQ(sweep.points.size(), 2u);
  // lambda 0: argmax of the scores, the file's own picks ($0.004, 0.002, 0.001 by topic).
  EXPECT_NEAR(sweep.points[0].quality, 0.9, 1e-12);
  EXPECT_NEAR(sweep.points[0].cost, 0.007 / 3, 1e-12);
  // lambda 10: every query to gamma, the cheapest (relative costs 1, 0.5, 0.25).
  EXPECT_NEAR(sweep.points[1].quality, 0.5, 1e-12);
  EXPECT_NEAR(sweep.points[1].cost, 0.001, 1e-12);
  EXPECT_EQ(outside.notes.back(), "router FLOPs from the decisions: 1e+06 per query (counted as router cost)");
}

TEST(DecisionsAdapter, ReportIsIdenticalForOneAndTwoThreads) {
  const Bundle b = make_priced_topic_bundle();
  const test::TempDir dir;
  pipeline::RunSettings s;
  s.adapters = {"decisions@file=" + write_perfect_router(b, dir), "best-single"};
  s.bootstrap = 50;
  s.sweep_lambdas = {0, 0.5, 10};
  auto json = [&](int threads) {
    reports::Report r = pipeline::run_evaluation(b, s, RunContext(threads));
    r.provenance = {};
    std::ostringstream out;
    reports::make_writer("json")->write(r, out);
    return out.str();
  };
  EXPECT_EQ(json(1), json(2));
}

TEST(DecisionsAdapter, LambdaArgumentDecidesFromTheScores) {
  const Bundle b = make_priced_topic_bundle();
  const test::TempDir dir;
  const std::string spec = "decisions@file=" + write_perfect_router(b, dir) + ",lambda=10";
  pipeline::RunSettings s;
  s.adapters = {spec};
  s.bootstrap = 0;
  const reports::Report report = pipeline::run_evaluation(b, s, RunContext(1));
  const std::string canonical = "decisions@file=" + dir.file("decisions.jsonl") + ",lambda=10";
  expect_scores(result_named(report, canonical).subset_score, {0.3, 0.3, 0.9});
}

// A decisions file without scores that sends every evaluated query to beta.
void write_all_to_beta(const Bundle& b, const std::string& path) {
  std::string text;
  for (const std::uint32_t q : split_queries(b, 1)) text += "{\"query\": \"" + b.queries.id[q] + "\", \"model\": \"beta\"}\n";
  test::write_file(path, text);
}

TEST(DecisionsAdapter, MisuseIsAUsageError) {
  const Bundle b = make_priced_topic_bundle();
  const test::TempDir dir;
  write_all_to_beta(b, dir.file("plain.jsonl"));
  auto usage_error = [&](const std::string& spec) {
    pipeline::RunSettings s;
    s.adapters = {spec};
    s.bootstrap = 0;
    try {
      (void)pipeline::run_evaluation(b, s, RunContext(1));
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no usage error");
  };
  EXPECT_EQ(usage_error("decisions"), "adapter \"decisions\" needs file=PATH (a JSONL or CSV decisions file)");
  EXPECT_EQ(usage_error("decisions@file=" + dir.file("plain.jsonl") + ",lambda=1"),
            "adapter \"decisions@file=" + dir.file("plain.jsonl") + ",lambda=1\": lambda= needs \"scores\" in the decisions");
  pipeline::RunSettings s;
  s.adapters = {"decisions@file=" + dir.file("plain.jsonl")};
  s.bootstrap = 0;
  s.sweep_lambdas = {0, 1};
  try {
    (void)pipeline::run_evaluation(b, s, RunContext(1));
    ADD_FAILURE() << "a file without scores was swept";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "--sweep-lambda: no adapter of the run is cost-aware (zooter is)");
  }
  EXPECT_EQ(usage_error("decisions@file=" + dir.file("plain.jsonl") + ",reference=2"),
            "adapter \"decisions@file=" + dir.file("plain.jsonl") + ",reference=2\": reference must be 0 or 1, got \"2\"");
}

// reference=1 marks a file made with the evaluated gold: it stays on the frontier's plane but
// off the headline AIQ, like the oracle. Every query to beta: quality 0.5 of a 0.9 best.
TEST(DecisionsAdapter, ReferenceFileIsKeptOffTheHeadlineAiq) {
  const Bundle b = make_priced_topic_bundle();
  const test::TempDir dir;
  write_all_to_beta(b, dir.file("plain.jsonl"));
  auto frontier_of = [&](const std::string& extra) {
    pipeline::RunSettings s;
    s.adapters = {"single@gamma", "decisions@file=" + dir.file("plain.jsonl") + extra};
    s.bootstrap = 0;
    return pipeline::run_evaluation(b, s, RunContext(1)).frontier.value();
  };
  const reports::Frontier deployable = frontier_of("");
  const reports::Frontier reference = frontier_of(",reference=1");
  ASSERT_EQ(reference.points.size(), 3u);  // best-single is added to every run
  for (const reports::Frontier* f : {&deployable, &reference}) {
    for (const reports::FrontierPoint& p : f->points) {
      const bool from_file = p.adapter.starts_with("decisions@");
      EXPECT_EQ(p.reference, from_file && f == &reference) << p.adapter;
    }
  }
  EXPECT_FALSE(deployable.aiq_with_references.has_value());
  EXPECT_TRUE(reference.aiq_with_references.has_value());
}

}  // namespace
}  // namespace zooter::adapters

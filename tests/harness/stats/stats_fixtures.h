// Hand-built bundles and runs for the zooter::stats tests: a few queries with chosen gold
// scores, so expected numbers can be worked out in the test. Header-only; test code only.
#pragma once

#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/bundle.h"
#include "harness/evaluator.h"

namespace zooter::test {

// One query: its subset (index into the subsets given to hand_bundle) and every candidate's
// gold score.
struct HandQuery {
  std::uint32_t subset = 0;
  std::vector<double> gold;
};

// A bundle with the given subsets and groups, `models` candidates (m0, m1, ... of 1e9
// parameters) and queries; every query is in split "test" with 10 input and 10 output tokens.
inline Bundle hand_bundle(std::vector<Subset> subsets, std::vector<Group> groups,
                          std::size_t models, const std::vector<HandQuery>& queries) {
  Bundle b;
  b.manifest.suite = "hand";
  b.manifest.splits = {{"test", true}};
  b.manifest.subsets = std::move(subsets);
  b.manifest.groups = std::move(groups);
  for (std::size_t m = 0; m < models; ++m) {
    b.manifest.models.push_back({"m" + std::to_string(m), 1e9, std::nullopt, std::nullopt});
  }
  b.manifest.reward_models.push_back({"rm", 1e9});
  b.responses.models = models;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    b.queries.id.push_back("q" + std::to_string(q));
    b.queries.text.push_back("");
    b.queries.subset.push_back(queries[q].subset);
    b.queries.split.push_back(0);
    b.queries.input_tokens.push_back(10);
    b.queries.tag_offset.push_back(0);
    for (std::size_t m = 0; m < models; ++m) {
      b.responses.gold.push_back(queries[q].gold.at(m));
      b.responses.output_tokens.push_back(10);
      b.responses.dollars.push_back(0.0);
    }
  }
  b.queries.tag_offset.push_back(0);
  b.responses.rewards.assign(1, std::vector<double>(b.responses.gold.size(), 0.0));
  return b;
}

// One subset "s" in one group "g" with the given metric.
inline Bundle one_subset_bundle(const Metric& metric, std::size_t models,
                                const std::vector<HandQuery>& queries) {
  return hand_bundle({{"s", "s", 0, metric}}, {{"g", GroupDisplay::kRaw, {0}}}, models, queries);
}

// A metric: 0/1 accuracy, a 1..10 score, or a lower-is-better 0..1 error.
inline Metric accuracy() { return {"accuracy", 0.0, 1.0, true}; }
inline Metric score10() { return {"score", 1.0, 10.0, true}; }
inline Metric error_rate() { return {"error", 0.0, 1.0, false}; }

inline std::vector<std::uint32_t> all_queries(const Bundle& b) {
  std::vector<std::uint32_t> out(b.query_count());
  for (std::size_t q = 0; q < out.size(); ++q) out[q] = static_cast<std::uint32_t>(q);
  return out;
}

// A run answering with answers[i] (a candidate or Decision::kUniform) on query i.
inline AdapterRun run_of(const std::string& name, const std::vector<int>& answers) {
  AdapterRun run;
  run.name = name;
  run.kind = "baseline";
  for (int a : answers) {
    Decision d;
    d.answer = static_cast<std::int16_t>(a);
    d.generated = a == Decision::kUniform ? 0 : std::uint64_t{1} << a;
    run.decisions.push_back(d);
  }
  return run;
}

inline AdapterRun single_run(std::size_t model, std::size_t queries) {
  return run_of("single@m" + std::to_string(model),
                std::vector<int>(queries, static_cast<int>(model)));
}

// Bit patterns of doubles, for byte-identity checks.
inline std::vector<std::uint64_t> bits_of(const std::vector<double>& values) {
  std::vector<std::uint64_t> out;
  for (double v : values) out.push_back(std::bit_cast<std::uint64_t>(v));
  return out;
}

}  // namespace zooter::test

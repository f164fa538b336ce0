// The round trip of issue 21: every adapter's decisions written by `run --decisions DIR` and read
// back through decisions@file=PATH give the same report in every deterministic field, the
// adapter's own identity (name, kind, notes) and its router cost aside (the file carries the
// router's FLOPs, but a mean per query need not be bit-equal to the adapter's constant). A
// cost-aware adapter's lambda sweep is compared too: its file carries its quality estimates.
#pragma once

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "harness/bundle.h"
#include "harness/run_context.h"
#include "pipeline/decision_export.h"
#include "pipeline/run_pipeline.h"
#include "reports/writer.h"
#include "tests/helpers.h"

namespace zooter::pipeline::testing {

// Everything in a report but what the round trip may change, as JSON and CSV text.
inline std::string comparable_text(reports::Report report, const std::vector<std::string>& names) {
  report.provenance = {};
  report.notes.clear();
  report.reference.reset();
  report.latency.clear();  // the latency model charges router time from the router's FLOPs
  for (std::size_t a = 0; a < report.evaluation.adapters.size(); ++a) {
    AdapterResult& r = report.evaluation.adapters[a];
    r.name = names[a];
    r.kind.clear();
    r.notes.clear();
    r.router_parameters = 0.0;
    r.cost.router_calls = 0.0;
    r.cost.router_flops = 0.0;
    if (report.frontier) {
      report.frontier->points[a].adapter = names[a];
    }
  }
  if (report.frontier) {
    for (reports::Sweep& sweep : report.frontier->sweeps) {
      sweep.adapter.clear();
      for (reports::FrontierPoint& point : sweep.points) point.adapter.clear();
    }
  }
  std::ostringstream out;
  reports::make_writer("json")->write(report, out);
  return out.str();
}

// Runs `settings` on `bundle` with --decisions, then every written file through
// decisions@file=PATH in the same order, so that win rates are folded in the same order. The
// reference, best-single, stays itself there (win rates against it are computed from the pair
// in whichever order the run lists them); its file is checked against it in a run of its own.
inline void expect_round_trip(const Bundle& bundle, RunSettings settings, int threads = 2) {
  const test::TempDir dir;
  settings.decisions_dir = dir.file("decisions");
  const RunContext ctx(threads);
  const reports::Report original = run_evaluation(bundle, settings, ctx);
  std::vector<std::string> names;
  RunSettings again = settings;
  again.decisions_dir.clear();
  again.adapters.clear();
  const std::vector<std::string> index = test::split_lines(test::read_file(dir.file("decisions/index.csv")));
  ASSERT_EQ(index.size(), original.evaluation.adapters.size() + 1);
  auto file_of = [&](const std::string& name) { return dir.file("decisions/" + decisions_file_name(name)); };
  for (const AdapterResult& a : original.evaluation.adapters) {
    names.push_back(a.name);
    // The index's spec column: the oracle's file is read back as a reference (reference=1).
    const std::string file = decisions_file_name(a.name);
    const bool reference = index[names.size()].ends_with(",reference=1\"");
    EXPECT_EQ(reference, a.name == "oracle") << index[names.size()];
    again.adapters.push_back(a.name == "best-single" ? a.name
                                                      : "decisions@file=" + file_of(a.name) + (reference ? ",reference=1" : ""));
  }
  const reports::Report read_back = run_evaluation(bundle, again, ctx);
  ASSERT_EQ(read_back.evaluation.adapters.size(), names.size());
  EXPECT_EQ(comparable_text(original, names), comparable_text(read_back, names));

  RunSettings reference = settings;
  reference.decisions_dir.clear();
  reference.adapters = {"best-single", "decisions@file=" + file_of("best-single")};
  reference.sweep_lambdas.clear();
  reference.bootstrap = 0;
  const reports::Report pair = run_evaluation(bundle, reference, ctx);
  ASSERT_EQ(pair.evaluation.adapters.size(), 2u);
  const AdapterResult& own = pair.evaluation.adapters[0];
  const AdapterResult& copy = pair.evaluation.adapters[1];
  EXPECT_EQ(own.subset_score, copy.subset_score);
  EXPECT_EQ(own.routing_share, copy.routing_share);
  EXPECT_EQ(own.cost.generation_flops, copy.cost.generation_flops);
  EXPECT_EQ(own.cost.dollars, copy.cost.dollars);
}

}  // namespace zooter::pipeline::testing

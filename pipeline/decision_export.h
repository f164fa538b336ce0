// `zooter run --decisions DIR`: every adapter's per-query decisions written out, one
// decisions file per adapter (per seed for an adapter given seeds=N: run_pipeline.cc) in the format decisions@file=PATH reads back
// (adapters/decision_file.h), plus one long CSV for analysis in pandas or R. Not a report:
// nothing here is aggregated.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "harness/evaluator.h"

namespace zooter {
struct Bundle;
}

namespace zooter::pipeline {

// The file name (without directory) the decisions of adapter `name` go to: the spec with every
// byte outside [A-Za-z0-9._-] replaced by '_' and ".jsonl" appended; a name longer than 100
// bytes is cut and given a hash of the whole, so two specs never share a file.
[[nodiscard]] std::string decisions_file_name(const std::string& name);

// Writes into `dir` (created when missing): one decisions_file_name(run.name) per run,
// `index.csv` (adapter, file, and the spec that reads the file back: decisions@file=FILE, with
// reference=1 for a run made with the evaluated gold, references[a]) and `decisions.csv` with the columns query, subset, adapter,
// model, gold, generations, dollars: one row per adapter and evaluated query; model is
// "uniform" and gold and dollars the expectation for the random baseline; dollars is empty
// when unknown. `queries` are the evaluated bundle queries, the runs' decision order.
// `quality[a]` is run a's Adapter::quality_estimates() (empty: none), written as "scores"
// unless one of them is not finite. Throws InputError naming the path that cannot be written.
void write_decisions(const Bundle& bundle, std::span<const std::uint32_t> queries,
                     const std::vector<AdapterRun>& runs, const std::vector<std::vector<double>>& quality,
                     const std::vector<bool>& references, const std::string& dir);

}  // namespace zooter::pipeline

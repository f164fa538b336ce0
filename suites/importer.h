// Importers turn a public layout of judged LLM results into a replay Bundle: AlpacaEval's
// results/ folder, RouterDC's split files, RouterBench's CSVs, or any long table of
// (query, model, score) rows.
//
// An importer reads, validates and converts; it writes nothing (bundle_writer.h does) and calls
// no model. Every problem of a source file is reported together, each as "path:line: message",
// as the bundle loader does. The concrete importers are declared only in their own .cc files
// and reached through make_importer(); docs/importers.md describes every format and option.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/bundle.h"

namespace zooter::suites {

// What to do when a pool model has no usable result for a query (a null judgement, a missing
// row, an empty cell): leave the query out for every model and count it, or fail.
enum class GapPolicy { kDrop, kFail };

// Every import setting and its default, in one place. An importer reads only the settings its
// ImporterInfo::options names (plus the common ones); the CLI rejects the others.
struct ImportOptions {
  std::string source;  // file or folder, as the format describes it
  // Common to every importer.
  std::string suite;                // empty: the importer's name
  std::vector<std::string> models;  // the pool, in this order; empty: every model found
  std::vector<std::pair<std::string, double>> parameters;  // --parameters NAME=COUNT,...
  GapPolicy null_policy = GapPolicy::kDrop;
  std::vector<std::string> derived_rewards;  // --reward length
  std::size_t max_problems = 20;             // problems listed per file before only counting
  // alpaca-eval
  std::string gold_annotator = "alpaca_eval_gpt4";
  std::string reward_annotator;  // empty: no annotator reward
  std::string reward_name;       // empty: the annotator's name
  // table: column names; an empty optional column is not read
  std::string query_column = "query";
  std::string model_column = "model";
  std::string score_column = "score";
  std::string text_column;           // query text
  std::string response_column;       // response text
  std::string subset_column;         // empty: every query is in subset "all"
  std::string split_column;          // empty: every query is in split "test"
  std::string output_tokens_column;  // empty: estimated from the response text, else 0
  std::string cost_column;           // dollars per response
  std::vector<std::string> reward_columns;
  std::string metric_name = "score";
  double metric_min = 0.0;
  double metric_max = 1.0;
};

struct ImporterInfo {
  std::string name;         // FORMAT on the command line, e.g. "alpaca-eval"
  std::string source;       // what SOURCE is
  std::string description;  // one line
  std::vector<std::string>
      options;  // the format's own options (CLI names), besides the common ones
};

class Importer {
 public:
  virtual ~Importer() = default;
  [[nodiscard]] virtual const ImporterInfo& info() const = 0;
  // Reads options.source and returns a bundle that passes load_bundle's checks once written.
  // Throws InputError (every problem of the first bad file) for bad data and UsageError for
  // options that cannot apply (an unknown model, a missing parameter count).
  [[nodiscard]] virtual Bundle import(const ImportOptions& options) const = 0;
};

// The options every importer reads (CLI names).
[[nodiscard]] const std::vector<std::string>& common_import_options();

// Every importer, in a fixed order (for help texts and `zooter list importers`).
[[nodiscard]] const std::vector<ImporterInfo>& importer_catalog();

// The importer for a FORMAT name. Throws UsageError naming the known formats.
[[nodiscard]] std::unique_ptr<Importer> make_importer(std::string_view name);

// Parses "name=13e9,other=7e9" (--parameters). Throws UsageError for an item without '=', a
// count that is not a positive finite number, or a name given twice.
[[nodiscard]] std::vector<std::pair<std::string, double>> parse_parameters(std::string_view text);

}  // namespace zooter::suites

// table: any long-format results table, one row per (query, model), as CSV (with a header
// row) or JSONL (one object a line). Options name the columns, so a user can bring a results
// table without writing code. docs/importers.md describes the options and the checks.
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "harness/bundle_loader.h"
#include "harness/content_hash.h"
#include "harness/error.h"
#include "harness/json_checks.h"
#include "harness/jsonl_lines.h"
#include "harness/problem_list.h"
#include "harness/csv_reader.h"
#include "suites/importer_builder.h"
#include "suites/importer_factories.h"
#include "suites/importer_provenance.h"
#include "suites/importer_support.h"

namespace zooter::suites {
namespace {

namespace fs = std::filesystem;

// The columns read, in this order; a column whose name is empty is not read.
enum Field : std::size_t {
  kQuery,
  kModel,
  kScore,
  kText,
  kResponse,
  kSubset,
  kSplit,
  kOutputTokens,
  kCost,
  kRewards
};

struct Wanted {
  std::string option;  // the CLI option naming it
  std::string column;
};

std::vector<Wanted> wanted_columns(const ImportOptions& o) {
  std::vector<Wanted> w = {
      {"--query-column", o.query_column},       {"--model-column", o.model_column},
      {"--score-column", o.score_column},       {"--text-column", o.text_column},
      {"--response-column", o.response_column}, {"--subset-column", o.subset_column},
      {"--split-column", o.split_column},       {"--output-tokens-column", o.output_tokens_column},
      {"--cost-column", o.cost_column}};
  for (const std::string& r : o.reward_columns) w.push_back({"--reward-columns", r});
  return w;
}

// One row: the text of each wanted column (nullopt: column not read, or the cell is empty,
// missing or null).
struct Row {
  std::size_t line = 0;
  std::string excerpt;
  std::vector<std::optional<std::string>> cells;
};

std::vector<Row> read_csv(const std::string& path, const std::vector<Wanted>& wanted,
                          ProblemList& problems) {
  CsvReader reader(path, problems);
  CsvRecord header;
  if (!reader.next_header(header)) throw InputError(path, 0, "file is empty");
  problems.throw_if_any();
  std::vector<std::optional<std::size_t>> at(wanted.size());
  std::string all;
  for (const std::string& h : header.fields) all += (all.empty() ? "" : ", ") + h;
  for (std::size_t w = 0; w < wanted.size(); ++w) {
    if (wanted[w].column.empty()) continue;
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
      if (header.fields[i] != wanted[w].column) continue;
      at[w] = i;  // once: next_header refuses a name given twice
    }
    if (!at[w]) {
      problems.add(header.line, fmt::format("no column \"{}\" ({}; the header has: {})",
                                            wanted[w].column, wanted[w].option, all));
    }
  }
  problems.throw_if_any();
  std::vector<Row> rows;
  CsvRecord record;
  while (reader.next(record)) {
    if (record.fields.size() != header.fields.size()) {
      problems.add(record.line, fmt::format("expected {} fields as in the header, found {}",
                                            header.fields.size(), record.fields.size()));
      continue;
    }
    Row row{record.line, "", {}};  // a record may span lines: no one-line excerpt
    for (std::size_t w = 0; w < wanted.size(); ++w) {
      if (at[w] && !record.fields[*at[w]].empty()) {
        row.cells.emplace_back(record.fields[*at[w]]);
      } else {
        row.cells.emplace_back();
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Row> read_jsonl(const std::string& path, const std::vector<Wanted>& wanted,
                            ProblemList& problems) {
  std::vector<Row> rows;
  LoadOptions limits;
  ContentHash unused;
  for_each_jsonl_line(path, limits, problems, unused, [&](const JsonlLine& line) {
    rapidjson::Document doc;
    doc.Parse<kJsonParseFlags>(line.text.data(), line.text.size());
    if (doc.HasParseError()) {
      problems.add(line.number,
                   fmt::format("column {}: invalid JSON: {}", doc.GetErrorOffset() + 1,
                               rapidjson::GetParseError_En(doc.GetParseError())),
                   line.excerpt);
      return;
    }
    if (const std::optional<DuplicateKey> duplicate = find_duplicate_key(line.text)) {
      problems.add(line.number, duplicate_key_message(*duplicate), line.excerpt);
      return;
    }
    if (!doc.IsObject()) {
      problems.add(line.number, "expected a JSON object", line.excerpt);
      return;
    }
    Row row{line.number, std::string(line.excerpt), {}};
    for (const Wanted& w : wanted) {
      const auto it = w.column.empty() ? doc.MemberEnd() : doc.FindMember(w.column.c_str());
      if (it == doc.MemberEnd() || it->value.IsNull()) {
        row.cells.emplace_back();
      } else if (it->value.IsString()) {
        row.cells.emplace_back(std::string(it->value.GetString(), it->value.GetStringLength()));
      } else if (it->value.IsInt64()) {
        row.cells.emplace_back(std::to_string(it->value.GetInt64()));
      } else if (it->value.IsNumber()) {
        row.cells.emplace_back(fmt::format("{}", it->value.GetDouble()));  // shortest exact form
      } else {
        problems.add(line.number, fmt::format("\"{}\": expected a string or a number", w.column),
                     line.excerpt);
        return;
      }
    }
    rows.push_back(std::move(row));
  });
  return rows;
}

class TableImporter final : public Importer {
 public:
  [[nodiscard]] const ImporterInfo& info() const override {
    static const ImporterInfo kInfo{
        "table",
        "a .csv (with a header row) or .jsonl file, one row per (query, model)",
        "any long-format results table; options name the columns",
        {"query-column", "model-column", "score-column", "text-column", "response-column",
         "subset-column", "split-column", "output-tokens-column", "cost-column", "reward-columns",
         "metric-name", "metric-min", "metric-max"}};
    return kInfo;
  }

  [[nodiscard]] Bundle import(const ImportOptions& options) const override;
};

struct QueryFirst {
  std::size_t line;
  std::string text, subset, split;
};

Bundle TableImporter::import(const ImportOptions& options) const {
  const std::string& path = options.source;
  if (!(options.metric_min < options.metric_max) || !std::isfinite(options.metric_min) ||
      !std::isfinite(options.metric_max)) {
    throw UsageError("--metric-min must be below --metric-max");
  }
  const std::vector<Wanted> wanted = wanted_columns(options);
  for (Field required : {kQuery, kModel, kScore}) {
    if (wanted[required].column.empty()) {
      throw UsageError(wanted[required].option + " must not be empty");
    }
  }
  if (!fs::is_regular_file(path)) throw InputError(path, 0, "no such file");
  const std::string extension = fs::path(path).extension().string();
  const bool jsonl = extension == ".jsonl" || extension == ".ndjson";
  if (!jsonl && extension != ".csv") {
    throw InputError(path, 0, "cannot tell the table's format: name it *.csv or *.jsonl");
  }
  ProblemList problems(path, options.max_problems);
  const std::vector<Row> rows =
      jsonl ? read_jsonl(path, wanted, problems) : read_csv(path, wanted, problems);

  // Every cell of a column that is read must be there; the others are checked as they are used.
  std::vector<std::string> available;
  for (const Row& row : rows) {
    bool usable = true;
    for (std::size_t w = 0; w < wanted.size(); ++w) {
      if (!wanted[w].column.empty() && !row.cells[w]) {
        problems.add(row.line,
                     fmt::format("missing \"{}\" ({})", wanted[w].column, wanted[w].option),
                     row.excerpt);
        usable = false;
      }
    }
    if (!usable) continue;
    const std::string& model = *row.cells[kModel];
    try {
      check_name("model", model);
    } catch (const InputError& e) {
      problems.add(row.line, e.message(), row.excerpt);
      continue;
    }
    if (std::find(available.begin(), available.end(), model) == available.end()) {
      available.push_back(model);
    }
  }
  problems.throw_if_any();

  const std::vector<std::string> pool = choose_pool(available, options, path);
  std::vector<std::string> reward_names;
  Manifest manifest;
  for (const std::string& column : options.reward_columns) {
    manifest.reward_models.push_back(source_reward_model(column, options));
    reward_names.push_back(column);
  }
  manifest.models = pool_models(pool, available, {}, options, reward_names);
  ImportBuilder builder(pool, reward_names, options.null_policy);
  std::unordered_map<std::string, QueryFirst> first;                     // query id -> first row
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> cell_line;  // (query, model) -> line
  std::vector<std::string> subsets;
  std::vector<std::string> splits;
  std::uint64_t other_models = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const Row& row = rows[r];
    auto bad = [&](const std::string& message) { problems.add(row.line, message, row.excerpt); };
    const std::optional<std::size_t> m = builder.find_model(*row.cells[kModel]);
    if (!m) {
      ++other_models;
      continue;
    }
    const std::string& id = *row.cells[kQuery];
    const std::string text = row.cells[kText].value_or("");
    const std::string subset = row.cells[kSubset].value_or("all");
    const std::string split = row.cells[kSplit].value_or("test");
    bool ok = true;
    for (const auto& [what, name] : {std::pair{"subset", &subset}, std::pair{"split", &split}}) {
      try {
        check_name(what, *name);
      } catch (const InputError& e) {
        bad(e.message());
        ok = false;
      }
    }
    if (!ok) continue;
    std::optional<std::size_t> q = builder.find_query(id);
    if (!q) {
      first.emplace(id, QueryFirst{row.line, text, subset, split});
      if (std::find(subsets.begin(), subsets.end(), subset) == subsets.end()) {
        subsets.push_back(subset);
      }
      if (std::find(splits.begin(), splits.end(), split) == splits.end()) splits.push_back(split);
      q = builder.add_query({id, text, subset, split, estimate_tokens(text)});
    } else {
      const QueryFirst& seen = first.at(id);
      for (const auto& [what, now, then] :
           {std::tuple{"text", &text, &seen.text}, std::tuple{"subset", &subset, &seen.subset},
            std::tuple{"split", &split, &seen.split}}) {
        if (*now != *then) {
          bad(fmt::format("query \"{}\": its {} differs from the one at line {}", id, what,
                          seen.line));
          ok = false;
        }
      }
      if (!ok) continue;
    }
    if (const auto seen = cell_line.find({*q, *m}); seen != cell_line.end()) {
      bad(fmt::format("query \"{}\", model \"{}\" is already at line {}", id, pool[*m],
                      seen->second));
      continue;
    }
    cell_line.emplace(std::pair{*q, *m}, row.line);

    ImportCell cell;
    const std::string& score = *row.cells[kScore];
    if (!parse_number(score, cell.gold) || !std::isfinite(cell.gold) ||
        cell.gold < options.metric_min || cell.gold > options.metric_max) {
      bad(fmt::format("\"{}\": {} is not a number in [{}, {}] (--metric-min, --metric-max)",
                      options.score_column, excerpt_of(score), options.metric_min,
                      options.metric_max));
      continue;
    }
    cell.text = row.cells[kResponse].value_or("");
    cell.output_tokens = estimate_tokens(cell.text);
    if (row.cells[kOutputTokens]) {
      double tokens = 0.0;
      if (!parse_number(*row.cells[kOutputTokens], tokens) || !(tokens >= 0) ||
          tokens != std::floor(tokens) || tokens > std::numeric_limits<std::uint32_t>::max()) {
        bad(fmt::format("\"{}\": expected a whole number of tokens >= 0",
                        options.output_tokens_column));
        continue;
      }
      cell.output_tokens = static_cast<std::uint32_t>(tokens);
    }
    if (row.cells[kCost]) {
      if (!parse_number(*row.cells[kCost], cell.cost) || !std::isfinite(cell.cost) ||
          cell.cost < 0) {
        bad(fmt::format("\"{}\": expected dollars >= 0", options.cost_column));
        continue;
      }
    }
    for (std::size_t k = 0; k < reward_names.size(); ++k) {
      double reward = 0.0;
      if (!parse_number(*row.cells[kRewards + k], reward) || !std::isfinite(reward)) {
        bad(fmt::format("\"{}\": expected a finite number", reward_names[k]));
        ok = false;
        continue;
      }
      builder.set_reward(k, *q, *m, reward);
    }
    if (ok) builder.set_cell(*q, *m, std::move(cell));
  }
  problems.throw_if_any();

  manifest.suite = options.suite.empty() ? "table" : options.suite;
  check_name("suite", manifest.suite);
  manifest.description =
      fmt::format("results table {}: {} models", fs::path(path).filename().string(), pool.size());
  for (const std::string& split : splits) manifest.splits.push_back({split, true});
  if (manifest.splits.empty()) manifest.splits.push_back({"test", true});
  manifest.groups = {{manifest.suite, GroupDisplay::kRaw, {}}};
  for (const std::string& subset : subsets) {
    manifest.groups[0].subsets.push_back(manifest.subsets.size());
    manifest.subsets.push_back(
        {subset, subset, 0,
         Metric{options.metric_name, options.metric_min, options.metric_max, true}});
  }
  if (manifest.subsets.empty()) {
    throw InputError(path, 0, "no rows of the chosen models: nothing to import");
  }
  ProblemList gaps(path, options.max_problems);
  Bundle bundle = builder.finish(std::move(manifest), gaps);
  gaps.throw_if_any();
  add_derived_rewards(bundle, options);

  Provenance p;
  p.add("importer", "table");
  p.add("source", path);
  p.add("licence", "as the table's own source states (not known to zooter)");
  Provenance used;
  add_common_options(used, options);
  for (const Wanted& w : wanted) {
    if (w.option != "--reward-columns") used.add(std::string_view(w.option).substr(2), w.column);
  }
  used.add("reward-columns", options.reward_columns);
  used.add("metric-name", options.metric_name);
  used.add("metric-min", options.metric_min);
  used.add("metric-max", options.metric_max);
  p.add("options", used);
  p.add("input_tokens", options.text_column.empty() ? std::string("0: no --text-column")
                                                    : std::string(kTokenEstimate));
  p.add("output_tokens", !options.output_tokens_column.empty() ? std::string("from the table")
                         : !options.response_column.empty()
                             ? std::string(kTokenEstimate)
                             : std::string("0: no --output-tokens-column "
                                           "or --response-column"));
  p.add("cost", options.cost_column.empty() ? "not given" : "dollars per response from the table");
  p.add("rows", static_cast<std::uint64_t>(rows.size()));
  p.add("rows_of_models_not_in_the_pool", other_models);
  add_counts(p, builder);
  bundle.manifest.provenance_json = p.json();
  return bundle;
}

}  // namespace

std::unique_ptr<Importer> make_table_importer() { return std::make_unique<TableImporter>(); }

}  // namespace zooter::suites

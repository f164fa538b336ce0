// routerbench: RouterBench results (Hu et al. 2024, data by withmartian) as CSV files, one row
// per prompt: `<model>` holds the model's score, `<model>|model_response` its response and
// `<model>|total_cost` the dollars it cost. The file name's suffix (_train, _test) gives the
// split and the `eval_name` column the subset. `prompt` and the responses are Python-list
// literals of strings (python_literal.h).
#include <fmt/format.h>
#include <fmt/ranges.h>  // for fmt::join

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "harness/error.h"
#include "harness/problem_list.h"
#include "harness/csv_reader.h"
#include "suites/importer_builder.h"
#include "suites/importer_factories.h"
#include "suites/importer_provenance.h"
#include "suites/importer_support.h"
#include "suites/python_literal.h"

namespace zooter::suites {
namespace {

namespace fs = std::filesystem;

// Nominal sizes of the open models; Mixtral counts its active parameters per token (2 of 8
// experts), which is what generation FLOPs depend on. The closed models publish none: they
// need --parameters (docs/importers.md).
constexpr KnownParameters kKnownParameters[] = {
    {"WizardLM/WizardLM-13B-V1.2", 13e9},    {"meta/code-llama-instruct-34b-chat", 34e9},
    {"meta/llama-2-70b-chat", 70e9},         {"mistralai/mistral-7b-chat", 7e9},
    {"mistralai/mixtral-8x7b-chat", 12.9e9}, {"zero-one-ai/Yi-34B-Chat", 34e9},
};

constexpr std::string_view kResponseSuffix = "|model_response";
constexpr std::string_view kCostSuffix = "|total_cost";
// Columns that are neither a model nor one of its companions.
constexpr std::string_view kKnownColumns[] = {"", "sample_id", "prompt", "eval_name",
                                              "oracle_model_to_route_to"};

struct Columns {
  std::optional<std::size_t> index;  // the unnamed pandas index
  std::optional<std::size_t> sample_id, prompt, eval_name;
  std::vector<std::string> models;  // in header order
  std::map<std::string, std::size_t> score, response, cost;
  std::vector<std::string> ignored;  // columns with a '|' suffix this importer does not read
  std::size_t count = 0;
};

struct CsvFile {
  fs::path path;
  std::string split;
};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Columns read_columns(const std::vector<std::string>& header) {
  Columns c;
  c.count = header.size();
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& h = header[i];
    if (h.empty() && i == 0) {
      c.index = i;
    } else if (h == "sample_id") {
      c.sample_id = i;
    } else if (h == "prompt") {
      c.prompt = i;
    } else if (h == "eval_name") {
      c.eval_name = i;
    } else if (ends_with(h, kResponseSuffix)) {
      c.response[h.substr(0, h.size() - kResponseSuffix.size())] = i;
    } else if (ends_with(h, kCostSuffix)) {
      c.cost[h.substr(0, h.size() - kCostSuffix.size())] = i;
    } else if (std::find(std::begin(kKnownColumns), std::end(kKnownColumns), h) ==
               std::end(kKnownColumns)) {
      if (h.find('|') != std::string::npos) {
        c.ignored.push_back(h);
      } else {
        c.models.push_back(h);
        c.score[h] = i;
      }
    }
  }
  return c;
}

// The text of a prompt or response cell: the items of a Python list literal joined by line
// breaks, or the cell as it is when it is not such a literal (counted by the caller).
std::string cell_text(const std::string& cell, bool& was_list) {
  const std::optional<std::vector<std::string>> items = parse_python_string_list(cell);
  was_list = items.has_value();
  if (!items) return cell;
  std::string text;
  for (std::size_t i = 0; i < items->size(); ++i) text += (i == 0 ? "" : "\n") + (*items)[i];
  return text;
}

class RouterBenchImporter final : public Importer {
 public:
  [[nodiscard]] const ImporterInfo& info() const override {
    static const ImporterInfo kInfo{
        "routerbench",
        "a folder of RouterBench CSVs named *_train.csv / *_test.csv (or one such file)",
        "RouterBench scores, responses and real dollar costs of 11 models; subsets from eval_name",
        {}};
    return kInfo;
  }

  [[nodiscard]] Bundle import(const ImportOptions& options) const override;
};

std::vector<CsvFile> list_files(const std::string& source, std::vector<std::string>& ignored) {
  std::vector<fs::path> paths;
  if (fs::is_regular_file(source)) {
    paths.push_back(source);
  } else if (fs::is_directory(source)) {
    for (const fs::directory_entry& entry : fs::directory_iterator(source)) {
      if (entry.is_regular_file() && entry.path().extension() == ".csv") {
        paths.push_back(entry.path());
      } else {
        ignored.push_back(entry.path().filename().string());
      }
    }
  } else {
    throw InputError(source, 0, "no such file or folder");
  }
  std::sort(paths.begin(), paths.end());
  std::sort(ignored.begin(), ignored.end());
  if (paths.empty()) throw InputError(source, 0, "no *.csv files here (expected RouterBench CSVs)");
  std::vector<CsvFile> files;
  ProblemList problems(source);
  for (const fs::path& path : paths) {
    const std::string stem = path.stem().string();
    if (ends_with(stem, "_train") || ends_with(stem, "-train")) {
      files.push_back({path, "train"});
    } else if (ends_with(stem, "_test") || ends_with(stem, "-test")) {
      files.push_back({path, "test"});
    } else {
      problems.add(0, path.filename().string() +
                          ": cannot tell its split: the name must end in "
                          "_train or _test (as RouterDC's re-split names them)");
    }
  }
  problems.throw_if_any();
  // Train files first, then test, each by name.
  std::stable_sort(files.begin(), files.end(), [](const CsvFile& a, const CsvFile& b) {
    return (a.split == "train") > (b.split == "train");
  });
  return files;
}

std::vector<std::string> read_header(const fs::path& path, std::size_t max_problems) {
  ProblemList problems(path.string(), max_problems);
  CsvReader reader(path.string(), problems);
  CsvRecord header;
  const bool any = reader.next_header(header);
  problems.throw_if_any();
  if (!any) throw InputError(path.string(), 0, "file is empty");
  return header.fields;
}

struct Counts {
  std::uint64_t rows = 0;
  std::uint64_t raw_prompts = 0;  // prompts that were not a Python list literal
  std::uint64_t raw_responses = 0;
};

Bundle RouterBenchImporter::import(const ImportOptions& options) const {
  std::vector<std::string> ignored_files;
  const std::vector<CsvFile> files = list_files(options.source, ignored_files);
  std::vector<Columns> columns;
  for (const CsvFile& f : files) {
    columns.push_back(read_columns(read_header(f.path, options.max_problems)));
  }
  const std::vector<std::string> pool =
      choose_pool(columns[0].models, options, files[0].path.string());
  Manifest manifest;
  manifest.models = pool_models(pool, columns[0].models, kKnownParameters, options);
  ImportBuilder builder(pool, {}, options.null_policy);
  std::map<std::string, std::size_t> first_line;  // query id -> line (ids are unique across files)
  std::set<std::string> subsets;
  std::set<std::string> ignored_columns;
  std::map<std::string, Counts> counts;  // file name -> counts

  for (std::size_t f = 0; f < files.size(); ++f) {
    const std::string path = files[f].path.string();
    const Columns& c = columns[f];
    ProblemList problems(path, options.max_problems);
    for (const auto& [name, column] :
         {std::pair{"sample_id", c.sample_id}, std::pair{"prompt", c.prompt},
          std::pair{"eval_name", c.eval_name}}) {
      if (!column) problems.add(1, fmt::format("no \"{}\" column", name));
    }
    for (const std::string& model : pool) {
      if (!c.score.count(model)) problems.add(1, fmt::format("no column for model \"{}\"", model));
      if (!c.response.count(model)) {
        problems.add(1, fmt::format("no \"{}{}\" column", model, kResponseSuffix));
      }
      if (!c.cost.count(model)) {
        problems.add(1, fmt::format("no \"{}{}\" column", model, kCostSuffix));
      }
    }
    problems.throw_if_any();
    ignored_columns.insert(c.ignored.begin(), c.ignored.end());
    Counts& count = counts[files[f].path.filename().string()];

    CsvReader reader(path, problems);
    CsvRecord record;
    (void)reader.next(record);  // the header, read above
    while (reader.next(record)) {
      const std::vector<std::string>& cells = record.fields;
      const std::size_t line = record.line;
      auto bad = [&](const std::string& message) { problems.add(line, message); };
      ++count.rows;
      if (cells.size() != c.count) {
        bad(fmt::format("expected {} fields as in the header, found {}", c.count, cells.size()));
        continue;
      }
      const std::string& sample_id = cells[*c.sample_id];
      const std::string& eval_name = cells[*c.eval_name];
      if (sample_id.empty()) bad("empty \"sample_id\"");
      if (eval_name.empty()) bad("empty \"eval_name\"");
      if (sample_id.empty() || eval_name.empty()) continue;
      try {
        check_name("subset", eval_name);
      } catch (const InputError& e) {
        bad("\"eval_name\": " + e.message());
        continue;
      }
      // RouterBench repeats a few sample_ids with different prompts (8 in arc_challenge); the
      // unnamed index column, unique across the files, tells them apart.
      const std::string id = c.index ? sample_id + "#" + cells[*c.index] : sample_id;
      if (const auto seen = first_line.find(id); seen != first_line.end()) {
        bad(fmt::format("query \"{}\" is already at line {}", id, seen->second));
        continue;
      }
      first_line.emplace(id, line);
      bool was_list = false;
      std::string text = cell_text(cells[*c.prompt], was_list);
      count.raw_prompts += !was_list;
      const std::uint32_t input_tokens = estimate_tokens(text);
      subsets.insert(eval_name);
      const std::size_t q =
          builder.add_query({id, std::move(text), eval_name, files[f].split, input_tokens});
      for (std::size_t m = 0; m < pool.size(); ++m) {
        const std::string& model = pool[m];
        const std::string& score_cell = cells[c.score.at(model)];
        const std::string& cost_cell = cells[c.cost.at(model)];
        if (score_cell.empty() || cost_cell.empty()) {
          builder.gap(q, score_cell.empty() ? "empty_score" : "empty_cost", problems, line,
                      fmt::format("model \"{}\" has an empty {} cell", model,
                                  score_cell.empty() ? "score" : "cost"));
          continue;
        }
        double score = 0.0;
        double cost = 0.0;
        if (!parse_number(score_cell, score) || !std::isfinite(score) || score < 0.0 ||
            score > 1.0) {
          bad(fmt::format("the score of \"{}\" must be a number in [0, 1], not \"{}\"", model,
                          excerpt_of(score_cell)));
          continue;
        }
        if (!parse_number(cost_cell, cost) || !std::isfinite(cost) || cost < 0.0) {
          bad(fmt::format("the cost of \"{}\" must be a number of dollars >= 0, not \"{}\"", model,
                          excerpt_of(cost_cell)));
          continue;
        }
        std::string response = cell_text(cells[c.response.at(model)], was_list);
        count.raw_responses += !was_list;
        const std::uint32_t output_tokens = estimate_tokens(response);
        builder.set_cell(q, m, ImportCell{score, output_tokens, cost, std::move(response)});
      }
    }
    problems.throw_if_any();
  }

  manifest.suite = options.suite.empty() ? "routerbench" : options.suite;
  check_name("suite", manifest.suite);
  manifest.description = fmt::format(
      "RouterBench (Hu et al. 2024) as re-split by RouterDC: {} models' scores, responses and "
      "dollar costs on {}",
      pool.size(), fmt::join(subsets, ", "));
  for (const char* split : {"train", "test"}) {
    if (std::any_of(files.begin(), files.end(),
                    [&](const CsvFile& f) { return f.split == split; })) {
      manifest.splits.push_back({split, true});
    }
  }
  manifest.groups = {{"routerbench", GroupDisplay::kPercent, {}}};
  for (const std::string& subset : subsets) {
    manifest.groups[0].subsets.push_back(manifest.subsets.size());
    manifest.subsets.push_back({subset, subset, 0, Metric{"score", 0.0, 1.0, true}});
  }
  ProblemList problems(options.source, options.max_problems);
  Bundle bundle = builder.finish(std::move(manifest), problems);
  problems.throw_if_any();
  add_derived_rewards(bundle, options);

  Provenance p;
  p.add("importer", "routerbench");
  p.add("source", options.source);
  p.add("origin",
        "RouterBench (Hu et al. 2024, \"RouterBench: A Benchmark for Multi-LLM Routing "
        "System\", data by withmartian), zero-shot CSVs as re-split into train/test by "
        "RouterDC (github.com/shuhao02/RouterDC, datasets/routerbench_zs/)");
  p.add("licence",
        "RouterBench data as redistributed by RouterDC (no licence file in that "
        "repository): research use, cite both papers");
  Provenance used;
  add_common_options(used, options);
  p.add("options", used);
  p.add("gold", "the score column of each model as RouterBench gives it (0..1)");
  p.add("splits", "file name suffix _train: train, _test: test");
  p.add("query_ids", "<sample_id>#<the unnamed index column>");
  p.add("texts",
        "prompt and responses are Python-list literals of strings: their items joined by "
        "line breaks (a cell that is not such a literal is kept as it is and counted)");
  p.add("input_tokens", kTokenEstimate);
  p.add("output_tokens", kTokenEstimate);
  p.add("cost", "real dollars per response from <model>|total_cost");
  p.add("ignored", "oracle_model_to_route_to");
  p.add("ignored_columns",
        std::vector<std::string>(ignored_columns.begin(), ignored_columns.end()));
  p.add("ignored_files", ignored_files);
  Provenance per_file;
  for (const auto& [name, count] : counts) {
    Provenance one;
    one.add("rows", count.rows);
    one.add("prompts_not_python_lists", count.raw_prompts);
    one.add("responses_not_python_lists", count.raw_responses);
    per_file.add(name, one);
  }
  p.add("files", per_file);
  add_counts(p, builder);
  bundle.manifest.provenance_json = p.json();
  return bundle;
}

}  // namespace

std::unique_ptr<Importer> make_routerbench_importer() {
  return std::make_unique<RouterBenchImporter>();
}

}  // namespace zooter::suites

// alpaca-eval: AlpacaEval's results/<model>/ folders (github.com/tatsu-lab/alpaca_eval) as a
// bundle. Each model's model_outputs.json gives the responses; the gold annotator's
// annotations.json gives the gold score, a win against the annotator's reference model; an
// optional second annotator becomes a reward. docs/importers.md has the details.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "harness/error.h"
#include "harness/input_file.h"
#include "harness/problem_list.h"
#include "harness/random.h"
#include "suites/importer_builder.h"
#include "suites/importer_factories.h"
#include "suites/importer_provenance.h"
#include "suites/importer_support.h"
#include "suites/json_array.h"

namespace zooter::suites {
namespace {

namespace fs = std::filesystem;
using rapidjson::Value;

// Nominal sizes of the models whose results the shared data holds (docs/importers.md).
constexpr KnownParameters kKnownParameters[] = {
    {"wizardlm-13b", 13e9},        {"vicuna-13b", 13e9},           {"llama-2-13b-chat-hf", 13e9},
    {"tulu-2-dpo-13b", 13e9},      {"ultralm-13b-v2.0", 13e9},     {"alpaca-7b", 7e9},
    {"falcon-40b-instruct", 40e9}, {"oasst-rlhf-llama-33b", 33e9}, {"phi-2", 2.7e9},
};

std::string_view view(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Queries are matched across models by (dataset, instruction); the id is a hash of that pair,
// so it does not depend on the pool or on file order.
std::string query_key(std::string_view dataset, std::string_view instruction) {
  std::string key(dataset);
  key += '\n';
  key += instruction;
  return key;
}

std::string query_id(std::string_view dataset, const std::string& key) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, then a mixer for all 64 bits
  for (unsigned char c : key) h = (h ^ c) * 0x100000001b3ULL;
  return fmt::format("ae-{}-{:012x}", dataset, random::mix64(h) >> 16);
}

// AlpacaEval's preference as a win of the model over the reference: 1 = the reference wins,
// 2 = the model wins, a draw is written 1.5 or 0 and counts one half (alpaca_eval's metrics
// code); weighted annotators give a probability-weighted value in [1, 2].
std::optional<double> win_of(double preference) {
  if (preference == 0.0 || preference == 1.5) return 0.5;
  if (preference >= 1.0 && preference <= 2.0) return preference - 1.0;
  return std::nullopt;
}

// Which annotator a file belongs to: the gold one, or the one imported as the (only) reward.
enum class Role { kGold, kReward };

// One model's responses, by query index.
using Outputs = std::unordered_map<std::size_t, std::string>;

class AlpacaEvalImporter final : public Importer {
 public:
  [[nodiscard]] const ImporterInfo& info() const override {
    static const ImporterInfo kInfo{
        "alpaca-eval",
        "the root of an alpaca_eval clone (the folder holding results/<model>/)",
        "AlpacaEval outputs judged against a reference: win rates; a second annotator as a reward",
        {"gold-annotator", "reward-annotator", "reward-name"}};
    return kInfo;
  }

  [[nodiscard]] Bundle import(const ImportOptions& options) const override;
};

struct Reader {
  const ImportOptions& options;
  ImportBuilder& builder;
  std::unordered_map<std::string, std::size_t> by_key;  // query_key -> query index
  std::set<std::string> datasets;
  std::vector<Outputs> outputs;                             // per pool model
  std::map<std::string, std::set<std::string>> references;  // annotator -> generator_1 values
  std::map<std::string, std::uint64_t> unmatched_rows;      // "model/annotator" -> rows ignored

  void read_outputs(std::size_t m, const fs::path& path);
  void report_missing_outputs(std::size_t m, const fs::path& path);
  void read_annotations(std::size_t m, const std::string& annotator, const fs::path& path,
                        Role role);
};

void Reader::read_outputs(std::size_t m, const fs::path& path) {
  const std::string& model = builder.models()[m];
  if (!fs::is_regular_file(path)) {
    throw InputError(path.string(), 0, "model \"" + model + "\" has no model_outputs.json here");
  }
  const JsonArrayFile file(path.string());
  ProblemList problems(path.string(), options.max_problems);
  std::unordered_map<std::size_t, std::size_t> first_line;  // query -> line in this file
  for (std::size_t i = 0; i < file.size(); ++i) {
    const Value& row = file[i];
    const std::size_t line = file.line(i);
    auto bad = [&](std::size_t at, const std::string& message) {
      problems.add(at, message, file.text_of_line(at));
    };
    if (!row.IsObject()) {
      bad(line, "expected an object {instruction, dataset, output, generator}");
      continue;
    }
    const Value* fields[3] = {nullptr, nullptr, nullptr};
    const char* names[3] = {"instruction", "dataset", "output"};
    bool ok = true;
    for (int k = 0; k < 3; ++k) {
      const auto it = row.FindMember(names[k]);
      if (it == row.MemberEnd()) {
        bad(line, fmt::format("missing field \"{}\"", names[k]));
        ok = false;
      } else if (!it->value.IsString()) {
        bad(file.line(i, names[k]), fmt::format("\"{}\": expected a string", names[k]));
        ok = false;
      } else {
        fields[k] = &it->value;
      }
    }
    if (!ok) continue;
    const std::string_view instruction = view(*fields[0]);
    const std::string dataset(view(*fields[1]));
    try {
      check_name("subset", dataset);
    } catch (const InputError& e) {
      bad(file.line(i, "dataset"), "\"dataset\": " + e.message());
      continue;
    }
    const std::string key = query_key(dataset, instruction);
    auto found = by_key.find(key);
    if (found == by_key.end()) {
      const std::string id = query_id(dataset, key);
      if (builder.find_query(id)) {
        bad(line, "two instructions hash to the query id \"" + id + "\"; rename one");
        continue;
      }
      ImportQuery query{id, std::string(instruction), dataset, "test",
                        estimate_tokens(instruction)};
      found = by_key.emplace(key, builder.add_query(std::move(query))).first;
      datasets.insert(dataset);
    }
    const std::size_t q = found->second;
    if (const auto seen = first_line.find(q); seen != first_line.end()) {
      bad(line, fmt::format("the same instruction (dataset {}) is already at line {}", dataset,
                            seen->second));
      continue;
    }
    first_line.emplace(q, line);
    outputs[m].emplace(q, std::string(view(*fields[2])));
  }
  problems.throw_if_any();
}

// Queries another model answered but this one did not (phi-2 has 803 of the 805).
void Reader::report_missing_outputs(std::size_t m, const fs::path& path) {
  ProblemList problems(path.string(), options.max_problems);
  for (std::size_t q = 0; q < builder.query_count(); ++q) {
    if (outputs[m].count(q) != 0) continue;
    const ImportQuery& query = builder.query(q);
    builder.gap(q, "missing_output", problems, 0,
                fmt::format("model \"{}\" has no output for query {} (dataset {}: \"{}\")",
                            builder.models()[m], query.id, query.subset,
                            excerpt_of(query.text)));
  }
  problems.throw_if_any();
}

void Reader::read_annotations(std::size_t m, const std::string& annotator, const fs::path& path,
                              Role role) {
  const std::string& model = builder.models()[m];
  if (!fs::is_regular_file(path)) {
    throw InputError(path.string(), 0,
                     fmt::format("model \"{}\" has no \"{}\" annotations here{}", model, annotator,
                                 role == Role::kGold ? ""
                                                     : " (leave the model out of --models, or drop "
                                                       "--reward-annotator)"));
  }
  const JsonArrayFile file(path.string());
  ProblemList problems(path.string(), options.max_problems);
  const std::string gap_suffix = role == Role::kGold ? "" : "reward_";
  std::unordered_map<std::size_t, std::size_t> first_line;
  for (std::size_t i = 0; i < file.size(); ++i) {
    const Value& row = file[i];
    const std::size_t line = file.line(i);
    auto bad = [&](std::size_t at, const std::string& message) {
      problems.add(at, message, file.text_of_line(at));
    };
    if (!row.IsObject()) {
      bad(line, "expected an object {instruction, dataset, preference, ...}");
      continue;
    }
    const auto instruction = row.FindMember("instruction");
    const auto dataset = row.FindMember("dataset");
    const auto preference = row.FindMember("preference");
    bool ok = true;
    for (const auto& [it, name] :
         {std::pair{instruction, "instruction"}, std::pair{dataset, "dataset"}}) {
      if (it == row.MemberEnd()) {
        bad(line, fmt::format("missing field \"{}\"", name));
        ok = false;
      } else if (!it->value.IsString()) {
        bad(file.line(i, name), fmt::format("\"{}\": expected a string", name));
        ok = false;
      }
    }
    if (preference == row.MemberEnd()) {
      bad(line, "missing field \"preference\"");
      ok = false;
    } else if (!preference->value.IsNumber() && !preference->value.IsNull()) {
      bad(file.line(i, "preference"), "\"preference\": expected a number or null");
      ok = false;
    }
    if (!ok) continue;
    if (const auto reference = row.FindMember("generator_1");
        reference != row.MemberEnd() && reference->value.IsString()) {
      references[annotator].insert(std::string(view(reference->value)));
    }
    const auto found = by_key.find(query_key(view(dataset->value), view(instruction->value)));
    if (found == by_key.end() || outputs[m].count(found->second) == 0) {
      // A judgement of a response model_outputs.json does not hold (phi-2's annotations keep
      // two rows with an empty output_2): nothing to pair it with, so it is counted and left.
      ++unmatched_rows[model + "/" + annotator];
      continue;
    }
    const std::size_t q = found->second;
    if (const auto seen = first_line.find(q); seen != first_line.end()) {
      bad(line, fmt::format("the same instruction is already judged at line {}", seen->second));
      continue;
    }
    first_line.emplace(q, line);
    const std::size_t at = file.line(i, "preference");
    if (preference->value.IsNull()) {
      builder.gap(
          q, "null_" + gap_suffix + "preference", problems, at,
          fmt::format("model \"{}\": \"preference\" is null (not judged by {})", model, annotator),
          file.text_of_line(at));
      continue;
    }
    const double value = preference->value.GetDouble();
    const std::optional<double> win = win_of(value);
    if (!win) {
      bad(at, fmt::format("\"preference\": {} is outside AlpacaEval's scale (1 = reference wins, "
                          "2 = model wins, 1.5 or 0 = draw, null = not judged)",
                          value));
      continue;
    }
    if (role == Role::kGold) {
      const std::string& text = outputs[m].at(q);
      builder.set_cell(
          q, m,
          ImportCell{*win, estimate_tokens(text), std::numeric_limits<double>::quiet_NaN(), text});
    } else {
      builder.set_reward(0, q, m, *win);
    }
  }
  // Responses this annotator did not judge at all; sorted, since a hash map's order is not stable.
  std::vector<std::size_t> unjudged;
  for (const auto& [q, text] : outputs[m]) {
    if (first_line.count(q) == 0) unjudged.push_back(q);
  }
  std::sort(unjudged.begin(), unjudged.end());
  for (std::size_t q : unjudged) {
    builder.gap(q, "missing_" + gap_suffix + "annotation", problems, 0,
                fmt::format("model \"{}\": no \"{}\" judgement of its output for query {}", model,
                            annotator, builder.query(q).id));
  }
  problems.throw_if_any();
}

std::vector<std::string> model_folders(const fs::path& results) {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(results)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string joined(const std::set<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

Bundle AlpacaEvalImporter::import(const ImportOptions& options) const {
  // A SOURCE that is missing or a file is said to be so, not taken for a folder without results/.
  require_input_directory(options.source,
                          "(expected the root of an alpaca_eval clone, holding results/<model>/model_outputs.json)");
  const fs::path results = fs::path(options.source) / "results";
  if (!fs::is_directory(results)) {
    throw InputError(options.source, 0,
                     "no results/ folder here (expected the root of an alpaca_eval clone, "
                     "holding results/<model>/model_outputs.json)");
  }
  const std::vector<std::string> available = model_folders(results);
  if (options.models.empty()) {
    std::string names;
    for (const std::string& n : available) names += (names.empty() ? "" : ",") + n;
    throw UsageError("alpaca-eval needs the pool: --models a,b,... (results here: " + names + ")");
  }
  const std::vector<std::string> pool = choose_pool(available, options, results.string());
  const bool with_reward = !options.reward_annotator.empty();
  const std::string reward_name = !with_reward                  ? ""
                                  : options.reward_name.empty() ? options.reward_annotator
                                                                : options.reward_name;
  std::vector<std::string> reward_names;
  if (with_reward) reward_names.push_back(reward_name);

  Manifest manifest;
  manifest.models = pool_models(pool, available, kKnownParameters, options, reward_names);
  if (with_reward) manifest.reward_models.push_back(source_reward_model(reward_name, options));

  ImportBuilder builder(pool, reward_names, options.null_policy);
  Reader reader{options, builder, {}, {}, std::vector<Outputs>(pool.size()), {}, {}};
  for (std::size_t m = 0; m < pool.size(); ++m) {
    reader.read_outputs(m, results / pool[m] / "model_outputs.json");
  }
  for (std::size_t m = 0; m < pool.size(); ++m) {
    reader.report_missing_outputs(m, results / pool[m] / "model_outputs.json");
  }
  for (std::size_t m = 0; m < pool.size(); ++m) {
    reader.read_annotations(m, options.gold_annotator,
                            results / pool[m] / options.gold_annotator / "annotations.json",
                            Role::kGold);
  }
  if (with_reward) {
    for (std::size_t m = 0; m < pool.size(); ++m) {
      reader.read_annotations(m, options.reward_annotator,
                              results / pool[m] / options.reward_annotator / "annotations.json",
                              Role::kReward);
    }
  }

  const std::string gold_reference = joined(reader.references[options.gold_annotator]);
  manifest.suite = options.suite.empty() ? "alpaca-eval" : options.suite;
  check_name("suite", manifest.suite);
  manifest.description = fmt::format(
      "AlpacaEval: {} models' responses judged by {} against {}; gold = win (1), draw (0.5) or "
      "loss (0)",
      pool.size(), options.gold_annotator,
      gold_reference.empty() ? "its reference" : gold_reference);
  manifest.splits = {{"test", true}};
  manifest.groups = {{"alpaca-eval", GroupDisplay::kRaw, {}}};
  for (const std::string& dataset : reader.datasets) {  // std::set: sorted by name
    manifest.groups[0].subsets.push_back(manifest.subsets.size());
    manifest.subsets.push_back({dataset, dataset, 0, Metric{"win-rate", 0.0, 1.0, true}});
  }
  ProblemList problems(options.source, options.max_problems);
  Bundle bundle = builder.finish(std::move(manifest), problems);
  problems.throw_if_any();
  add_derived_rewards(bundle, options);

  Provenance p;
  p.add("importer", "alpaca-eval");
  p.add("source", options.source);
  p.add("origin",
        "AlpacaEval (Li et al. 2023; Dubois et al. 2024), github.com/tatsu-lab/alpaca_eval, "
        "results/<model>/ layout");
  p.add("licence",
        "AlpacaEval data CC BY-NC 4.0 (code Apache-2.0): research use, cite the project");
  Provenance used;
  add_common_options(used, options);
  used.add("gold-annotator", options.gold_annotator);
  used.add("reward-annotator", options.reward_annotator);
  used.add("reward-name", reward_name);
  p.add("options", used);
  p.add("gold", fmt::format("{} preference of the model's output over {}: win = preference - 1, a "
                            "draw (1.5 or 0) counts 0.5; the mean is the AlpacaEval win rate",
                            options.gold_annotator, gold_reference));
  if (with_reward) {
    p.add("reward", fmt::format("{}: {} preference - 1 (a draw counts 0.5), the judged chance of "
                                "beating {}; parameters {} (from --parameters, else 1: the "
                                "judge's size is unknown)",
                                reward_name, options.reward_annotator,
                                joined(reader.references[options.reward_annotator]),
                                bundle.manifest.reward_models[0].parameters));
  }
  p.add("query_ids",
        "ae-<dataset>-<48-bit hash of dataset and instruction>: independent of the pool");
  p.add("split", "all queries are in split test (AlpacaEval has no train split)");
  p.add("input_tokens", kTokenEstimate);
  p.add("output_tokens", kTokenEstimate);
  p.add("cost",
        "not given (price_per_example in annotations is the judge's price, not the model's)");
  add_counts(p, builder);
  Provenance unmatched;
  for (const auto& [where, rows] : reader.unmatched_rows) unmatched.add(where, rows);
  p.add("annotation_rows_without_output", unmatched);
  bundle.manifest.provenance_json = p.json();
  return bundle;
}

}  // namespace

std::unique_ptr<Importer> make_alpaca_eval_importer() {
  return std::make_unique<AlpacaEvalImporter>();
}

}  // namespace zooter::suites

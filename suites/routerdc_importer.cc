// routerdc: the per-query correctness files RouterDC published (github.com/shuhao02/RouterDC,
// datasets/split2_model7/) as a bundle. Each *.json file is an array of
// {"question", "scores": {model: score in [0, 1]}}; its name gives the subset and the split
// (NAME_train / NAME-train, NAME_test / NAME-test, or no suffix: out-of-distribution, test
// only). The files hold no responses, so output tokens are 0 and there is no response text.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>

#include "harness/error.h"
#include "harness/input_file.h"
#include "harness/problem_list.h"
#include "suites/importer_builder.h"
#include "suites/importer_factories.h"
#include "suites/importer_provenance.h"
#include "suites/importer_support.h"
#include "suites/json_array.h"

namespace zooter::suites {
namespace {

namespace fs = std::filesystem;
using rapidjson::Value;

// Nominal sizes of RouterDC's seven candidates: Mistral-7B and its fine-tunes, Llama-3-8B and
// its fine-tune (docs/importers.md).
constexpr KnownParameters kKnownParameters[] = {
    {"mistralai/Mistral-7B-v0.1", 7e9},
    {"meta-math/MetaMath-Mistral-7B", 7e9},
    {"itpossible/Chinese-Mistral-7B-v0.1", 7e9},
    {"HuggingFaceH4/zephyr-7b-beta", 7e9},
    {"cognitivecomputations/dolphin-2.6-mistral-7b", 7e9},
    {"meta-llama/Meta-Llama-3-8B", 8e9},
    {"cognitivecomputations/dolphin-2.9-llama3-8b", 8e9},
};

constexpr const char* kInDistribution = "in-distribution";
constexpr const char* kOutOfDistribution = "out-of-distribution";

struct SplitFile {
  fs::path path;
  std::string subset;
  std::string split;  // train, test or ood
  int order = 0;      // train, test, then ood
};

// The subset and split a file name says: NAME_train.json, NAME-test.json, or NAME.json (ood).
SplitFile describe(const fs::path& path) {
  const std::string stem = path.stem().string();
  for (const auto& [suffix, split, order] :
       {std::tuple{"_train", "train", 0}, std::tuple{"-train", "train", 0},
        std::tuple{"_test", "test", 1}, std::tuple{"-test", "test", 1}}) {
    const std::string_view s(suffix);
    if (stem.size() > s.size() && stem.compare(stem.size() - s.size(), s.size(), s) == 0) {
      return {path, stem.substr(0, stem.size() - s.size()), split, order};
    }
  }
  return {path, stem, "ood", 2};
}

std::string_view view(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

class RouterDcImporter final : public Importer {
 public:
  [[nodiscard]] const ImporterInfo& info() const override {
    static const ImporterInfo kInfo{
        "routerdc",
        "RouterDC's datasets/split2_model7/ folder (*_train.json, *_test.json, OOD *.json)",
        "RouterDC per-query correctness of 7 open 7-8B models: train, test and out-of-distribution "
        "splits",
        {}};
    return kInfo;
  }

  [[nodiscard]] Bundle import(const ImportOptions& options) const override;
};

// The files of the folder in bundle order: in-distribution subsets by name (train, then test),
// then the out-of-distribution ones by name. Other files are listed in `ignored`.
std::vector<SplitFile> list_files(const std::string& source, std::vector<std::string>& ignored) {
  require_input_directory(source, "(expected RouterDC's datasets/split2_model7/)");
  std::vector<SplitFile> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(source)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(describe(entry.path()));
    } else {
      ignored.push_back(entry.path().filename().string());
    }
  }
  std::sort(ignored.begin(), ignored.end());
  if (files.empty()) {
    throw InputError(source, 0,
                     "no *.json files here (expected RouterDC's datasets/split2_model7/)");
  }
  std::sort(files.begin(), files.end(),
            [](const SplitFile& a, const SplitFile& b) { return a.path < b.path; });
  std::map<std::string, std::vector<const SplitFile*>> by_subset;
  for (const SplitFile& f : files) by_subset[f.subset].push_back(&f);
  ProblemList problems(source);
  for (const auto& [subset, group] : by_subset) {
    for (std::size_t i = 0; i < group.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        const bool same_split = group[i]->split == group[j]->split;
        if (same_split || (group[i]->split == "ood") != (group[j]->split == "ood")) {
          problems.add(
              0,
              fmt::format("{} and {} both hold subset \"{}\"{}", group[j]->path.filename().string(),
                          group[i]->path.filename().string(), subset,
                          same_split ? " for the same split"
                                     : ", one with a train/test suffix and one without"));
        }
      }
    }
  }
  problems.throw_if_any();
  const auto in_distribution = [](const SplitFile& f) { return f.split != "ood"; };
  std::sort(files.begin(), files.end(), [&](const SplitFile& a, const SplitFile& b) {
    return std::tuple(!in_distribution(a), a.subset, a.order) <
           std::tuple(!in_distribution(b), b.subset, b.order);
  });
  return files;
}

Bundle RouterDcImporter::import(const ImportOptions& options) const {
  std::vector<std::string> ignored;
  const std::vector<SplitFile> files = list_files(options.source, ignored);
  std::vector<JsonArrayFile> parsed;
  std::vector<std::string> available;  // every model named in a "scores" object, first seen first
  for (const SplitFile& f : files) {
    parsed.emplace_back(f.path.string());
    const JsonArrayFile& file = parsed.back();
    for (std::size_t i = 0; i < file.size(); ++i) {
      const Value& row = file[i];
      if (!row.IsObject()) continue;
      const auto scores = row.FindMember("scores");
      if (scores == row.MemberEnd() || !scores->value.IsObject()) continue;
      for (auto it = scores->value.MemberBegin(); it != scores->value.MemberEnd(); ++it) {
        const std::string name(view(it->name));
        if (std::find(available.begin(), available.end(), name) == available.end()) {
          available.push_back(name);
        }
      }
    }
  }
  const std::vector<std::string> pool = choose_pool(available, options, options.source);
  Manifest manifest;
  manifest.models = pool_models(pool, available, kKnownParameters, options);
  ImportBuilder builder(pool, {}, options.null_policy);

  for (std::size_t f = 0; f < files.size(); ++f) {
    const JsonArrayFile& file = parsed[f];
    ProblemList problems(file.path(), options.max_problems);
    for (std::size_t i = 0; i < file.size(); ++i) {
      const Value& row = file[i];
      const std::size_t line = file.line(i);
      auto bad = [&](std::size_t at, const std::string& message) {
        problems.add(at, message, file.text_of_line(at));
      };
      if (!row.IsObject()) {
        bad(line, "expected an object {\"question\", \"scores\"}");
        continue;
      }
      const auto question = row.FindMember("question");
      const auto scores = row.FindMember("scores");
      bool ok = true;
      if (question == row.MemberEnd()) {
        bad(line, "missing field \"question\"");
        ok = false;
      } else if (!question->value.IsString()) {
        bad(file.line(i, "question"), "\"question\": expected a string");
        ok = false;
      }
      if (scores == row.MemberEnd()) {
        bad(line, "missing field \"scores\"");
        ok = false;
      } else if (!scores->value.IsObject()) {
        bad(file.line(i, "scores"), "\"scores\": expected an object {model: score}");
        ok = false;
      }
      if (!ok) continue;
      // Row ids, not question texts: a few files repeat a question (mmlu_test 8 times), and
      // each row is its own measurement.
      const std::string text(view(question->value));
      const std::size_t q =
          builder.add_query({fmt::format("{}/{}/{}", files[f].subset, files[f].split, i), text,
                             files[f].subset, files[f].split, estimate_tokens(text)});
      const std::size_t at = file.line(i, "scores");
      for (std::size_t m = 0; m < pool.size(); ++m) {
        const auto score = scores->value.FindMember(pool[m].c_str());
        if (score == scores->value.MemberEnd() || score->value.IsNull()) {
          builder.gap(
              q, score == scores->value.MemberEnd() ? "missing_score" : "null_score", problems, at,
              fmt::format("\"scores\" has {} for model \"{}\"",
                          score == scores->value.MemberEnd() ? "no entry" : "null", pool[m]),
              file.text_of_line(at));
          continue;
        }
        if (!score->value.IsNumber() || !std::isfinite(score->value.GetDouble()) ||
            score->value.GetDouble() < 0.0 || score->value.GetDouble() > 1.0) {
          bad(at,
              fmt::format("\"scores\": the score of \"{}\" must be a number in [0, 1]", pool[m]));
          continue;
        }
        builder.set_cell(
            q, m,
            ImportCell{score->value.GetDouble(), 0, std::numeric_limits<double>::quiet_NaN(), {}});
      }
    }
    problems.throw_if_any();
  }

  manifest.suite = options.suite.empty() ? "routerdc" : options.suite;
  check_name("suite", manifest.suite);
  manifest.description = fmt::format(
      "RouterDC (Chen et al. 2024): per-query correctness of {} open models on {} files; "
      "in-distribution train/test and out-of-distribution test-only subsets",
      pool.size(), files.size());
  for (const char* split : {"train", "test", "ood"}) {
    const bool used = std::any_of(files.begin(), files.end(),
                                  [&](const SplitFile& f) { return f.split == split; });
    if (used) manifest.splits.push_back({split, true});
  }
  for (const char* group : {kInDistribution, kOutOfDistribution}) {
    Group g{group, GroupDisplay::kPercent, {}};
    for (const SplitFile& f : files) {
      if ((f.split == "ood") != (std::string_view(group) == kOutOfDistribution) ||
          manifest.find_subset(f.subset))
        continue;
      g.subsets.push_back(manifest.subsets.size());
      manifest.subsets.push_back(
          {f.subset, f.subset, manifest.groups.size(), Metric{"accuracy", 0.0, 1.0, true}});
    }
    if (!g.subsets.empty()) manifest.groups.push_back(std::move(g));
  }
  ProblemList problems(options.source, options.max_problems);
  Bundle bundle = builder.finish(std::move(manifest), problems);
  problems.throw_if_any();
  add_derived_rewards(bundle, options);

  Provenance p;
  p.add("importer", "routerdc");
  p.add("source", options.source);
  p.add("origin",
        "RouterDC (Chen et al. 2024, arXiv 2409.19886), github.com/shuhao02/RouterDC, "
        "datasets/split2_model7/");
  p.add("licence",
        "no licence file in the RouterDC repository; derived from public benchmarks (MMLU, "
        "GSM8K, CMMLU, ARC, HumanEval, MBPP, C-Eval, MATH) and published by the authors "
        "for research use: cite the paper");
  Provenance used;
  add_common_options(used, options);
  p.add("options", used);
  p.add("gold",
        "per-query correctness in [0, 1] as RouterDC published it (HumanEval and MBPP: "
        "pass rates over samples)");
  p.add("splits",
        "file name suffix _train/-train: train, _test/-test: test, none: ood "
        "(out-of-distribution, test only)");
  p.add("query_ids", "<subset>/<split>/<row index in the file>");
  p.add("input_tokens", kTokenEstimate);
  p.add("output_tokens",
        "unknown: RouterDC publishes no responses, so every output_tokens is 0 "
        "and generation FLOPs count the input only");
  p.add("cost", "not given");
  p.add("ignored", "cluster_id (k-means clusters of RouterDC's training files)");
  p.add("ignored_files", ignored);
  Provenance rows;
  for (std::size_t f = 0; f < files.size(); ++f) {
    rows.add(files[f].path.filename().string(), static_cast<std::uint64_t>(parsed[f].size()));
  }
  p.add("rows_per_file", rows);
  add_counts(p, builder);
  bundle.manifest.provenance_json = p.json();
  return bundle;
}

}  // namespace

std::unique_ptr<Importer> make_routerdc_importer() { return std::make_unique<RouterDcImporter>(); }

}  // namespace zooter::suites

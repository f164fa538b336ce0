#include "pipeline/decision_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>

#include "adapters/decision_file.h"
#include "harness/atomic_file.h"
#include "harness/bundle.h"
#include "harness/content_hash.h"
#include "harness/error.h"
#include "reports/csv_field.h"

namespace zooter::pipeline {
namespace {

constexpr std::size_t kMaxFileStem = 100;

using reports::csv_field;

// The dollars a decision spends on generation for query q (an expectation for a uniform draw),
// or nothing when a response it needs has no price.
std::optional<double> generation_dollars(const Bundle& b, std::uint32_t q, const Decision& d) {
  double total = 0.0;
  const std::size_t n = b.model_count();
  for (std::size_t m = 0; m < n; ++m) {
    const bool counted = d.answer == Decision::kUniform || ((d.generated >> m) & 1U) != 0;
    if (!counted) continue;
    const double dollars = b.responses.dollars[b.responses.cell(q, m)];
    if (std::isnan(dollars)) return std::nullopt;
    total += d.answer == Decision::kUniform ? dollars / static_cast<double>(n) : dollars;
  }
  return total;
}

}  // namespace

std::string decisions_file_name(const std::string& name) {
  std::string stem;
  for (const char c : name) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '-';
    stem += safe ? c : '_';
  }
  if (stem.size() > kMaxFileStem || stem != name) {
    // Replaced bytes can make two specs one stem ("a@b" and "a_b"): a hash of the name keeps them apart.
    ContentHash hash;
    hash.update(name);
    stem = stem.substr(0, kMaxFileStem) + "-" + hash.hex().substr(0, 8);
  }
  return stem + ".jsonl";
}

void write_decisions(const Bundle& bundle, std::span<const std::uint32_t> queries, const std::vector<AdapterRun>& runs,
                     const std::vector<std::vector<double>>& quality, const std::vector<bool>& references,
                     const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError(dir, 0, "cannot create directory: " + ec.message());
  std::string index = "adapter,file,spec\n";
  std::string long_csv = "query,subset,adapter,model,gold,generations,dollars\n";
  const std::size_t models = bundle.model_count();
  for (std::size_t a = 0; a < runs.size(); ++a) {
    const AdapterRun& run = runs[a];
    const std::string file = decisions_file_name(run.name);
    std::span<const double> scores;
    if (a < quality.size() && quality[a].size() == queries.size() * models &&
        std::all_of(quality[a].begin(), quality[a].end(), [](double x) { return std::isfinite(x); })) {
      scores = quality[a];
    }
    const bool reference = a < references.size() && references[a];
    index += csv_field(run.name) + "," + file + "," +
             csv_field("decisions@file=" + file + (reference ? ",reference=1" : "")) + "\n";
    std::string lines;
    const std::string adapter = csv_field(run.name);
    for (std::size_t i = 0; i < queries.size(); ++i) {
      const std::uint32_t q = queries[i];
      const Decision& d = run.decisions[i];
      std::optional<double> router_flops;
      if (run.router_flops_per_query > 0.0) router_flops = d.router_calls * run.router_flops_per_query;
      lines += adapters::decision_json_line(bundle, q, d, router_flops,
                                            scores.empty() ? scores : scores.subspan(i * models, models));
      lines += '\n';
      const std::optional<double> dollars = generation_dollars(bundle, q, d);
      long_csv += fmt::format(
          "{},{},{},{},{},{},{}\n", csv_field(bundle.queries.id[q]),
          csv_field(bundle.manifest.subsets[bundle.queries.subset[q]].id), adapter,
          d.answer == Decision::kUniform ? "uniform" : csv_field(bundle.manifest.models[static_cast<std::size_t>(d.answer)].name),
          answer_value(bundle, q, d), d.answer == Decision::kUniform ? 1 : d.generations(),
          dollars ? fmt::format("{}", *dollars) : "");
    }
    write_file_atomically((fs::path(dir) / file).string(), lines);
  }
  write_file_atomically((fs::path(dir) / "index.csv").string(), index);
  write_file_atomically((fs::path(dir) / "decisions.csv").string(), long_csv);
}

}  // namespace zooter::pipeline

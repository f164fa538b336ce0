#include "reports/report_builder.h"

#include <rapidjson/document.h>

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <string_view>

#include "harness/bundle.h"
#include "harness/decision.h"
#include "reports/drilldown_sample.h"

namespace zooter::reports {

std::string exclusions_note(const std::string& provenance_json) {
  rapidjson::Document p;
  p.Parse(provenance_json.c_str(), provenance_json.size());
  if (p.HasParseError() || !p.IsObject()) return "";
  const auto dropped = p.FindMember("queries_dropped");
  if (dropped == p.MemberEnd() || !dropped->value.IsUint64() || dropped->value.GetUint64() == 0) return "";
  std::string reasons;
  if (const auto e = p.FindMember("exclusions"); e != p.MemberEnd() && e->value.IsObject()) {
    for (const auto& m : e->value.GetObject()) {
      if (!m.value.IsUint64()) continue;
      reasons += fmt::format("{}{} {}", reasons.empty() ? "" : ", ",
                             std::string_view(m.name.GetString(), m.name.GetStringLength()), m.value.GetUint64());
    }
  }
  return fmt::format("{} queries of the source were left out when the bundle was imported{}; the bundle's "
                     "provenance has the details",
                     dropped->value.GetUint64(), reasons.empty() ? "" : " (" + reasons + ")");
}

ReportLayout make_layout(const Bundle& bundle, const Evaluation& evaluation) {
  const Manifest& m = bundle.manifest;
  ReportLayout layout;
  layout.suite = m.suite;
  layout.description = m.description;
  layout.simulated = m.simulated;
  for (const Model& model : m.models) layout.models.push_back(model.name);
  for (const EvaluatedSubset& e : evaluation.subsets) {
    const Subset& s = m.subsets[e.subset];
    layout.subsets.push_back({s.id, s.name, s.metric.name, s.metric.min, s.metric.max,
                              s.metric.higher_is_better, e.queries});
  }
  for (const EvaluatedGroup& e : evaluation.groups) {
    const Group& g = m.groups[e.group];
    layout.groups.push_back({g.name, g.display == GroupDisplay::kPercent, e.subsets});
  }
  return layout;
}

namespace {

// Cuts at a UTF-8 character boundary, so the page never shows a broken character.
std::string truncated(const std::string& text, std::size_t max_chars) {
  if (text.size() <= max_chars) return text;
  std::size_t cut = max_chars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "\u2026";
}

// How much the routing adapters (every kind but "candidate": a single candidate always answers
// itself, so it would count every candidate on every query) disagree on evaluated query i.
Disagreement disagreement_on(const Bundle& bundle, std::uint32_t q, std::size_t i,
                             std::span<const AdapterRun> runs) {
  std::uint64_t chosen = 0;
  double low = 0.0, high = 0.0;
  bool any = false;
  for (const AdapterRun& run : runs) {
    const std::int16_t answer = run.decisions[i].answer;
    if (run.kind == "candidate" || answer == Decision::kUniform) continue;
    chosen |= std::uint64_t{1} << answer;
    const double gold = bundle.responses.gold[bundle.responses.cell(q, static_cast<std::size_t>(answer))];
    if (!std::isfinite(gold)) continue;
    low = any ? std::min(low, gold) : gold;
    high = any ? std::max(high, gold) : gold;
    any = true;
  }
  const Metric& metric = bundle.manifest.subsets[bundle.queries.subset[q]].metric;
  const double spread = (high - low) / (metric.max - metric.min);
  return {static_cast<std::size_t>(std::popcount(chosen)), std::isfinite(spread) ? spread : 0.0};
}

}  // namespace

Drilldown make_drilldown(const Bundle& bundle, const Evaluation& evaluation,
                         std::span<const std::uint32_t> queries, std::span<const AdapterRun> runs) {
  Drilldown out;
  for (const RewardModel& r : bundle.manifest.reward_models) out.reward_models.push_back(r.name);
  std::vector<std::size_t> position_of_subset(bundle.manifest.subsets.size(), 0);
  for (std::size_t s = 0; s < evaluation.subsets.size(); ++s) {
    position_of_subset[evaluation.subsets[s].subset] = s;
  }
  std::vector<std::size_t> subset_of(queries.size());
  std::vector<Disagreement> disagreement(queries.size());
  for (std::size_t i = 0; i < queries.size(); ++i) {
    subset_of[i] = position_of_subset[bundle.queries.subset[queries[i]]];
    disagreement[i] = disagreement_on(bundle, queries[i], i, runs);
  }
  const DrilldownSample sample = sample_drilldown(subset_of, disagreement, evaluation.subsets.size());
  out.evaluated_queries = queries.size();
  out.most_disagreeing = sample.most_disagreeing;
  out.per_subset = sample.per_subset;
  const std::size_t models = bundle.model_count();
  out.queries.reserve(sample.positions.size());
  for (const std::size_t i : sample.positions) {
    const std::uint32_t q = queries[i];
    QueryDetail d;
    d.id = bundle.queries.id[q];
    d.subset = subset_of[i];
    d.text = truncated(bundle.queries.text[q], out.max_text_chars);
    const std::size_t first = bundle.responses.cell(q, 0);
    d.gold.assign(bundle.responses.gold.begin() + static_cast<std::ptrdiff_t>(first),
                  bundle.responses.gold.begin() + static_cast<std::ptrdiff_t>(first + models));
    for (const std::vector<double>& matrix : bundle.responses.rewards) {
      d.rewards.emplace_back(matrix.begin() + static_cast<std::ptrdiff_t>(first),
                             matrix.begin() + static_cast<std::ptrdiff_t>(first + models));
    }
    for (const AdapterRun& run : runs) d.answer.push_back(run.decisions[i].answer);
    out.queries.push_back(std::move(d));
  }
  return out;
}

}  // namespace zooter::reports

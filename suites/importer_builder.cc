#include "suites/importer_builder.h"

#include <fmt/format.h>

#include <cmath>

#include "harness/error.h"
#include "harness/problem_list.h"

namespace zooter::suites {

ImportBuilder::ImportBuilder(std::vector<std::string> models, std::vector<std::string> rewards,
                             GapPolicy policy)
    : models_(std::move(models)),
      rewards_(std::move(rewards)),
      policy_(policy),
      reward_values_(rewards_.size()) {}

std::size_t ImportBuilder::add_query(ImportQuery query) {
  const std::size_t q = queries_.size();
  ZOOTER_CHECK(query_index_.emplace(query.id, q).second);
  queries_.push_back(std::move(query));
  cells_.resize(cells_.size() + models_.size());
  present_.resize(present_.size() + models_.size(), 0);
  for (std::vector<double>& values : reward_values_) {
    values.resize(values.size() + models_.size(), std::numeric_limits<double>::quiet_NaN());
  }
  dropped_.push_back(0);
  return q;
}

std::optional<std::size_t> ImportBuilder::find_query(std::string_view id) const {
  const auto it = query_index_.find(std::string(id));
  if (it == query_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> ImportBuilder::find_model(std::string_view name) const {
  for (std::size_t m = 0; m < models_.size(); ++m) {
    if (models_[m] == name) return m;
  }
  return std::nullopt;
}

void ImportBuilder::set_cell(std::size_t q, std::size_t m, ImportCell cell) {
  cells_[index(q, m)] = std::move(cell);
  present_[index(q, m)] = 1;
}

void ImportBuilder::set_reward(std::size_t r, std::size_t q, std::size_t m, double value) {
  reward_values_[r][index(q, m)] = value;
}

void ImportBuilder::gap(std::size_t q, std::string_view reason, ProblemList& problems,
                        std::size_t line, const std::string& message, std::string_view excerpt) {
  if (policy_ == GapPolicy::kFail) {
    problems.add(line, message + " (--null-policy fail; drop would leave the query out)", excerpt);
    return;
  }
  dropped_[q] = 1;
  auto it = reasons_.find(reason);
  if (it == reasons_.end()) {
    it = reasons_.emplace(std::string(reason), std::set<std::size_t>{}).first;
  }
  it->second.insert(q);
}

std::size_t ImportBuilder::queries_dropped() const {
  std::size_t n = 0;
  for (char d : dropped_) n += d != 0;
  return n;
}

std::vector<std::pair<std::string, std::size_t>> ImportBuilder::exclusions() const {
  std::vector<std::pair<std::string, std::size_t>> out;
  for (const auto& [reason, queries] : reasons_) out.emplace_back(reason, queries.size());
  return out;
}

Bundle ImportBuilder::finish(Manifest manifest, ProblemList& problems) {
  ZOOTER_CHECK(manifest.models.size() == models_.size());
  ZOOTER_CHECK(manifest.reward_models.size() == rewards_.size());
  const std::size_t n_models = models_.size();
  for (std::size_t q = 0; q < queries_.size(); ++q) {
    for (std::size_t m = 0; m < n_models && !dropped(q); ++m) {
      if (!has_cell(q, m)) {
        gap(q, "missing_result", problems, 0,
            "query \"" + queries_[q].id + "\" has no result for model \"" + models_[m] + "\"");
        continue;
      }
      for (std::size_t r = 0; r < rewards_.size(); ++r) {
        if (std::isnan(reward_values_[r][index(q, m)])) {
          gap(q, "missing_reward", problems, 0,
              "query \"" + queries_[q].id + "\" has no \"" + rewards_[r] +
                  "\" reward for model \"" + models_[m] + "\"");
        }
      }
    }
  }

  if (!queries_.empty() && queries_dropped() == queries_.size()) {
    // Under drop every gap leaves a query out; when that is every query there is no bundle, and
    // an empty one would only fail later, when it is loaded.
    std::string reasons;
    for (const auto& [reason, count] : exclusions()) {
      reasons += fmt::format("{}{} {}", reasons.empty() ? "" : ", ", reason, count);
    }
    problems.add(0, fmt::format("every one of the {} queries read was left out under --null-policy drop ({}), "
                                "so there is nothing to import; check --models (a model most queries lack "
                                "drops them all), or run with --null-policy fail to see each gap",
                                queries_.size(), reasons));
    return {};
  }

  Bundle b;
  b.manifest = std::move(manifest);
  Queries& out = b.queries;
  Responses& r = b.responses;
  r.models = n_models;
  r.rewards.resize(rewards_.size());
  bool any_text = false;
  for (std::size_t c = 0; c < cells_.size(); ++c) {
    any_text |= present_[c] && !cells_[c].text.empty();
  }
  out.tag_offset.push_back(0);
  for (std::size_t q = 0; q < queries_.size(); ++q) {
    if (dropped(q)) continue;
    ImportQuery& query = queries_[q];
    const std::optional<std::size_t> subset = b.manifest.find_subset(query.subset);
    const std::optional<std::size_t> split = b.manifest.find_split(query.split);
    ZOOTER_CHECK(subset.has_value() && split.has_value());
    out.id.push_back(query.id);
    out.text.push_back(query.text);
    out.subset.push_back(static_cast<std::uint32_t>(*subset));
    out.split.push_back(static_cast<std::uint32_t>(*split));
    out.input_tokens.push_back(query.input_tokens);
    out.tag_offset.push_back(0);
    for (std::size_t m = 0; m < n_models; ++m) {
      const ImportCell& cell = cells_[index(q, m)];
      r.gold.push_back(cell.gold);
      r.output_tokens.push_back(cell.output_tokens);
      r.dollars.push_back(cell.cost);
      if (any_text) r.text.push_back(cell.text);
      for (std::size_t k = 0; k < rewards_.size(); ++k) {
        r.rewards[k].push_back(reward_values_[k][index(q, m)]);
      }
    }
  }
  return b;
}

}  // namespace zooter::suites

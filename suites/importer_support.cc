#include "suites/importer_support.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "harness/error.h"

namespace zooter::suites {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

bool contains(const std::vector<std::string>& items, std::string_view name) {
  return std::find(items.begin(), items.end(), name) != items.end();
}

}  // namespace

std::uint32_t estimate_tokens(std::string_view text) {
  std::uint64_t words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  const std::uint64_t tokens = (words * 4 + 1) / 3;  // words x 4/3, halves rounded up
  return static_cast<std::uint32_t>(
      std::min<std::uint64_t>(tokens, std::numeric_limits<std::uint32_t>::max()));
}

bool parse_number(std::string_view text, double& value) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);  // from_chars takes no '+'
  if (text.empty()) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

std::vector<std::string> choose_pool(const std::vector<std::string>& available,
                                     const ImportOptions& options, const std::string& where) {
  std::vector<std::string> pool;
  if (options.models.empty()) {
    pool = available;
  } else {
    std::vector<std::string> unknown;
    for (const std::string& name : options.models) {
      if (contains(pool, name)) throw UsageError("--models: \"" + name + "\" is given twice");
      if (!contains(available, name)) unknown.push_back(name);
      pool.push_back(name);
    }
    if (!unknown.empty()) {
      throw UsageError("--models: no results for " + join(unknown) + " (found in " + where + ": " +
                       join(available) + ")");
    }
  }
  for (const std::string& name : pool) check_name("model", name);
  return pool;
}

std::vector<Model> pool_models(const std::vector<std::string>& pool,
                               const std::vector<std::string>& available,
                               std::span<const KnownParameters> known, const ImportOptions& options,
                               const std::vector<std::string>& reward_names) {
  for (const auto& [name, count] : options.parameters) {
    if (!contains(available, name) && !contains(reward_names, name)) {
      std::vector<std::string> all = available;
      all.insert(all.end(), reward_names.begin(), reward_names.end());
      throw UsageError("--parameters: \"" + name +
                       "\" is not a model of this import (models: " + join(all) + ")");
    }
  }
  for (const std::string& name : reward_names) {
    if (contains(pool, name)) {
      throw UsageError("reward \"" + name + "\" has the name of a model of the pool: rename it");
    }
    if (std::count(reward_names.begin(), reward_names.end(), name) > 1) {
      throw UsageError("reward \"" + name + "\" is given twice");
    }
  }
  std::vector<Model> models;
  std::vector<std::string> missing;
  for (const std::string& name : pool) {
    Model model;
    model.name = name;
    for (const auto& [given, count] : options.parameters) {
      if (given == name) model.parameters = count;
    }
    for (const KnownParameters& k : known) {
      if (model.parameters == 0.0 && k.model == name) model.parameters = k.parameters;
    }
    if (model.parameters == 0.0) missing.push_back(name);
    models.push_back(std::move(model));
  }
  if (!missing.empty()) {
    throw UsageError("no parameter count known for " + join(missing) +
                     ": give one with --parameters NAME=COUNT,... (e.g. " + missing.front() +
                     "=13e9); it sets the generation FLOPs");
  }
  return models;
}

RewardModel source_reward_model(const std::string& name, const ImportOptions& options) {
  check_name("reward model", name);
  RewardModel reward{name, 1.0};
  for (const auto& [given, count] : options.parameters) {
    if (given == name) reward.parameters = count;
  }
  return reward;
}

void add_derived_rewards(Bundle& bundle, const ImportOptions& options) {
  for (const std::string& rule : options.derived_rewards) {
    if (rule != "length") {
      throw UsageError("--reward: unknown rule \"" + rule + "\" (known: length)");
    }
    if (bundle.manifest.find_model(rule) || bundle.manifest.find_reward_model(rule)) {
      throw UsageError("--reward length: the bundle already has a model called \"length\"");
    }
    const std::vector<std::uint32_t>& tokens = bundle.responses.output_tokens;
    if (std::all_of(tokens.begin(), tokens.end(), [](std::uint32_t t) { return t == 0; })) {
      throw InputError(
          "--reward length: no response has a length in this source (every "
          "output_tokens is 0), so the rule cannot rank anything");
    }
    bundle.manifest.reward_models.push_back({rule, 1.0});
    bundle.responses.rewards.emplace_back(tokens.begin(), tokens.end());
  }
}

}  // namespace zooter::suites

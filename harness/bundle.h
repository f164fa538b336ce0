// The in-memory replay bundle: a manifest plus columnar arrays of queries and responses.
//
// Responses are stored as dense queries x models matrices (row-major by query), so an adapter
// reads one query's cells contiguously. This is the data model every layer shares; how it is
// read from disk is bundle_loader.h, how it is written is bundle_writer.h, and the on-disk
// format is docs/bundle-format.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace zooter {

inline constexpr std::size_t kMaxModels = 64;  // decisions record generated models in a bitmask

struct Metric {
  std::string name;
  double min = 0.0;
  double max = 1.0;
  bool higher_is_better = true;
};

struct Subset {
  std::string id;
  std::string name;
  std::size_t group = 0;  // index into Manifest::groups
  Metric metric;
  // False only in a gold-pending bundle whose metric is not known yet: `zooter gold` declares
  // it together with the scores (live queries have no metric until someone judges them).
  bool has_metric = true;
};

enum class GroupDisplay { kRaw, kPercent };

struct Group {
  std::string name;
  GroupDisplay display = GroupDisplay::kRaw;
  std::vector<std::size_t> subsets;  // indices into Manifest::subsets, in manifest order
};

struct Split {
  std::string name;
  bool gold_for_training = true;
};

struct Model {
  std::string name;
  double parameters = 0.0;
  std::optional<double> price_per_million_input;
  std::optional<double> price_per_million_output;
};

struct RewardModel {
  std::string name;
  double parameters = 0.0;
};

struct Manifest {
  std::string suite;
  std::string description;
  bool simulated = false;
  // The manifest says "gold": "pending": responses carry no gold yet (collected live, see
  // docs/live-collect.md); Responses::gold is then all NaN and nothing may evaluate it.
  bool gold_pending = false;
  std::vector<Split> splits;
  std::vector<Group> groups;
  std::vector<Subset> subsets;
  std::vector<Model> models;
  std::vector<RewardModel> reward_models;
  std::string provenance_json = "{}";  // the manifest's provenance object, serialised

  [[nodiscard]] std::optional<std::size_t> find_subset(std::string_view id) const;
  [[nodiscard]] std::optional<std::size_t> find_split(std::string_view name) const;
  [[nodiscard]] std::optional<std::size_t> find_model(std::string_view name) const;
  [[nodiscard]] std::optional<std::size_t> find_reward_model(std::string_view name) const;
};

// Queries, one entry per query in file order.
struct Queries {
  std::vector<std::string> id;
  std::vector<std::string> text;
  std::vector<std::uint32_t> subset;        // index into Manifest::subsets
  std::vector<std::uint32_t> split;         // index into Manifest::splits
  std::vector<std::uint32_t> input_tokens;
  std::vector<std::uint32_t> tag_offset;    // tags of query q: tag_ids[tag_offset[q] .. tag_offset[q+1])
  std::vector<std::uint32_t> tag_ids;       // indices into Bundle::tag_names

  [[nodiscard]] std::size_t size() const { return id.size(); }
  [[nodiscard]] std::span<const std::uint32_t> tags(std::size_t q) const {
    return {tag_ids.data() + tag_offset[q], tag_ids.data() + tag_offset[q + 1]};
  }
};

// Responses as dense queries x models matrices; cell (q, m) is at q * models + m.
struct Responses {
  std::size_t models = 0;
  std::vector<double> gold;
  std::vector<std::uint32_t> output_tokens;
  std::vector<double> dollars;                // NaN where neither cost nor prices are known
  std::vector<std::vector<double>> rewards;   // one matrix per reward model
  std::vector<std::string> text;              // empty unless loaded with texts

  [[nodiscard]] std::size_t cell(std::size_t q, std::size_t m) const { return q * models + m; }
};

struct Bundle {
  Manifest manifest;
  Queries queries;
  Responses responses;
  std::vector<std::string> tag_names;
  std::string content_hash;  // hex digest of the files' bytes, for provenance

  [[nodiscard]] std::size_t model_count() const { return manifest.models.size(); }
  [[nodiscard]] std::size_t query_count() const { return queries.size(); }
  [[nodiscard]] double gold(std::size_t q, std::size_t m) const {
    return responses.gold[responses.cell(q, m)];
  }
  [[nodiscard]] double reward(std::size_t r, std::size_t q, std::size_t m) const {
    return responses.rewards[r][responses.cell(q, m)];
  }
};

// Throws InputError when a name is not a valid bundle name (see docs/bundle-format.md).
void check_name(std::string_view what, std::string_view name);

}  // namespace zooter

// The skeleton of every simulated query: its subset, its domain and its tags. This is where the
// paper's InsTag-style tags come from; text, quality and rewards are all built on top of it.
//
// Not for: text (query_text.h) or quality (paper_sim_latent.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "harness/run_context.h"
#include "suites/paper_profile.h"

namespace zooter::suites {

// How tags are drawn (docs/simulation.md, "Tags").
struct TagStyle {
  double zipf_exponent = 1.0;   // popularity of a domain's tag of rank r is 1 / (r + offset)^s
  double zipf_offset = 2.0;
  // A query carries 1 + k tags, P(k >= 1), P(k >= 2), P(k >= 3):
  double more_tags[3] = {0.55, 0.20, 0.05};
  double extra_tag_elsewhere = 0.3;  // an extra tag comes from another domain of the mixture
};

inline constexpr std::size_t kMaxTagsPerQuery = 4;

struct QueryPlan {
  std::vector<std::size_t> subset_begin;  // queries of profile subset s: [begin[s], begin[s+1])
  std::vector<std::uint32_t> subset;      // profile subset index of each query
  std::vector<Domain> domain;             // each query's domain
  std::vector<std::uint8_t> exam;         // 1 for an exam-style query (one right answer)
  std::vector<std::uint32_t> tag_offset;  // tags of query q: tag_ids[tag_offset[q] .. [q+1])
  std::vector<std::uint32_t> tag_ids;
  std::vector<Domain> tag_domain;         // the vocabulary: domain of each tag

  [[nodiscard]] std::size_t size() const { return subset.size(); }
  [[nodiscard]] std::span<const std::uint32_t> tags(std::size_t q) const {
    return {tag_ids.data() + tag_offset[q], tag_ids.data() + tag_offset[q + 1]};
  }
};

// Queries per profile subset: the profile's counts, with the training sources scaled to
// `train_queries` in total by largest remainders.
[[nodiscard]] std::vector<std::size_t> subset_query_counts(const PaperProfile& profile,
                                                           std::size_t train_queries);

// Draws every query's domain, tags and whether it is exam-style (with its subset's exam_share).
// Training queries get exactly their source's domain
// proportions; every tag of the vocabulary is carried by at least one training query when there
// are at least as many training queries in each domain as tags (true for the paper's counts).
[[nodiscard]] QueryPlan plan_queries(const PaperProfile& profile, const TagStyle& style,
                                     std::span<const std::size_t> counts, std::uint64_t seed,
                                     const RunContext& ctx);

// Shares of `total` proportional to `weights`, rounded by largest remainders (ties to the lower
// index); they sum to `total`.
[[nodiscard]] std::vector<std::size_t> largest_remainder(std::span<const double> weights,
                                                         std::size_t total);

}  // namespace zooter::suites

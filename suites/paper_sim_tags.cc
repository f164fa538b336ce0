#include "suites/paper_sim_tags.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "harness/parallel.h"
#include "harness/random.h"
#include "suites/paper_sim_streams.h"

namespace zooter::suites {
namespace {

using DomainArray = std::array<double, kDomainCount>;

DomainArray mixture_weights(const SubsetProfile& subset) {
  DomainArray w{};
  for (const DomainWeight& dw : subset.mix) w[domain_index(dw.domain)] += dw.weight;
  return w;
}

// Index of the first cumulative weight above u * total.
std::size_t draw_from(std::span<const double> cumulative, double u) {
  const double x = u * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), x);
  return std::min<std::size_t>(static_cast<std::size_t>(it - cumulative.begin()),
                               cumulative.size() - 1);
}

std::vector<double> cumulative_of(std::span<const double> weights) {
  std::vector<double> c(weights.size());
  std::partial_sum(weights.begin(), weights.end(), c.begin());
  return c;
}

// A permutation of `items` keyed by (seed, stream, item): the same for any thread count.
void keyed_shuffle(std::vector<std::size_t>& items, std::uint64_t seed, std::uint64_t s) {
  std::vector<std::pair<std::uint64_t, std::size_t>> keyed(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    keyed[i] = {random::bits(seed, s, items[i]), items[i]};
  }
  std::sort(keyed.begin(), keyed.end());
  for (std::size_t i = 0; i < items.size(); ++i) items[i] = keyed[i].second;
}

struct TagSpace {
  std::vector<std::size_t> first;                  // first tag id of each domain
  std::vector<std::vector<double>> popularity;     // cumulative Zipf weights per domain
};

TagSpace tag_space(std::span<const std::size_t> tags_per_domain, const TagStyle& style) {
  TagSpace space;
  std::size_t next = 0;
  for (std::size_t d = 0; d < kDomainCount; ++d) {
    space.first.push_back(next);
    std::vector<double> w(tags_per_domain[d]);
    for (std::size_t r = 0; r < w.size(); ++r) {
      w[r] = std::pow(static_cast<double>(r) + style.zipf_offset, -style.zipf_exponent);
    }
    space.popularity.push_back(cumulative_of(w));
    next += tags_per_domain[d];
  }
  return space;
}

}  // namespace

std::vector<std::size_t> largest_remainder(std::span<const double> weights, std::size_t total) {
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<std::size_t> shares(weights.size(), 0);
  if (total == 0 || sum <= 0.0) return shares;
  std::vector<std::pair<double, std::size_t>> remainders;
  std::size_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = static_cast<double>(total) * weights[i] / sum;
    shares[i] = static_cast<std::size_t>(std::floor(exact));
    given += shares[i];
    remainders.push_back({-(exact - std::floor(exact)), i});
  }
  std::sort(remainders.begin(), remainders.end());
  for (std::size_t k = 0; given < total; ++k, ++given) ++shares[remainders[k].second];
  return shares;
}

std::vector<std::size_t> subset_query_counts(const PaperProfile& profile,
                                             std::size_t train_queries) {
  std::vector<std::size_t> counts;
  std::vector<double> train_weights;
  for (const SubsetProfile& s : profile.subsets) {
    counts.push_back(s.queries);
    if (s.group == profile.train_group) train_weights.push_back(static_cast<double>(s.queries));
  }
  const std::vector<std::size_t> train = largest_remainder(train_weights, train_queries);
  std::size_t k = 0;
  for (std::size_t s = 0; s < counts.size(); ++s) {
    if (profile.subsets[s].group == profile.train_group) counts[s] = train[k++];
  }
  return counts;
}

QueryPlan plan_queries(const PaperProfile& profile, const TagStyle& style,
                       std::span<const std::size_t> counts, std::uint64_t seed,
                       const RunContext& ctx) {
  QueryPlan plan;
  const std::size_t subsets = profile.subsets.size();
  plan.subset_begin.assign(1, 0);
  for (std::size_t s = 0; s < subsets; ++s) {
    plan.subset.insert(plan.subset.end(), counts[s], static_cast<std::uint32_t>(s));
    plan.subset_begin.push_back(plan.subset.size());
  }
  const std::size_t n = plan.size();
  plan.domain.assign(n, Domain::kDaily);
  plan.exam = parallel_map<std::uint8_t>(ctx, n, [&](std::size_t q) -> std::uint8_t {
    const double share = profile.subsets[plan.subset[q]].exam_share;
    return random::uniform01(seed, stream(SimStream::kExamStyle), q) < share ? 1 : 0;
  });

  std::vector<std::vector<double>> mixture_cumulative;
  for (const SubsetProfile& s : profile.subsets) {
    const DomainArray w = mixture_weights(s);
    mixture_cumulative.push_back(cumulative_of(w));
  }

  // Training sources get exact domain proportions in a keyed order, so the number of training
  // queries per domain, and with it the tag vocabulary, does not depend on the seed.
  DomainArray train_per_domain{};
  for (std::size_t s = 0; s < subsets; ++s) {
    const std::size_t begin = plan.subset_begin[s], end = plan.subset_begin[s + 1];
    if (profile.subsets[s].group != profile.train_group) {
      for (std::size_t q = begin; q < end; ++q) {
        const double u = random::uniform01(seed, stream(SimStream::kDomainDraw), q);
        plan.domain[q] = static_cast<Domain>(draw_from(mixture_cumulative[s], u));
      }
      continue;
    }
    const DomainArray w = mixture_weights(profile.subsets[s]);
    const std::vector<std::size_t> slots = largest_remainder(w, end - begin);
    std::vector<std::size_t> order(end - begin);
    std::iota(order.begin(), order.end(), begin);
    keyed_shuffle(order, seed, stream(SimStream::kDomainOrder));
    std::size_t k = 0;
    for (std::size_t d = 0; d < kDomainCount; ++d) {
      for (std::size_t i = 0; i < slots[d]; ++i) plan.domain[order[k++]] = static_cast<Domain>(d);
      train_per_domain[d] += static_cast<double>(slots[d]);
    }
  }

  // Tags per domain follow the training domain counts (plus one, so that every domain has tags
  // even without training queries).
  DomainArray tag_weights{};
  for (std::size_t d = 0; d < kDomainCount; ++d) tag_weights[d] = train_per_domain[d] + 1.0;
  const std::vector<std::size_t> tags_per_domain =
      largest_remainder(tag_weights, profile.tag_count);
  const TagSpace space = tag_space(tags_per_domain, style);
  for (std::size_t d = 0; d < kDomainCount; ++d) {
    plan.tag_domain.insert(plan.tag_domain.end(), tags_per_domain[d], static_cast<Domain>(d));
  }

  // Coverage: within each domain, the first training queries in a keyed order carry that
  // domain's tags one each, so every tag is seen in training; the rest draw by popularity.
  constexpr std::uint32_t kUnset = 0xffffffffu;
  std::vector<std::uint32_t> primary(n, kUnset);
  {
    std::vector<std::vector<std::size_t>> by_domain(kDomainCount);
    for (std::size_t q = 0; q < n; ++q) {
      if (profile.subsets[plan.subset[q]].group == profile.train_group) {
        by_domain[domain_index(plan.domain[q])].push_back(q);
      }
    }
    for (std::size_t d = 0; d < kDomainCount; ++d) {
      keyed_shuffle(by_domain[d], seed, stream(SimStream::kCoverageOrder));
      const std::size_t covered = std::min(by_domain[d].size(), tags_per_domain[d]);
      for (std::size_t r = 0; r < covered; ++r) {
        primary[by_domain[d][r]] = static_cast<std::uint32_t>(space.first[d] + r);
      }
    }
  }

  // A tag of domain d: by popularity, or uniformly over the domain's tags for a group whose
  // queries carry rare tags (GroupProfile::rare_tags).
  auto draw_tag = [&](std::size_t d, bool uniform, std::uint64_t index) {
    const std::vector<double>& popularity = space.popularity[d];
    const std::uint64_t s = stream(SimStream::kTagDraw);
    const std::size_t rank = uniform ? random::below(seed, s, index, popularity.size())
                                     : draw_from(popularity, random::uniform01(seed, s, index));
    return static_cast<std::uint32_t>(space.first[d] + rank);
  };
  using TagList = std::pair<std::array<std::uint32_t, kMaxTagsPerQuery>, std::size_t>;
  const std::vector<TagList> lists = parallel_map<TagList>(ctx, n, [&](std::size_t q) {
    TagList list{};
    const std::size_t d = domain_index(plan.domain[q]);
    const bool uniform = profile.groups[profile.subsets[plan.subset[q]].group].rare_tags;
    list.first[0] = primary[q] != kUnset ? primary[q] : draw_tag(d, uniform, q * 8);
    list.second = 1;
    const double u = random::uniform01(seed, stream(SimStream::kTagCount), q);
    std::size_t extra = 0;
    while (extra < 3 && u < style.more_tags[extra]) ++extra;
    for (std::size_t j = 1; j <= extra; ++j) {
      std::size_t ed = d;
      if (random::uniform01(seed, stream(SimStream::kTagExtraDomain), q * 8 + j) <
          style.extra_tag_elsewhere) {
        const double v = random::uniform01(seed, stream(SimStream::kTagExtraDomain), q * 8 + 4 + j);
        ed = draw_from(mixture_cumulative[plan.subset[q]], v);
      }
      const std::uint32_t tag = draw_tag(ed, uniform, q * 8 + j);
      const auto end = list.first.begin() + static_cast<std::ptrdiff_t>(list.second);
      if (std::find(list.first.begin(), end, tag) == end) list.first[list.second++] = tag;
    }
    return list;
  });

  plan.tag_offset.reserve(n + 1);
  plan.tag_offset.push_back(0);
  for (const TagList& list : lists) {
    plan.tag_ids.insert(plan.tag_ids.end(), list.first.begin(),
                        list.first.begin() + static_cast<std::ptrdiff_t>(list.second));
    plan.tag_offset.push_back(static_cast<std::uint32_t>(plan.tag_ids.size()));
  }
  return plan;
}

}  // namespace zooter::suites

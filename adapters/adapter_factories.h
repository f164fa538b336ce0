// The factories of the adapters, one per strategy file (make_ and the file's name), for the list
// in adapter.cc. Internal to adapters/: everything else goes through make_adapter() in
// adapter.h.
#pragma once

#include <memory>

#include "adapters/adapter.h"

namespace zooter::adapters {

[[nodiscard]] std::unique_ptr<Adapter> make_single_model(const AdapterSpec&, const AdapterContext&);
[[nodiscard]] std::unique_ptr<Adapter> make_best_single(const AdapterSpec&, const AdapterContext&);
[[nodiscard]] std::unique_ptr<Adapter> make_random_pick(const AdapterSpec&, const AdapterContext&);
[[nodiscard]] std::unique_ptr<Adapter> make_oracle(const AdapterSpec&, const AdapterContext&);
[[nodiscard]] std::unique_ptr<Adapter> make_reward_ranking(const AdapterSpec&, const AdapterContext&);
[[nodiscard]] std::unique_ptr<Adapter> make_zooter_router(const AdapterSpec&, const AdapterContext&);
[[nodiscard]] std::unique_ptr<Adapter> make_cascade(const AdapterSpec&, const AdapterContext&);
[[nodiscard]] std::unique_ptr<Adapter> make_knn_router(const AdapterSpec&, const AdapterContext&);
[[nodiscard]] std::unique_ptr<Adapter> make_mf_router(const AdapterSpec&, const AdapterContext&);
[[nodiscard]] std::unique_ptr<Adapter> make_sw_ranking(const AdapterSpec&, const AdapterContext&);
[[nodiscard]] std::unique_ptr<Adapter> make_mlp_router(const AdapterSpec&, const AdapterContext&);
[[nodiscard]] std::unique_ptr<Adapter> make_decisions_adapter(const AdapterSpec&, const AdapterContext&);
[[nodiscard]] std::unique_ptr<Adapter> make_exec_adapter(const AdapterSpec&, const AdapterContext&);

// Resolves a candidate name or throws InputError listing the bundle's candidates.
[[nodiscard]] std::size_t find_candidate(const Bundle& bundle, const std::string& name);

// Maps decide() over queries in parallel (fixed blocks), for adapters whose decision for a
// query depends on that query alone.
template <typename Fn>
[[nodiscard]] std::vector<Decision> decide_each(std::span<const std::uint32_t> queries,
                                                const RunContext& run, Fn&& fn);

}  // namespace zooter::adapters

#include "harness/parallel.h"

template <typename Fn>
std::vector<zooter::Decision> zooter::adapters::decide_each(std::span<const std::uint32_t> queries,
                                                            const RunContext& run, Fn&& fn) {
  return parallel_map<Decision>(run, queries.size(), [&](std::size_t i) { return fn(queries[i]); });
}

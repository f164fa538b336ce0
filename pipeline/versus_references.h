// Which adapters of a run the paired tests take as references besides best-single
// (`zooter run --versus NAME`): a user comparing routers with each other, and not only with
// the best single model, names them here.
//
// Not for: the tests themselves (harness/stats/paired_tests.h).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace zooter::adapters {
struct AdapterSpec;
}  // namespace zooter::adapters

namespace zooter::pipeline {

// The position among `specs` (a run's adapters, evaluation order) of each value of `wanted`,
// in the order given. A value is an adapter as the report names it, in any spelling of its
// spec (`knn@reward=gold,k=500` finds `knn@k=500,reward=gold`), or a kind alone (`knn`) when
// the run has one adapter of that kind. Called before anything is trained. Throws UsageError
// naming the value when it matches no adapter or several (listing them), names best-single
// (every adapter is always tested against best-single), or is given twice.
[[nodiscard]] std::vector<std::size_t> resolve_versus(std::span<const std::string> wanted,
                                                      std::span<const adapters::AdapterSpec> specs);

}  // namespace zooter::pipeline

// Which queries a run evaluates and which its learned adapters may train on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zooter {
struct Bundle;
}

namespace zooter::pipeline {

struct RunSplits {
  std::size_t evaluated = 0;          // split position in the manifest
  std::optional<std::size_t> train;   // none: adapters learn nothing (or use k-fold)
  std::vector<std::uint32_t> evaluated_queries;  // bundle order
  std::vector<std::uint32_t> train_queries;
};

// `split` empty = "test", or the only split; `train_split` empty = "train" when present and not
// evaluated. Throws UsageError for an unknown or ambiguous split and InputError when the
// evaluated split has no queries.
[[nodiscard]] RunSplits choose_splits(const Bundle& bundle, const std::string& split,
                                      const std::string& train_split);

}  // namespace zooter::pipeline

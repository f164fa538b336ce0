// What the importers share besides the builder and the provenance: token estimates, the pool
// of models with their parameter counts, reward-model entries and the derived rewards
// (--reward length).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/bundle.h"
#include "suites/importer.h"

namespace zooter::suites {

// How every importer estimates a token count it is not given, stated in each provenance.
inline constexpr std::string_view kTokenEstimate =
    "estimated, not counted: whitespace-separated words x 4/3, rounded to the nearest integer "
    "(about 0.75 English words per BPE token)";

// Whitespace-separated words x 4/3, rounded to the nearest integer (saturating at 2^32-1).
[[nodiscard]] std::uint32_t estimate_tokens(std::string_view text);

// A whole text as a finite or infinite number ("1", "0.5", "1e-3", "nan"); false when any of it
// is not part of the number. Locale-independent (std::from_chars), for CSV cells.
[[nodiscard]] bool parse_number(std::string_view text, double& value);

struct KnownParameters {
  std::string_view model;
  double parameters;
};

// The pool: options.models in their order, each of which must be in `available` (UsageError
// naming the unknown ones and, after "found in", `where`), or every available model when
// options.models is empty. Every name must be a valid bundle name (InputError otherwise).
[[nodiscard]] std::vector<std::string> choose_pool(const std::vector<std::string>& available,
                                                   const ImportOptions& options,
                                                   const std::string& where);

// Manifest entries for the pool: the count from --parameters, else from `known`. Throws
// UsageError listing every model that has neither, for a --parameters name that is none of
// the source's models (`available`, a superset of the pool) or `reward_names` (a typo), and for
// a reward name given twice or equal to a pool model's (names must be unique in a bundle).
[[nodiscard]] std::vector<Model> pool_models(const std::vector<std::string>& pool,
                                             const std::vector<std::string>& available,
                                             std::span<const KnownParameters> known,
                                             const ImportOptions& options,
                                             const std::vector<std::string>& reward_names = {});

// A reward model read from the source (an annotator, a column). Its parameter count comes
// from --parameters; without one it is 1, and the provenance says the count is unknown.
[[nodiscard]] RewardModel source_reward_model(const std::string& name,
                                              const ImportOptions& options);

// Appends the rewards options.derived_rewards asks for. "length" is a rule, not a model: its
// score for a response is the response's output_tokens (longer ranks higher, the known length
// bias of LLM judges, kept as an honest heuristic baseline) and its parameter count is 1, so
// its ranker FLOPs are negligible. Throws UsageError for an unknown rule or a name already
// taken, InputError when no response has a length (every output_tokens is 0).
void add_derived_rewards(Bundle& bundle, const ImportOptions& options);

}  // namespace zooter::suites

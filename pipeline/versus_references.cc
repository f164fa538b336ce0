#include "pipeline/versus_references.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "adapters/adapter_spec.h"
#include "harness/error.h"

namespace zooter::pipeline {
namespace {

// At most this many names in a "known:" list, so a run of a hundred candidates stays readable.
constexpr std::size_t kNamesShown = 12;

std::string name_list(const std::vector<std::string>& names) {
  if (names.size() <= kNamesShown) return fmt::format("{}", fmt::join(names, ", "));
  return fmt::format("{}, ... ({} more)",
                     fmt::join(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(kNamesShown), ", "),
                     names.size() - kNamesShown);
}

std::size_t resolve_one(const std::string& value, std::span<const adapters::AdapterSpec> specs) {
  std::vector<std::string> names;
  for (const adapters::AdapterSpec& spec : specs) names.push_back(spec.canonical());
  // Exact first, in the spelling adapters are named by, so "single@alpha" is never ambiguous.
  std::string wanted;
  try {
    wanted = adapters::AdapterSpec::parse(value).canonical();
  } catch (const UsageError& e) {
    throw UsageError(fmt::format("--versus \"{}\": {}", value, e.what()));
  }
  if (const auto it = std::find(names.begin(), names.end(), wanted); it != names.end()) {
    return static_cast<std::size_t>(it - names.begin());
  }
  std::vector<std::size_t> of_kind;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].name == value) of_kind.push_back(i);
  }
  if (of_kind.size() == 1) return of_kind.front();
  if (of_kind.empty()) {
    throw UsageError(fmt::format("--versus \"{}\": no adapter of this run is named so or is of that "
                                 "kind (adapters: {})", value, name_list(names)));
  }
  std::vector<std::string> matches;
  for (const std::size_t i : of_kind) matches.push_back(names[i]);
  throw UsageError(fmt::format("--versus \"{}\": {} adapters of this run are of that kind; name one "
                               "in full ({})", value, of_kind.size(), name_list(matches)));
}

}  // namespace

std::vector<std::size_t> resolve_versus(std::span<const std::string> wanted,
                                        std::span<const adapters::AdapterSpec> specs) {
  std::vector<std::size_t> out;
  for (const std::string& value : wanted) {
    const std::size_t position = resolve_one(value, specs);
    if (specs[position].name == "best-single") {
      throw UsageError(fmt::format("--versus \"{}\": every adapter is already tested against "
                                   "best-single; name another adapter", value));
    }
    if (std::find(out.begin(), out.end(), position) != out.end()) {
      throw UsageError(fmt::format("--versus \"{}\": adapter \"{}\" is given twice", value,
                                   specs[position].canonical()));
    }
    out.push_back(position);
  }
  return out;
}

}  // namespace zooter::pipeline

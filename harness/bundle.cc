#include "harness/bundle.h"

#include <algorithm>

#include "harness/error.h"

namespace zooter {
namespace {

template <typename T>
std::optional<std::size_t> find_named(const std::vector<T>& items, std::string_view name) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].name == name) return i;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::size_t> Manifest::find_subset(std::string_view id) const {
  for (std::size_t i = 0; i < subsets.size(); ++i) {
    if (subsets[i].id == id) return i;
  }
  return std::nullopt;
}
std::optional<std::size_t> Manifest::find_split(std::string_view name) const {
  return find_named(splits, name);
}
std::optional<std::size_t> Manifest::find_model(std::string_view name) const {
  return find_named(models, name);
}
std::optional<std::size_t> Manifest::find_reward_model(std::string_view name) const {
  return find_named(reward_models, name);
}

void check_name(std::string_view what, std::string_view name) {
  if (name.empty()) throw InputError(std::string(what) + " name is empty");
  const bool bad = std::any_of(name.begin(), name.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '@' || c == ',' || c == '=';
  });
  if (bad) {
    // Names are written in adapter specs (single@NAME, zooter@reward=NAME): there '@' starts
    // the arguments, ',' separates them and '=' splits a key from its value.
    throw InputError(std::string(what) + " name \"" + std::string(name) +
                     "\" contains whitespace, '@', ',' or '=' (an adapter spec could not name it)");
  }
}

}  // namespace zooter

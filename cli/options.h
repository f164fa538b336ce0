// Shared command-line plumbing for sub-commands: parse flags, then the config file they name,
// with flags taking precedence; print help that shows every default.
#pragma once

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/command.h"
#include "harness/error.h"

namespace zooter::cli {

namespace po = boost::program_options;

// The values a numeric option accepts. parse_options checks them for every option made with
// checked(), on the command line and in a config file alike; a default is not checked.
template <class T>
struct Range {
  T min = std::numeric_limits<T>::lowest();
  T max = std::numeric_limits<T>::max();
  bool exclusive_min = false;  // min itself is refused (a timeout of 0, a level of 0)
  bool exclusive_max = false;
};

// Levels and probabilities: 0 < x < 1.
inline constexpr Range<double> kOpenUnit{.min = 0, .max = 1, .exclusive_min = true, .exclusive_max = true};
// Threads driving network I/O (collect, score, serve): more would be a typo, not a wish.
inline constexpr std::size_t kMaxIoThreads = 256;

// What checked() values have in common: parse_options calls check() on each value given.
class RangeCheck {
 public:
  virtual ~RangeCheck() = default;
  // Throws UsageError("--NAME must be ..., got VALUE") when the value is out of range.
  virtual void check(const boost::any& value, const std::string& name) const = 0;
};

template <class T>
class CheckedValue final : public po::typed_value<T>, public RangeCheck {
 public:
  CheckedValue(T* target, Range<T> range) : po::typed_value<T>(target), range_(range) {}
  void check(const boost::any& value, const std::string& name) const override;

 private:
  Range<T> range_;
};

// po::value<T>(target) with a range: checked(&bootstrap, {.min = 0, .max = 1'000'000}).
template <class T>
[[nodiscard]] po::typed_value<T>* checked(T* target, Range<T> range) {
  return new CheckedValue<T>(target, range);
}

// "must be between 1 and 256", "must be at least 1", "must be greater than 0 and less than 1".
// The ends are given as text; an unbounded end is left out.
[[nodiscard]] std::string describe_range(const std::string& min, const std::string& max, bool exclusive_min,
                                         bool exclusive_max, bool min_unbounded, bool max_unbounded);

template <class T>
void CheckedValue<T>::check(const boost::any& value, const std::string& name) const {
  const T v = boost::any_cast<T>(value);
  const bool low = range_.exclusive_min ? !(v > range_.min) : !(v >= range_.min);
  const bool high = range_.exclusive_max ? !(v < range_.max) : !(v <= range_.max);
  if (!low && !high) return;
  const std::string text = describe_range(
      fmt::format("{}", range_.min), fmt::format("{}", range_.max), range_.exclusive_min, range_.exclusive_max,
      range_.min == std::numeric_limits<T>::lowest(), range_.max == std::numeric_limits<T>::max());
  throw UsageError(fmt::format("--{} {}, got {}", name, text, v));
}

struct ParsedOptions {
  po::variables_map values;
  bool help = false;
};

// Adds --help and --config to `description`, parses invocation.args (with `positional`),
// then the config file if one was given. Throws UsageError on bad flags, and on a bad number
// in any option: a negative value for an unsigned option (which Boost would wrap round to a
// huge one), a NaN or infinity for a floating-point one, a value outside a checked() range.
[[nodiscard]] ParsedOptions parse_options(const Invocation& invocation,
                                          po::options_description& description,
                                          const po::positional_options_description& positional);

// The --threads of a command that computes (run, train, synth): above the machine's hardware
// threads the work would run on those anyway (the task arena is capped there), so the count is
// lowered to them with a note on `err`, and the report's provenance names the threads used.
// 0 (all cores) and smaller counts are returned as given.
[[nodiscard]] int usable_threads(int requested, std::ostream& err);

// Prints "usage: zooter NAME USAGE", the summary and the options with their defaults.
void print_help(std::ostream& out, const std::string& name, const std::string& usage,
                const std::string& summary, const po::options_description& description);

// The resolved settings of a run, "key=value" for every option that has a value (defaults
// included), in option order, for the report's provenance.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> resolved_settings(
    const po::options_description& description, const po::variables_map& values);

}  // namespace zooter::cli

#include "cli/options.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ostream>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "cli/config_file.h"
#include "harness/error.h"

namespace zooter::cli {
namespace {

bool is_unsigned(const po::value_semantic* semantic) {
  return dynamic_cast<const po::typed_value<unsigned>*>(semantic) != nullptr ||
         dynamic_cast<const po::typed_value<unsigned long>*>(semantic) != nullptr ||
         dynamic_cast<const po::typed_value<unsigned long long>*>(semantic) != nullptr ||
         dynamic_cast<const po::typed_value<unsigned short>*>(semantic) != nullptr;
}

// Boost reads "-5" for an unsigned option as 2^64 - 5 without a word: refuse it before.
void refuse_negative_unsigned(const po::parsed_options& parsed, const po::options_description& description) {
  for (const po::option& o : parsed.options) {
    const po::option_description* d = description.find_nothrow(o.string_key, false);
    if (d == nullptr || !is_unsigned(d->semantic().get())) continue;
    for (const std::string& token : o.value) {
      const std::size_t first = token.find_first_not_of(" \t");
      if (first != std::string::npos && token[first] == '-') {
        throw UsageError(fmt::format("--{} must not be negative, got {}", o.string_key, token));
      }
    }
  }
}

// Every number given (not a default) is finite and inside its checked() range.
void check_numbers(const po::options_description& description, const po::variables_map& values) {
  for (const auto& option : description.options()) {
    const std::string& key = option->long_name();
    if (!values.count(key) || values[key].defaulted()) continue;
    const boost::any& v = values[key].value();
    if (const auto* d = boost::any_cast<double>(&v); d != nullptr && !std::isfinite(*d)) {
      throw UsageError(fmt::format("--{} must be a finite number, got {}", key, *d));
    }
    if (const auto* range = dynamic_cast<const RangeCheck*>(option->semantic().get())) range->check(v, key);
  }
}

}  // namespace

std::string describe_range(const std::string& min, const std::string& max, bool exclusive_min,
                           bool exclusive_max, bool min_unbounded, bool max_unbounded) {
  const std::string low = fmt::format("{} {}", exclusive_min ? "greater than" : "at least", min);
  const std::string high = fmt::format("{} {}", exclusive_max ? "less than" : "at most", max);
  if (min_unbounded) return "must be " + high;
  if (max_unbounded) return "must be " + low;
  if (!exclusive_min && !exclusive_max) return fmt::format("must be between {} and {}", min, max);
  return "must be " + low + " and " + high;
}

int usable_threads(int requested, std::ostream& err) {
  const int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (requested <= hardware) return requested;
  err << fmt::format("note: --threads {}: this machine has {} hardware threads; using {}\n", requested, hardware,
                     hardware);
  return hardware;
}

ParsedOptions parse_options(const Invocation& invocation, po::options_description& description,
                            const po::positional_options_description& positional) {
  description.add_options()
      ("config", po::value<std::string>(), "read options from this file (flags override it)")
      ("help,h", "show this help");
  ParsedOptions parsed;
  try {
    const po::parsed_options flags = po::command_line_parser(invocation.args)
                                         .options(description)
                                         .positional(positional)
                                         .run();
    refuse_negative_unsigned(flags, description);
    po::store(flags, parsed.values);
    if (parsed.values.count("config")) {
      // A flag replaces the config file's value(s) for that option. Dropping the file's
      // entries is needed: repeatable options would otherwise merge both lists.
      po::parsed_options file =
          read_config_file(parsed.values["config"].as<std::string>(), description);
      std::set<std::string> given;
      for (const po::option& o : flags.options) given.insert(o.string_key);
      std::erase_if(file.options, [&](const po::option& o) { return given.count(o.string_key) > 0; });
      refuse_negative_unsigned(file, description);
      po::store(file, parsed.values);
    }
    parsed.help = parsed.values.count("help") > 0;
    if (parsed.help) return parsed;
    check_numbers(description, parsed.values);
    po::notify(parsed.values);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  return parsed;
}

void print_help(std::ostream& out, const std::string& name, const std::string& usage,
                const std::string& summary, const po::options_description& description) {
  out << "usage: zooter " << name << ' ' << usage << "\n\n" << summary << "\n\n" << description;
}

std::vector<std::pair<std::string, std::string>> resolved_settings(
    const po::options_description& description, const po::variables_map& values) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& option : description.options()) {
    const std::string& key = option->long_name();
    if (key == "help" || key == "config" || !values.count(key)) continue;
    const boost::any& v = values[key].value();
    std::string text;
    if (const auto* s = boost::any_cast<std::string>(&v)) {
      text = *s;
    } else if (const auto* list = boost::any_cast<std::vector<std::string>>(&v)) {
      for (const std::string& item : *list) text += (text.empty() ? "" : " ") + item;
    } else if (const auto* i = boost::any_cast<int>(&v)) {
      text = std::to_string(*i);
    } else if (const auto* u = boost::any_cast<std::uint64_t>(&v)) {
      text = std::to_string(*u);
    } else if (const auto* d = boost::any_cast<double>(&v)) {
      text = std::to_string(*d);
    } else if (const auto* b = boost::any_cast<bool>(&v)) {
      text = *b ? "true" : "false";
    } else {
      text = "(set)";
    }
    out.emplace_back(key, text);
  }
  if (values.count("config")) out.emplace_back("config", values["config"].as<std::string>());
  return out;
}

}  // namespace zooter::cli

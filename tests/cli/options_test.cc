// Every numeric option of every command, given a value out of its range: a usage error (exit 2)
// naming the option, the range and the value, before any work. Boost.Program_options alone
// would read "-5" for an unsigned option as 2^64 - 5 and "nan" for a double as NaN; the checks
// in cli/options.cc (parse_options, checked()) refuse both. The table is checked against every
// command's --help, so a new numeric option without a row here fails the test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <charconv>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cli/command.h"
#include "tests/helpers.h"
#include "tests/support/cli_run.h"

namespace zooter::cli {
namespace {

using ::testing::HasSubstr;

const std::string kTiny = test::tiny_bundle_dir();

struct BadValue {
  std::vector<std::string> args;  // the command and the option with its value (and what else it needs)
  std::string message;            // what follows "zooter COMMAND: "
};

// Rows name the option as the table's completeness check reads them: args[0] is the command,
// the first "--" argument the option.
const std::vector<BadValue>& bad_values() {
  static const std::vector<BadValue> rows = {
      {{"run", "--bootstrap", "-5"}, "--bootstrap must not be negative, got -5"},
      {{"run", "--bootstrap", "1000001"}, "--bootstrap must be at most 1000000, got 1000001"},
      {{"run", "--ci", "1"}, "--ci must be greater than 0 and less than 1, got 1"},
      {{"run", "--ci", "0"}, "--ci must be greater than 0 and less than 1, got 0"},
      {{"run", "--alpha", "nan"}, "--alpha must be a finite number, got nan"},
      {{"run", "--threads", "-1"}, "--threads must be at least 0, got -1"},
      {{"run", "--seed", "-1"}, "--seed must not be negative, got -1"},
      {{"ablate", "--seed", "-1"}, "--seed must not be negative, got -1"},
      {{"ablate", "--hard-label-beta", "2"}, "--hard-label-beta must be between 0 and 1, got 2"},
      {{"ablate", "--threads", "-1", kTiny}, "--threads must be at least 0, got -1"},
      {{"collect", "--temperature", "nan"}, "--temperature must be a finite number, got nan"},
      {{"collect", "--temperature", "inf"}, "--temperature must be a finite number, got inf"},
      {{"collect", "--limit", "-1"}, "--limit must not be negative, got -1"},
      {{"collect", "--max-tokens", "-1"}, "--max-tokens must not be negative, got -1"},
      {{"collect", "--threads", "0"}, "--threads must be between 1 and 256, got 0"},
      {{"collect", "--threads", "257"}, "--threads must be between 1 and 256, got 257"},
      {{"compare", "--max-drop", "-0.1"}, "--max-drop must be at least 0, got -0.1"},
      {{"compare", "--max-rank-rise", "inf"}, "--max-rank-rise must be a finite number, got inf"},
      {{"compare", "--max-uplift-drop", "-1"}, "--max-uplift-drop must be at least 0, got -1"},
      {{"compare", "--alpha", "0"}, "--alpha must be greater than 0 and less than 1, got 0"},
      {{"compare", "--alpha", "nan"}, "--alpha must be a finite number, got nan"},
      {{"gold", "--metric-min", "nan"}, "--metric-min must be a finite number, got nan"},
      {{"gold", "--metric-max", "inf"}, "--metric-max must be a finite number, got inf"},
      {{"import", "--threads", "-1"}, "--threads must be at least 0, got -1"},
      {{"import", "--max-problems", "-1"}, "--max-problems must not be negative, got -1"},
      {{"import", "--metric-min", "nan"}, "--metric-min must be a finite number, got nan"},
      {{"import", "--metric-max", "-inf"}, "--metric-max must be a finite number, got -inf"},
      {{"score", "--reward-parameters", "-1"}, "--reward-parameters must be at least 0, got -1"},
      {{"score", "--threads", "0"}, "--threads must be between 1 and 256, got 0"},
      {{"score", "--threads", "-1"}, "--threads must not be negative, got -1"},
      {{"serve", "--threads", "0"}, "--threads must be between 1 and 256, got 0"},
      {{"serve", "--threads", "-1"}, "--threads must not be negative, got -1"},
      {{"serve", "--max-body-bytes", "0"}, "--max-body-bytes must be at least 1, got 0"},
      {{"serve", "--max-body-bytes", "-1"}, "--max-body-bytes must not be negative, got -1"},
      {{"serve", "--max-header-bytes", "0"}, "--max-header-bytes must be at least 1, got 0"},
      {{"serve", "--max-connections", "0"}, "--max-connections must be at least 1, got 0"},
      {{"serve", "--upstream-timeout", "-1"}, "--upstream-timeout must be between 0 and 86400, got -1"},
      {{"serve", "--header-timeout", "0"}, "--header-timeout must be greater than 0 and at most 86400, got 0"},
      {{"serve", "--header-timeout", "86401"}, "--header-timeout must be greater than 0 and at most 86400, got 86401"},
      {{"serve", "--client-timeout", "0"}, "--client-timeout must be greater than 0 and at most 86400, got 0"},
      {{"serve", "--client-timeout", "nan"}, "--client-timeout must be a finite number, got nan"},
      {{"serve", "--shutdown-grace", "86401"}, "--shutdown-grace must be between 0 and 86400, got 86401"},
      {{"synth", "--seed", "-1"}, "--seed must not be negative, got -1"},
      {{"synth", "--threads", "-2"}, "--threads must be at least 0, got -2"},
      {{"synth", "--train-queries", "0"}, "--train-queries must be at least 1, got 0"},
      {{"synth", "--queries", "0"}, "--queries must be at least 1, got 0"},
      {{"synth", "--models", "0"}, "--models must be between 1 and 64, got 0"},
      {{"synth", "--models", "65"}, "--models must be between 1 and 64, got 65"},
      {{"synth", "--reward-models", "-1"}, "--reward-models must not be negative, got -1"},
      {{"synth", "--reward-errors", "1,0,2,1", "--out", "unused"},
       "--reward-errors: expected five non-negative numbers FACTUAL,OPEN,TRAIN,BLIND,FLUENCY, got \"1,0,2,1\""},
      {{"synth", "--reward-errors", "1,0,2,1,-0.5", "--out", "unused"},
       "--reward-errors: expected five non-negative numbers FACTUAL,OPEN,TRAIN,BLIND,FLUENCY, got \"1,0,2,1,-0.5\""},
      {{"synth", "--reward-errors", "1,x,2,1,1", "--out", "unused"}, "--reward-errors: \"x\" is not a number"},
      {{"train", "--beta", "1.5"}, "--beta must be between 0 and 1, got 1.5"},
      {{"train", "--epochs", "0"}, "--epochs must be between 1 and 10000, got 0"},
      {{"train", "--epochs", "-1"}, "--epochs must not be negative, got -1"},
      {{"train", "--threads", "-1"}, "--threads must be at least 0, got -1"},
      {{"train", "--seed", "-1"}, "--seed must not be negative, got -1"},
      {{"validate", "--max-problems", "-1"}, "--max-problems must not be negative, got -1"},
      {{"validate", "--threads", "-1"}, "--threads must be at least 0, got -1"},
      {{"tune", "--folds", "1"}, "--folds must be between 2 and 100, got 1"},
      {{"tune", "--threads", "-1"}, "--threads must be at least 0, got -1"},
      {{"tune", "--seed", "-1"}, "--seed must not be negative, got -1"},
  };
  return rows;
}

TEST(CliOptions, EveryNumericOptionRefusesValuesOutOfRange) {
  for (const BadValue& row : bad_values()) {
    const test::CliRun r = test::zooter(row.args);
    EXPECT_EQ(r.code, 2) << row.args[0] << ' ' << row.args[1] << ' ' << row.args[2] << '\n' << r.err;
    EXPECT_THAT(r.err, HasSubstr("zooter " + row.args[0] + ": " + row.message + "\n")) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

// The same checks apply to a value read from a config file.
TEST(CliOptions, ConfigFileValuesAreCheckedToo) {
  const test::TempDir tmp;
  const std::pair<std::string, std::string> cases[] = {
      {"bootstrap = -5\n", "--bootstrap must not be negative, got -5"},
      {"ci = 2\n", "--ci must be greater than 0 and less than 1, got 2"},
      {"alpha = nan\n", "--alpha must be a finite number, got nan"},
  };
  for (const auto& [text, message] : cases) {
    const std::string cfg = tmp.file("run.cfg");
    test::write_file(cfg, text);
    const test::CliRun r = test::zooter({"run", kTiny, "--config", cfg});
    EXPECT_EQ(r.code, 2) << text;
    EXPECT_THAT(r.err, HasSubstr("zooter run: " + message + "\n")) << r.err;
  }
}

// One option of a command's --help whose default is a number, as printed there.
struct NumericDefault {
  std::string command;
  std::string option;  // "--beta"
  std::string text;    // "0.3"
  double value = 0.0;
};

// Every numeric default in the --help of every command, read off the help text itself.
std::vector<NumericDefault> numeric_defaults_in_help() {
  const std::regex option(R"(--([a-z][a-z-]*) \]? ?arg \(=([^)]*)\))");
  std::vector<NumericDefault> out;
  for (const Command& command : commands()) {
    const test::CliRun help = test::zooter({command.name, "--help"});
    EXPECT_EQ(help.code, 0) << command.name;
    for (std::sregex_iterator it(help.out.begin(), help.out.end(), option), end; it != end; ++it) {
      NumericDefault d{command.name, "--" + (*it)[1].str(), (*it)[2].str()};
      const auto [ptr, ec] = std::from_chars(d.text.data(), d.text.data() + d.text.size(), d.value);
      if (ec == std::errc() && ptr == d.text.data() + d.text.size()) out.push_back(std::move(d));
    }
  }
  return out;
}

// Every option whose --help shows a numeric default has a row above: a new numeric option must
// get a range check and a row, or this fails.
TEST(CliOptions, TableCoversEveryNumericOption) {
  std::set<std::pair<std::string, std::string>> covered;
  for (const BadValue& row : bad_values()) covered.emplace(row.args[0], row.args[1]);
  const std::vector<NumericDefault> defaults = numeric_defaults_in_help();
  for (const NumericDefault& d : defaults) {
    EXPECT_TRUE(covered.count({d.command, d.option}) > 0)
        << "zooter " << d.command << " " << d.option << " has no row in bad_values()";
  }
  EXPECT_GE(defaults.size(), 30u);  // the regex still reads the help
}

// Every fractional default in --help is printed as written, the shortest text that reads back as
// the same number: "--beta arg (=0.3)", never Boost's "(=0.29999999999999999)".
TEST(CliOptions, HelpPrintsDefaultsAsWritten) {
  std::size_t fractional = 0;
  for (const NumericDefault& d : numeric_defaults_in_help()) {
    if (d.text.find_first_of(".e") == std::string::npos && d.text.size() < 16) continue;  // an integer
    ++fractional;
    EXPECT_EQ(d.text, fmt::format("{}", d.value)) << "zooter " << d.command << " " << d.option;
  }
  EXPECT_GE(fractional, 6u);  // the regex still reads the help
  EXPECT_THAT(test::zooter({"train", "--help"}).out, HasSubstr("--beta arg (=0.3)"));
}

// Values inside the ranges still work: the edges of a few.
TEST(CliOptions, ValuesAtTheEdgesAreAccepted) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"run", kTiny, "--bootstrap", "0", "--quiet"},
           {"run", kTiny, "--bootstrap", "10", "--ci", "0.5", "--alpha", "0.999", "--quiet"},
           {"validate", kTiny, "--max-problems", "0"},
       }) {
    const test::CliRun r = test::zooter(args);
    EXPECT_EQ(r.code, 0) << args[0] << ' ' << args[2] << '\n' << r.err;
  }
}

// More threads than the machine has: the work runs on the hardware threads anyway, so the
// count is lowered to them with a note, and the report's provenance names the count used.
TEST(CliOptions, ThreadsAboveTheHardwareAreLoweredWithANote) {
  const test::TempDir tmp;
  const int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const test::CliRun r =
      test::zooter({"run", kTiny, "--threads", "100000", "--quiet", "--out", tmp.file("out"), "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("note: --threads 100000: this machine has " + std::to_string(hardware) +
                               " hardware threads; using " + std::to_string(hardware) + "\n"));
  EXPECT_THAT(test::read_file(tmp.file("out/report.json")), HasSubstr("\"threads\": " + std::to_string(hardware) + ","));
}

// ablate computes as run does, and lowers its --threads the same way.
TEST(CliOptions, AblateLowersThreadsAboveTheHardwareWithANote) {
  const int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const test::CliRun r = test::zooter({"ablate", kTiny, "--threads", "100000", "--beta", "0.5", "--reward", "judge-rm"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("note: --threads 100000: this machine has " + std::to_string(hardware) +
                               " hardware threads; using " + std::to_string(hardware) + "\n"));
}

}  // namespace
}  // namespace zooter::cli

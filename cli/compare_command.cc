// zooter compare BASE.json NEW.json: the regression gate. Exit 0 = no regression,
// 1 = regression, 2 = the reports are not comparable (different suite, split, pool or
// subsets). Prints a Markdown summary for a pull-request comment.
#include <ostream>

#include "cli/commands_list.h"
#include "cli/options.h"
#include "harness/error.h"
#include "reports/report_comparison.h"

namespace zooter::cli {

int run_compare(const Invocation& invocation) {
  po::options_description description("compare options");
  std::string base, current;
  reports::ComparisonOptions options;
  description.add_options()
      ("base", po::value<std::string>(&base)->required(), "baseline report.json")
      ("new", po::value<std::string>(&current)->required(), "new report.json")
      ("max-drop", checked<double>(&options.max_drop, {.min = 0})->default_value(0.01, "0.01"),
       "largest tolerated drop of a score or group average, as a share of its metric's range")
      ("max-rank-rise", checked<double>(&options.max_rank_rise, {.min = 0})->default_value(0.10, "0.1"),
       "largest tolerated rise of a mean task rank")
      ("max-uplift-drop", checked<double>(&options.max_uplift_drop, {.min = 0})->default_value(0.05, "0.05"),
       "largest tolerated drop of %Uplift (fraction of subsets)")
      ("alpha", checked<double>(nullptr, kOpenUnit),
       "significance level: a drop beyond its threshold must also be significant in a one-sided "
       "z test on both reports' bootstrap standard errors (default: must leave the base interval)");
  po::positional_options_description positional;
  positional.add("base", 1).add("new", 1);
  const ParsedOptions parsed = parse_options(invocation, description, positional);
  if (parsed.help) {
    print_help(invocation.out, "compare", "BASE.json NEW.json [OPTIONS]",
               "Compares two reports of the same suite and pool. Exit 0: no regression;\n"
               "1: regression; 2: not comparable (another suite, split, pool or set of subsets, or\n"
               "a subset whose metric changed name, scale, direction or group). When both reports\n"
               "carry bootstrap intervals, a drop must also leave the base interval to count.",
               description);
    return 0;
  }
  if (parsed.values.count("alpha") != 0) {
    options.alpha = parsed.values["alpha"].as<double>();
  }
  const reports::Comparison comparison = reports::compare_reports(base, current, options);
  reports::write_comparison_markdown(comparison, base, current, invocation.out);
  if (!comparison.comparable) return 2;
  return comparison.has_regression() ? 1 : 0;
}

}  // namespace zooter::cli

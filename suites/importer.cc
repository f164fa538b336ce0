#include "suites/importer.h"

#include <cmath>
#include <cstdlib>

#include "harness/error.h"
#include "suites/importer_factories.h"

namespace zooter::suites {

const std::vector<std::string>& common_import_options() {
  static const std::vector<std::string> kOptions = {"suite",       "models", "parameters",
                                                    "null-policy", "reward", "max-problems"};
  return kOptions;
}

std::unique_ptr<Importer> make_importer(std::string_view name) {
  if (name == "alpaca-eval") return make_alpaca_eval_importer();
  if (name == "routerdc") return make_routerdc_importer();
  if (name == "routerbench") return make_routerbench_importer();
  if (name == "table") return make_table_importer();
  std::string known;
  for (const ImporterInfo& info : importer_catalog()) {
    known += (known.empty() ? "" : ", ") + info.name;
  }
  throw UsageError("unknown import format \"" + std::string(name) + "\" (known: " + known + ")");
}

const std::vector<ImporterInfo>& importer_catalog() {
  static const std::vector<ImporterInfo> kCatalog = [] {
    std::vector<ImporterInfo> out;
    for (auto* make : {&make_alpaca_eval_importer, &make_routerdc_importer,
                       &make_routerbench_importer, &make_table_importer}) {
      out.push_back((*make)()->info());
    }
    return out;
  }();
  return kCatalog;
}

std::vector<std::pair<std::string, double>> parse_parameters(std::string_view text) {
  std::vector<std::pair<std::string, double>> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string item(text.substr(start, end - start));
    start = end + 1;
    if (item.empty()) continue;
    // Split at the last '=': a model name may hold '=' but a number never does.
    const std::size_t eq = item.rfind('=');
    if (eq == std::string::npos || eq == 0) {
      throw UsageError("--parameters: \"" + item + "\" is not NAME=COUNT (e.g. vicuna-13b=13e9)");
    }
    const std::string name = item.substr(0, eq);
    const std::string count = item.substr(eq + 1);
    char* parsed_end = nullptr;
    const double value = std::strtod(count.c_str(), &parsed_end);
    if (count.empty() || parsed_end != count.c_str() + count.size() || !std::isfinite(value) ||
        !(value > 0)) {
      throw UsageError("--parameters: the count of \"" + name +
                       "\" must be a positive number, not \"" + count + "\"");
    }
    for (const auto& [seen, ignored] : out) {
      if (seen == name) throw UsageError("--parameters: \"" + name + "\" is given twice");
    }
    out.emplace_back(name, value);
  }
  return out;
}

}  // namespace zooter::suites

#include "pipeline/splits.h"

#include <fmt/format.h>

#include "harness/bundle.h"
#include "harness/error.h"

namespace zooter::pipeline {
namespace {

std::vector<std::uint32_t> queries_of(const Bundle& b, std::size_t split) {
  std::vector<std::uint32_t> out;
  for (std::size_t q = 0; q < b.query_count(); ++q) {
    if (b.queries.split[q] == split) out.push_back(static_cast<std::uint32_t>(q));
  }
  return out;
}

}  // namespace

RunSplits choose_splits(const Bundle& bundle, const std::string& split, const std::string& train_split) {
  const Manifest& m = bundle.manifest;
  RunSplits out;
  auto find = [&](const std::string& name, const char* flag) {
    if (auto s = m.find_split(name)) return *s;
    std::string known;
    for (const Split& s : m.splits) known += (known.empty() ? "" : ", ") + s.name;
    throw UsageError(fmt::format("{} \"{}\": the bundle has no such split (it has: {})", flag,
                                 name, known));
  };
  if (!split.empty()) {
    out.evaluated = find(split, "--split");
  } else if (auto test = m.find_split("test")) {
    out.evaluated = *test;
  } else if (m.splits.size() == 1) {
    out.evaluated = 0;
  } else {
    throw UsageError("the bundle has several splits and none is called \"test\": choose one with --split");
  }
  if (!train_split.empty()) {
    out.train = find(train_split, "--train-split");
    if (*out.train == out.evaluated) throw UsageError("--train-split must differ from the evaluated split");
  } else if (auto train = m.find_split("train"); train && *train != out.evaluated) {
    out.train = train;
  }
  out.evaluated_queries = queries_of(bundle, out.evaluated);
  if (out.evaluated_queries.empty()) {
    throw InputError("split \"" + m.splits[out.evaluated].name + "\" has no queries to evaluate");
  }
  if (out.train) out.train_queries = queries_of(bundle, *out.train);
  return out;
}

}  // namespace zooter::pipeline

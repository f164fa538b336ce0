#include "adapters/exec_protocol.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "harness/bundle.h"
#include "harness/json_quote.h"
#include "harness/parallel.h"
#include "harness/run_context.h"

namespace zooter::adapters {
namespace {

void append_number(std::string& out, double x) {
  if (std::isfinite(x)) {
    fmt::format_to(std::back_inserter(out), "{}", x);
  } else {
    out += "null";
  }
}

// {"MODEL": x, ...} for one query's row of a queries x models matrix; `keys` are the models'
// quoted names followed by ": ", made once (a row is written a few hundred thousand times).
void append_row(std::string& out, const Bundle& b, const std::vector<std::string>& keys,
                const std::vector<double>& matrix, std::uint32_t q) {
  out += '{';
  for (std::size_t m = 0; m < keys.size(); ++m) {
    if (m > 0) out += ", ";
    out += keys[m];
    append_number(out, matrix[b.responses.cell(q, m)]);
  }
  out += '}';
}

std::string names(const std::vector<std::string>& list) {
  std::string out = "[";
  for (std::size_t i = 0; i < list.size(); ++i) out += (i ? ", " : "") + json_quote(list[i]);
  return out + "]";
}

}  // namespace

std::string exec_input(const Bundle& b, const ExecRequest& request, const RunContext& ctx) {
  const Manifest& m = b.manifest;
  std::vector<std::string> candidates, reward_models;
  for (const Model& model : m.models) candidates.push_back(model.name);
  for (const RewardModel& rm : m.reward_models) reward_models.push_back(rm.name);
  std::string out = fmt::format(
      "{{\"protocol\": \"zooter-exec\", \"version\": {}, \"candidates\": {}, \"reward_models\": {}, "
      "\"cost_unit\": {}, \"relative_cost\": [",
      kExecProtocolVersion, names(candidates), names(reward_models), json_quote(request.cost_unit));
  for (std::size_t c = 0; c < request.relative_cost.size(); ++c) {
    if (c > 0) out += ", ";
    append_number(out, request.relative_cost[c]);
  }
  fmt::format_to(std::back_inserter(out), "], \"train_gold\": {}, \"train\": {}, \"route\": {}, \"seed\": {}}}\n",
                 request.train_gold, request.train.size(), request.route.size(), request.seed);
  std::vector<std::string> model_keys, reward_keys;
  for (const std::string& name : candidates) model_keys.push_back(json_quote(name) + ": ");
  for (const std::string& name : reward_models) reward_keys.push_back(json_quote(name) + ": ");
  // Formatting the numbers is most of the cost (3M of them for 100k training queries x 11
  // candidates x 2 reward models): blocks of lines are formatted on the run's threads.
  constexpr std::size_t kLinesPerBlock = 2048;
  auto append_lines = [&](std::span<const std::uint32_t> queries, auto&& append_line) {
    std::vector<std::string> blocks((queries.size() + kLinesPerBlock - 1) / kLinesPerBlock);
    parallel_for_each(
        ctx, blocks.size(),
        [&](std::size_t k) {
          const std::size_t end = std::min(queries.size(), (k + 1) * kLinesPerBlock);
          for (std::size_t i = k * kLinesPerBlock; i < end; ++i) append_line(blocks[k], queries[i]);
        },
        1);
    std::size_t size = out.size();
    for (const std::string& block : blocks) size += block.size();
    out.reserve(size);
    for (const std::string& block : blocks) out += block;
  };
  append_lines(request.train, [&](std::string& lines, std::uint32_t q) {
    lines += "{\"kind\": \"train\", \"query\": ";
    lines += json_quote(b.queries.id[q]);
    lines += ", \"text\": ";
    lines += json_quote(b.queries.text[q]);
    lines += ", \"tags\": [";
    const auto tags = b.queries.tags(q);
    for (std::size_t t = 0; t < tags.size(); ++t) lines += (t ? ", " : "") + json_quote(b.tag_names[tags[t]]);
    lines += "], \"rewards\": {";
    for (std::size_t r = 0; r < reward_keys.size(); ++r) {
      if (r > 0) lines += ", ";
      lines += reward_keys[r];
      append_row(lines, b, model_keys, b.responses.rewards[r], q);
    }
    lines += '}';
    if (request.train_gold) {
      lines += ", \"gold\": ";
      append_row(lines, b, model_keys, b.responses.gold, q);
    }
    lines += "}\n";
  });
  append_lines(request.route, [&](std::string& lines, std::uint32_t q) {
    lines += "{\"kind\": \"route\", \"query\": ";
    lines += json_quote(b.queries.id[q]);
    lines += ", \"text\": ";
    lines += json_quote(b.queries.text[q]);
    lines += "}\n";
  });
  return out;
}

}  // namespace zooter::adapters

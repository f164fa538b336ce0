// Reads responses.jsonl (docs/bundle-format.md) into the dense Bundle::responses matrices.
//
// This file holds most of a bundle's bytes. Each line is read by the quick scanner of plain
// lines (plain_response_scanner.h) when it can, else by RapidJSON's SAX reader
// (response_line.h), which finds and names every problem; the checks that need the queries
// and the other lines are made here.
#include <fmt/format.h>

#include <limits>
#include <vector>

#include "harness/bundle.h"
#include "harness/bundle_readers.h"
#include "harness/jsonl_lines.h"
#include "harness/plain_response_scanner.h"
#include "harness/response_line.h"

namespace zooter {

void read_responses(const std::string& path, const LoadOptions& options, Bundle& bundle,
                    const QueryIndex& index, ContentHash& hash) {
  ProblemList problems(path, options.max_problems_per_file);
  const Manifest& m = bundle.manifest;
  Responses& r = bundle.responses;
  const std::size_t n_models = m.models.size();
  const std::size_t n_rewards = m.reward_models.size();
  const std::size_t n_cells = bundle.query_count() * n_models;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  r.models = n_models;
  r.gold.assign(n_cells, nan);
  r.output_tokens.assign(n_cells, 0);
  r.dollars.assign(n_cells, nan);
  r.rewards.assign(n_rewards, std::vector<double>(n_cells, nan));
  if (options.with_text) r.text.assign(n_cells, std::string());
  std::vector<std::uint32_t> seen_at(n_cells, 0);  // line of the cell's response; 0 = none yet

  ResponseLine line;
  ResponseLineParser parser(m);
  std::size_t last_model = 0;  // responses usually repeat models in order: try the next first
  std::size_t last_query = SIZE_MAX;  // wraps to 0: the first line tries the first query
  // Decided once per file: a gold-pending bundle has no gold anywhere, any other has it everywhere.
  const bool gold_pending = m.gold_pending;
  const ResponseField required[] = {ResponseField::kQuery, ResponseField::kModel,
                                    gold_pending ? ResponseField::kNone : ResponseField::kGold,
                                    ResponseField::kOutputTokens};
  for_each_jsonl_line(path, options, problems, hash, [&](const JsonlLine& jl) {
    line.reset(n_rewards);
    if (!scan_plain_response_line(jl.text, m, line)) {
      line.reset(n_rewards);
      if (const std::string error = parser.parse(jl.data, line); !error.empty()) {
        problems.add(jl.number, error, jl.excerpt);
        return;
      }
    }
    auto problem = [&](const std::string& message) { problems.add(jl.number, message, jl.excerpt); };
    for (const std::string& p : line.problems) problem(p);
    bool ok = line.problems.empty();
    for (ResponseField f : required) {
      if (f != ResponseField::kNone && !line.has(f)) {
        problem(fmt::format("missing field \"{}\"", name_of(f)));
        ok = false;
      }
    }
    if (n_rewards > 0 && ok) {
      if (!line.has(ResponseField::kRewards)) {
        problem("missing field \"rewards\" (the manifest declares reward models)");
        ok = false;
      } else {
        for (std::size_t k = 0; k < n_rewards; ++k) {
          if (!line.reward_seen[k]) {
            problem(fmt::format("rewards: missing \"{}\"", m.reward_models[k].name));
            ok = false;
            break;
          }
        }
      }
    }
    if (gold_pending && line.has(ResponseField::kGold) && !options.ignore_pending_gold) {
      // Never half-graded: gold comes for every response at once, with `zooter gold`.
      problem("gold: not allowed while manifest.json says \"gold\": \"pending\" (add every gold "
              "score at once with `zooter gold`)");
      ok = false;
    }
    if (!ok) return;

    // Responses usually come grouped by query, in the order of queries.jsonl: try the previous
    // line's query, then the one after it, before the index.
    const std::vector<std::string>& ids = bundle.queries.id;
    std::size_t q = last_query;
    if (q >= ids.size() || ids[q] != line.query) {
      if (q + 1 < ids.size() && ids[q + 1] == line.query) {
        q = q + 1;
      } else if (const std::uint32_t found = index.find(line.query, ids);
                 found != RowIndex::kAbsent) {
        q = found;
      } else {
        problem(fmt::format("unknown query \"{}\" (not in queries.jsonl)", line.query));
        ok = false;
      }
    }
    std::size_t model = n_models;
    if (last_model + 1 < n_models && m.models[last_model + 1].name == line.model) {
      model = last_model + 1;
    } else if (auto found = m.find_model(line.model)) {
      model = *found;
    } else {
      problem(fmt::format("unknown model \"{}\" (not in manifest.json)", line.model));
      ok = false;
    }
    if (line.has(ResponseField::kCost) && line.cost < 0) {
      problem("cost: expected a finite number >= 0");
      ok = false;
    }
    if (!ok) return;
    last_model = model;
    last_query = q;
    const Subset& subset = m.subsets[bundle.queries.subset[q]];
    if (!gold_pending && (line.gold < subset.metric.min || line.gold > subset.metric.max)) {
      problem(fmt::format("gold: {} is outside the scale [{}, {}] of subset \"{}\"", line.gold,
                          subset.metric.min, subset.metric.max, subset.id));
      return;
    }
    const std::size_t c = r.cell(q, model);
    if (seen_at[c] != 0) {
      problem(fmt::format("duplicate response for query \"{}\" and model \"{}\" (first at line {})",
                          bundle.queries.id[q], m.models[model].name, seen_at[c]));
      return;
    }
    seen_at[c] = static_cast<std::uint32_t>(jl.number);
    if (!gold_pending) r.gold[c] = line.gold;  // pending: stays NaN
    r.output_tokens[c] = static_cast<std::uint32_t>(line.output_tokens);
    if (line.has(ResponseField::kCost)) r.dollars[c] = line.cost;
    for (std::size_t k = 0; k < n_rewards; ++k) r.rewards[k][c] = line.rewards[k];
    if (options.with_text) r.text[c] = std::string(line.text);
  });
  if (problems.empty()) {
    for (std::size_t c = 0; c < n_cells; ++c) {
      if (seen_at[c] == 0) {
        problems.add(0, fmt::format("missing response for query \"{}\" and model \"{}\"",
                                    bundle.queries.id[c / n_models], m.models[c % n_models].name));
      }
    }
  }
  problems.throw_if_any();
}

}  // namespace zooter

// Reads responses.jsonl (docs/bundle-format.md) into the dense Bundle::responses matrices.
//
// This file holds most of a bundle's bytes. Each line is read by the quick scanner of plain
// lines (plain_response_scanner.h) when it can, else by RapidJSON's SAX reader
// (response_line.h), which finds and names every problem; the checks that need the queries
// and the other lines are made here. Lines are parsed and checked on the run's threads
// (jsonl_batches.h); duplicates are found in the merge, in file order.
#include <fmt/format.h>

#include <limits>
#include <vector>

#include "harness/bundle.h"
#include "harness/bundle_readers.h"
#include "harness/jsonl_batches.h"
#include "harness/parallel.h"
#include "harness/plain_response_scanner.h"
#include "harness/response_line.h"

namespace zooter {

namespace {

// One response line, parsed and checked (all but duplicates, which need the lines before).
struct ResponseOutcome : LineOutcome {
  std::size_t cell = 0;
  double gold = 0.0, cost = 0.0;
  bool has_cost = false;
  std::uint32_t output_tokens = 0;
  std::vector<double> rewards;  // per reward model
  std::string text;             // only with LoadOptions::with_text
};

// Parses and checks one line of responses.jsonl at a time; one per block of lines.
class ResponseLineChecker {
 public:
  ResponseLineChecker(const Bundle& bundle, const LoadOptions& options, const QueryIndex& index)
      : bundle_(bundle), options_(options), index_(index), parser_(bundle.manifest) {}

  void operator()(const JsonlLine& jl, ResponseOutcome& out) {
    const Manifest& m = bundle_.manifest;
    const std::size_t n_models = m.models.size();
    const std::size_t n_rewards = m.reward_models.size();
    // Decided once per file: a gold-pending bundle has no gold anywhere, any other has it everywhere.
    const bool gold_pending = m.gold_pending;
    const ResponseField required[] = {ResponseField::kQuery, ResponseField::kModel,
                                      gold_pending ? ResponseField::kNone : ResponseField::kGold,
                                      ResponseField::kOutputTokens};
    line_.reset(n_rewards);
    if (!scan_plain_response_line(jl.text, m, line_)) {
      line_.reset(n_rewards);
      if (std::string error = parser_.parse(jl.data, line_); !error.empty()) {
        out.problems.push_back(std::move(error));
        return;
      }
    }
    auto problem = [&](std::string message) { out.problems.push_back(std::move(message)); };
    for (const std::string& p : line_.problems) problem(p);
    bool ok = line_.problems.empty();
    for (ResponseField f : required) {
      if (f != ResponseField::kNone && !line_.has(f)) {
        problem(fmt::format("missing field \"{}\"", name_of(f)));
        ok = false;
      }
    }
    if (n_rewards > 0 && ok) {
      if (!line_.has(ResponseField::kRewards)) {
        problem("missing field \"rewards\" (the manifest declares reward models)");
        ok = false;
      } else {
        for (std::size_t k = 0; k < n_rewards; ++k) {
          if (!line_.reward_seen[k]) {
            problem(fmt::format("rewards: missing \"{}\"", m.reward_models[k].name));
            ok = false;
            break;
          }
        }
      }
    }
    if (gold_pending && line_.has(ResponseField::kGold) && !options_.ignore_pending_gold) {
      // Never half-graded: gold comes for every response at once, with `zooter gold`.
      problem("gold: not allowed while manifest.json says \"gold\": \"pending\" (add every gold "
              "score at once with `zooter gold`)");
      ok = false;
    }
    if (!ok) return;

    // Responses usually come grouped by query, in the order of queries.jsonl: try the previous
    // line's query, then the one after it, before the index.
    const std::vector<std::string>& ids = bundle_.queries.id;
    std::size_t q = last_query_;
    if (q >= ids.size() || ids[q] != line_.query) {
      if (q + 1 < ids.size() && ids[q + 1] == line_.query) {
        q = q + 1;
      } else if (const std::uint32_t found = index_.find(line_.query, ids);
                 found != RowIndex::kAbsent) {
        q = found;
      } else {
        problem(fmt::format("unknown query \"{}\" (not in queries.jsonl)", line_.query));
        ok = false;
      }
    }
    std::size_t model = n_models;
    if (last_model_ + 1 < n_models && m.models[last_model_ + 1].name == line_.model) {
      model = last_model_ + 1;
    } else if (auto found = m.find_model(line_.model)) {
      model = *found;
    } else {
      problem(fmt::format("unknown model \"{}\" (not in manifest.json)", line_.model));
      ok = false;
    }
    if (line_.has(ResponseField::kCost) && line_.cost < 0) {
      problem("cost: expected a finite number >= 0");
      ok = false;
    }
    if (!ok) return;
    last_model_ = model;
    last_query_ = q;
    const Subset& subset = m.subsets[bundle_.queries.subset[q]];
    if (!gold_pending && (line_.gold < subset.metric.min || line_.gold > subset.metric.max)) {
      problem(fmt::format("gold: {} is outside the scale [{}, {}] of subset \"{}\"", line_.gold,
                          subset.metric.min, subset.metric.max, subset.id));
      return;
    }
    out.ok = true;
    out.cell = bundle_.responses.cell(q, model);
    out.gold = line_.gold;
    out.output_tokens = static_cast<std::uint32_t>(line_.output_tokens);
    out.has_cost = line_.has(ResponseField::kCost);
    out.cost = line_.cost;
    out.rewards.assign(line_.rewards.begin(), line_.rewards.begin() + static_cast<std::ptrdiff_t>(n_rewards));
    if (options_.with_text) out.text.assign(line_.text);
  }

 private:
  const Bundle& bundle_;
  const LoadOptions& options_;
  const QueryIndex& index_;
  ResponseLine line_;
  ResponseLineParser parser_;
  std::size_t last_model_ = 0;  // responses usually repeat models in order: try the next first
  std::size_t last_query_ = SIZE_MAX;  // wraps to 0: the first line tries the first query
};

}  // namespace

void read_responses(const std::string& path, const LoadOptions& options, const RunContext& ctx,
                    Bundle& bundle, const QueryIndex& index, ContentHash& hash) {
  ProblemList problems(path, options.max_problems_per_file);
  const Manifest& m = bundle.manifest;
  Responses& r = bundle.responses;
  const std::size_t n_models = m.models.size();
  const std::size_t n_rewards = m.reward_models.size();
  const std::size_t n_cells = bundle.query_count() * n_models;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  r.models = n_models;
  r.rewards.resize(n_rewards);
  std::vector<std::uint32_t> seen_at;  // line of the cell's response; 0 = none yet
  // One matrix per task: at a million queries they hold about 400 MB, and touching their pages
  // for the first time is most of the cost of making them.
  parallel_for_each(
      ctx, 5 + n_rewards,
      [&](std::size_t matrix) {
        switch (matrix) {
          case 0: r.gold.assign(n_cells, nan); break;
          case 1: r.output_tokens.assign(n_cells, 0); break;
          case 2: r.dollars.assign(n_cells, nan); break;
          case 3: seen_at.assign(n_cells, 0); break;
          case 4: if (options.with_text) r.text.assign(n_cells, std::string()); break;
          default: r.rewards[matrix - 5].assign(n_cells, nan);
        }
      },
      1);
  const bool gold_pending = m.gold_pending;

  read_jsonl_in_parallel<ResponseOutcome>(
      path, options, ctx, problems, hash,
      [&] { return ResponseLineChecker(bundle, options, index); },
      [&](std::size_t number, ResponseOutcome& line) {
        const std::size_t c = line.cell;
        if (seen_at[c] != 0) {
          problems.add(number,
                       fmt::format("duplicate response for query \"{}\" and model \"{}\" (first at line {})",
                                   bundle.queries.id[c / n_models], m.models[c % n_models].name, seen_at[c]),
                       line.excerpt());
          return;
        }
        seen_at[c] = static_cast<std::uint32_t>(number);
        if (!gold_pending) r.gold[c] = line.gold;  // pending: stays NaN
        r.output_tokens[c] = line.output_tokens;
        if (line.has_cost) r.dollars[c] = line.cost;
        for (std::size_t k = 0; k < n_rewards; ++k) r.rewards[k][c] = line.rewards[k];
        if (options.with_text) r.text[c] = std::move(line.text);
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

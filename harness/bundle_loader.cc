#include "harness/bundle_loader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <vector>

#include "harness/bundle.h"
#include "harness/bundle_readers.h"
#include "harness/content_hash.h"
#include "harness/error.h"
#include "harness/input_file.h"
#include "harness/manifest_loader.h"
#include "harness/parallel.h"
#include "harness/run_context.h"

namespace zooter {
namespace {

// Fills dollars from prices where the data gave no per-response cost. Query by query, on the
// run's threads: a cell's price depends on that cell alone.
void price_responses(Bundle& bundle, const RunContext& ctx) {
  struct Price {
    double input = 0.0, output = 0.0;  // dollars per million tokens
  };
  std::vector<std::optional<Price>> prices;
  for (const Model& model : bundle.manifest.models) {
    if (model.price_per_million_input && model.price_per_million_output) {
      prices.push_back(Price{*model.price_per_million_input, *model.price_per_million_output});
    } else {
      prices.emplace_back();
    }
  }
  const auto priced = [](const std::optional<Price>& p) { return p.has_value(); };
  if (std::none_of(prices.begin(), prices.end(), priced)) return;
  Responses& r = bundle.responses;
  parallel_blocks(ctx, bundle.query_count(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t q = begin; q < end; ++q) {
      for (std::size_t m = 0; m < prices.size(); ++m) {
        const std::size_t c = r.cell(q, m);
        if (!prices[m] || std::isfinite(r.dollars[c])) continue;
        r.dollars[c] = bundle.queries.input_tokens[q] * prices[m]->input / 1e6 +
                       r.output_tokens[c] * prices[m]->output / 1e6;
      }
    }
  });
}

}  // namespace

Bundle load_bundle(const std::string& dir, const LoadOptions& options) {
  return load_bundle(dir, options, RunContext(1));
}

Bundle load_bundle(const std::string& dir, const LoadOptions& options, const RunContext& ctx) {
  const std::filesystem::path root(dir);
  require_input_directory(dir, "(expected a bundle: manifest.json, queries.jsonl, responses.jsonl)");
  Bundle bundle;
  ContentHash hash;
  std::string manifest_text;
  bundle.manifest = load_manifest((root / "manifest.json").string(), &manifest_text);
  if (bundle.manifest.gold_pending && !options.allow_gold_pending) {
    throw InputError(dir, 0,
                     "gold scores are pending (collected live); add them with `zooter gold " + dir +
                         " --scores FILE` (docs/live-collect.md)");
  }
  // Hash the manifest as the JSONL readers hash lines: without CRs, so a CRLF copy of a
  // bundle has the same content hash.
  std::erase(manifest_text, '\r');
  hash.update(manifest_text);
  QueryIndex index;
  read_queries((root / "queries.jsonl").string(), options, ctx, bundle, index, hash);
  read_responses((root / "responses.jsonl").string(), options, ctx, bundle, index, hash);
  price_responses(bundle, ctx);
  bundle.content_hash = hash.hex();
  return bundle;
}

}  // namespace zooter

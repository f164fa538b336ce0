#include "harness/bundle_loader.h"

#include <cmath>
#include <filesystem>

#include "harness/bundle.h"
#include "harness/bundle_readers.h"
#include "harness/content_hash.h"
#include "harness/error.h"
#include "harness/input_file.h"
#include "harness/manifest_loader.h"
#include "harness/run_context.h"

namespace zooter {
namespace {

// Fills dollars from prices where the data gave no per-response cost.
void price_responses(Bundle& bundle) {
  Responses& r = bundle.responses;
  for (std::size_t m = 0; m < bundle.model_count(); ++m) {
    const Model& model = bundle.manifest.models[m];
    if (!model.price_per_million_input || !model.price_per_million_output) continue;
    for (std::size_t q = 0; q < bundle.query_count(); ++q) {
      const std::size_t c = r.cell(q, m);
      if (std::isfinite(r.dollars[c])) continue;
      r.dollars[c] = bundle.queries.input_tokens[q] * *model.price_per_million_input / 1e6 +
                     r.output_tokens[c] * *model.price_per_million_output / 1e6;
    }
  }
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
  price_responses(bundle);
  bundle.content_hash = hash.hex();
  return bundle;
}

}  // namespace zooter

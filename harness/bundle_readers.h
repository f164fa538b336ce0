// The readers of queries.jsonl and responses.jsonl, used by load_bundle. Internal to harness/.
#pragma once

#include <string>

#include "harness/bundle_loader.h"
#include "harness/row_index.h"

namespace zooter {

struct Bundle;
class ContentHash;
class RunContext;

// Query ids to rows: an index over Bundle::queries.id, filled by read_queries.
using QueryIndex = RowIndex;

// Each throws InputError holding every problem of its file.
// Lines are parsed on ctx's threads; the result does not depend on how many.
void read_queries(const std::string& path, const LoadOptions& options, const RunContext& ctx,
                  Bundle& bundle, QueryIndex& index, ContentHash& hash);
void read_responses(const std::string& path, const LoadOptions& options, const RunContext& ctx,
                    Bundle& bundle, const QueryIndex& index, ContentHash& hash);

}  // namespace zooter

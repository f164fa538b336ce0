// Where `zooter collect` and `zooter score` show their progress: stderr, redrawn in place only
// when it is a terminal (live/live_progress.h), nowhere with --quiet.
#pragma once

#include "cli/command.h"
#include "live/live_progress.h"

namespace zooter::cli {

[[nodiscard]] inline live::ProgressOutput progress_output(const Invocation& invocation, bool quiet) {
  if (quiet) return {};
  return {&invocation.err, invocation.err_is_terminal};
}

}  // namespace zooter::cli

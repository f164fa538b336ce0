// The sub-command entry points, one per cli/NAME_command.cc. Internal to the CLI.
#pragma once

#include "cli/command.h"

namespace zooter::cli {

int run_run(const Invocation& invocation);
int run_validate(const Invocation& invocation);
int run_list(const Invocation& invocation);
int run_synth(const Invocation& invocation);
int run_compare(const Invocation& invocation);
int run_train(const Invocation& invocation);
int run_route(const Invocation& invocation);
int run_ablate(const Invocation& invocation);
int run_import(const Invocation& invocation);
int run_collect(const Invocation& invocation);
int run_score(const Invocation& invocation);
int run_serve(const Invocation& invocation);
int run_gold(const Invocation& invocation);
int run_tune(const Invocation& invocation);

}  // namespace zooter::cli

#include <ostream>

#include "cli/command.h"
#include "cli/commands_list.h"
#include "harness/error.h"
#include "harness/version.h"

namespace zooter::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> kCommands = {
      {"run", "evaluate adapters on a replay bundle and write reports", run_run},
      {"validate", "check a replay bundle; report every problem as path:line: message", run_validate},
      {"list", "list adapters, report formats or sub-commands", run_list},
      {"synth", "generate a bundle: the paper simulation or a random suite", run_synth},
      {"compare", "gate a new report against a baseline: exit 1 on regression", run_compare},
      {"train", "train a Zooter router on a bundle's train split and save it", run_train},
      {"route", "print a saved router's distribution over candidates for a text", run_route},
      {"ablate", "train one router per beta and print the paper's Table 2 layout", run_ablate},
      {"tune", "choose adapters' hyper-parameters by k-fold cross-validation on the train split", run_tune},
      {"import", "turn public evaluation results into a bundle", run_import},
      {"collect", "call every candidate endpoint for every query; resumable (live mode)", run_collect},
      {"score", "fill reward-model scores into a bundle by calling a reward server", run_score},
      {"gold", "add gold scores to a gold-pending bundle (zooter collect's output)", run_gold},
      {"serve", "serve a router as an OpenAI-compatible proxy in front of the candidates", run_serve},
  };
  return kCommands;
}

namespace {

void print_usage(std::ostream& out) {
  out << "usage: zooter COMMAND [OPTIONS]\n\n"
         "Replays LLM ensemble data through routing strategies and reports scores, ranks,\n"
         "win rates and compute cost (Zooter paper, Lu et al. 2023).\n\ncommands:\n";
  for (const Command& c : commands()) out << "  " << c.name << std::string(12 - c.name.size(), ' ') << c.summary << '\n';
  out << "\n`zooter COMMAND --help` shows a command's options. Exit codes: 0 success, "
         "1 bad data or I/O, 2 usage.\n";
}

}  // namespace

int run_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, bool err_is_terminal) {
  if (args.empty()) {
    print_usage(err);
    return 2;
  }
  const std::string& name = args[0];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(out);
    return 0;
  }
  if (name == "--version") {
    out << "zooter " << tool_version() << " (" << git_commit() << ")\n";
    return 0;
  }
  for (const Command& c : commands()) {
    if (c.name != name) continue;
    const Invocation invocation{{args.begin() + 1, args.end()}, out, err, err_is_terminal};
    try {
      return c.run(invocation);
    } catch (const UsageError& e) {
      err << "zooter " << name << ": " << e.what() << "\n(see zooter " << name << " --help)\n";
      return 2;
    } catch (const InputError& e) {
      err << e.what() << '\n';
      return 1;
    } catch (const std::exception& e) {
      err << "zooter " << name << ": " << e.what() << '\n';
      return 1;
    }
  }
  err << "zooter: unknown command \"" << name << "\"\n\n";
  print_usage(err);
  return 2;
}

}  // namespace zooter::cli

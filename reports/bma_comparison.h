// The paper's own comparison of a router with the single candidate it calls the best model on
// average (BMA, section 4.2: Llama-2-Chat), beside the project's comparison with best-single
// (the candidate with the best score on the split best-single chooses on). The two differ on
// the paper simulation (best-single is WizardLM there), and docs/metrics.md says what each means.
#pragma once

#include <string>
#include <vector>

#include "reports/report.h"

namespace zooter::reports {

// One line per router and ranker of the report, e.g. "zooter@beta=0.3,reward=qwen-rm: against
// the paper's BMA single@llama-2-chat: MTR 1.73 vs 2.35, %Uplift 0.54 vs 0.35, better on 20 of
// 26 subsets, worse on 6; against best-single (single@wizardlm): ...". Empty when the report
// has no reference with a BMA, or does not contain the BMA's adapter.
[[nodiscard]] std::vector<std::string> bma_comparison_lines(const Report& report);

}  // namespace zooter::reports

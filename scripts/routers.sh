#!/usr/bin/env bash
# docs/results/routers.md: every router of docs/adapters.md against best-single, random and
# oracle on the paper simulation (seed 1), RouterDC (in-distribution and out-of-distribution
# test files) and RouterBench (real dollar costs), each run from a config under configs/
# (routers-*.cfg). The real-data bundles come from scripts/real-data.sh (imported when absent);
# a data set that is absent is left out of the page, with a line saying so, except that when
# the page already has that data set's section from an earlier run, the section is kept as it
# was, under a line that says so (its specs are then those of that run, not of the config).
#
# Usage: scripts/routers.sh   (ZOOTER_BIN: the binary, default build/zooter)
set -euo pipefail
cd "$(dirname "$0")/.."
zooter="${ZOOTER_BIN:-build/zooter}"
page=docs/results/routers.md

"$zooter" synth --profile zooter-paper --seed 1 --out cache/zooter-paper-seed1 --reuse > /dev/null
for name in routerdc routerbench; do
  [ -f "cache/$name/manifest.json" ] || ZOOTER_BIN="$zooter" bash scripts/real-data.sh "$name" > /dev/null
done

# The page as it was, to keep the sections of data sets that are absent here.
previous="$(mktemp)"
trap 'rm -f "$previous"' EXIT
[ -f "$page" ] && cp "$page" "$previous"
kept_marker='Kept from an earlier run of this script:'

# previous_section TITLE: the body of the previous page's "## TITLE" section (up to the next
# "## " heading), without its leading blank lines and the line that marks it as kept; empty
# when there is none.
previous_section() {
  awk -v heading="## $1" -v marker="$kept_marker" '
    $0 == heading { inside = 1; next }
    inside && /^## / { exit }
    inside && index($0, marker) == 1 { next }
    inside && (started || $0 != "") { started = 1; print }' "$previous"
}

# section TITLE BUNDLE CONFIG: one run, its report.md under a heading (headings demoted).
section() {
  local title="$1" bundle="$2" config="$3"
  if [ ! -f "$bundle/manifest.json" ]; then
    local kept
    kept="$(previous_section "$title")"
    if [ -n "$kept" ] && ! grep -q '^Not run: no bundle' <<< "$kept"; then
      printf '\n## %s\n\n%s its data (bundle `%s`) is absent on the machine that last generated this page, so this section is the earlier run'"'"'s, with the specs and settings that its tables name, which may not be those of `configs/%s.cfg` now.\n\n' \
        "$title" "$kept_marker" "$bundle" "$config"
      printf '%s\n' "$kept"
      return
    fi
    printf '\n## %s\n\nNot run: no bundle at `%s` (its data is absent).\n' "$title" "$bundle"
    return
  fi
  "$zooter" run "$bundle" --config "configs/$config.cfg" --out "out/$config" --quiet \
    --format markdown --format json --format csv
  printf '\n## %s\n\n`zooter run %s --config configs/%s.cfg`\n\n' "$title" "$bundle" "$config"
  sed -e 's/^# .*$//' -e 's/^## /### /' "out/$config/report.md"
}

# The sections first (the header summarises their runs).
sections="$(mktemp)"
trap 'rm -f "$previous" "$sections"' EXIT
{
  section "Paper simulation (seed 1, test split; rewards: QwenRM)" cache/zooter-paper-seed1 routers-paper
  section "RouterDC, in-distribution test files (gold of the train files)" cache/routerdc routers-routerdc
  section "RouterDC, out-of-distribution files" cache/routerdc routers-routerdc-ood
  section "RouterBench zero-shot (dollars; lambda sweeps)" cache/routerbench routers-routerbench
} > "$sections"

# five_set_summary REPORT_JSON: per adapter of the RouterDC in-distribution run, the mean over
# the five test sets mmlu, gsm8k, cmmlu, arc_challenge, humaneval of its score (x100; a seeds=N
# row is already the seed-mean) and a 95% interval of that mean, +-1.96 standard errors from the
# per-subset bootstrap standard errors (the bootstrap resamples each subset on its own, and the
# seeds with the queries, so the five are independent); then which learned router is best and
# whether the Zooter router's interval overlaps it, and the best deployable mean against 52.93.
five_set_summary() {
  # report.csv: adapter,kind,group,subset,model,opponent,metric,value; only the adapter (a spec
  # with commas) is quoted.
  awk -v hindsight=52.93 '
    NR == 1 { next }
    {
      if (substr($0, 1, 1) == "\"") {
        close_at = index(substr($0, 2), "\""); adapter = substr($0, 2, close_at - 1); rest = substr($0, close_at + 3)
      } else {
        adapter = substr($0, 1, index($0, ",") - 1); rest = substr($0, index($0, ",") + 1)
      }
      split(rest, f, ",")
      if (f[3] !~ /^(mmlu|gsm8k|cmmlu|arc_challenge|humaneval)$/ || f[4] != "" || f[5] != "") next
      if (!(adapter in kind)) { kind[adapter] = f[1]; order[++count] = adapter }
      if (f[6] == "score") { sum[adapter] += f[7]; sets[adapter]++ }
      if (f[6] == "score_se") variance[adapter] += f[7] * f[7]
    }
    END {
      print "| adapter | five-set mean (x100) | 95% interval |"
      print "|---|---:|---:|"
      for (i = 1; i <= count; i++) {
        a = order[i]
        if (sets[a] != 5) { printf "five_set_summary: %s has %d of the five test sets\n", a, sets[a] > "/dev/stderr"; exit 1 }
        mean[a] = 100 * sum[a] / 5; half[a] = 1.96 * 100 * sqrt(variance[a]) / 5
        printf "| `%s` | %.2f | [%.2f, %.2f] |\n", a, mean[a], mean[a] - half[a], mean[a] + half[a]
        learned = (kind[a] == "router")   # RouterDC has no reward model, so no cascade: every router learns
        if (learned && (best == "" || mean[a] > mean[best])) best = a
        if (learned && a ~ /^zooter@/) zooter = a
        if (a != "oracle" && (deployable == "" || mean[a] > mean[deployable])) deployable = a
      }
      printf "\n"
      if (zooter == "" || best == "") { print "No learned Zooter router in this run." }
      else if (zooter == best) {
        printf "The tuned Zooter router is the best learned router here (%.2f).\n", mean[zooter]
      } else {
        overlap = (mean[zooter] + half[zooter] >= mean[best] - half[best])
        printf "The tuned Zooter router (%.2f) is **not** the best learned router: `%s` is (%.2f, %.2f points more). ", \
          mean[zooter], best, mean[best], mean[best] - mean[zooter]
        if (overlap) printf "Their 95%% intervals overlap, so the difference is not shown to be real: tied on this (unpaired, conservative) comparison, which cannot show that they are equal either.\n"
        else printf "Their 95%% intervals do not overlap: the other router is better.\n"
      }
      printf "The best five-set mean of a deployable adapter (`%s`, %.2f) is %s the best model of each test set chosen in hindsight (%.2f).\n", \
        deployable, mean[deployable], (mean[deployable] > hindsight ? "above" : "below"), hindsight
    }' "$1"
}
# paired_summary REPORT_CSV: the tuned Zooter router of the RouterDC in-distribution run against
# every adapter the run names with --versus (configs/routers-routerdc.cfg): the difference of the
# five-set means (x100, from the per-subset differences), and the report's paired bootstrap test
# of the in-distribution group average (the six test sets: the five and arc_easy) with its subset
# tally; then the answer to the acceptance question in one sentence.
paired_summary() {
  awk -v alpha=0.05 '
    # Splits one CSV line into f[1..n] (fields may be quoted, with "" for a quote).
    function csv(line, f,   n, i, c, field, quoted) {
      n = 0; field = ""; quoted = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (quoted) {
          if (c == "\"" && substr(line, i + 1, 1) == "\"") { field = field c; i++ }
          else if (c == "\"") quoted = 0
          else field = field c
        } else if (c == "\"") quoted = 1
        else if (c == ",") { f[++n] = field; field = "" }
        else field = field c
      }
      f[++n] = field
      return n
    }
    NR == 1 { next }
    {
      csv($0, f)
      if (f[1] !~ /^zooter@/ || f[2] != "router" || f[6] == "" || f[6] ~ /^best-single$/) next
      zooter = f[1]; ref = f[6]
      # Only the --versus references have average_difference rows (win rates name every adapter).
      if (f[7] == "average_difference" && !(ref in seen)) { seen[ref] = 1; order[++count] = ref }
      if (f[7] == "difference" && f[4] ~ /^(mmlu|gsm8k|cmmlu|arc_challenge|humaneval)$/) five[ref] += f[8]
      if (f[3] == "in-distribution" && f[4] == "" && f[7] == "average_difference") average[ref] = f[8]
      if (f[3] == "in-distribution" && f[4] == "" && f[7] == "average_bootstrap_p") p[ref] = f[8]
      if (f[3] == "" && f[7] ~ /_subsets$/) tally[ref, f[7]] = f[8]
    }
    END {
      if (count == 0) { print "No paired tests against another learned router in this run."; exit }
      printf "Paired tests of `%s` against each router the run names with `--versus` (from the\n", zooter
      print "report below, seeds resampled with the queries; a difference below 0: Zooter scores less):"
      print ""
      print "| against | five-set mean difference (x100) | in-distribution average difference (x100, six sets) | paired bootstrap p | subsets better (significantly) | subsets worse (significantly) |"
      print "|---|---:|---:|---:|---:|---:|"
      for (i = 1; i <= count; i++) {
        r = order[i]
        printf "| `%s` | %+.2f | %+.2f | %.3f | %d (%d) | %d (%d) |\n", r, 100 * five[r] / 5, 100 * average[r], p[r], \
          tally[r, "better_subsets"], tally[r, "significantly_better_subsets"], \
          tally[r, "worse_subsets"], tally[r, "significantly_worse_subsets"]
      }
      print ""
      for (i = 1; i <= count; i++) {
        r = order[i]
        verdict = p[r] < alpha ? (average[r] < 0 ? "significantly **worse** than" : "significantly better than") : "**tied** with"
        printf "Against `%s` the tuned Zooter router is %s it on the in-distribution average (paired bootstrap p %.3f, alpha %g)", \
          r, verdict, p[r], alpha
        if (tally[r, "significantly_worse_subsets"] > 0 || tally[r, "significantly_better_subsets"] > 0)
          printf "; per test set (Holm across the evaluated sets) it is significantly worse on %d and significantly better on %d", \
            tally[r, "significantly_worse_subsets"], tally[r, "significantly_better_subsets"]
        printf ".\n"
      }
      print ""
      print "The report tests group averages, so the paired test covers the six in-distribution test"
      print "sets; the five-set mean difference is shown beside it without a test of its own."
    }' "$1"
}

{
  cat <<'HEADER'
# Routers from the literature on one harness

Generated by `bash scripts/routers.sh`; do not edit by hand. Every learned router
(docs/adapters.md: Zooter, kNN, MLP, matrix factorisation, similarity-weighted ranking, and the
FrugalGPT cascade where the data has a reward model) against best-single, random and oracle,
with 95% bootstrap intervals, paired tests against best-single (and on RouterDC
in-distribution against the strongest other routers, `--versus`), cost and the cost-quality
frontier. Data sources, licences and exclusions of the real data sets are in the other pages of
docs/results/. The paper simulation is simulated data (docs/simulation.md).

## How the learned routers are set

Every learned router runs on five training seeds (`seeds=5` in its spec: seeds 1-5). Its row
is the mean over the seeds of every quality metric, a note gives the spread across seeds, and
its intervals and paired tests resample the seeds together with the queries
(docs/statistics.md, "Training seeds"). kNN and sw-ranking with a train split draw nothing at
random, so their five seeds agree.

On RouterDC and RouterBench the settings are the ones `zooter tune` chose by 5-fold
cross-validation on the train split only (seed 1; the evaluated files and their gold are never
read); configs/routers-*.cfg hold them. RouterDC's out-of-distribution run trains on the same
train files as its in-distribution run, so it uses the same settings. The paper simulation is
not tuned: its train split's gold is marked not for training and `zooter tune` scores settings
by gold, so it refuses that split; its routers keep their default settings, and the cascade's
threshold is set as configs/routers-paper.cfg says. In its Table 1 the Zooter row is the
seed-mean of five routers trained as the paper trains its one (seeds 1-5), beside the paper's
cells; `bash scripts/paper.sh` makes the one-seed comparison the gate counts.

Tuning times: each grid tuned with `/usr/bin/time build/zooter tune DIR --threads 2 --folds 5
--adapter GRID` (every grid with `reward=gold`) on a 2-core machine shared with a compilation
(each tune got about one core: 98-156% CPU). Scores and choices are the same on every re-run.

RouterDC, 7,598 train queries (the CV score of every setting is in docs/results/tuning.md,
`bash scripts/tune-study.sh`, whose mf grid also holds mf's former default lr 0.2: CV 0.5412-0.5488,
below every lr 0.01 setting):

| router | grid (settings) | chosen | CV score | tuning (wall) |
|---|---|---|---:|---:|
| zooter | `normalise=none\|query-z,lr=0.01\|0.003,l2=1e-6\|1e-5` (8) | `l2=1e-06,lr=0.01,normalise=query-z` | 0.5837 | 19.6 s |
| knn | `k=5\|10\|20\|50\|100\|200\|500` (7) | `k=500` (the grid's edge) | 0.5923 | 4.8 s |
| sw-ranking | `k=50\|200\|1000,gamma=3\|10\|30` (9, one over the 8 of the later grids) | `gamma=10,k=200` | 0.5912 | 10.7 s |
| mf | `dim=8\|16\|32,lr=0.01\|0.003` (6) | `dim=8,lr=0.01` | 0.5705 | 6.4 s |
| mlp | `hidden=32\|64\|128,lr=0.01\|0.003` (6) | `hidden=128,lr=0.01` | 0.5506 | 79.3 s |

RouterBench zero-shot, 2,205 train queries (3 subsets, 11 models):

| router | grid (settings) | chosen | CV score | tuning (wall) |
|---|---|---|---:|---:|
| zooter | `normalise=none\|query-z,lr=0.01\|0.003,l2=1e-6\|1e-5` (8) | `l2=1e-05,lr=0.003,normalise=query-z` | 0.8328 | 16.5 s |
| knn | `k=5\|10\|20\|50\|100\|200\|500` (7) | `k=100` (ties k=200, 500: the first wins) | 0.8328 | 4.3 s |
| sw-ranking | `k=50\|200,gamma=3\|10\|30` (6) | `gamma=3,k=200` | 0.8328 | 4.4 s |
| mf | `dim=8\|16\|32,lr=0.01\|0.003` (6) | `dim=8,lr=0.003` | 0.8228 | 5.4 s |
| mlp | `hidden=32\|64\|128,lr=0.01\|0.003` (6) | `hidden=32,lr=0.01` | 0.7748 | 54.2 s |

On the same folds best-single scores 0.8328 on RouterBench (the chosen zooter, knn and
sw-ranking settings' mean to four places; sw-ranking's fold by fold) and 0.5545 on RouterDC
(`zooter tune DIR --adapter best-single`): on RouterBench's train split no setting of any grid
beats always choosing the best model. Tuning time is dominated by the MLP (RouterDC's six MLP
settings: 79 s); every other grid takes under 20 s. All ten tunes together: 205 s.

## RouterDC in-distribution: the five test sets of issue 22

Mean over mmlu, gsm8k, cmmlu, arc_challenge and humaneval of each adapter's score (x100; a
`seeds=5` row is the seed-mean), from the run below. The interval is +-1.96 standard errors of
that mean, from the per-subset bootstrap standard errors (each subset is resampled on its own,
with the seeds for `seeds=5` rows). Comparing two rows by their intervals is not a paired
test; the paired tests against the strongest other routers follow the table.

HEADER
  if [ -f cache/routerdc/manifest.json ]; then
    five_set_summary out/routers-routerdc/report.csv
    printf '\n'
    paired_summary out/routers-routerdc/report.csv
  else
    printf 'Not run: no bundle at `cache/routerdc` (its data is absent).\n'
  fi
  cat "$sections"
} > "$page"
echo "wrote $page"

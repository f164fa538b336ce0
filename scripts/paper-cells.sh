# Reads the paper simulation's cell counts from zooter's own output; sourced by scripts/gate.sh,
# scripts/fit-paper-rewards.sh and scripts/table2-spread.sh, so that the three count the same
# lines the same way. Each function prints nothing when its line is absent.

# Table 1's cells within tolerance (of 130), from a `zooter run` Markdown report.
table1_cells() { sed -n 's/^Table 1: \([0-9]*\) of 130 .*/\1/p' "$1"; }

# Zooter's Table 1 row (of 10) and Table 2 (of 40), from the text of `zooter ablate`.
ablate_zooter_cells() { sed -n 's/^paper: Table 1: \([0-9]*\) of 10 .*/\1/p' "$1"; }
ablate_table2_cells() { sed -n 's/^paper: .*Table 2: \([0-9]*\) of 40.*/\1/p' "$1"; }

# The overall MTR (ours) of the ablate row named $2.
ablate_mtr() { awk -v name="$2" '$1 == name { print $(NF - 2) }' "$1"; }

# Table 2's shape: succeeds when beta = 0.3 has a lower overall MTR than beta = 1 and than the
# hard-label router. $2, when given, ends every row's name (",seed=2" after `ablate --router
# seed=2`).
ablate_beta_ordered() {
  awk -v a="$(ablate_mtr "$1" "zooter@beta=0.3,reward=qwen-rm${2:-}")" \
      -v b="$(ablate_mtr "$1" "zooter@beta=1,reward=qwen-rm${2:-}")" \
      -v h="$(ablate_mtr "$1" "zooter@beta=0,hard-label=1,reward=qwen-rm${2:-}")" \
      'BEGIN { exit !(a != "" && a < b && a < h) }'
}

#!/usr/bin/env bash
# Benchmark (not a test): the Slurm recipe's overhead. Starts the private single-node cluster of
# Scripts/slurm-local.sh, then runs one timing-only ResNet-18 grid (`accsim generate resnet18`)
# through `Scripts/sweep-slurm.sh submit N …` for each N, timing submit → merged results, next to
# the same grid in one process at --jobs 1 and --jobs 2. One node with 2 CPUs: the shards share
# them, so this shows what the scheduler costs, not a speed-up.
#
#   Scripts/sweep-slurm-bench.sh [SHARDS…]     # default: 1 2 4
#
# Needs root (the daemons). Environment: ACCSIM (default: builds and uses .build/release/accsim);
# POINTS_ROWS, the array.rows values (default 8:128:+8, 16 × 5 cols × 2 = 160 points).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if [ -z "${ACCSIM:-}" ]; then
    swift build -c release --product accsim >&2
    ACCSIM=.build/release/accsim
fi
ACCSIM=$(cd "$(dirname "$ACCSIM")" && pwd)/$(basename "$ACCSIM")
export ACCSIM
shards=("$@")
[ ${#shards[@]} -eq 0 ] && shards=(1 2 4)
source Scripts/slurm-local.sh
slurm_local_install
work=$(mktemp -d /tmp/accsim-slurm-bench.XXXXXX)
trap 'slurm_local_stop; rm -rf "$work"' EXIT
slurm_local_start "$work/cluster" 2>/dev/null
cd "$work"
"$ACCSIM" generate resnet18 -o resnet18.q >/dev/null
cat >space.json <<EOF
{"version": 1, "hw": "16x16-ws", "models": ["$work/resnet18.q"],
 "axes": [{"array.rows": "${POINTS_ROWS:-8:128:+8}"}, {"array.cols": [8, 16, 32, 64, 128]},
          {"sram.weight.kib": [64, 256]}]}
EOF
points=$("$ACCSIM" sweep --sweep-file space.json --dry-run | sed 's/^grid \([0-9]*\) points.*/\1/')
rate() { awk -v n="$points" -v a="$1" -v b="$2" 'BEGIN { printf "%7.2f s  %7.1f configs/s", b - a, n / (b - a) }'; }

for jobs in 1 2; do
    start=$(date +%s.%N)
    "$ACCSIM" sweep --sweep-file space.json --jobs "$jobs" --out "one-$jobs.jsonl" --progress none
    end=$(date +%s.%N)
    echo "one process, --jobs $jobs, $points points   $(rate "$start" "$end")"
done
for n in "${shards[@]}"; do
    start=$(date +%s.%N)
    "$root/Scripts/sweep-slurm.sh" submit "$n" space.json "out$n" >/dev/null 2>&1
    merge=$(cat "out$n/merge.jobid")
    while [ -n "$(squeue -h -j "$merge" 2>/dev/null)" ]; do sleep 0.1; done
    end=$(date +%s.%N)
    cmp -s one-1.jsonl "out$n/results.jsonl" || { echo "sweep-slurm-bench: $n shards: results differ" >&2; exit 1; }
    echo "Slurm, $n shard(s) + merge, $points points  $(rate "$start" "$end")"
done

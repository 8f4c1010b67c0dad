#!/usr/bin/env bash
# Benchmark (not a test): configurations per second of `accsim sweep` on 200-point grids of the
# example models and of a ResNet-18-sized graph. Timing only (no --input), then digits with its
# 360 test images (outputs computed once, every other point timed only).
#
#   Scripts/sweep-bench.sh [JOBS…]      # default: 1 and all cores
#
# Environment: ACCSIM, the accsim executable (default: builds and uses .build-sweep/release/accsim).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ACCSIM:-}" ]; then
    swift build -c release --scratch-path .build-sweep --product accsim >&2
    ACCSIM=.build-sweep/release/accsim
fi
jobs=("$@")
[ ${#jobs[@]} -eq 0 ] && jobs=(1 "$(nproc)")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$ACCSIM" generate resnet18 -o "$work/resnet18.q" >&2

# 5 × 4 × 5 × 2 = 200 configurations per model.
grid=(--hw 16x16-ws
      --vary array.rows=8,16,32,64,128 --vary array.cols=8:64:*2
      --vary sram.weight.kib=16:256:*2 --vary dram.bandwidth_bytes_per_cycle=8,16)

bench() {  # label, jobs, extra arguments…
    local label=$1 jobs=$2
    shift 2
    local start end rows
    start=$(date +%s.%N)
    "$ACCSIM" sweep "${grid[@]}" "$@" --jobs "$jobs" --out "$work/out.jsonl" --force 2>/dev/null
    end=$(date +%s.%N)
    rows=$(wc -l < "$work/out.jsonl")
    awk -v l="$label" -v j="$jobs" -v r="$rows" -v s="$start" -v e="$end" \
        'BEGIN { printf "%-34s jobs %d  %3d points  %7.2f s  %8.1f configurations/s\n", l, j, r, e - s, r / (e - s) }'
}

for j in "${jobs[@]}"; do
    bench "Models/digits.q" "$j" Models/digits.q
    bench "Models/every_op.q" "$j" Models/every_op.q
    bench "ResNet-18 (accsim generate)" "$j" "$work/resnet18.q"
    bench "Models/digits.q + 360 images" "$j" Models/digits.q \
        --input Models/digits_test_x.npy --labels Models/digits_test_y.npy
done

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

# CPU seconds (user + system) of this shell's finished children, from the `times` builtin (run in
# this shell, not a subshell, whose children would be its own).
children_cpu() {
    times > "$work/times"
    tail -1 "$work/times" | awk '{ split($1, u, "m"); split($2, s, "m"); print u[1] * 60 + u[2] + s[1] * 60 + s[2] }'
}

bench() {  # label, jobs, extra arguments…
    local label=$1 jobs=$2
    shift 2
    local start end rows cpu0 cpu1
    children_cpu > "$work/cpu0"
    cpu0=$(cat "$work/cpu0")
    start=$(date +%s.%N)
    "$ACCSIM" sweep "${grid[@]}" "$@" --jobs "$jobs" --out "$work/out.jsonl" --force 2>/dev/null
    end=$(date +%s.%N)
    children_cpu > "$work/cpu1"
    cpu1=$(cat "$work/cpu1")
    rows=$(wc -l < "$work/out.jsonl")
    # CPU time beside wall time: other work on a shared machine slows the wall clock, not the CPU time.
    awk -v l="$label" -v j="$jobs" -v r="$rows" -v s="$start" -v e="$end" -v c0="$cpu0" -v c1="$cpu1" \
        'BEGIN { printf "%-34s jobs %d  %3d points  %7.2f s  %8.1f configurations/s  CPU %6.2f s (%.1f ms/point)\n", l, j, r, e - s, r / (e - s), c1 - c0, 1000 * (c1 - c0) / r }'
}

echo "load average: $(cut -d" " -f1-3 /proc/loadavg)"
for j in "${jobs[@]}"; do
    bench "Models/digits.q" "$j" Models/digits.q
    bench "Models/every_op.q" "$j" Models/every_op.q
    bench "ResNet-18 (accsim generate)" "$j" "$work/resnet18.q"
    bench "Models/digits.q + 360 images" "$j" Models/digits.q \
        --input Models/digits_test_x.npy --labels Models/digits_test_y.npy
done

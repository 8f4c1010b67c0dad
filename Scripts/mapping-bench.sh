#!/usr/bin/env bash
# Mapping quality benchmark: ResNet-18 (accsim generate resnet18) on the bundled 32x32 configs in
# every dataflow, against the same config with unlimited SRAM and DRAM bandwidth, and the wall time
# of a timing-only run. Prints one line per config; not part of the tests.
#   ACCSIM=.build/release/accsim Scripts/mapping-bench.sh [extra --set arguments…]
set -euo pipefail
ACCSIM=${ACCSIM:-.build/release/accsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$ACCSIM" generate resnet18 -o "$work/r18.q" >/dev/null
unlimited=(--set sram.input.kib=65536 --set sram.weight.kib=65536 --set sram.output.kib=65536
           --set dram.bandwidth_bytes_per_cycle=1048576)
cycles() { "$ACCSIM" run --no-data --format json "$@" "$work/r18.q" 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["cycles"]["total"])'; }
printf '%-10s %14s %14s %8s %10s\n' config cycles unlimited ratio wall_s
for df in ws os is; do
    hw=32x32-$df
    c=$(cycles --hw "$hw" "$@")
    u=$(cycles --hw "$hw" "${unlimited[@]}" "$@")
    start=$(date +%s.%N)
    "$ACCSIM" run --no-data --hw "$hw" "$@" "$work/r18.q" >/dev/null 2>&1
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    printf '%-10s %14s %14s %8.3f %10.3f\n' "$hw" "$c" "$u" "$(echo "$c / $u" | bc -l)" "$wall"
done

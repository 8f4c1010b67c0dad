#!/usr/bin/env bash
# Benchmark (not a test): peak memory of big sweeps. A timing-only grid on a one-layer model
# (8×8 conv, 16 → 16 channels, from a SCALE-Sim topology line) at 10^4, 10^5 and 10^6 points:
# `--dry-run` time, the sweep's wall time, configurations/s and peak RSS (/usr/bin/time -v); then
# on the largest file: a resume of its last tenth (the file cut there, plus a torn line), `sweep
# merge` of it split into 4 shards and `sweep pareto`, each with its peak RSS; the resumed and the
# merged files must equal the uninterrupted one byte for byte.
#
#   Scripts/sweep-memory-bench.sh [POINTS…]    # default: 10000 100000 1000000
#
# Environment: ACCSIM (default: builds and uses .build/release/accsim); JOBS (default: all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ACCSIM:-}" ]; then
    swift build -c release --product accsim >&2
    ACCSIM=.build/release/accsim
fi
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000 1000000)
jobs=${JOBS:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n' >"$work/one.csv"
printf 'Conv1, 10, 10, 3, 3, 16, 16, 1,\n' >>"$work/one.csv"

# Runs a command under /usr/bin/time -v; prints "wall-seconds peak-RSS-MiB".
measure() {
    /usr/bin/time -v "$@" 2>"$work/time.txt" >/dev/null || { cat "$work/time.txt" >&2; exit 1; }
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
                /Maximum resident set size/ { r = $2 }
                END { printf "%.2f %.1f\n", s, r / 1024 }' "$work/time.txt"
}

grid() {  # points → --vary arguments
    case $1 in
        10000) echo "--vary array.rows=1:100 --vary array.cols=1:100" ;;
        100000) echo "--vary array.rows=1:100 --vary array.cols=1:100 --vary sram.weight.kib=1:10" ;;
        1000000) echo "--vary array.rows=1:100 --vary array.cols=1:100 --vary sram.weight.kib=1:100" ;;
        *) echo "sweep-memory-bench: sizes are 10000, 100000, 1000000" >&2; exit 2 ;;
    esac
}

printf '%-9s  %-10s  %-9s  %-12s  %-9s\n' points dry-run sweep configs/s "peak RSS"
for size in "${sizes[@]}"; do
    # shellcheck disable=SC2046
    read -r dry _ < <(measure "$ACCSIM" sweep --hw 16x16-ws "$work/one.csv" $(grid "$size") --dry-run)
    # shellcheck disable=SC2046
    read -r wall rss < <(measure "$ACCSIM" sweep --hw 16x16-ws "$work/one.csv" $(grid "$size") \
        --jobs "$jobs" --out "$work/r$size.jsonl" --progress none)
    rows=$(wc -l <"$work/r$size.jsonl")
    [ "$rows" -eq "$size" ] || { echo "sweep-memory-bench: $rows rows for $size points" >&2; exit 1; }
    awk -v n="$size" -v d="$dry" -v w="$wall" -v r="$rss" \
        'BEGIN { printf "%-9d  %-10s  %-9s  %-12.0f  %s MiB\n", n, d " s", w " s", n / w, r }'
done

largest=${sizes[${#sizes[@]} - 1]}
file=$work/r$largest.jsonl
echo
echo "on the $largest-row file ($(du -m "$file" | cut -f1) MiB):"
# Resume: keep the first nine tenths (and a torn line), compute the rest.
head -n $((largest / 10 * 9)) "$file" >"$work/resume.jsonl"
head -c 40 <(tail -n 1 "$file") >>"$work/resume.jsonl"
# shellcheck disable=SC2046
read -r wall rss < <(measure "$ACCSIM" sweep --hw 16x16-ws "$work/one.csv" $(grid "$largest") \
    --jobs "$jobs" --out "$work/resume.jsonl" --progress none)
cmp -s "$file" "$work/resume.jsonl" || { echo "sweep-memory-bench: the resumed file differs" >&2; exit 1; }
echo "  resume of the last tenth    $wall s, peak RSS $rss MiB (identical to the uninterrupted file)"
for shard in 1 2 3 4; do awk -v s="$shard" 'NR % 4 == s % 4' "$file" >"$work/shard-$shard.jsonl"; done
read -r wall rss < <(measure "$ACCSIM" sweep merge "$work"/shard-?.jsonl --out "$work/merged.jsonl")
cmp -s "$file" "$work/merged.jsonl" || { echo "sweep-memory-bench: the merged file differs" >&2; exit 1; }
echo "  merge of 4 shard files      $wall s, peak RSS $rss MiB (identical)"
read -r wall rss < <(measure "$ACCSIM" sweep pareto "$file" --x latency --y sram --svg "$work/p.svg")
echo "  pareto latency × sram + SVG $wall s, peak RSS $rss MiB"

#!/usr/bin/env bash
# Peak RSS and throughput of `accsim run` as the batch grows (issue 19, item 4): digits on 8x8 at
# 10^3, 10^5 and 10^6 generated samples, ResNet-18 on 32x32-ws at 1, 64 and 1,024, each writing
# its outputs with --output. A run streams its batch in chunks, so the peak RSS should not grow
# with the number of samples. Prints one table row per run: wall and user CPU seconds (from
# /usr/bin/time -v), maximum resident set size, and samples per second of wall time.
#
#   Scripts/run-memory-bench.sh                      # release build of this checkout, all sizes
#   Scripts/run-memory-bench.sh --accsim path/to/accsim   # another build (e.g. an older checkout)
#   Scripts/run-memory-bench.sh --quick              # the two smaller sizes of each model
#
# Environment: ACCSIM_BENCH_THREADS (default: all cores) is passed as --threads. Timings on a
# shared machine are unreliable: the script prints `uptime` and the CPU model next to them.
set -euo pipefail
cd "$(dirname "$0")/.."

accsim=""
quick=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --accsim) accsim="$2"; shift 2 ;;
        --quick) quick=1; shift ;;
        *) echo "usage: $0 [--accsim PATH] [--quick]" >&2; exit 2 ;;
    esac
done

if [[ ! -x /usr/bin/time ]]; then
    echo "run-memory-bench: installing GNU time (/usr/bin/time -v reports the peak RSS)" >&2
    if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq time >/dev/null; else sudo apt-get install -y -qq time >/dev/null; fi
fi
if [[ -z "$accsim" ]]; then
    swift build -c release --product accsim >&2
    accsim=.build/release/accsim
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/accsim-run-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
threads=${ACCSIM_BENCH_THREADS:-$(nproc)}
"$accsim" generate resnet18 -o "$work/resnet18.q" >/dev/null

digits_sizes=(1000 100000 1000000)
resnet_sizes=(1 64 1024)
if [[ $quick -eq 1 ]]; then digits_sizes=(1000 100000); resnet_sizes=(1 64); fi

echo "# accsim: $accsim ($("$accsim" --version))"
echo "# CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores, --threads $threads"
echo "# load: $(uptime)"
printf '| %-24s | %9s | %8s | %8s | %9s | %11s |\n' model samples "wall s" "user s" "peak MiB" "samples/s"
printf '| %-24s | %9s | %8s | %8s | %9s | %11s |\n' --- ---: ---: ---: ---: ---:

measure() {  # measure LABEL SAMPLES accsim-arguments…
    local label=$1 samples=$2
    shift 2
    rm -f "$work/y.npy"
    /usr/bin/time -v -o "$work/time.txt" "$accsim" "$@" --batch "$samples" --threads "$threads" \
        --output "$work/y.npy" >/dev/null
    local wall user rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$work/time.txt")
    user=$(awk -F': ' '/User time/ {print $2}' "$work/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$work/time.txt")
    printf '| %-24s | %9s | %8.2f | %8.2f | %9s | %11.1f |\n' "$label" "$samples" "$wall" "$user" "$rss" \
        "$(awk -v n="$samples" -v w="$wall" 'BEGIN {print (w > 0 ? n / w : 0)}')"
}

for samples in "${digits_sizes[@]}"; do
    measure "digits.q, 8x8" "$samples" run --hw 8x8 Models/digits.q --seed 1
done
for samples in "${resnet_sizes[@]}"; do
    measure "resnet18.q, 32x32-ws" "$samples" run --hw 32x32-ws "$work/resnet18.q" --seed 1
done

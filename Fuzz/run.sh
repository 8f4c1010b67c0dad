#!/usr/bin/env bash
# Builds the libFuzzer binary (-sanitize=fuzzer,address) and fuzzes each reader on its committed
# corpora (the seeds in corpus/ and the campaigns' minimised inputs in kept/) for SECONDS
# (default 60) each, nice'd; new interesting inputs go to Fuzz/work/<target>
# (git-ignored), crashes to Fuzz/crashes/. Prints executions and coverage per target. Links
# with lld (gold fails on the sanitized binary).
#   Fuzz/run.sh [SECONDS] [TARGET…]     e.g. Fuzz/run.sh 3 (the brief CI run)
set -euo pipefail
# libFuzzer, not the Swift runtime's backtracer, must catch a trap: it writes the input to crashes/.
export SWIFT_BACKTRACE=enable=no
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(q tflite onnx trace hardware scalesim-cfg scalesim-csv npy sweep)
nice -n 19 swift build --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address \
    -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld \
    >/dev/null
binary=".build-fuzz/debug/accsim-fuzz"
mkdir -p crashes
status=0
for target in "${targets[@]}"; do
    mkdir -p "work/$target"
    log="work/$target.log"
    inputs=("work/$target" "corpus/$target")
    [[ -d "kept/$target" ]] && inputs+=("kept/$target")
    if ! ACCSIM_FUZZ_TARGET="$target" nice -n 19 "$binary" "${inputs[@]}" \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix="crashes/$target-" -print_final_stats=1 >"$log" 2>&1; then
        echo "$target: FAILED (see Fuzz/$log and Fuzz/crashes/)"
        status=1
    fi
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
    echo "$target: $execs executions, coverage $cov edges in ${seconds}s"
done
exit "$status"

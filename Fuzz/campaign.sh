#!/usr/bin/env bash
# The long fuzzing campaign: every target (or the ones named) runs to RUNS executions
# (default 10,000,000), JOBS targets at a time (default 2), from its seed corpus plus
# what earlier runs kept in work/TARGET. Two builds:
#   - the campaign build, -sanitize=fuzzer without ASan (Fuzz/.build-fuzz-plain): 2–9× more
#     executions per second; Swift's own checks (bounds, overflow, preconditions) still trap,
#   - the ASan build of run.sh (Fuzz/.build-fuzz), which then replays every input the campaign
#     kept (work/TARGET) and every regression input, so what ASan alone sees (a stray unsafe
#     load) is checked on the whole corpus.
# Logs go to work/campaign/TARGET.log, crashes to crashes/; a summary table (executions,
# seconds, executions/s, coverage, crashes) to work/campaign/summary.md. The fuzzers run under
# SCHED_IDLE (chrt --idle): they take only the CPU nothing else wants. FUZZ_NO_BUILD=1 runs the
# binaries as they were last built; FUZZ_TIMEOUT (default 10 s) is libFuzzer's per-input timeout
# (a wall-clock one: raise it when the fuzzers may be paused with SIGSTOP).
# PARTS=P splits each target's RUNS over P processes sharing its work/TARGET corpus (libFuzzer
# picks up what the others add when it reloads), so one slow target can use every core.
#   Fuzz/campaign.sh [RUNS] [TARGET…]        e.g. JOBS=1 Fuzz/campaign.sh 1000000 trace
#                                                 JOBS=2 PARTS=2 Fuzz/campaign.sh 10000000 onnx
set -euo pipefail
# libFuzzer, not the Swift runtime's backtracer, must catch a trap: it writes the input to crashes/.
export SWIFT_BACKTRACE=enable=no
cd "$(dirname "$0")"
runs="${1:-10000000}"
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(onnx trace q tflite scalesim-csv hardware scalesim-cfg sweep npy)
jobs="${JOBS:-2}"
lld=(-Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld)
if [[ "${FUZZ_NO_BUILD:-0}" != 1 ]]; then
    nice -n 10 swift build -c release --scratch-path .build-fuzz-plain -Xswiftc -sanitize=fuzzer "${lld[@]}" >/dev/null
    nice -n 10 swift build -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address "${lld[@]}" >/dev/null
fi
mkdir -p crashes work/campaign

parts="${PARTS:-1}"
fuzz_one() {
    local target="$1" part="$2" log="work/campaign/$1.part$2.log"
    mkdir -p "work/$target"
    local start end status=0 kept=""
    [[ -d "kept/$target" ]] && kept="kept/$target"
    start=$(date +%s)
    ACCSIM_FUZZ_TARGET="$target" chrt --idle 0 .build-fuzz-plain/release/accsim-fuzz "work/$target" "corpus/$target" $kept \
        -runs="$((runs / parts))" -max_len=65536 -rss_limit_mb=2048 -timeout="${FUZZ_TIMEOUT:-10}" -print_final_stats=1 \
        -artifact_prefix="crashes/$target-" >"$log" 2>&1 || status=$?
    end=$(date +%s)
    echo "$target $status $((end - start))" >"work/campaign/$target.part$part.done"
}

running=0
for target in "${targets[@]}"; do rm -f "work/campaign/$target".part*; done
for job in $(for target in "${targets[@]}"; do for ((part = 1; part <= parts; part++)); do echo "$target:$part"; done; done); do
    fuzz_one "${job%%:*}" "${job##*:}" &
    running=$((running + 1))
    if [[ $running -ge $jobs ]]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

# Every kept input and every regression input under ASan (-runs=0: execute each once).
summary="work/campaign/summary.md"
{
    echo "| target | executions | seconds | executions/s | coverage (edges) | crashes | corpus kept | ASan replay |"
    echo "| --- | --: | --: | --: | --: | --: | --: | --- |"
} >"$summary"
status=0
for target in "${targets[@]}"; do
    # Parts: executions summed, the longest part's seconds, the highest coverage.
    execs=0 seconds=0 cov=0 fuzz_status=0
    for ((part = 1; part <= parts; part++)); do
        log="work/campaign/$target.part$part.log"
        read -r _ part_status part_seconds <"work/campaign/$target.part$part.done"
        [[ "$part_status" == 0 ]] || fuzz_status="$part_status"
        ((part_seconds > seconds)) && seconds=$part_seconds
        n=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
        execs=$((execs + n))
        c=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
        ((c > cov)) && cov=$c
    done
    crashes=$(find crashes -name "$target-*" ! -name "$target-slow-unit-*" | wc -l)  # slow units are not crashes
    kept=$(find "work/$target" -type f | wc -l)
    replay="passed"
    inputs=("work/$target" "corpus/$target")
    [[ -d "kept/$target" ]] && inputs+=("kept/$target")
    [[ -d "regressions/$target" ]] && inputs+=("regressions/$target")
    if ! ASAN_OPTIONS=detect_leaks=0 ACCSIM_FUZZ_TARGET="$target" nice -n 19 .build-fuzz/release/accsim-fuzz \
        "${inputs[@]}" -runs=0 -rss_limit_mb=2048 -timeout=10 -artifact_prefix="crashes/$target-asan-" \
        >"work/campaign/$target.asan.log" 2>&1; then
        replay="FAILED (work/campaign/$target.asan.log)"
        status=1
    fi
    [[ "$fuzz_status" == 0 ]] || status=1
    rate=$((execs / (seconds > 0 ? seconds : 1)))
    echo "| $target | $execs | $seconds | $rate | $cov | $crashes | $kept | $replay |" >>"$summary"
done
cat "$summary"
exit "$status"

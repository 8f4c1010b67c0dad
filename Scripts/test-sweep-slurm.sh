#!/usr/bin/env bash
# End-to-end test of the Slurm recipe (Scripts/sweep-slurm.sh) on a private single-node Slurm
# cluster started here (Scripts/slurm-local.sh; Debian's Slurm and munge installed when missing):
#   1. `submit 4 space.json out/`: the array tasks and the afterok merge job run; the merged
#      results equal a single-process `accsim sweep` of the same space byte for byte.
#   2. One array task is cancelled midway (scancel) and `submit` is run again: the shard resumes
#      without recomputing or duplicating a point, and the merge is again identical. The task's log
#      holds plain progress lines, no control characters.
#   3. A request no node can satisfy fails with Slurm's message.
# Needs root (the daemons). Environment: ACCSIM (default .build/debug/accsim, built by swift test).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export ACCSIM=${ACCSIM:-$root/.build/debug/accsim}
[ -x "$ACCSIM" ] || { echo "test-sweep-slurm: no accsim executable at $ACCSIM (run swift build)" >&2; exit 1; }
ACCSIM=$(cd "$(dirname "$ACCSIM")" && pwd)/$(basename "$ACCSIM")
started=$SECONDS
source Scripts/slurm-local.sh
slurm_local_install
work=$(mktemp -d /tmp/accsim-slurm.XXXXXX)
trap 'slurm_local_stop; rm -rf "$work"' EXIT
slurm_local_start "$work/cluster"
passed=0 failed=0

check() {  # description, then a shell condition (evaluated) that must hold
    local what=$1
    if eval "$2"; then
        passed=$((passed + 1))
        echo "  ok    $what"
    else
        failed=$((failed + 1))
        echo "  FAIL  $what" >&2
    fi
}

# The state of job $1 (for an array, of task $1_$2), e.g. PENDING, RUNNING, COMPLETED.
state() {
    scontrol show job "$1${2:+_$2}" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1
}

# Waits up to $2 seconds for job $1 to end; prints its final state.
wait_job() {
    local deadline=$((SECONDS + $2)) now
    while :; do
        now=$(state "$1")
        case $now in
            COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | "") echo "$now"; return ;;
        esac
        if [ $SECONDS -ge $deadline ]; then echo "TIMEOUT-WAITING($now)"; return; fi
        sleep 0.3
    done
}

no_control_characters() { ! LC_ALL=C grep -qP '[\x00-\x08\x0B-\x1F\x7F]' "$@"; }
unique_ids() { [ -z "$(sed 's/^{"schema_version":[0-9]*,"id":"\([0-9a-f]*\)".*/\1/' "$1" | sort | uniq -d)" ]; }

cd "$work"
# 1. The recipe end to end: 2 models × 4 × 3 × 4 = 96 points (the 24 with
#    array.rows = 0 are invalid), 4 shards with the default requests.
cat >space1.json <<EOF
{"version": 1, "hw": "16x16-ws",
 "models": ["$root/Models/digits.q", "$root/Models/every_op.q"],
 "axes": [{"array.rows": [0, 4, 8, 16]}, {"array.cols": "8:32:*2"}, {"sram.weight.kib": [8, 16, 32, 64]}]}
EOF
echo "case 1: submit 4 shards, merge after the array"
"$ACCSIM" sweep --sweep-file space1.json --jobs 2 --out ref1.jsonl --progress none
"$root/Scripts/sweep-slurm.sh" submit 4 space1.json out1
merge=$(cat out1/merge.jobid)
array=$(cat out1/array.jobid)
check "the merge job completed" \
    '[ "$(wait_job "$merge" 120)" = COMPLETED ]'
for task in 1 2 3 4; do
    check "array task $task completed" \
        '[ "$(state "$array" "$task")" = COMPLETED ]'
done
check "merged results equal the single-process sweep (96 rows)" \
    'cmp -s ref1.jsonl out1/results.jsonl'
check "96 rows, 24 invalid" \
    '[ "$(wc -l <out1/results.jsonl)" -eq 96 ] && [ "$(grep -c "\"status\":\"invalid\"" out1/results.jsonl)" -eq 24 ]'
check "every task logged its summary" \
    '[ "$(grep -l "point(s) in shard ./4: 24 evaluated" out1/task-*.log | wc -l)" -eq 4 ]'

# 2. Cancel one task midway, submit again: 2 × 1,024 points of digits.
cat >space2.json <<EOF
{"version": 1, "hw": "16x16-ws", "models": ["$root/Models/digits.q"],
 "axes": [{"array.rows": "2:64:+2"}, {"array.cols": "4:64:+4"}, {"sram.input.kib": [16, 32, 64, 128]}]}
EOF
echo "case 2: cancel task 2 midway, resubmit"
"$ACCSIM" sweep --sweep-file space2.json --jobs 2 --out ref2.jsonl --progress none
ACCSIM_PROGRESS_INTERVAL=1 "$root/Scripts/sweep-slurm.sh" submit 2 space2.json out2
array=$(cat out2/array.jobid)
first_merge=$(cat out2/merge.jobid)
slurm_local_wait '[ -f out2/shard-2.jsonl ] && [ "$(wc -l <out2/shard-2.jsonl)" -ge 150 ]' 120 || true
scancel "${array}_2"
check "task 2 was cancelled" \
    '[ "$(wait_job "${array}_2" 60)" = CANCELLED ]'
check "task 1 completed" \
    '[ "$(wait_job "${array}_1" 120)" = COMPLETED ]'
before=$(wc -l <out2/shard-2.jsonl)
echo "  task 2 cancelled with $before of 1024 rows written"
check "the cancel came midway (150 ≤ rows < 1024)" \
    '[ "$before" -ge 150 ] && [ "$before" -lt 1024 ]'
first_log=$(ls out2/task-"${array}"_2.log)
check "the first task log has plain progress lines" \
    'grep -qE "^sweep: [0-9]+/1024 points \([0-9.]+%\), [0-9.]+ points/s, ETA " "$first_log"'
ACCSIM_PROGRESS_INTERVAL=1 "$root/Scripts/sweep-slurm.sh" submit 2 space2.json out2
array2=$(cat out2/array.jobid)
merge=$(cat out2/merge.jobid)
check "the merge job of the resubmission completed" \
    '[ "$(wait_job "$merge" 120)" = COMPLETED ]'
check "the stale merge job never ran" \
    '[ "$(state "$first_merge")" = CANCELLED ] && [ ! -e out2/merge-"$first_merge".log ]'
log1=out2/task-"${array2}"_1.log log2=out2/task-"${array2}"_2.log
check "resumed shard 1 recomputed nothing" \
    'grep -q "1024 point(s) in shard 1/2: 0 evaluated (0 invalid), 1024 already done" "$log1"'
check "resumed shard 2 computed only the $((1024 - before)) missing points" \
    'grep -q "1024 point(s) in shard 2/2: $((1024 - before)) evaluated (0 invalid), $before already done" "$log2"'
check "shard 2 holds 1024 rows, each id once" \
    '[ "$(wc -l <out2/shard-2.jsonl)" -eq 1024 ] && unique_ids out2/shard-2.jsonl'
check "merged results equal the single-process sweep (2048 rows)" \
    'cmp -s ref2.jsonl out2/results.jsonl'
check "no control characters in any task or merge log" \
    'no_control_characters out1/*.log out2/*.log'

# 3. Requests: more CPUs per task than the node has.
echo "case 3: an impossible request"
if "$root/Scripts/sweep-slurm.sh" submit --cpus-per-task 64 2 space1.json out3 >out3.txt 2>&1; then status=0; else status=$?; fi
sed 's/^/  | /' out3.txt
check "refused with Slurm's message, nothing queued" \
    '[ "$status" -ne 0 ] && grep -q "Requested node configuration is not available" out3.txt && [ ! -e out3/array.jobid ]'

echo "test-sweep-slurm: $passed passed, $failed failed ($((SECONDS - started)) s)"
[ "$failed" -eq 0 ]

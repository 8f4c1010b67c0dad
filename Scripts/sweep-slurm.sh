#!/usr/bin/env bash
#SBATCH --job-name=accsim-sweep
# Runs one accsim sweep as a Slurm job array, one shard per array task, then merges the shards.
#
#   Scripts/sweep-slurm.sh submit [OPTIONS] N SWEEP-FILE OUTDIR
#
# Submits an array of N tasks: task I runs `accsim sweep --sweep-file SWEEP-FILE --shard I/N
# --out OUTDIR/shard-I.jsonl` and logs to OUTDIR/task-JOB_I.log (progress lines, then a summary);
# a merge job, started only when every task has succeeded (afterok), writes OUTDIR/results.jsonl.
# A task that was interrupted (cancelled, preempted, out of time) resumes its shard file: running
# `submit` again with the same arguments recomputes only the missing points (a merge job still
# waiting on the old array is cancelled first). OUTDIR must be on a filesystem every node sees.
#
# Options (each also from the environment; the defaults fit any node):
#   --cpus-per-task N   ACCSIM_SLURM_CPUS       threads per task (default 1; --jobs of each shard)
#   --time T            ACCSIM_SLURM_TIME       time limit per task (default: the partition's)
#   --partition P       ACCSIM_SLURM_PARTITION  (default: the cluster's default partition)
#   --account A         ACCSIM_SLURM_ACCOUNT    (default: the user's default account)
#   ACCSIM              the accsim executable (default: accsim on PATH), on every node
#   ACCSIM_PROGRESS_INTERVAL  seconds between progress lines in a task's log (default 30)
#   SBATCH_ARGS         further sbatch arguments for both jobs
# A request the cluster cannot satisfy is refused by sbatch, whose message is shown.
set -euo pipefail
accsim=${ACCSIM:-accsim}

usage() {
    sed -n '3,23p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

if [ "${1:-}" = "submit" ]; then
    shift
    cpus=${ACCSIM_SLURM_CPUS:-1} time=${ACCSIM_SLURM_TIME:-}
    partition=${ACCSIM_SLURM_PARTITION:-} account=${ACCSIM_SLURM_ACCOUNT:-}
    while [ $# -gt 0 ]; do
        case $1 in
            --cpus-per-task) cpus=${2:?}; shift 2 ;;
            --time) time=${2:?}; shift 2 ;;
            --partition) partition=${2:?}; shift 2 ;;
            --account) account=${2:?}; shift 2 ;;
            --*) echo "sweep-slurm: unknown option $1" >&2; usage ;;
            *) break ;;
        esac
    done
    [ $# -eq 3 ] || usage
    shards=$1 sweep=$2 outdir=$3
    [[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "sweep-slurm: N must be a positive integer, not '$shards'" >&2; exit 2; }
    [[ $cpus =~ ^[1-9][0-9]*$ ]] || { echo "sweep-slurm: --cpus-per-task must be a positive integer, not '$cpus'" >&2; exit 2; }
    mkdir -p "$outdir"
    "$accsim" sweep --sweep-file "$sweep" --shard "1/$shards" --dry-run   # checks the sweep file first
    common=()
    [ -n "$partition" ] && common+=(--partition="$partition")
    [ -n "$account" ] && common+=(--account="$account")
    # shellcheck disable=SC2206
    common+=(${SBATCH_ARGS:-})
    if [ -f "$outdir/merge.jobid" ]; then
        old=$(cat "$outdir/merge.jobid")
        if [ "$(squeue -h -j "$old" -o %T 2>/dev/null)" = "PENDING" ]; then
            echo "sweep-slurm: cancelling merge job $old, which waits on the earlier array" >&2
            scancel "$old"
        fi
    fi
    task=(--cpus-per-task="$cpus")
    [ -n "$time" ] && task+=(--time="$time")
    # A request no node can satisfy would wait in the queue forever (reason PartitionConfig) on a
    # cluster that does not enforce partition limits: ask Slurm first, and show its answer.
    if ! answer=$(sbatch --test-only "${common[@]}" "${task[@]}" --array="1-$shards" --wrap=true 2>&1); then
        echo "$answer" >&2
        echo "sweep-slurm: Slurm cannot run these tasks (--cpus-per-task $cpus${time:+, --time $time}); ask for less" >&2
        exit 1
    fi
    if ! array=$(sbatch --parsable "${common[@]}" "${task[@]}" --array="1-$shards" \
            --output="$outdir/task-%A_%a.log" "$0" task "$shards" "$sweep" "$outdir"); then
        echo "sweep-slurm: sbatch refused the array job (its message is above)" >&2
        exit 1
    fi
    array=${array%%;*}
    if ! merge=$(sbatch --parsable "${common[@]}" --dependency="afterok:$array" \
            --job-name=accsim-sweep-merge --output="$outdir/merge-%j.log" \
            --wrap="$(printf '%q ' "$accsim" sweep merge --force --out "$outdir/results.jsonl") $(printf '%q' "$outdir")/shard-*.jsonl"); then
        echo "sweep-slurm: sbatch refused the merge job (its message is above)" >&2
        exit 1
    fi
    merge=${merge%%;*}
    echo "$array" >"$outdir/array.jobid"
    echo "$merge" >"$outdir/merge.jobid"
    echo "sweep-slurm: array job $array ($shards tasks, $cpus CPU(s) each), merge job $merge; results: $outdir/results.jsonl"
elif [ "${1:-}" = "task" ] && [ $# -eq 4 ]; then
    shards=$2 sweep=$3 outdir=$4
    # The array index counted from 1 whatever --array range was used.
    shard=$(( SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-1} + 1 ))
    exec "$accsim" sweep --sweep-file "$sweep" --shard "$shard/$shards" \
        --jobs "${SLURM_CPUS_PER_TASK:-1}" --out "$outdir/shard-$shard.jsonl" --stats \
        --progress lines --progress-interval "${ACCSIM_PROGRESS_INTERVAL:-30}"
else
    usage
fi

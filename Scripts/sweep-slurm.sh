#!/usr/bin/env bash
#SBATCH --job-name=accsim-sweep
#SBATCH --cpus-per-task=4
#SBATCH --time=04:00:00
#SBATCH --output=accsim-sweep-%A_%a.log
# Runs one accsim sweep as a Slurm job array, one shard per array task, then merges the shards.
#
#   Scripts/sweep-slurm.sh submit N SWEEP-FILE OUTDIR   # submits the array (N tasks) and the merge
#
# Each array task runs `accsim sweep --sweep-file SWEEP-FILE --shard I/N --out OUTDIR/shard-I.jsonl`
# with I from its array index; a second job, started when the whole array has succeeded, merges
# the shards into OUTDIR/results.jsonl. A task that was interrupted (preempted, out of time) can
# simply be re-run: it resumes its shard file, skipping the points already there. Re-running
# `submit` re-runs only what is missing.
# Environment: ACCSIM, the accsim executable (default: accsim on PATH); SBATCH_ARGS, extra sbatch
# arguments for both jobs (partition, account, …).
set -euo pipefail
accsim=${ACCSIM:-accsim}

if [ "${1:-}" = "submit" ] && [ $# -eq 4 ]; then
    shards=$2 sweep=$3 outdir=$4
    mkdir -p "$outdir"
    "$accsim" sweep --sweep-file "$sweep" --dry-run        # checks the sweep file before queueing
    # shellcheck disable=SC2086
    array=$(sbatch --parsable ${SBATCH_ARGS:-} --array="1-$shards" "$0" task "$shards" "$sweep" "$outdir")
    # shellcheck disable=SC2086
    sbatch ${SBATCH_ARGS:-} --dependency="afterok:$array" --job-name=accsim-sweep-merge \
        --output="$outdir/merge-%j.log" \
        --wrap="'$accsim' sweep merge '$outdir'/shard-*.jsonl --out '$outdir/results.jsonl' --force"
    echo "submitted array job $array ($shards shards) and its merge; results: $outdir/results.jsonl"
elif [ "${1:-}" = "task" ] && [ $# -eq 4 ]; then
    shards=$2 sweep=$3 outdir=$4
    # The array index counted from 1 whatever --array range was used.
    shard=$(( SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-1} + 1 ))
    exec "$accsim" sweep --sweep-file "$sweep" --shard "$shard/$shards" \
        --jobs "${SLURM_CPUS_PER_TASK:-1}" --out "$outdir/shard-$shard.jsonl" --stats
else
    sed -n '6,16p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi

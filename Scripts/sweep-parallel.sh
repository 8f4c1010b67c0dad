#!/usr/bin/env bash
# Runs one accsim sweep as N shards with GNU parallel, then merges the shards into one file.
#
#   Scripts/sweep-parallel.sh N results.jsonl -- SWEEP-ARGUMENTS…
#
# e.g.  Scripts/sweep-parallel.sh 4 results.jsonl -- --hw 16x16-ws Models/digits.q \
#           --vary array.rows=8,16,32 --vary sram.weight.kib=64:512:*2
#       Scripts/sweep-parallel.sh 16 results.jsonl -- --sweep-file space.json
#
# Shard I of N writes results.shards/shard-I.jsonl and prints its summary when it ends. An
# interrupted run (Ctrl-C, a killed job) leaves every shard resumable: re-running the same command
# computes only the points missing from each shard's file, then merges again.
# Environment:
#   ACCSIM           the accsim executable (default: accsim on PATH)
#   JOBS_PER_SHARD   threads per shard (default 1: parallel runs one shard per core)
#   PARALLEL_ARGS    extra GNU parallel arguments, e.g. "-j 8" or, across machines,
#                    "-S host1,host2 --workdir /shared/dir" (accsim and the files must be there)
set -euo pipefail

if [ $# -lt 3 ] || [ "$3" != "--" ]; then
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
shards=$1
out=$2
shift 3
accsim=${ACCSIM:-accsim}
dir="${out%.*}.shards"
mkdir -p "$dir"

# One job per shard; --halt stops the others when one fails (its file stays resumable).
# shellcheck disable=SC2086
parallel --halt now,fail=1 ${PARALLEL_ARGS:-} \
    "$accsim" sweep "$@" --jobs "${JOBS_PER_SHARD:-1}" --shard "{}/$shards" --out "$dir/shard-{}.jsonl" \
    --stats --progress none ::: $(seq 1 "$shards")

"$accsim" sweep merge "$dir"/shard-*.jsonl --out "$out" --force

#!/usr/bin/env bash
# End-to-end test of the GNU parallel recipe (Scripts/sweep-parallel.sh; Debian's `parallel`
# installed when missing): a 4-shard run equals a single-process `accsim sweep` byte for byte;
# then a run interrupted midway (SIGINT to parallel and its shards, as Ctrl-C sends it) and run
# again with the same command recomputes only the missing points and ends identical.
# Environment: ACCSIM (default .build/debug/accsim, built by swift test).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export ACCSIM=${ACCSIM:-$root/.build/debug/accsim}
[ -x "$ACCSIM" ] || { echo "test-sweep-parallel: no accsim executable at $ACCSIM (run swift build)" >&2; exit 1; }
ACCSIM=$(cd "$(dirname "$ACCSIM")" && pwd)/$(basename "$ACCSIM")
started=$SECONDS
# Debian's moreutils also has a `parallel`; GNU parallel prints its name in --version.
if ! parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
    echo "test-sweep-parallel: installing parallel (Debian)" >&2
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends parallel >/dev/null
    echo "test-sweep-parallel: installed in $((SECONDS - started)) s" >&2
fi
work=$(mktemp -d /tmp/accsim-parallel.XXXXXX)
group=""
cleanup() {
    if [ -n "$group" ]; then kill -TERM -- "-$group" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
passed=0 failed=0
check() {  # description, then a shell condition (evaluated) that must hold
    if eval "$2"; then
        passed=$((passed + 1))
        echo "  ok    $1"
    else
        failed=$((failed + 1))
        echo "  FAIL  $1" >&2
    fi
}
evaluated() { sed -n 's/.*: \([0-9]*\) evaluated .*/\1/p' "$1" | awk '{ n += $1 } END { print n + 0 }'; }
cd "$work"

echo "case 1: 4 shards with GNU parallel, then the merge"
grid=(--hw 16x16-ws "$root/Models/digits.q" "$root/Models/every_op.q"
      --vary array.rows=0,4,8,16 --vary array.cols=8:32:*2 --vary sram.weight.kib=8,16,32,64)
"$ACCSIM" sweep "${grid[@]}" --jobs 2 --out ref1.jsonl --progress none
"$root/Scripts/sweep-parallel.sh" 4 r1.jsonl -- "${grid[@]}" 2>log1.txt
check "merged results equal the single-process sweep (96 rows)" 'cmp -s ref1.jsonl r1.jsonl'
check "each of the 4 shards evaluated its 24 points" \
    '[ "$(grep -c "point(s) in shard ./4: 24 evaluated" log1.txt)" -eq 4 ]'

echo "case 2: interrupted midway, run again"
grid=(--hw 16x16-ws "$root/Models/digits.q"
      --vary array.rows=2:64:+2 --vary array.cols=4:64:+4 --vary sram.input.kib=16,32,64,128)
"$ACCSIM" sweep "${grid[@]}" --jobs 2 --out ref2.jsonl --progress none
setsid "$root/Scripts/sweep-parallel.sh" 2 r2.jsonl -- "${grid[@]}" >/dev/null 2>log2a.txt &
group=$!
rows() { cat r2.shards/shard-*.jsonl 2>/dev/null | wc -l; }
waited=0
until [ "$(rows)" -ge 300 ] || [ $waited -ge 600 ]; do sleep 0.2; waited=$((waited + 1)); done
kill -INT -- "-$group" 2>/dev/null || true
wait "$group" 2>/dev/null && interrupted=0 || interrupted=1
group=""
before=$(rows)
echo "  interrupted with $before of 2048 rows in the shard files"
check "the run was interrupted midway (300 ≤ rows < 2048, no merged file)" \
    '[ "$interrupted" -eq 1 ] && [ "$before" -ge 300 ] && [ "$before" -lt 2048 ] && [ ! -e r2.jsonl ]'
"$root/Scripts/sweep-parallel.sh" 2 r2.jsonl -- "${grid[@]}" 2>log2b.txt
check "the second run evaluated only the $((2048 - before)) missing points" \
    '[ "$(evaluated log2b.txt)" -eq $((2048 - before)) ]'
check "the shards hold 2048 rows, each id once" \
    '[ "$(rows)" -eq 2048 ] && [ -z "$(cat r2.shards/*.jsonl | cut -d, -f2 | sort | uniq -d)" ]'
check "merged results equal the single-process sweep (2048 rows)" 'cmp -s ref2.jsonl r2.jsonl'

echo "test-sweep-parallel: $passed passed, $failed failed ($((SECONDS - started)) s)"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# The README's precision tables, reproducible with one command:
#
#     Scripts/precision-sweep.sh            # uses .build/debug/accsim (built if missing)
#     ACCSIM=.build/release/accsim Scripts/precision-sweep.sh
#
# 1. Per-layer precision: the digits variants of Scripts/make_precision_variants.py
#    (Models/precision/*.q) swept as a model dimension on the 8x8 config with 8-bit multipliers
#    (int16 layers run as two passes) and with native 16-bit activation multipliers, with
#    illustrative energy costs (mac_pj 0.2 per 8-bit multiplier operation, 0.4 per 16x8 one,
#    1 pJ per SRAM byte, 20 pJ per DRAM byte): cycles, energy and top-1 on the 360 held-out images.
# 2. Requantizer width: Models/digits.q (per-channel scales) with requantizer.multiplier_bits
#    32/16/12/8/4 and --adapt-requant (multipliers rounded to the width): top-1.
set -euo pipefail
cd "$(dirname "$0")/.."
ACCSIM=${ACCSIM:-.build/debug/accsim}
if [ ! -x "$ACCSIM" ]; then swift build --product accsim; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=(--input Models/digits_test_x.npy --labels Models/digits_test_y.npy --format csv)

"$ACCSIM" sweep Models/precision/digits_*.q --hw 8x8 \
    --zip 'array.input_type=int8,int16 energy.mac_pj=0.2,0.4' \
    --set energy.sram_read_pj_per_byte=1 --set energy.sram_write_pj_per_byte=1 --set energy.dram_pj_per_byte=20 \
    "${data[@]}" > "$work/precision.csv"
"$ACCSIM" sweep Models/digits.q --hw 8x8 --vary 'requantizer.multiplier_bits=32,16,12,8,4' --adapt-requant \
    "${data[@]}" > "$work/requant.csv"

python3 - "$work/precision.csv" "$work/requant.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print("| model | multipliers | cycles | energy (nJ) | DRAM bytes | top-1 |")
print("| --- | --- | --: | --: | --: | --: |")
for r in rows:
    mult = "8-bit (passes)" if r["values.array.input_type"] == "int8" else "16x8 native"
    print(f"| {r['model']} | {mult} | {int(r['cycles']):,} | {float(r['energy_pj']) / 1000:.1f} | "
          f"{int(r['dram_bytes']):,} | {r['correct']}/{r['samples']} |")
print()
rows = list(csv.DictReader(open(sys.argv[2])))
print("| requantizer.multiplier_bits | top-1 |")
print("| --: | --: |")
for r in rows:
    print(f"| {r['values.requantizer.multiplier_bits']} | {r['correct']}/{r['samples']} = {100 * float(r['top1']):.2f} % |")
PY

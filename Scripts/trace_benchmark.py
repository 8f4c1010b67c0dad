#!/usr/bin/env python3
"""Measures trace throughput per level (Traces/FORMAT.md, "Throughput"): events/s, MB/s before
and after compression, and compressed bytes per traced MAC, on the example model and on a larger
conv layer (a 3x3 conv, 56x56x32 -> 64 channels, imported from a one-row SCALE-Sim topology).

    python3 Scripts/trace_benchmark.py [--accsim PATH] [--repeat N]

Without --accsim it builds accsim in release mode (scratch path .build-trace) first. Prints a
Markdown table. Timings are wall clock: run it on an otherwise idle machine and take the best of
--repeat runs.
"""

import argparse
import gzip
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTE = re.compile(r"trace (\S+) \((\w+)\): (\d+) events in (\d+) chunks, ([\d.]+) MB → ([\d.]+) MB in ([\d.]+) s")
MACS = re.compile(r"over ([\d,]+) traced MACs")

BIG_TOPOLOGY = ("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
                "conv_56x56x32x64, 58, 58, 3, 3, 32, 64, 1,\n")


def run(command):
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(command), result.stderr))
    return result, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accsim", help="the accsim binary (default: build a release one)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is kept")
    args = parser.parse_args()
    accsim = args.accsim
    if accsim is None:
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", ".build-trace", "--product", "accsim"],
                       cwd=ROOT, check=True)
        accsim = os.path.join(ROOT, ".build-trace", "release", "accsim")

    work = tempfile.mkdtemp(prefix="accsim-trace-bench-")
    topology = os.path.join(work, "big.csv")
    with open(topology, "w") as handle:
        handle.write(BIG_TOPOLOGY)
    big = os.path.join(work, "big.q")
    run([accsim, "import", topology, "-o", big])

    cases = [
        ("digits (8x8, 83k MACs)", [os.path.join(ROOT, "Models", "digits.q"), "--hw", "8x8",
                                    "--input", os.path.join(ROOT, "Models", "digits_test_x.npy")]),
        ("conv 56x56x32->64 (16x16-ws, 57.8M MACs)", [big, "--hw", "16x16-ws"]),
    ]
    rows = []
    for name, arguments in cases:
        untraced = min(run([accsim, "run"] + arguments)[1] for _ in range(args.repeat))
        for level, compression in [("layer", 6), ("tile", 6), ("requant", 6), ("cycle", 6), ("cycle", 1)]:
            best = None
            for _ in range(args.repeat):
                path = os.path.join(work, "t.trace.gz")
                result, total = run([accsim, "run"] + arguments + ["--trace", path, "--trace-level", level, "--force",
                                                                   "--trace-compression", str(compression)])
                match = NOTE.search(result.stderr)
                if not match:
                    sys.exit("no trace note in: %s" % result.stderr)
                events, seconds = int(match.group(3)), float(match.group(7))
                compressed = os.path.getsize(path)
                with gzip.open(path, "rb") as handle:
                    uncompressed = 0
                    while True:
                        block = handle.read(1 << 24)
                        if not block:
                            break
                        uncompressed += len(block)
                macs = MACS.search(run([accsim, "trace", "stats", path])[0].stdout)
                traced_macs = int(macs.group(1).replace(",", "")) if macs else 0
                sample = (seconds, events, uncompressed, compressed, traced_macs, total)
                if best is None or seconds < best[0]:
                    best = sample
            seconds, events, uncompressed, compressed, traced_macs, total = best
            rows.append((name, "%s (gzip %d)" % (level, compression), events, events / seconds, uncompressed / seconds / 1e6,
                         compressed / seconds / 1e6, uncompressed / max(1, compressed),
                         compressed / traced_macs if traced_macs else float("nan"), seconds, total, untraced))

    print("| model | level | events | events/s | MB/s uncompressed | MB/s compressed | ratio | "
          "bytes per traced MAC | trace pass s | traced run s | untraced run s |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print("| %s | %s | %s | %s | %.2f | %.2f | %.1fx | %.3g | %.3f | %.2f | %.2f |" % (
            row[0], row[1], "{:,}".format(row[2]), "{:,.0f}".format(row[3]), row[4], row[5], row[6], row[7], row[8],
            row[9], row[10]))


if __name__ == "__main__":
    main()

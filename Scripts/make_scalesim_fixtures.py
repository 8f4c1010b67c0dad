#!/usr/bin/env python3
"""Runs the real SCALE-Sim 3.0.0 on the parity configs and topologies in Models/scalesim/parity/
and writes each layer's compute cycles to Models/scalesim/parity/expected.csv, which the Swift
tests (ScaleSimParityTests) compare with accsim's array cycles under convention = scale_sim.

Needs SCALE-Sim from PyPI in a venv of its own (numpy 2.4 breaks it):
    python3 -m venv .venv-scalesim
    .venv-scalesim/bin/pip install scalesim==3.0.0 "numpy<2.4"
    .venv-scalesim/bin/python Scripts/make_scalesim_fixtures.py [--check]
CI does not run SCALE-Sim; it uses the committed expected.csv.
"""
import csv
import glob
import io
import os
import sys
import tempfile
from contextlib import redirect_stdout

from scalesim.scale_sim import scalesim

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Models", "scalesim", "parity")
TOPOLOGIES = {"conv_topology.csv": False, "gemm_topology.csv": True}


def layer_names(topology):
    # SCALE-Sim runs a depthwise row (a name containing DP) as one layer per input channel.
    names = []
    with open(topology) as handle:
        rows = [line.split(",") for line in handle if line.strip()][1:]
    for row in rows:
        name = row[0].strip()
        if "DP" in name:
            names += [f"{name}Channel_{c}" for c in range(int(row[5]))]
        else:
            names.append(name)
    return names


def run(config, topology, gemm):
    with tempfile.TemporaryDirectory() as out:
        # SCALE-Sim 3.0.0 reads a layout file even with custom layouts off; the topology serves.
        sim = scalesim(save_disk_space=True, verbose=False, config=config, topology=topology,
                       layout=topology, input_type_gemm=gemm)
        with redirect_stdout(io.StringIO()):
            sim.run_scale(top_path=out)
        reports = glob.glob(os.path.join(out, "**", "COMPUTE_REPORT.csv"), recursive=True)
        assert len(reports) == 1, reports
        with open(reports[0]) as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader)]
            rows = [dict(zip(header, (v.strip() for v in row))) for row in reader if row]
    # SCALE-Sim 3.0.0 (PyPI) writes "Total Cycles (incl. prefetch)", "Total Cycles" (the array's
    # compute cycles, with the memory stalls) and "Stall Cycles"; compute = total − stalls.
    return [(int(r["LayerID"]), int(r["Total Cycles"]) - int(r["Stall Cycles"]), int(r["Total Cycles (incl. prefetch)"]),
             int(r["Stall Cycles"])) for r in rows]


def main():
    lines = ["config,topology,layer,name,compute_cycles,total_cycles,stall_cycles"]
    for config in sorted(glob.glob(os.path.join(HERE, "*.cfg"))):
        for topology, gemm in TOPOLOGIES.items():
            path = os.path.join(HERE, topology)
            names = layer_names(path)
            for layer, compute, total, stall in run(config, path, gemm):
                lines.append(f"{os.path.basename(config)},{topology},{layer},{names[layer]},{compute},{total},{stall}")
    text = "\n".join(lines) + "\n"
    target = os.path.join(HERE, "expected.csv")
    if "--check" in sys.argv:
        same = os.path.exists(target) and open(target).read() == text
        print("expected.csv " + ("up to date" if same else "STALE"))
        sys.exit(0 if same else 1)
    with open(target, "w") as handle:
        handle.write(text)
    print(f"wrote {target}: {len(lines) - 1} layers")


if __name__ == "__main__":
    main()

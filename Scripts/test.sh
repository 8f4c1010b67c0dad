#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs what is missing, lints the Swift sources
# against .swift-format (Scripts/lint.sh), checks that the committed
# kernel fixtures still equal what the NumPy oracle computes, runs the NEON kernels under qemu
# (Scripts/test-neon.sh), the Python tests of the helper scripts, the Aidge exporter end to end
# (Scripts/aidge-check.sh: Aidge 0.10.1 from PyPI in .venv-aidge/, quantizing in the run), then the
# Swift test suite, then every fuzz target for 3 s on its corpus (Fuzz/run.sh: libFuzzer + ASan),
# then the sweep recipes end to end on a private Slurm cluster and with GNU
# parallel (both installed when missing; the Slurm daemons need root), then the RTL co-simulation:
# the Verilog arrays of RTL/ against accsim's cycle-level traces (Icarus, cocotb).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
Scripts/lint.sh
Scripts/test-neon.sh
python3 Scripts/make_kernel_fixtures.py --check
python3 -m unittest discover -s Scripts -p 'test_*.py' -q
Scripts/aidge-check.sh
swift test
Fuzz/run.sh 3
Scripts/test-sweep-slurm.sh
Scripts/test-sweep-parallel.sh
Scripts/setup-rtl.sh
swift build --product accsim
.venv-rtl/bin/python -m unittest RTL/test_rtl.py

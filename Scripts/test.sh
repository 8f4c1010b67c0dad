#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs what is missing, checks that the committed
# kernel fixtures still equal what the NumPy oracle computes, runs the NEON kernels under qemu
# (Scripts/test-neon.sh), runs the Python tests of the helper
# scripts, then the Swift test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
Scripts/test-neon.sh
python3 Scripts/make_kernel_fixtures.py --check
python3 -m unittest discover -s Scripts -p 'test_*.py' -q
swift test

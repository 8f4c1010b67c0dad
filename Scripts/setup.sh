#!/usr/bin/env bash
# Installs what accsim needs to build and test on a fresh Debian machine with Swift:
# zlib's headers (Debian zlib1g-dev) and NumPy (for the fixture check of the NumPy oracle).
# Idempotent: installs nothing that is already there.
set -euo pipefail
if ! dpkg -s zlib1g-dev >/dev/null 2>&1; then
    echo "setup: installing zlib1g-dev" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq zlib1g-dev >/dev/null
fi
if ! python3 -c "import numpy" >/dev/null 2>&1; then
    echo "setup: installing numpy" >&2
    python3 -m pip install --quiet "numpy>=2"
fi

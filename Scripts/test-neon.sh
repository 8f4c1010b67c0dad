#!/usr/bin/env bash
# The neon path without Arm hardware: cross-compiles the C kernels (Sources/CAccsimKernels) and a
# small C driver for AArch64 and runs it under qemu-user on vectors committed in
# Tests/NEONVectors, whose expected outputs the Swift reference kernels produced (the
# NEONVectorTests suite regenerates them and checks they have not drifted).
#
# Installs the Debian packages gcc-aarch64-linux-gnu, libc6-dev-arm64-cross and qemu-user when
# they are missing (an install failure stops the script with a non-zero status). Called from
# Scripts/test.sh; `ACCSIM_SKIP_NEON=1` skips it outside CI.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${ACCSIM_SKIP_NEON:-0}" = "1" ] && [ "${CI:-}" != "true" ]; then
    echo "test-neon: skipped (ACCSIM_SKIP_NEON=1)" >&2
    exit 0
fi
CC=aarch64-linux-gnu-gcc
QEMU=qemu-aarch64
if ! command -v "$CC" >/dev/null 2>&1 || ! command -v "$QEMU" >/dev/null 2>&1; then
    echo "test-neon: installing gcc-aarch64-linux-gnu and qemu-user" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user >/dev/null
fi
OUT="${TMPDIR:-/tmp}/accsim-neon-$$"
mkdir -p "$OUT"
trap 'rm -rf "$OUT"' EXIT
"$CC" -O2 -std=c11 -Wall -Wextra -Werror -march=armv8-a -static \
    -I Sources/CAccsimKernels/include \
    Sources/CAccsimKernels/cpu.c Sources/CAccsimKernels/arm_neon.c Tests/NEONVectors/neon_driver.c \
    -o "$OUT/neon_driver"
# -cpu max: DotProd and I8MM present (both GEMM variants run); -cpu cortex-a76: DotProd only.
for cpu in max cortex-a76; do
    QEMU_CPU=$cpu "$QEMU" -L /usr/aarch64-linux-gnu "$OUT/neon_driver" Tests/NEONVectors/vectors.bin
done

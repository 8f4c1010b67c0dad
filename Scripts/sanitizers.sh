#!/usr/bin/env bash
# Runs the kernel and engine tests (AccsimArithmeticTests: reference and fast kernels, every SIMD
# path the machine has; AccsimExecutionTests: the graph executor and scheduled execution) under
# AddressSanitizer, then under UndefinedBehaviorSanitizer (Swift code and, through -Xcc, the C
# kernels of CAccsimKernels). Separate scratch paths, so the normal .build/ is untouched.
# Not in CI (two sanitized builds of the package take several minutes on 2 cores); the result is
# recorded in the issue 19 note.
#   Scripts/sanitizers.sh [address|undefined]…   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
filter='AccsimArithmeticTests|AccsimExecutionTests'
modes=("$@")
[[ ${#modes[@]} -gt 0 ]] || modes=(address undefined)
for mode in "${modes[@]}"; do
    case "$mode" in
        address)
            flags=(-Xswiftc -sanitize=address -Xcc -fsanitize=address)
            ;;
        undefined)
            flags=(-Xswiftc -sanitize=undefined -Xcc -fsanitize=undefined -Xcc -fno-sanitize-recover=undefined)
            ;;
        *)
            echo "unknown sanitizer '$mode' (address or undefined)" >&2
            exit 2
            ;;
    esac
    echo "== $mode sanitizer: $filter"
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=0 \
        nice -n 10 swift test --scratch-path ".build-$mode" "${flags[@]}" --filter "$filter"
done

#!/usr/bin/env bash
# Checks the Swift sources against the committed .swift-format configuration (4-space indent,
# lines ≤ 120 columns): prints every violation and exits non-zero if there is one.
#   Scripts/lint.sh          lint (what Scripts/test.sh runs)
#   Scripts/lint.sh --fix    reformat the files in place, then lint what is left
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Sources Tests)
if [[ "${1:-}" == "--fix" ]]; then
    swift format format --in-place --parallel --recursive "${paths[@]}"
fi
swift format lint --strict --parallel --recursive "${paths[@]}"

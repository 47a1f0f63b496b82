#!/usr/bin/env bash
# All tests on a fresh machine: install dependencies, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ctest --test-dir build/release --output-on-failure -j"$(nproc 2>/dev/null || echo 2)" "$@"

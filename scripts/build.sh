#!/usr/bin/env bash
# Configures and builds caseflow (release with debug info) into build/release.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
cmake --build build/release -j"$jobs"

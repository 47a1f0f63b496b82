#!/usr/bin/env bash
# The main job on a fresh machine: install dependencies, build, run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec build/release/src/cli/caseflow demo "$@"

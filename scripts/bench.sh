#!/usr/bin/env bash
# Builds the benchmarks (Release), runs every suite, prints the issue-5 table
# (measured figures and ratios) and regenerates docs/performance.md.
#
#   scripts/bench.sh                 everything (about 10 minutes on 2 cores)
#   REPS=3 PROFILE=0 scripts/bench.sh   fewer repetitions, no callgrind profile
#
# Timing rows run REPS times (default 5) and the table quotes medians; ratios
# come from rows that run both sides interleaved in the same process.  The
# memory rows measure a fresh child process's peak RSS (VmHWM) once.  With
# PROFILE=1 (default, needs valgrind) the engine's dispatch is profiled with
# callgrind and the hottest functions go into the document.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-bench}
reps=${REPS:-5}
profile=${PROFILE:-1}
jobs=$(nproc 2>/dev/null || echo 2)
out="$build/bench-results"

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCASEFLOW_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target caseflow-bench -j"$jobs"
bench="$build/bench/caseflow-bench"
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.txt
git rev-parse --short HEAD > "$out/commit.txt" 2>/dev/null || true  # the code measured (the report may be regenerated later)

run() {  # name, filter, extra args...
  local name=$1 filter=$2
  shift 2
  echo "== $name" >&2
  "$bench" --benchmark_filter="$filter" --benchmark_out="$out/$name.json" --benchmark_out_format=json "$@"
}
# Side-by-side timing rows, repeated; medians are what the table quotes.
run timing '^(dispatch_|replay_|load_|wheel_|priority_queue_|multimap_)' \
  --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true
# Heavy rows: a fresh process per memory figure, 1M-case storms, 200k-case deadline churn.
run memory '^memory_cases'
run storm '^deadline_(storm|churn)' --benchmark_repetitions=3 --benchmark_report_aggregates_only=true

echo "== compile time" >&2
RUNS=${COMPILE_RUNS:-5} bench/compile_time.sh | tee "$out/compile_time.txt"

if [ "$profile" = 1 ] && command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null; then
  echo "== callgrind: engine dispatch" >&2
  # The whole loop over cases and events, for both sides (in step): engine::
  # dispatch is partly inline in the loop, as MSM's process_event is.
  for v in engine engine_history msm; do
    valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$v" --toggle-collect='*_fleet::run*' \
      "$bench" --benchmark_filter="^dispatch_lifecycle/$v\$" --benchmark_min_time=0.001 >/dev/null 2>&1
    callgrind_annotate --inclusive=no "$out/callgrind.$v" > "$out/callgrind.$v.txt" 2>/dev/null || true
    callgrind_annotate --inclusive=yes "$out/callgrind.$v" > "$out/callgrind.$v.incl.txt" 2>/dev/null || true
  done
  # In the mixed order the time goes to mispredicted branches: callgrind's
  # branch simulator counts them (its model, not the CPU's).
  for v in engine msm; do
    valgrind --tool=callgrind --branch-sim=yes --callgrind-out-file="$out/callgrind.mixed.$v" --toggle-collect='*_fleet::run*' \
      "$bench" --benchmark_filter="^dispatch_mixed_lifecycle/$v\$" --benchmark_min_time=0.001 >/dev/null 2>&1
    callgrind_annotate "$out/callgrind.mixed.$v" > "$out/callgrind.mixed.$v.txt" 2>/dev/null || true
  done
fi

python3 scripts/bench_report.py "$out" docs/performance.md

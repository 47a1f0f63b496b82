#!/usr/bin/env bash
# Compile time of a host that embeds caseflow vs one that defines the same
# workflow as a Boost.MSM machine: `g++ -std=c++17 -O2 -c`, each file
# compiled RUNS times (default 5) alternately, medians and their ratio.
# Prints one line: compile_time caseflow_s=... msm_s=... ratio=...
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
cxx=${CXX:-g++}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
flags=(-std=c++17 -O2 -c -Iinclude -Ibench)
time_one() {  # prints seconds
  local start end
  start=$(date +%s.%N)
  "$cxx" "${flags[@]}" "$1" -o "$out/x.o"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}
cf=() msm=()
for ((i = 0; i < runs; i++)); do
  cf+=("$(time_one bench/compile/host_caseflow.cpp)")
  msm+=("$(time_one bench/compile/host_msm.cpp)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
c=$(median "${cf[@]}")
m=$(median "${msm[@]}")
printf 'compile_time caseflow_s=%.3f msm_s=%.3f ratio=%.3f runs=%d\n' "$c" "$m" "$(awk -v a="$c" -v b="$m" 'BEGIN { print a / b }')" "$runs"

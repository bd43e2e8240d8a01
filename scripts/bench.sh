#!/usr/bin/env bash
# Builds Release and runs every benchmark suite (relstore beside SQLite :memory:
# and the hand-written baseline), five repetitions each, then prints the table
# of medians and ratios that README shows, with the machine it ran on.
# Extra arguments go to Google Benchmark (e.g. --benchmark_filter=create).
# RELSTORE_BENCH_ROWS sets the rows per table (default 1,000,000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target relstore_bench
echo "machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB"
build/release/bench/relstore_bench --benchmark_color=false "$@"

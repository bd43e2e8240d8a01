#!/usr/bin/env bash
# Installs what is missing, builds everything with AddressSanitizer and
# UndefinedBehaviorSanitizer, runs every test, fuzzes the snapshot loader for
# 60 seconds (clang, libFuzzer), smoke-runs every benchmark
# binary (one short iteration, small data) and checks the three ways of
# consuming the library (add_subdirectory, installed package, build tree).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

echo "== build (asan preset)"
cmake --preset asan >/dev/null
cmake --build --preset asan

echo "== tests"
ctest --preset asan -j 2

echo "== fuzzing the snapshot loader (clang, libFuzzer, ASan+UBSan, 60 s)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
fuzz_out=$(mktemp -d)
# New inputs go to a scratch folder; the checked-in corpus seeds the run.
build/fuzz/tests/fuzz/snapshot_fuzzer -max_total_time=60 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$fuzz_out/" \
  "$fuzz_out" tests/fuzz/corpus 2>&1 | tail -n 12
rm -rf "$fuzz_out"

echo "== benchmark smoke run"
for bench in build/asan/bench/*_bench; do
  RELSTORE_BENCH_ROWS=2000 "$bench" --benchmark_min_time=0.001 >/dev/null
  echo "$(basename "$bench"): ok"
done

echo "== consumers"
consumer_build=build/consumers
rm -rf "$consumer_build"
# 1. add_subdirectory
cmake -S tests/consumer -B "$consumer_build/subdirectory" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DRELSTORE_CONSUME=subdirectory -DRELSTORE_SOURCE_DIR="$root" >/dev/null
cmake --build "$consumer_build/subdirectory" >/dev/null
"$consumer_build/subdirectory/consumer"
# 2. an installed package (library built alone, installed into a prefix)
cmake -S . -B "$consumer_build/lib" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRELSTORE_BUILD_TESTS=OFF \
  -DRELSTORE_BUILD_BENCHMARKS=OFF -DRELSTORE_BUILD_EXAMPLES=OFF -DRELSTORE_INSTALL=ON \
  -DCMAKE_INSTALL_PREFIX="$root/$consumer_build/prefix" >/dev/null
cmake --build "$consumer_build/lib" >/dev/null
cmake --install "$consumer_build/lib" >/dev/null
cmake -S tests/consumer -B "$consumer_build/package" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DRELSTORE_CONSUME=package -DCMAKE_PREFIX_PATH="$root/$consumer_build/prefix" >/dev/null
cmake --build "$consumer_build/package" >/dev/null
"$consumer_build/package/consumer"
# 3. the build tree
cmake -S tests/consumer -B "$consumer_build/buildtree" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DRELSTORE_CONSUME=package -Drelstore_DIR="$root/$consumer_build/lib" >/dev/null
cmake --build "$consumer_build/buildtree" >/dev/null
"$consumer_build/buildtree/consumer"

echo "== all checks passed"

#!/usr/bin/env bash
# Counts the instructions one association get() with ten attribute reads
# executes (the "assoc get(user) + title" and "belongsToMany get(user) +
# label" suites, and their hand-written floor), under callgrind, on 2000
# users (every row in cache). Deterministic, unlike times on a shared
# machine that drifts by tens of percent: use it to judge changes smaller
# than the noise. Fixed costs (building the world, the benchmark's lists
# of ids) cancel out. Takes under a minute per figure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target relstore_bench
bin=build/release/bench/relstore_bench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# count FUNCTION FILTER CALLEE: instructions inside FUNCTION per call of
# CALLEE. Two runs of different lengths: the difference of their totals over
# the difference of their calls cancels every fixed cost (the world's
# construction, static lists of ids, the framework's setup).
count() {
  local totals=()
  for t in 0.02 0.2; do
    RELSTORE_BENCH_ROWS=20000 valgrind --tool=callgrind --dump-instr=no --toggle-collect="*$1*" \
      --callgrind-out-file="$out/cg.out" "$bin" --benchmark_filter="$2" --benchmark_min_time=$t \
      --benchmark_repetitions=1 >/dev/null 2>&1
    totals+=("$(python3 - "$out/cg.out" "$3" <<'PY'
import re, sys
path, callee = sys.argv[1], sys.argv[2]
total, names, callee_name, calls = 0, {}, None, 0
for line in open(path):
    if line.startswith("summary:"):
        total = int(line.split()[1])
    m = re.match(r"(c?fn)=\((\d+)\)(?: (.*))?", line)
    if m:
        kind, key, name = m.groups()
        if name:
            names[key] = name
        if kind == "cfn":
            callee_name = names.get(key, "")
        continue
    if line.startswith("calls=") and callee_name and callee in callee_name:
        calls += int(line.split("=")[1].split()[0])
print(total, calls)
PY
)")
  done
  python3 -c "
a, b = [tuple(map(int, t.split())) for t in ('${totals[0]}', '${totals[1]}')]
print(f'{(b[0] - a[0]) / (b[1] - a[1]):.0f} instructions per get ({b[1] - a[1]} gets apart)')"
}

echo "assoc get(user) + title, relstore:        $(count 'getRelstore<false>' 'get\(user\) \+ (title|label)/relstore/' 'Association::get(')"
echo "belongsToMany get(user) + label, relstore: $(count 'getRelstore<true>' 'get\(user\) \+ (title|label)/relstore/' 'Association::get(')"
# The floor allocates exactly one vector a get.
echo "assoc get(user) + title, floor:           $(count 'getFloor<false>' 'get\(user\) \+ title/floor/' 'operator new(')"

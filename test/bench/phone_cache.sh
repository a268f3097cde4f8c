#!/usr/bin/env bash
# What the per-backend phone parse cache buys (src/core/normalize/phone.hpp).
# 1. build/phone_cache_bench: normalize_phone's cost per row with the cache off and on, on a
#    generated feed where RECUR of the rows re-send a number from the last WINDOW rows, then
#    from any earlier row (thread CPU time, medians of RUNS, off and on alternating).
# 2. With BASE_REF (a git revision without the cache, e.g. BASE_REF=main): COPY rows/s of
#    COPY_ROWS such rows into watched tables, this checkout against BASE_REF built in a
#    temporary directory, one fresh cluster per run, the two alternating; medians of RUNS and
#    the median of the run-by-run ratios (BASE_DIR: a checkout to build and use instead).
# Prints figures; never fails on speed.
#   RUNS=5 RECUR=0.4 WINDOW=2000 BASE_REF=main COPY_ROWS=20000 bash test/bench/phone_cache.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export RUNS=${RUNS:-5} RECUR=${RECUR:-0.4} WINDOW=${WINDOW:-2000} COPY_ROWS=${COPY_ROWS:-20000}
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target phone_cache_bench >/dev/null
build/phone_cache_bench 200000 "$RECUR" "$WINDOW" "$RUNS"
echo
build/phone_cache_bench 200000 "$RECUR" 0 "$RUNS" | sed -n '1p;3,4p'

[ -n "${BASE_REF:-}${BASE_DIR:-}" ] || exit 0
out=$(mktemp)
if [ -n "${BASE_DIR:-}" ]; then  # a checkout already built, e.g. by an earlier run
  base=$BASE_DIR BASE_REF=$BASE_DIR
  trap 'rm -f "$out"' EXIT
else
  base=$(mktemp -d /tmp/pg_dedupe_base.XXXXXX)
  trap 'rm -rf "$base" "$out"' EXIT
  git archive "$BASE_REF" | tar -x -C "$base"
fi
make -C "$base" -s -j2 >/dev/null 2>&1
make -s -j2 >/dev/null
echo
echo "COPY of $COPY_ROWS rows, $(awk -v r="$RECUR" 'BEGIN{print 100*r}')% re-sent from the last $WINDOW rows: this checkout (cache) vs $BASE_REF"
for run in $(seq "$RUNS"); do
  for tree in "$top" "$base"; do
    name=$([ "$tree" = "$top" ] && echo cache || echo base)
    "$tree/scripts/with-cluster" bash -c \
      "psql -qX -c 'CREATE EXTENSION pg_dedupe' && /usr/bin/python3 '$top/test/bench/phone_cache_copy.py'" |
      sed "s/^/$run $name /" >>"$out"
  done
done
/usr/bin/python3 - "$out" <<'PY'
import statistics, sys
rates = {}  # (table, tree) -> {run: rows/s}
for line in open(sys.argv[1]):
    run, tree, table, rate = line.split()
    rates.setdefault((table, tree), {})[run] = float(rate)
print(f"{'table':20s} {'cache rows/s':>14s} {'base rows/s':>14s} {'ratio':>9s}")
for table in dict.fromkeys(t for t, _ in rates):
    cache, base = rates[(table, "cache")], rates[(table, "base")]
    ratio = statistics.median(cache[r] / base[r] for r in cache if r in base)
    print(f"{table:20s} {statistics.median(cache.values()):14,.0f} "
          f"{statistics.median(base.values()):14,.0f} {ratio:8.3f}x")
PY

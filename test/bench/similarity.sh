#!/usr/bin/env bash
# Fuzzy name search benchmark: pg_dedupe's GIN/GiST indexes next to fuzzystrmatch and pg_trgm
# on BENCH_NAMES (default 1,000,000) generated names, BENCH_PROBES (default 100) probes.
# Prints the figures; never fails on speed. Takes ~10 minutes at 1M names on 2 cores.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
if [ -n "${PGHOST:-}" ] && [ "${BENCH_OWN_CLUSTER:-1}" = 0 ]; then
  exec /usr/bin/python3 test/bench/similarity_bench.py
fi
exec scripts/with-cluster /usr/bin/python3 test/bench/similarity_bench.py

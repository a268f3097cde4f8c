#!/usr/bin/env bash
# Per-call cost of the C++ core (Google Benchmark), no PostgreSQL involved.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cmake -S "$top" -B "$top/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$top/build" -j2 --target core_bench >/dev/null
"$top/build/core_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_filter="${CORE_FILTER:-.}" 2>&1 | grep -E "median|Benchmark|----"

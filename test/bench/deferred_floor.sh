#!/usr/bin/env bash
# Where a deferred row's time goes before commit, next to an unwatched COPY (needs perf, as root):
#   GOLDEN=1000000 COPY_ROWS=20000 PAIRS=3 bash test/bench/deferred_floor.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
if ! command -v perf >/dev/null; then
  echo "deferred_floor: skipped, it needs perf (apt-get install linux-perf)"
  exit 0
fi
scripts/with-cluster bash -c 'psql -qX -c "CREATE EXTENSION pg_dedupe" &&
  /usr/bin/python3 test/bench/deferred_floor.py'

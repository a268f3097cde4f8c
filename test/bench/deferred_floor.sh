#!/usr/bin/env bash
# Where a deferred row's time goes before commit, next to an unwatched COPY:
#   GOLDEN=1000000 COPY_ROWS=20000 PAIRS=3 bash test/bench/deferred_floor.sh
# The staging statements are timed by pg_stat_statements (track = all sees the extension's own).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export SERVER_SETTINGS="shared_preload_libraries='pg_dedupe,pg_stat_statements' pg_stat_statements.track=all ${SERVER_SETTINGS:-}"
scripts/with-cluster bash -c 'psql -qX -c "CREATE EXTENSION pg_dedupe" &&
  /usr/bin/python3 test/bench/deferred_floor.py'

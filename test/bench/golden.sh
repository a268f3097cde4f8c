#!/usr/bin/env bash
# Matching on write with many golden records present: single-row INSERT latency (p50/p95)
# and COPY rows/s into a watched table, next to the same table unwatched.
#   GOLDEN=1000000 INSERTS=2000 COPY_ROWS=20000 bash test/bench/golden.sh
#   SERVER_SETTINGS="shared_buffers=6GB effective_cache_size=16GB huge_pages=on" ...   what a DBA
#   would set (scripts/with-cluster reserves the huge pages when run as root)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export GOLDEN=${GOLDEN:-1000000} INSERTS=${INSERTS:-2000} COPY_ROWS=${COPY_ROWS:-20000}
# One matcher per database, the setting the README recommends (make test's cluster allows two to
# test helpers; two take turns on the lock stripes and match slower). SERVER_SETTINGS may override.
export SERVER_SETTINGS="dedupe.matchers_per_database=1 ${SERVER_SETTINGS:-}"
scripts/with-cluster bash -c 'psql -qX -c "CREATE EXTENSION pg_dedupe" && /usr/bin/python3 test/bench/golden.py'

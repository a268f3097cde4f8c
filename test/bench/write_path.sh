#!/usr/bin/env bash
# Write-path cost: COPY and single-row INSERTs into a watched CRM-mirror table next to the
# same table unwatched, in one throwaway cluster. Prints figures; never fails on speed.
#   ROWS=200000 INSERTS=20000 RUNS=3 bash test/bench/write_path.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export ROWS=${ROWS:-200000} INSERTS=${INSERTS:-20000} RUNS=${RUNS:-3}
scripts/with-cluster bash -c 'psql -qX -c "CREATE EXTENSION pg_dedupe" && /usr/bin/python3 test/bench/write_path.py'

#!/usr/bin/env bash
# match_key look-ups and enforcement on 1M keys: '&&' through GIN next to three btree
# indexes on separate columns with OR; COPY into a table with the GiST exclusion constraint
# next to a plain UNIQUE btree on email. Prints figures; never fails on speed.
#   ROWS=1000000 PROBES=300 bash test/bench/match_key.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export ROWS=${ROWS:-1000000} PROBES=${PROBES:-300}
scripts/with-cluster bash -c 'psql -qX -c "CREATE EXTENSION pg_dedupe" && /usr/bin/python3 test/bench/match_key.py'

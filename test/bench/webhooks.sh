#!/usr/bin/env bash
# Signed webhook intake with many golden records present: accepted events/s and per-call
# p50/p95 through dedupe.ingest_webhook (verify, log, map, insert into a watched table, match),
# next to a plain INSERT of the same rows into the same watched table, in the same run.
#   GOLDEN=1000000 EVENTS=5000 bash test/bench/webhooks.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export GOLDEN=${GOLDEN:-1000000} EVENTS=${EVENTS:-5000}
scripts/with-cluster /usr/bin/python3 test/bench/webhooks.py

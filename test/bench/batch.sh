#!/usr/bin/env bash
# Batch clustering at scale: ROWS generated people (default 1,000,000; see
# batch_generate.py) clustered by dedupe.cluster with default settings, printing rows/s,
# candidate pairs, peak backend memory and pairwise precision / recall / F1 against the
# generator's ground truth, next to a plain-SQL peer measured in the same run: the union of
# exact matches on email, phone, and (first name, last name, date of birth).
#   ROWS=1000000 bash test/bench/batch.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export ROWS=${ROWS:-1000000}
export CSV=$(mktemp /tmp/batch_people.XXXXXX.csv)
trap 'rm -f "$CSV"' EXIT
start=$(date +%s)
/usr/bin/python3 test/bench/batch_generate.py "$ROWS" > "$CSV"
chmod 644 "$CSV"
echo "generated $ROWS rows in $(( $(date +%s) - start )) s"
scripts/with-cluster bash -c 'psql -qX -c "CREATE EXTENSION pg_dedupe" && /usr/bin/python3 test/bench/batch.py'

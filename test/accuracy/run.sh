#!/usr/bin/env bash
# make accuracy: FEBRL 1-3 (deduplication) and FEBRL 4a+4b (linkage, clustered as one table)
# through dedupe.cluster with default settings, next to the naive exact-rule baseline of
# issue 7 computed in the same run. Pairwise precision, recall and F1 against the ground
# truth in rec_id ('rec-N-org' / 'rec-N-dup-K': the same N is the same person), which only
# this harness reads. Also a reduced mapping (names, date of birth, city) next to the baseline
# restricted to those columns, and generated people with emails and phones (emails only,
# contact fields, names + date of birth + city, all columns), each next to its own baseline. Runs against PGHOST/PGPORT (scripts/with-cluster gives a throwaway one).
#   DATA=/path/to/febrl (default ../shared/data/febrl, else test/data/febrl for dataset 3 only)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
data=${DATA:-$top/../../shared/data/febrl}
[ -d "$data" ] || data=/work/shared/data/febrl
[ -d "$data" ] || data=$top/test/data/febrl
psql -qX -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION IF NOT EXISTS pg_dedupe' >/dev/null
sets=()
for n in 1 2 3; do [ -f "$data/dataset$n.csv" ] && sets+=("febrl$n:$data/dataset$n.csv"); done
if [ -f "$data/dataset4a.csv" ] && [ -f "$data/dataset4b.csv" ]; then
  sets+=("febrl4:$data/dataset4a.csv:$data/dataset4b.csv")
fi
for spec in "${sets[@]}"; do
  IFS=: read -r name a b <<<"$spec"
  psql -qX -v ON_ERROR_STOP=1 -v name="$name" -v file_a="$a" -v file_b="${b:-}" \
    -f test/accuracy/febrl.sql
done
# Other people-data with other columns: GENERATED rows (default 20,000; 0 skips) from the
# scale benchmark's generator, fixed seed.
generated=${GENERATED:-20000}
if [ "$generated" -gt 0 ]; then
  csv=$(mktemp /tmp/accuracy_generated.XXXXXX.csv)
  trap 'rm -f "$csv"' EXIT
  /usr/bin/python3 test/bench/batch_generate.py "$generated" 11 >"$csv"
  chmod 644 "$csv"
  psql -qX -v ON_ERROR_STOP=1 -v name="generated" -v file="$csv" -f test/accuracy/generated.sql
fi
psql -qX -v ON_ERROR_STOP=1 -P pager=off -f test/accuracy/report.sql

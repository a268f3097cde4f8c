#!/usr/bin/env bash
# Normalizer throughput on 1M generated rows, each next to lower(btrim(x)) over the same
# column, and dedupe.normalize_phone next to a C++ loop calling libphonenumber directly on
# the same numbers (the ceiling for this design). Median of RUNS runs. Never fails on speed.
#   ROWS=1000000 RUNS=3 bash test/bench/normalize.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export ROWS=${ROWS:-1000000} RUNS=${RUNS:-3}
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target phone_loop_bench >/dev/null
export PHONES=$(mktemp) BENCH_SQL=$(mktemp)
trap 'rm -f "$PHONES" "$BENCH_SQL"' EXIT
chmod 644 "$PHONES"

cat >"$BENCH_SQL" <<'SQL'
CREATE TABLE rows AS
SELECT n,
  CASE n % 4 WHEN 0 THEN format('(%s) %s-%s', 201 + n % 700, 200 + (n / 7) % 800, lpad((n % 10000)::text, 4, '0'))
             WHEN 1 THEN format('+1 %s.%s.%s', 201 + n % 700, 200 + (n / 7) % 800, lpad((n % 10000)::text, 4, '0'))
             WHEN 2 THEN format('+44 20 7946 %s', lpad((n % 10000)::text, 4, '0'))
             ELSE format('+49 30 %s', 1000000 + n % 8999999) END AS phone,
  format(' %s.%s%s+news@%s ', (ARRAY['John','Maria','Chloe','Wei'])[1 + n % 4],
         (ARRAY['Doe','Garcia','Smith','Chen'])[1 + (n / 4) % 4], n,
         (ARRAY['GoogleMail.com','Acme.COM','yahoo.com','Bücher.de'])[1 + (n / 16) % 4]) AS email,
  format('%s %s %s', (ARRAY['Dr.','','Ms.',''])[1 + n % 4], (ARRAY['José','Anna','Žofie','Liam','Ελένη'])[1 + n % 5],
         (ARRAY['Álvarez-Núñez Jr.','Smith','Dvořáková','O''Brien','Papadopoulou'])[1 + (n / 5) % 5]) AS name,
  format('%s %s', (ARRAY['Acme','Globex','Initech','Müller & Söhne'])[1 + n % 4],
         (ARRAY['Inc.','GmbH','Ltd','Corporation','S.A.'])[1 + (n / 4) % 5]) AS company,
  format('https://www.%s%s.com/about', (ARRAY['acme','globex','initech'])[1 + n % 3], n % 1000) AS website
FROM generate_series(1, :rows) n;
VACUUM ANALYZE rows;
SQL

time_query() {  # median seconds of RUNS executions of a query
  for _ in $(seq "$RUNS"); do
    # One backend, no parallel workers: the C++ loop it is compared with is one thread too.
    psql -qXAt -c 'SET max_parallel_workers_per_gather = 0' -c '\timing on' -c "$1" |
      sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
  done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)] / 1000}'
}
export -f time_query

run() {
  psql -qX -c 'CREATE EXTENSION pg_dedupe' >/dev/null
  psql -qX -v rows="$ROWS" -f "$BENCH_SQL"
  psql -qXAt -c "\\copy (SELECT phone FROM rows ORDER BY n) TO '$PHONES'"
  printf '%-26s %14s %14s %8s\n' "normalizer ($ROWS rows)" "rows/s" "lower(btrim)" "ratio"
  for spec in "normalize_email(email):email" "normalize_phone(phone):phone" "normalize_name(name):name" \
              "normalize_company(company):company" "normalize_domain(website):website"; do
    expr=${spec%%:*} col=${spec##*:}
    t=$(time_query "SELECT count(dedupe.$expr) FROM rows")
    b=$(time_query "SELECT count(lower(btrim($col))) FROM rows")
    awk -v e="$expr" -v t="$t" -v b="$b" -v n="$ROWS" \
      'BEGIN { printf "%-26s %14.0f %14.0f %7.2fx\n", e, n / t, n / b, b / t }'
  done
  # SQL and the direct loop alternate, so both see the same machine load; medians of RUNS.
  for _ in $(seq "$RUNS"); do
    RUNS=1 time_query "SELECT count(dedupe.normalize_phone(phone)) FROM rows" >>"$PHONES.sql"
    build/phone_loop_bench US 1 <"$PHONES" | awk '{print $2}' >>"$PHONES.loop"
  done
  sql=$(sort -n "$PHONES.sql" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  loop=$(sort -n "$PHONES.loop" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rm -f "$PHONES.sql" "$PHONES.loop"
  awk -v s="$sql" -v l="$loop" -v n="$ROWS" 'BEGIN {
    printf "\nnormalize_phone in SQL: %.0f rows/s; direct libphonenumber C++ loop: %.0f rows/s; SQL reaches %.0f%% of the loop\n",
      n / s, n / l, 100 * l / s }'
}
export -f run
scripts/with-cluster bash -c run

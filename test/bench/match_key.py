#!/usr/bin/python3
"""Runs inside a throwaway cluster (see match_key.sh)."""
import io
import os
import random
import statistics
import time

import psycopg2

ROWS = int(os.environ.get("ROWS", 1000000))
PROBES = int(os.environ.get("PROBES", 300))
conn = psycopg2.connect("")
conn.autocommit = True
cur = conn.cursor()


def timed(sql, args=None):
    start = time.perf_counter()
    cur.execute(sql, args)
    return time.perf_counter() - start


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


# Realistic overlap: every fifth person shares a household phone with the previous one,
# every tenth reuses an email seen before, a third have no phone.
cur.execute(f"""
CREATE TABLE people AS
SELECT n, 'crm:' || n AS ext,
       CASE WHEN n % 3 = 0 THEN NULL ELSE '+1415' || lpad(((n - (n % 5 = 0)::int) % 10000000)::text, 7, '0') END AS phone,
       'user' || CASE WHEN n % 10 = 0 THEN n / 2 ELSE n END || '@example.com' AS email
FROM generate_series(1, {ROWS}) n""")
cur.execute("ALTER TABLE people ADD COLUMN k dedupe.match_key")
cur.execute("UPDATE people SET k = format('(%s,%s,%s)', ext, phone, email)::dedupe.match_key")
build = {}
build["gin"] = timed("CREATE INDEX people_k_gin ON people USING gin (k)")
build["btree x3"] = timed("CREATE INDEX ON people (ext)") + timed("CREATE INDEX ON people (phone)") + \
    timed("CREATE INDEX ON people (email)")
cur.execute("VACUUM ANALYZE people")

random.seed(1)
probes = []
for _ in range(PROBES):
    n = random.randint(1, ROWS)
    cur.execute("SELECT ext, phone, email, k::text FROM people WHERE n = %s", (n,))
    probes.append(cur.fetchone())

cur.execute("PREPARE by_key(dedupe.match_key) AS SELECT count(*) FROM people WHERE k OPERATOR(dedupe.&&) $1")
cur.execute("PREPARE by_columns(text, text, text) AS SELECT count(*) FROM people "
            "WHERE ext = $1 OR phone = $2 OR email = $3")
cur.execute("EXPLAIN (COSTS OFF) EXECUTE by_key('(crm:5,,user5@example.com)')")
plan = " / ".join(r[0].strip() for r in cur.fetchall())
print(f"{ROWS} keys; plan of k && $1: {plan}")

results = {"gin: k && $1": [], "btree x3: ext = OR phone = OR email =": []}
agree = True
for ext, phone, email, key in probes:
    t1 = timed("EXECUTE by_key(%s)", (key,))
    c1 = cur.fetchone()[0]
    t2 = timed("EXECUTE by_columns(%s, %s, %s)", (ext, phone, email))
    c2 = cur.fetchone()[0]
    agree &= c1 == c2
    results["gin: k && $1"].append(t1)
    results["btree x3: ext = OR phone = OR email ="].append(t2)
print(f"\nlook-up of everything sharing a component, {PROBES} probes (same answers: {agree})")
for name, lat in results.items():
    print(f"  {name:40s} median {statistics.median(lat) * 1e3:7.3f} ms   p95 {pct(lat, 95) * 1e3:7.3f} ms")
cur.execute("SELECT pg_relation_size('people_k_gin'), pg_relation_size('people_ext_idx') + "
            "pg_relation_size('people_phone_idx') + pg_relation_size('people_email_idx')")
gin_size, btree_size = cur.fetchone()
print(f"  index build: gin {build['gin']:.1f} s, {gin_size / 2**20:.0f} MB;"
      f" three btrees {build['btree x3']:.1f} s, {btree_size / 2**20:.0f} MB")

# Enforcement: COPY distinct identities into a table that refuses shared components. The
# GiST exclusion constraint gets slower as the table grows (its signatures saturate, see
# README), so it runs on EXCL_ROWS rows; the alternatives run on the same rows and on ROWS.
EXCL_ROWS = int(os.environ.get("EXCL_ROWS", 20000))


def copy_rows(n_rows, ddl_list):
    data = io.StringIO("".join(f"{n}\t(crm:{n},+1{4150000000 + n},u{n}@example.com)\tu{n}@example.com\n"
                               for n in range(1, n_rows + 1)))
    cur.execute("DROP TABLE IF EXISTS t")
    for ddl in ddl_list:
        cur.execute(ddl)
    start = time.perf_counter()
    cur.copy_expert("COPY t FROM STDIN", data)
    return time.perf_counter() - start


TABLE = "CREATE TABLE t (id int, k dedupe.match_key, email text{})"
variants = [
    ("EXCLUDE USING gist (k WITH &&)", [TABLE.format(", EXCLUDE USING gist (k WITH OPERATOR(dedupe.&&))")]),
    ("UNIQUE btree (email)", [TABLE.format(" UNIQUE")]),
    ("3 UNIQUE btrees on dedupe.external_id(k), phone(k), email(k)",
     [TABLE.format(""), "CREATE UNIQUE INDEX ON t (dedupe.external_id(k))",
      "CREATE UNIQUE INDEX ON t (dedupe.phone(k))", "CREATE UNIQUE INDEX ON t (dedupe.email(k))"]),
]
for n_rows in sorted({EXCL_ROWS, ROWS}):
    print(f"\nCOPY {n_rows} rows with distinct identities")
    for name, ddl in variants:
        if n_rows > EXCL_ROWS and name.startswith("EXCLUDE"):
            continue
        elapsed = copy_rows(n_rows, ddl)
        print(f"  {name:62s} {n_rows / elapsed:>10,.0f} rows/s  ({elapsed:.1f} s)")

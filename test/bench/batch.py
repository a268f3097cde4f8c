#!/usr/bin/python3
"""Runs inside a throwaway cluster (see batch.sh)."""
import os
import re
import time

import psycopg2

ROWS, CSV = int(os.environ["ROWS"]), os.environ["CSV"]
MAPPING = ('{"first_name": "first_name", "last_name": "last_name", "date_of_birth": "date_of_birth",'
           ' "email": "email", "phone": "phone", "street": "street", "city": "city", "postcode": "postcode"}')

conn = psycopg2.connect("")
conn.autocommit = True
cur = conn.cursor()
cur.execute("""CREATE TABLE people (id bigint PRIMARY KEY, person int, first_name text, last_name text,
               date_of_birth date, email text, phone text, street text, city text, postcode text)""")
with open(CSV) as f:
    cur.copy_expert("COPY people FROM STDIN WITH (FORMAT csv, HEADER true)", f)
cur.execute("ANALYZE people")


def pairwise(table):
    """Pairwise precision, recall, F1 of (id, cluster_id) rows against people.person."""
    cur.execute(f"""
      WITH j AS (SELECT c.cluster_id, p.person FROM {table} c JOIN people p USING (id)),
      pred AS (SELECT coalesce(sum(n * (n - 1) / 2), 0) AS v FROM (SELECT count(*) n FROM j GROUP BY cluster_id) g),
      tp AS (SELECT coalesce(sum(n * (n - 1) / 2), 0) AS v FROM (SELECT count(*) n FROM j GROUP BY cluster_id, person) g),
      truth AS (SELECT sum(n * (n - 1) / 2) AS v FROM (SELECT count(*) n FROM people GROUP BY person) g)
      SELECT pred.v, tp.v, truth.v FROM pred, tp, truth""")
    pred, tp, truth = (float(x) for x in cur.fetchone())
    p, r = (tp / pred if pred else 1.0), tp / truth
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def peak_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1))


# dedupe.cluster in a fresh session, so the backend's peak RSS is this call's.
run = psycopg2.connect("")
run.autocommit = True
rc = run.cursor()
rc.execute("SET dedupe.progress_interval = 5")
rc.execute("SELECT pg_backend_pid()")
pid = rc.fetchone()[0]
before = peak_kb(pid)
t0 = time.perf_counter()
rc.execute("CREATE TABLE clusters AS SELECT * FROM dedupe.cluster('people', 'id', %s)", (MAPPING,))
seconds = time.perf_counter() - t0
after = peak_kb(pid)
notices = [n.strip() for n in run.notices]
summary = next((n for n in reversed(notices) if "candidate pairs" in n), "")
p, r, f1 = pairwise("clusters")

# The peer: plain SQL, exact matches on three keys, connected by their smallest id.
t0 = time.perf_counter()
cur.execute("""
  CREATE TABLE peer_pairs AS
  SELECT a.id AS a, b.id AS b FROM people a JOIN people b ON a.id < b.id AND lower(a.email) = lower(b.email)
  UNION SELECT a.id, b.id FROM people a JOIN people b ON a.id < b.id
    AND regexp_replace(a.phone, '\\D', '', 'g') = regexp_replace(b.phone, '\\D', '', 'g')
  UNION SELECT a.id, b.id FROM people a JOIN people b ON a.id < b.id AND a.first_name = b.first_name
    AND a.last_name = b.last_name AND a.date_of_birth = b.date_of_birth""")
cur.execute("""
  CREATE TABLE peer_clusters AS
  WITH RECURSIVE edges AS (SELECT a AS x, b AS y FROM peer_pairs UNION ALL SELECT b, a FROM peer_pairs),
  reach(id, root) AS (SELECT id, id FROM people
                      UNION SELECT e.y, r.root FROM reach r JOIN edges e ON e.x = r.id)
  SELECT id, min(root) AS cluster_id FROM reach GROUP BY id""")
peer_seconds = time.perf_counter() - t0
cur.execute("SELECT count(*) FROM peer_pairs")
peer_pairs = cur.fetchone()[0]
pp, pr, pf1 = pairwise("peer_clusters")
cur.execute("SELECT count(DISTINCT cluster_id) FROM clusters")
clusters = cur.fetchone()[0]

print(f"{ROWS} generated people, default settings, one run each")
print(f"{'method':<44} {'seconds':>8} {'rows/s':>9} {'pairs':>11} {'precision':>9} {'recall':>7} {'F1':>7}")
pairs = re.search(r"(\d+) candidate pairs", summary)
print(f"{'dedupe.cluster (trained on the fly)':<44} {seconds:8.1f} {ROWS / seconds:9.0f} "
      f"{pairs.group(1) if pairs else '?':>11} {p:9.4f} {r:7.4f} {f1:7.4f}")
print(f"{'plain SQL: exact email | phone | name+dob':<44} {peer_seconds:8.1f} {ROWS / peer_seconds:9.0f} "
      f"{peer_pairs:>11} {pp:9.4f} {pr:7.4f} {pf1:7.4f}")
print(f"dedupe.cluster: {clusters} clusters; backend peak RSS {after / 1024:.0f} MB "
      f"(before the call {before / 1024:.0f} MB; includes shared buffers the scan touched)")
for n in notices:
    print("  " + n)

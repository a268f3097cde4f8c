#!/usr/bin/python3
"""Times COPY and single-row INSERT into a watched table and the same table unwatched.
Both tables look like a CRM mirror: primary key, an index on email, a created_at default."""
import io
import os
import statistics
import time

import psycopg2

ROWS = int(os.environ.get("ROWS", 200000))
INSERTS = int(os.environ.get("INSERTS", 20000))
RUNS = int(os.environ.get("RUNS", 3))

conn = psycopg2.connect("")
conn.autocommit = True
cur = conn.cursor()

FIRST = ["James", "María", "Chloé", "Zoë", "Mohammed", "Sarah", "Jürgen", "Aiko", "Liam", "Olga"]
LAST = ["Smith", "García", "Müller", "O'Brien", "Nguyen", "Kowalski", "Dubois", "Rossi", "Tanaka", "Ivanova"]
PHONE_FORMATS = ["({a}) {b}-{c}", "+1 {a} {b} {c}", "{a}.{b}.{c}", "1-{a}-{b}-{c}"]
DOMAINS = ["gmail.com", "GoogleMail.com", "yahoo.com", "acme.com", "example.co.uk", "outlook.com"]


def lead(n):
    first, last = FIRST[n % 10], LAST[(n // 10) % 10]
    a, b, c = 201 + n % 700, 200 + (n // 7) % 800, f"{n % 10000:04d}"
    phone = PHONE_FORMATS[n % 4].format(a=a, b=b, c=c)
    email = f" {first}.{last}{n}+crm@{DOMAINS[n % 6]} "
    return (n, f"hs-{n}", email, phone, first, last, "Acme, Inc." if n % 3 else "Globex GmbH", "US")


def tsv(rows):
    return "".join("\t".join(str(v).replace("\t", " ") for v in r) + "\n" for r in rows)


COLUMNS = "(id, hubspot_id, email, phone, first_name, last_name, company, country)"


def reset(table, watched):
    cur.execute(f"DROP TABLE IF EXISTS {table}")
    cur.execute(f"""CREATE TABLE {table} (
        id bigint PRIMARY KEY, hubspot_id text, email text, phone text, first_name text,
        last_name text, company text, country text,
        created_at timestamptz NOT NULL DEFAULT now())""")
    cur.execute(f"CREATE INDEX ON {table} (email)")
    if watched:
        cur.execute(f"""SELECT dedupe.watch('{table}', '{table}', id_column => 'id',
            external_id => 'hubspot_id', email => 'email', phone => 'phone',
            first_name => 'first_name', last_name => 'last_name', company => 'company',
            country => 'country')""")


def drop(table, watched):
    if watched:
        cur.execute(f"SELECT dedupe.unwatch('{table}')")
    cur.execute(f"DROP TABLE {table}")


def time_copy(table, watched, data):
    reset(table, watched)
    start = time.perf_counter()
    cur.copy_expert(f"COPY {table} {COLUMNS} FROM STDIN", io.StringIO(data))
    elapsed = time.perf_counter() - start
    drop(table, watched)
    return elapsed


def time_inserts(table, watched):
    reset(table, watched)
    latencies = []
    sql = f"INSERT INTO {table} {COLUMNS} VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    for n in range(INSERTS):
        row = lead(n)
        start = time.perf_counter()
        cur.execute(sql, row)
        latencies.append(time.perf_counter() - start)
    drop(table, watched)
    return latencies


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


data = tsv(lead(n) for n in range(ROWS))
print(f"COPY of {ROWS} rows, median of {RUNS} runs (each table fresh)")
copy = {}
for label, watched in (("unwatched", False), ("watched", True)):
    copy[label] = statistics.median(time_copy(f"bench_{label}", watched, data) for _ in range(RUNS))
    print(f"  {label:10s} {ROWS / copy[label]:>10,.0f} rows/s   ({copy[label]:.2f} s)")
print(f"  watched/unwatched rate: {copy['unwatched'] / copy['watched']:.0%}")

print(f"\n{INSERTS} single-row INSERTs (autocommit, one client), per-row latency")
for label, watched in (("unwatched", False), ("watched", True)):
    lat = time_inserts(f"bench_{label}", watched)
    print(f"  {label:10s} {len(lat) / sum(lat):>10,.0f} rows/s   p50 {pct(lat, 50) * 1e3:.3f} ms"
          f"   p95 {pct(lat, 95) * 1e3:.3f} ms")

#!/usr/bin/python3
"""COPY rows/s into watched CRM-mirror tables fed by a stream in which RECUR of the rows re-send
a lead from the last WINDOW rows (same phone text: a form submitted twice, a partner CSV that
overlaps yesterday's). One table is watched plainly, one also fills a match_key column (its
BEFORE and AFTER row triggers both normalize the row). Prints 'label rows/s' lines."""
import io
import os
import random
import time

import psycopg2

ROWS = int(os.environ.get("COPY_ROWS", 20000))
RECUR = float(os.environ.get("RECUR", 0.4))
WINDOW = int(os.environ.get("WINDOW", 2000))

FIRST = ["James", "María", "Chloé", "Zoë", "Mohammed", "Sarah", "Jürgen", "Aiko", "Liam", "Olga"]
LAST = ["Smith", "García", "Müller", "O'Brien", "Nguyen", "Kowalski", "Dubois", "Rossi", "Tanaka", "Ivanova"]
PHONE_FORMATS = ["({a}) {b}-{c}", "+1 {a} {b} {c}", "{a}.{b}.{c}", "1-{a}-{b}-{c}"]


def lead(n):
    first, last = FIRST[n % 10], LAST[(n // 10) % 10]
    a, b, c = 201 + n % 700, 200 + (n // 7) % 800, f"{n % 10000:04d}"
    phone = PHONE_FORMATS[n % 4].format(a=a, b=b, c=c)
    return [f"hs-{n}", f" {first}.{last}{n}+crm@example.com ", phone, first, last, "US"]


def feed():
    rng = random.Random(42)
    rows, fresh = [], 0
    for i in range(ROWS):
        if rows and rng.random() < RECUR:
            row = list(rows[i - 1 - rng.randrange(min(i, WINDOW))][1:])
            row[0] = f"hs-r{i}"  # the same person again, under a new CRM id
        else:
            row, fresh = lead(fresh * 7919 + 13), fresh + 1
        rows.append([i] + row)
    return "".join("\t".join(str(v) for v in r) + "\n" for r in rows)


conn = psycopg2.connect("")
conn.autocommit = True
cur = conn.cursor()
data = feed()
for label, key_column in (("watched", False), ("watched_key_column", True)):
    table = f"leads_{label}"
    cur.execute(f"""CREATE TABLE {table} (id bigint PRIMARY KEY, hubspot_id text, email text,
        phone text, first_name text, last_name text, country text, identity dedupe.match_key)""")
    key = ", key_column => 'identity'" if key_column else ""
    cur.execute(f"""SELECT dedupe.watch('{table}', '{table}', id_column => 'id',
        external_id => 'hubspot_id', email => 'email', phone => 'phone',
        first_name => 'first_name', last_name => 'last_name', country => 'country'{key})""")
    start = time.perf_counter()
    cur.copy_expert(f"COPY {table} (id, hubspot_id, email, phone, first_name, last_name, country)"
                    " FROM STDIN", io.StringIO(data))
    print(f"{label} {ROWS / (time.perf_counter() - start):.0f}", flush=True)

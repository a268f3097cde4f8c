#!/usr/bin/python3
"""Ctrl-C on a long dedupe.cluster: another session's pg_cancel_backend() interrupts the run
(in the C++ core or in PostgreSQL code, whichever is running), the client gets 57014, and
the cancelled session goes on working. How long the cancel took is printed, not asserted."""
import threading
import time

import psycopg2

SOURCE = ("SELECT g AS id, substr(md5(g::text), 1, 6) AS given, substr(md5((g * 7)::text), 1, 8) AS family,"
          " (19300101 + g % 700000)::text AS born, substr(md5((g % 997)::text), 1, 5) AS town"
          " FROM generate_series(1, 400000) g")
MAPPING = '{"first_name": "given", "last_name": "family", "date_of_birth": "born", "city": "town"}'
tests = []


def check(ok, name):
    tests.append((bool(ok), name))


victim = psycopg2.connect("dbname=dedupe_tap")
victim.autocommit = True
vcur = victim.cursor()
vcur.execute("SET dedupe.progress_interval = 0")
vcur.execute("SELECT pg_backend_pid()")
pid = vcur.fetchone()[0]
outcome = {}


def run():
    try:
        vcur.execute("SELECT count(*) FROM dedupe.cluster(%s, 'id', %s)", (SOURCE, MAPPING))
        outcome["state"] = "completed"
    except psycopg2.Error as e:
        outcome["state"] = e.pgcode
    outcome["at"] = time.perf_counter()


thread = threading.Thread(target=run)
thread.start()
admin = psycopg2.connect("dbname=dedupe_tap")
admin.autocommit = True
acur = admin.cursor()
time.sleep(2.0)  # well inside the run: reading, training or blocking
cancelled_at = time.perf_counter()
acur.execute("SELECT pg_cancel_backend(%s)", (pid,))
thread.join(60)
check(not thread.is_alive(), "the cancelled dedupe.cluster returns")
check(outcome.get("state") == "57014", f"it fails with 57014 (got {outcome.get('state')})")
vcur.execute("SELECT count(*) FROM dedupe.cluster('SELECT 1 AS id, ''ann'' AS given', 'id', '{\"first_name\": \"given\"}')")
check(vcur.fetchone()[0] == 1, "the session works after the cancel")

print(f"1..{len(tests)}")
for i, (ok, name) in enumerate(tests, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
if "at" in outcome:
    print(f"# returned {outcome['at'] - cancelled_at:.2f} s after pg_cancel_backend")

#!/usr/bin/python3
"""Two sessions racing on one idempotency key: the second waits for the first, then is
skipped as a replay when the first commits, and goes in when the first rolls back."""
import threading
import time

import psycopg2

DB = "dbname=dedupe_tap"
tests = []


def check(ok, name):
    tests.append((bool(ok), name))


def connect():
    conn = psycopg2.connect(DB)
    conn.autocommit = False
    return conn


setup = connect()
setup.autocommit = True
cur = setup.cursor()
cur.execute("DROP TABLE IF EXISTS public.race_leads")
# Keys a previous run of this program claimed would make its first writer a replay.
cur.execute("DELETE FROM dedupe.idempotency_keys WHERE source = 'race'")
# The audit log is append-only: look only at what this run adds.
cur.execute("SELECT coalesce(max(id), 0) FROM dedupe.audit_log")
first_audit_id = cur.fetchone()[0]
cur.execute("CREATE TABLE public.race_leads (id int PRIMARY KEY, email text, request_id text)")
cur.execute("SELECT dedupe.watch('public.race_leads', 'race', id_column => 'id', email => 'email',"
            " idempotency_key => 'request_id')")


def race(first_commits):
    a, b = connect(), connect()
    key = "req-commit" if first_commits else "req-rollback"
    a.cursor().execute("INSERT INTO public.race_leads VALUES (%s, 'a@example.com', %s)",
                       (1 if first_commits else 3, key))
    done = threading.Event()

    def second_writer():
        b.cursor().execute("INSERT INTO public.race_leads VALUES (%s, 'b@example.com', %s)",
                           (2 if first_commits else 4, key))
        b.commit()
        done.set()

    t = threading.Thread(target=second_writer)
    t.start()
    time.sleep(0.5)
    check(not done.is_set(), f"{key}: the second writer waits for the first")
    (a.commit if first_commits else a.rollback)()
    t.join(10)
    check(done.is_set(), f"{key}: the second writer finishes once the first ends")
    a.close()
    b.close()


race(first_commits=True)
cur.execute("SELECT array_agg(id ORDER BY id) FROM public.race_leads WHERE request_id = 'req-commit'")
check(cur.fetchone()[0] == [1], "commit: only the first row is in the table")
cur.execute("SELECT decision FROM dedupe.audit_log WHERE source = 'race' AND source_pk = '2'"
            " AND id > %s", (first_audit_id,))
check([r[0] for r in cur.fetchall()] == ["replayed"], "commit: the second write is audited as a replay")

race(first_commits=False)
cur.execute("SELECT array_agg(id ORDER BY id) FROM public.race_leads WHERE request_id = 'req-rollback'")
check(cur.fetchone()[0] == [4], "rollback: the second row goes in")
cur.execute("SELECT count(*) FROM dedupe.records WHERE source = 'race'")
check(cur.fetchone()[0] == 2, "records hold exactly the two rows that entered")

cur.execute("SELECT dedupe.unwatch('public.race_leads')")
cur.execute("DROP TABLE public.race_leads")

print(f"1..{len(tests)}")
for i, (ok, name) in enumerate(tests, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")

#!/usr/bin/python3
"""Two workers receive the same webhook event at once: the second waits for the first and
is refused as a replay when the first commits, accepted when it rolls back. Signatures are
computed here with Python's hmac module, independently of the extension."""
import hashlib
import hmac
import threading
import time
import uuid
from datetime import datetime, timezone

import psycopg2

DB = "dbname=dedupe_tap"
SECRET = b"race-secret-0123456789"
tests = []


def check(ok, name):
    tests.append((bool(ok), name))


def connect(application_name):
    conn = psycopg2.connect(DB, application_name=application_name)
    conn.autocommit = False
    return conn


setup = psycopg2.connect(DB)
setup.autocommit = True
cur = setup.cursor()
cur.execute("INSERT INTO dedupe.webhook_secrets (source, secret) VALUES ('race_hooks', %s)"
            " ON CONFLICT (source) DO UPDATE SET secret = EXCLUDED.secret", (SECRET,))


def ingest(conn, event_id, payload):
    signature = "sha256=" + hmac.new(SECRET, payload, hashlib.sha256).hexdigest()
    c = conn.cursor()
    c.execute("SELECT outcome FROM dedupe.ingest_webhook('race_hooks', %s, %s, %s, %s)",
              (event_id, psycopg2.Binary(payload), signature, datetime.now(timezone.utc)))
    return c.fetchone()[0]


def race(first_commits):
    # webhook_events is append-only: each run uses fresh event ids.
    event_id = f"evt_{'commit' if first_commits else 'rollback'}_{uuid.uuid4().hex}"
    payload = ('{"id": "%s"}' % event_id).encode()
    a, b = connect("worker-a"), connect("worker-b")
    check(ingest(a, event_id, payload) == "accepted", f"{event_id[:12]}: the first worker accepts")
    result = {}

    def second_worker():
        result["outcome"] = ingest(b, event_id, payload)
        b.commit()

    t = threading.Thread(target=second_worker)
    t.start()
    time.sleep(0.5)
    check(t.is_alive(), f"{event_id[:12]}: the second worker waits for the first")
    (a.commit if first_commits else a.rollback)()
    t.join(10)
    expected = "replayed_event_id" if first_commits else "accepted"
    check(result.get("outcome") == expected, f"{event_id[:12]}: the second worker gets {expected}")
    a.close()
    b.close()
    cur.execute("SELECT application_name, outcome, coalesce(reason, '') FROM dedupe.webhook_events"
                " WHERE source = 'race_hooks' AND event_id = %s ORDER BY id", (event_id,))
    return cur.fetchall()


rows = race(first_commits=True)
check(rows == [("worker-a", "accepted", ""), ("worker-b", "refused", "replayed_event_id")],
      "commit: both attempts are recorded, with the worker that made each")
rows = race(first_commits=False)
check(rows == [("worker-b", "accepted", "")],
      "rollback: the second delivery is the one accepted (the first left no row)")

cur.execute("SELECT dedupe.verify_webhook(%s, %s, %s, now())",
            (psycopg2.Binary(b"payload"), hmac.new(SECRET, b"payload", hashlib.sha256).hexdigest(),
             psycopg2.Binary(SECRET)))
check(cur.fetchone()[0] is True, "Python's hmac and the extension agree")

print(f"1..{len(tests)}")
for i, (ok, name) in enumerate(tests, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")

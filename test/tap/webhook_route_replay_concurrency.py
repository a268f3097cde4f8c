#!/usr/bin/python3
"""A routed webhook event delivered twice at once: the second delivery arrives while the
first is still inside its transaction (row inserted, matched, not committed). It waits on
the event id, then is refused as a replay when the first commits (one row, one record), or
is itself delivered when the first rolls back. Signatures come from Python's hmac module."""
import hashlib
import hmac
import json
import threading
import time
import uuid
from datetime import datetime, timezone

import psycopg2

DB = "dbname=dedupe_tap"
SECRET = b"route-race-secret-0123"
tests = []


def check(ok, name):
    tests.append((bool(ok), name))


setup = psycopg2.connect(DB)
setup.autocommit = True
cur = setup.cursor()
cur.execute("CREATE TABLE IF NOT EXISTS route_race_leads (id bigserial PRIMARY KEY, email text,"
            " first_name text, event_id text)")
cur.execute("SELECT count(*) FROM dedupe.sources WHERE source = 'route_race'")
if cur.fetchone()[0] == 0:
    cur.execute("SELECT NULL FROM dedupe.watch('route_race_leads', 'route_race', id_column => 'id',"
                " email => 'email', first_name => 'first_name', idempotency_key => 'event_id')")
cur.execute("INSERT INTO dedupe.webhook_secrets (source, secret) VALUES ('route_race_hooks', %s)"
            " ON CONFLICT (source) DO UPDATE SET secret = EXCLUDED.secret", (SECRET,))
cur.execute("SELECT NULL FROM dedupe.route_webhook('route_race_hooks', 'route_race',"
            " '{\"email\": \"email\", \"first_name\": \"name\"}')")


def ingest(conn, event_id, payload):
    signature = "sha256=" + hmac.new(SECRET, payload, hashlib.sha256).hexdigest()
    c = conn.cursor()
    c.execute("SELECT outcome, delivery, golden_id FROM dedupe.ingest_webhook('route_race_hooks',"
              " %s, %s, %s, %s)",
              (event_id, psycopg2.Binary(payload), signature, datetime.now(timezone.utc)))
    return c.fetchone()


def race(first_commits):
    tag = "commit" if first_commits else "rollback"
    event_id = f"evt_{tag}_{uuid.uuid4().hex}"
    payload = json.dumps({"email": f"{event_id}@example.com", "name": "Ada"}).encode()
    a = psycopg2.connect(DB, application_name="worker-a")
    b = psycopg2.connect(DB, application_name="worker-b")
    first = ingest(a, event_id, payload)
    check(first[0] == "accepted" and first[1] == "linked" and first[2] is not None,
          f"{tag}: the first delivery inserts and matches the row in its open transaction")
    result = {}

    def second_worker():
        result["answer"] = ingest(b, event_id, payload)
        b.commit()

    t = threading.Thread(target=second_worker)
    t.start()
    time.sleep(0.5)
    check(t.is_alive(), f"{tag}: the second delivery waits for the first")
    (a.commit if first_commits else a.rollback)()
    t.join(10)
    answer = result.get("answer")
    if first_commits:
        check(answer is not None and answer[0] == "replayed_event_id" and answer[1] is None,
              f"{tag}: the second is refused as a replay and inserts nothing")
    else:
        check(answer is not None and answer[0] == "accepted" and answer[1] == "linked",
              f"{tag}: the second is delivered in the first one's place")
    a.close()
    b.close()
    cur.execute("SELECT count(*) FROM route_race_leads WHERE event_id = %s", (event_id,))
    check(cur.fetchone()[0] == 1, f"{tag}: exactly one row in the watched table")
    cur.execute("SELECT count(*) FROM dedupe.records r JOIN route_race_leads l"
                " ON r.source = 'route_race' AND r.source_pk = l.id::text WHERE l.event_id = %s",
                (event_id,))
    check(cur.fetchone()[0] == 1, f"{tag}: and one record")
    cur.execute("SELECT application_name, outcome, coalesce(reason, '') FROM dedupe.webhook_events"
                " WHERE source = 'route_race_hooks' AND event_id = %s ORDER BY id", (event_id,))
    return cur.fetchall()


rows = race(first_commits=True)
check(rows == [("worker-a", "accepted", ""), ("worker-b", "refused", "replayed_event_id")],
      "commit: both attempts are in the event log")
rows = race(first_commits=False)
check(rows == [("worker-b", "accepted", "")], "rollback: only the second delivery is logged")

print(f"1..{len(tests)}")
for i, (ok, name) in enumerate(tests, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")

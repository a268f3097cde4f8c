#!/usr/bin/python3
"""Runs inside a throwaway cluster (see webhooks.sh).

The golden records are loaded once into a template database, which is copied twice, so the
webhook path and the plain INSERT write the same rows into the same watched table starting
from the same state, without either seeing the other's rows. The calls are interleaved (one
event through each path in turn, alternating which goes first), so load from other processes
on the shared cores falls on both alike."""
import hashlib
import hmac
import json
import os
import statistics
import random
import time
from datetime import datetime, timezone

import psycopg2

import golden_seed

GOLDEN, EVENTS = (int(os.environ.get(k, d)) for k, d in (("GOLDEN", 1000000), ("EVENTS", 5000)))
WARMUP = min(200, EVENTS)
SECRET = b"bench-webhook-secret-0123456789"


def connect(**kw):
    conn = psycopg2.connect(**kw)
    conn.autocommit = True
    return conn


admin = connect()
admin.cursor().execute("CREATE DATABASE wh_seed")
admin.cursor().execute("DROP ROLE IF EXISTS wh_intake")
admin.cursor().execute("CREATE ROLE wh_intake LOGIN")
seed = connect(dbname="wh_seed")
cur = seed.cursor()
cur.execute("CREATE EXTENSION pg_dedupe")
cur.execute("GRANT dedupe_webhook_intake TO wh_intake")
golden_seed.load(cur, GOLDEN)
# The README's route: a form tool's nested answers into a watched lead table.
cur.execute("""CREATE TABLE form_leads (id bigserial PRIMARY KEY, email text, phone text, first_name text,
                                        last_name text, origin text, event_id text)""")
cur.execute("""SELECT dedupe.watch('form_leads', 'forms', id_column => 'id', email => 'email', phone => 'phone',
                                   first_name => 'first_name', last_name => 'last_name',
                                   idempotency_key => 'event_id', on_invalid => 'quarantine')""")
cur.execute("INSERT INTO dedupe.webhook_secrets (source, secret) VALUES ('typeform', %s)", (SECRET,))
cur.execute("""SELECT dedupe.route_webhook('typeform', 'forms',
                 columns => '{"email": ["answers", "email"], "phone": ["answers", "phone"],
                              "first_name": ["name", "first"], "last_name": ["name", "last"]}',
                 constants => '{"origin": "typeform"}', required => '{email}')""")
seed.close()
t0 = time.perf_counter()
for db in ("wh_hook", "wh_plain"):
    admin.cursor().execute(f"CREATE DATABASE {db} TEMPLATE wh_seed STRATEGY FILE_COPY")
print(f"template copied twice in {time.perf_counter() - t0:.0f} s", flush=True)

hook = connect(dbname="wh_hook", user="wh_intake").cursor()
plain = connect(dbname="wh_plain").cursor()


def event(i):
    _, email, phone, first, last = golden_seed.row(i, GOLDEN)
    payload = json.dumps({"event": "lead.created", "id": f"evt_{i}",
                          "answers": {"email": email, "phone": phone},
                          "name": {"first": first, "last": last}}).encode()
    return f"evt_{i}", payload, (email, phone, first, last)


def via_webhook(evt, payload, _):
    sent_at = datetime.now(timezone.utc)
    signature = "sha256=" + hmac.new(SECRET, payload, hashlib.sha256).hexdigest()
    t = time.perf_counter()
    hook.execute("SELECT outcome, delivery FROM dedupe.ingest_webhook('typeform', %s, %s, %s, %s)",
                 (evt, psycopg2.Binary(payload), signature, sent_at))
    result = hook.fetchone()
    return time.perf_counter() - t, result


def via_insert(evt, _, values):
    t = time.perf_counter()
    plain.execute("INSERT INTO form_leads (email, phone, first_name, last_name, origin, event_id)"
                  " VALUES (%s, %s, %s, %s, 'typeform', %s)", values + (evt,))
    return time.perf_counter() - t, None


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


random.seed(5)
lat = {"ingest_webhook": [], "plain INSERT": []}
outcomes = {}
for i in range(1, WARMUP + EVENTS + 1):
    evt, payload, values = event(i)
    calls = [("ingest_webhook", via_webhook), ("plain INSERT", via_insert)]
    if i % 2:
        calls.reverse()
    for label, call in calls:
        seconds, result = call(evt, payload, values)
        if i > WARMUP:
            lat[label].append(seconds)
            if result:
                outcomes[result] = outcomes.get(result, 0) + 1

print(f"\n{EVENTS} events (after {WARMUP} warm-up), one call each, autocommit, with {GOLDEN} golden records;"
      " interleaved, same rows into the same watched table")
rate = {}
for label, values in lat.items():
    rate[label] = len(values) / sum(values)
    print(f"  {label:15s} {rate[label]:8,.0f} rows/s   p50 {statistics.median(values) * 1e3:6.2f} ms"
          f"   p95 {pct(values, 95) * 1e3:6.2f} ms")
print(f"  ingest_webhook/plain INSERT: {rate['ingest_webhook'] / rate['plain INSERT']:.1%} of the rows/s;"
      f" p50 +{(statistics.median(lat['ingest_webhook']) - statistics.median(lat['plain INSERT'])) * 1e3:.2f} ms")
print("  webhook answers:", ", ".join(f"{o}/{d} {n}" for (o, d), n in sorted(outcomes.items())))

# Both paths must have done the same thing with the same rows.
summary = ("SELECT count(*), count(l.golden_id), count(*) FILTER (WHERE q.record_id IS NOT NULL)"
           " FROM dedupe.records r LEFT JOIN dedupe.record_links l USING (record_id)"
           " LEFT JOIN (SELECT DISTINCT record_id FROM dedupe.review_queue WHERE status = 'open') q USING (record_id)"
           " WHERE r.source = 'forms'")
check = {}
for label, db in (("ingest_webhook", "wh_hook"), ("plain INSERT", "wh_plain")):
    c = connect(dbname=db).cursor()
    c.execute(summary)
    check[label] = c.fetchone()
    c.execute("SELECT count(*) FROM dedupe.webhook_events WHERE outcome = 'accepted'")
    check[label] += c.fetchone()
for label, (records, linked, review, accepted) in check.items():
    print(f"  {label:15s} {records} records, {linked} linked, {review} in review, {accepted} events logged")
if check["ingest_webhook"][:3] != check["plain INSERT"][:3] or \
        sum(n for (outcome, _), n in outcomes.items() if outcome == "accepted") != EVENTS:
    raise SystemExit("webhooks.py: the two paths did not write the same records, or an event was not accepted")

#!/usr/bin/python3
"""The same rows written one INSERT at a time and by one COPY per table give the same golden
records and the same review items: a statement's rows are matched in the order they were
written, each seeing only those before it, as one-by-one writes would.

The rows are the accuracy harness's generated CRM feed (test/accuracy/crm_feed.py: four
sources, namesakes, shared switchboards and mailboxes, typos, missing fields), 400 people,
written into two fresh databases: one INSERT per row in one, one COPY per table in the other,
the tables in the same order and each table's rows in the same order."""
import io
import os
import sys

import psycopg2

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "accuracy"))
import crm_feed  # noqa: E402
import write_path  # noqa: E402  (the sources' DDL and role mapping)

PEOPLE, SEED = 400, 7
tests = []


def check(ok, name, detail=""):
    tests.append((bool(ok), name + (f" ({detail})" if detail and not ok else "")))


def database(name):
    admin = psycopg2.connect("dbname=dedupe_tap")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # a matcher may be visiting
        cur.execute(f"CREATE DATABASE {name}")
    admin.close()
    conn = psycopg2.connect(f"dbname={name}")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SET client_min_messages = warning")
        cur.execute("CREATE EXTENSION pg_dedupe")
    known = write_path.watch_arguments(conn)
    for table, ddl in write_path.DDL.items():
        with conn.cursor() as cur:
            cur.execute(f"CREATE TABLE {table} ({ddl})")
        write_path.watch(conn, table, table, write_path.MAPPING[table], known)
    return conn


def write(conn, rows_by_table, by_copy):
    with conn.cursor() as cur:
        for table, rows in rows_by_table.items():
            columns = crm_feed.SOURCES[table]
            if by_copy:
                buf = io.StringIO("".join(
                    "\t".join(write_path.copy_text(row.get(c)) for c in columns) + "\n" for row in rows))
                cur.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buf)
            else:
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
                for row in rows:
                    cur.execute(sql, [row.get(c) for c in columns])


def outcome(conn):
    """Golden records as sets of (source, source_pk); open review items as (kind, record, the
    members of the golden record it names); link rules by record; records in no golden record."""
    with conn.cursor() as cur:
        cur.execute("""SELECT l.golden_id, r.source, r.source_pk, l.rule FROM dedupe.record_links l
                       JOIN dedupe.records r USING (record_id)""")
        members, rules, golden_of = {}, {}, {}
        for golden, source, pk, rule in cur.fetchall():
            members.setdefault(golden, set()).add((source, pk))
            rules[(source, pk)] = rule
            golden_of[(source, pk)] = golden
        groups = {frozenset(m) for m in members.values()}
        cur.execute("""SELECT q.kind, r.source, r.source_pk, q.golden_id FROM dedupe.review_queue q
                       JOIN dedupe.records r USING (record_id) WHERE q.status = 'open'""")
        items = {(kind, (source, pk), frozenset(members.get(golden, ())))
                 for kind, source, pk, golden in cur.fetchall()}
        cur.execute("""SELECT count(*) FROM dedupe.records r WHERE r.valid
                       AND NOT EXISTS (SELECT FROM dedupe.record_links l WHERE l.record_id = r.record_id)""")
        unlinked = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM dedupe.audit_log WHERE decision = 'linked'")
        linked_audits = cur.fetchone()[0]
    return groups, items, rules, unlinked, linked_audits


pop = crm_feed.Population(PEOPLE, SEED)
feed = crm_feed.Feed(pop, SEED, 1)
rows_by_table = {t: feed.rows[t] for t in crm_feed.SOURCES}
total = sum(len(r) for r in rows_by_table.values())

one_by_one = database("dedupe_tap_inserts")
write(one_by_one, rows_by_table, by_copy=False)
by_copy = database("dedupe_tap_copy")
write(by_copy, rows_by_table, by_copy=True)

g1, i1, r1, u1, a1 = outcome(one_by_one)
g2, i2, r2, u2, a2 = outcome(by_copy)
linked_records = sum(len(g) for g in g1)
check(linked_records > 0.9 * total, f"most of the {total} rows are in golden records one by one",
      f"{linked_records}")
check(len(g1) < linked_records, "some golden records hold several rows", f"{len(g1)} golden records")
check(g1 == g2, "the same golden records one by one and by COPY",
      f"{len(g1 - g2)} only one by one, {len(g2 - g1)} only by COPY")
check(i1 == i2, "the same open review items", f"{len(i1 - i2)} only one by one, {len(i2 - i1)} only by COPY")
check(r1 == r2, "the same rule links each record",
      f"{sum(1 for k in r1 if r1[k] != r2.get(k))} differ")
check(u1 == 0 and u2 == 0, "every valid record is in a golden record", f"{u1} / {u2} are not")
check(a1 == a2 == linked_records, "one 'linked' audit row per link", f"{a1} / {a2} for {linked_records}")

one_by_one.close()
by_copy.close()
admin = psycopg2.connect("dbname=dedupe_tap")
admin.autocommit = True
with admin.cursor() as cur:
    cur.execute("DROP DATABASE dedupe_tap_inserts WITH (FORCE)")
    cur.execute("DROP DATABASE dedupe_tap_copy WITH (FORCE)")

print(f"1..{len(tests)}")
for n, (ok, name) in enumerate(tests, 1):
    print(f"{'ok' if ok else 'not ok'} {n} - {name}")
sys.exit(0 if all(ok for ok, _ in tests) else 1)

#!/usr/bin/python3
"""Runs inside a throwaway cluster (see golden.sh)."""
import io
import os
import random
import statistics
import time

import psycopg2

GOLDEN, INSERTS, COPY_ROWS = (int(os.environ.get(k, d)) for k, d in
                              (("GOLDEN", 1000000), ("INSERTS", 2000), ("COPY_ROWS", 20000)))
conn = psycopg2.connect("")
conn.autocommit = True
cur = conn.cursor()

# Existing people, loaded in bulk as a previous import would have left them: one record,
# one golden record and one link each (the seed source is watched, then unwatched).
start = time.perf_counter()
cur.execute("CREATE TABLE seed (id bigint PRIMARY KEY, email text)")
cur.execute("SELECT dedupe.watch('seed', 'seed', id_column => 'id', email => 'email')")
cur.execute("DROP TRIGGER dedupe_watch ON seed; DROP TRIGGER dedupe_watch_flush ON seed")
cur.execute(f"""
INSERT INTO dedupe.records (source, source_pk, key, valid, email, phone, first_name, last_name,
                            full_name, name_block)
SELECT 'seed', n::text, format('(,%s,%s)', phone, email)::dedupe.match_key, true, email, phone,
       first_name, last_name, first_name || ' ' || last_name,
       (dedupe.double_metaphone(last_name))[1] || ':' || left(dedupe.canonical_first_name(first_name), 1)
FROM (SELECT n, 'p' || n || '@seed.example' AS email, '+1720' || lpad(n::text, 7, '0') AS phone,
             'first' || (n % 5000) AS first_name,
             -- surnames spread over many phonetic codes, as real ones are
             (ARRAY['ka','lo','mi','ser','dan','vo','tru','pel','zak','ho','ren','bi','sto','gu','fen','wa'])[1 + n % 16] ||
             (ARRAY['quil','no','ex','tam','brun','ci','jos','ly','dor','vin','mas','pet','rog','sul','tev','ank'])[1 + (n / 16) % 16] ||
             (ARRAY['berg','son','ski','ton','ley','ez','ov','er','in','ard','ott','ham','well','ford','er','us'])[1 + (n / 256) % 16] ||
             (n / 4096) AS last_name
      FROM generate_series(1, {GOLDEN}) n) s""")
cur.execute("""INSERT INTO dedupe.golden_records (golden_id, key, email, phone, first_name, last_name, owner)
               OVERRIDING SYSTEM VALUE
               SELECT record_id, key, email, phone, first_name, last_name, 'unassigned' FROM dedupe.records""")
cur.execute("SELECT setval(pg_get_serial_sequence('dedupe.golden_records', 'golden_id'), max(golden_id))"
            " FROM dedupe.golden_records")
cur.execute("INSERT INTO dedupe.record_links (record_id, golden_id, rule, score, linked_by) "
            "SELECT record_id, record_id, 'seed', 1, 'bench' FROM dedupe.records")
cur.execute("VACUUM ANALYZE dedupe.records, dedupe.golden_records, dedupe.record_links")
print(f"{GOLDEN} golden records loaded in {time.perf_counter() - start:.0f} s")

COLUMNS = "(id, email, phone, first_name, last_name)"


def table(name, watched):
    cur.execute(f"DROP TABLE IF EXISTS {name}")
    cur.execute(f"CREATE TABLE {name} (id bigint PRIMARY KEY, email text, phone text, first_name text,"
                " last_name text, created_at timestamptz DEFAULT now())")
    cur.execute(f"CREATE INDEX ON {name} (email)")
    if watched:
        cur.execute(f"SELECT dedupe.watch('{name}', '{name}', id_column => 'id', email => 'email',"
                    " phone => 'phone', first_name => 'first_name', last_name => 'last_name')")


A = ['ka', 'lo', 'mi', 'ser', 'dan', 'vo', 'tru', 'pel', 'zak', 'ho', 'ren', 'bi', 'sto', 'gu', 'fen', 'wa']
B = ['quil', 'no', 'ex', 'tam', 'brun', 'ci', 'jos', 'ly', 'dor', 'vin', 'mas', 'pet', 'rog', 'sul', 'tev', 'ank']
C = ['berg', 'son', 'ski', 'ton', 'ley', 'ez', 'ov', 'er', 'in', 'ard', 'ott', 'ham', 'well', 'ford', 'er', 'us']


def seed_last_name(n):  # the surname the seed SQL gave person n
    return A[n % 16] + B[(n // 16) % 16] + C[(n // 256) % 16] + str(n // 4096)


def row(i):
    # A third are new people, a third re-send a known email, a third a known phone.
    n = random.randint(1, GOLDEN)
    kind = i % 3
    email = f"P{n}@Seed.Example" if kind == 1 else f"new{i}@fresh.example"
    digits = str(n).zfill(7)
    phone = f"(720) {digits[:3]}-{digits[3:]}" if kind == 2 else None
    return (i, email, phone, f"First{n % 5000}", seed_last_name(n).title())


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


random.seed(3)
print(f"\n{INSERTS} single-row INSERTs (autocommit), with {GOLDEN} golden records to match against")
for label, watched in (("unwatched", False), ("watched", True)):
    table(f"t_{label}", watched)
    lat = []
    for i in range(1, INSERTS + 1):
        r = row(i)
        t0 = time.perf_counter()
        cur.execute(f"INSERT INTO t_{label} {COLUMNS} VALUES (%s, %s, %s, %s, %s)", r)
        lat.append(time.perf_counter() - t0)
    print(f"  {label:10s} p50 {statistics.median(lat) * 1e3:6.2f} ms   p95 {pct(lat, 95) * 1e3:6.2f} ms")

data = "".join("\t".join("\\N" if v is None else str(v) for v in row(i)) + "\n"
               for i in range(INSERTS + 1, INSERTS + COPY_ROWS + 1))


def copy_rates(prefix, rows):
    """COPY the same rows into an unwatched and a watched table; prints and returns rows/s."""
    rates = {}
    for label, watched in (("unwatched", False), ("watched", True)):
        table(f"{prefix}_{label}", watched)
        t0 = time.perf_counter()
        cur.copy_expert(f"COPY {prefix}_{label} {COLUMNS} FROM STDIN", io.StringIO(rows))
        rates[label] = COPY_ROWS / (time.perf_counter() - t0)
        print(f"  {label:10s} {rates[label]:>10,.0f} rows/s")
    return rates


print(f"\nCOPY of {COPY_ROWS} rows")
rates = copy_rates("c", data)
print(f"  watched/unwatched: {rates['watched'] / rates['unwatched']:.1%}")
# A list of people nobody has seen: new emails, phones and family names (a partner's fresh leads).
NEW = ['zor', 'quib', 'yelt', 'graum', 'skov', 'vreb', 'plon', 'xand', 'frim', 'jusk', 'thol', 'wemb',
       'dar', 'kesh', 'luv', 'mog', 'nirt', 'osk', 'pav', 'rulk']
GIVEN = ['Ada', 'Boris', 'Celia', 'Dmitri', 'Esme', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kira',
         'Lars', 'Mona', 'Nils', 'Olga', 'Pablo', 'Quinn', 'Rosa', 'Sven', 'Tara', 'Uma', 'Vito',
         'Wanda', 'Xenia', 'Yusuf', 'Zelda']
fresh = "".join(f"{i}\tlead{i}@partner.example\t(303) {i % 1000:03d}-{i // 1000 % 10000:04d}\t"
                f"{random.choice(GIVEN)}\t{''.join(random.choice(NEW) for _ in range(4))}\n"
                for i in range(1, COPY_ROWS + 1))
print(f"\nCOPY of {COPY_ROWS} new people (no shared email or phone)")
rates = copy_rates("n", fresh)
cur.execute("SELECT count(*) FILTER (WHERE l.rule = 'new_golden_record:no_candidate'), count(*)"
            " FROM dedupe.records r JOIN dedupe.record_links l USING (record_id) WHERE r.source = 'n_watched'")
no_candidate, linked = cur.fetchone()
print(f"  watched/unwatched: {rates['watched'] / rates['unwatched']:.1%};"
      f" {no_candidate} of {linked} rows had no candidate at all (started golden records set-based)")
cur.execute("SELECT rule, count(*) FROM dedupe.record_links WHERE rule <> 'seed' GROUP BY 1 ORDER BY 2 DESC")
print("\nrules that fired:", ", ".join(f"{r} {c}" for r, c in cur.fetchall()))

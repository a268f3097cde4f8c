"""Existing people for the benchmarks that match against many golden records (golden.py,
webhooks.py): loaded in bulk as a previous import would have left them, one record, one golden
record and one link each (the seed source is watched, then unwatched)."""
import random
import time

A = ['ka', 'lo', 'mi', 'ser', 'dan', 'vo', 'tru', 'pel', 'zak', 'ho', 'ren', 'bi', 'sto', 'gu', 'fen', 'wa']
B = ['quil', 'no', 'ex', 'tam', 'brun', 'ci', 'jos', 'ly', 'dor', 'vin', 'mas', 'pet', 'rog', 'sul', 'tev', 'ank']
C = ['berg', 'son', 'ski', 'ton', 'ley', 'ez', 'ov', 'er', 'in', 'ard', 'ott', 'ham', 'well', 'ford', 'er', 'us']


def seed_last_name(n):  # the surname the seed SQL below gives person n
    return A[n % 16] + B[(n // 16) % 16] + C[(n // 256) % 16] + str(n // 4096)


def load(cur, golden):
    """Loads person 1..golden as records, golden records and links (autocommit cursor)."""
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
             (ARRAY{A!r})[1 + n % 16] ||
             (ARRAY{B!r})[1 + (n / 16) % 16] ||
             (ARRAY{C!r})[1 + (n / 256) % 16] ||
             (n / 4096) AS last_name
      FROM generate_series(1, {golden}) n) s""")
    cur.execute("""INSERT INTO dedupe.golden_records (golden_id, key, email, phone, first_name, last_name, owner)
                   OVERRIDING SYSTEM VALUE
                   SELECT record_id, key, email, phone, first_name, last_name, 'unassigned' FROM dedupe.records""")
    cur.execute("SELECT setval(pg_get_serial_sequence('dedupe.golden_records', 'golden_id'), max(golden_id))"
                " FROM dedupe.golden_records")
    cur.execute("INSERT INTO dedupe.record_links (record_id, golden_id, rule, score, linked_by) "
                "SELECT record_id, record_id, 'seed', 1, 'bench' FROM dedupe.records")
    cur.execute("VACUUM ANALYZE dedupe.records, dedupe.golden_records, dedupe.record_links")
    print(f"{golden} golden records loaded in {time.perf_counter() - start:.0f} s", flush=True)


def crm_table(cur, name, matching=None):
    """(Re)creates the benchmarks' CRM-mirror table; watched when matching is 'immediate' or
    'deferred'."""
    cur.execute(f"DROP TABLE IF EXISTS {name}")
    cur.execute(f"CREATE TABLE {name} (id bigint PRIMARY KEY, email text, phone text, first_name text,"
                " last_name text, created_at timestamptz DEFAULT now())")
    cur.execute(f"CREATE INDEX ON {name} (email)")
    if matching:
        cur.execute(f"SELECT dedupe.watch('{name}', '{name}', id_column => 'id', email => 'email',"
                    " phone => 'phone', first_name => 'first_name', last_name => 'last_name',"
                    f" matching => '{matching}')")


def row(i, golden):
    """Row i of a stream of new writes: a third are new people (a new email, a known name), a
    third re-send a known email, a third a known phone. Drawn from the module random."""
    n = random.randint(1, golden)
    kind = i % 3
    email = f"P{n}@Seed.Example" if kind == 1 else f"new{i}@fresh.example"
    digits = str(n).zfill(7)
    phone = f"(720) {digits[:3]}-{digits[3:]}" if kind == 2 else None
    return (i, email, phone, f"First{n % 5000}", seed_last_name(n).title())


def copy_text(first, count, golden):
    """Rows first .. first + count - 1 of row()'s stream in COPY's text format."""
    return "".join("\t".join("\\N" if v is None else str(v) for v in row(i, golden)) + "\n"
                   for i in range(first, first + count))

"""What the TAP programs of test/tap share: checks collected and printed as TAP, and the skip
when no matcher worker runs. Not executable itself, so scripts/db-tests does not run it."""
import psycopg2

tests = []


def check(ok, name, detail=""):
    tests.append((bool(ok), name + (f" ({detail})" if detail and not ok else "")))


def finish():
    print(f"1..{len(tests)}")
    for i, (ok, name) in enumerate(tests, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {name}")


def connect_with_worker(db):
    """An autocommit connection to db, or a TAP skip (and exit) when pg_dedupe's launcher is not
    running (the library is not in shared_preload_libraries)."""
    conn = psycopg2.connect(dbname=db)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'pg_dedupe launcher'")
        if cur.fetchone()[0] == 0:
            print("1..0 # SKIP needs pg_dedupe in shared_preload_libraries")
            raise SystemExit(0)
    return conn

#!/usr/bin/python3
"""The matcher worker re-estimates the write path's model off the write path. With
model_estimation automatic (opt-in) and model_estimation_min_records 100, a deferred
source receives 150 rows: the worker that matches them finds the minimum reached and
estimates the model in its own transaction; 150 more rows (twice the count) make it estimate
again. The test waits for each audit row (polling, up to a minute), so it asserts what
happened, never how fast.

Needs the cluster of scripts/with-cluster (pg_dedupe in shared_preload_libraries); skipped
otherwise. Sets dedupe.model_check_interval to 1s for its run (ALTER SYSTEM, reset after)."""
import os
import time

import psycopg2
from taplib import check, finish

DB = "dedupe_model_worker"


def connect(db):
    conn = psycopg2.connect(dbname=db)
    conn.autocommit = True
    return conn


def one(conn, sql, args=None):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchone()


def rows(conn, lo, hi):
    """Rows lo..hi: every fourth is the person of the row before it again (same phone)."""
    with conn.cursor() as cur:
        cur.execute("""
          INSERT INTO leads
          SELECT g, CASE WHEN g %% 5 <> 0 THEN 'p' || g || '@mail.example' END,
                 '+1 415 555 ' || lpad((p * 797 %% 10000)::text, 4, '0'),
                 (ARRAY['Alma', 'Boris', 'Cyrus', 'Delia', 'Egon', 'Fiona', 'Greta'])[1 + p %% 7],
                 (ARRAY['Quist', 'Rourke', 'Szabo', 'Tiller', 'Ulmer', 'Vance', 'Weber', 'Xu',
                        'Young', 'Zhang', 'Abel'])[1 + (p * 3) %% 11]
          FROM generate_series(%s, %s) g,
               LATERAL (SELECT CASE WHEN g %% 4 = 0 THEN g - 1 ELSE g END AS p) pp""", (lo, hi))


def wait_for_estimate(conn, reason, timeout=60):
    """The model_estimated audit row with that reason, once the worker wrote it (None after
    timeout seconds)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        row = one(conn, """SELECT (inputs->>'records')::int, backend_pid FROM dedupe.audit_log
                           WHERE decision = 'model_estimated' AND rule = %s
                           ORDER BY id DESC LIMIT 1""", (reason,))
        if row:
            return row
        time.sleep(0.2)
    return None


def main():
    admin = connect("postgres")
    preload = one(admin, "SHOW shared_preload_libraries")[0]
    if "pg_dedupe" not in preload:
        print("1..0 # SKIP pg_dedupe is not in shared_preload_libraries (no matcher worker)")
        return
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB}")
        cur.execute(f"CREATE DATABASE {DB}")
        cur.execute("ALTER SYSTEM SET dedupe.model_check_interval = '1s'")
        cur.execute("SELECT pg_reload_conf()")
    try:
        conn = connect(DB)
        with conn.cursor() as cur:
            cur.execute("CREATE EXTENSION pg_dedupe")
            cur.execute("INSERT INTO dedupe.settings VALUES ('model_estimation_min_records', '100'),"
                        " ('model_estimation', 'automatic')")
            cur.execute("CREATE TABLE leads (id int PRIMARY KEY, email text, phone text,"
                        " first_name text, last_name text)")
            cur.execute("""SELECT dedupe.watch('leads', 'leads', id_column => 'id', email => 'email',
                             phone => 'phone', first_name => 'first_name', last_name => 'last_name',
                             matching => 'deferred')""")
        rows(conn, 1, 150)
        first = wait_for_estimate(conn, "minimum reached")
        check(first is not None, "the worker estimated the model once the records reached the minimum")
        check(first and first[0] == 150, "... from the 150 records", f"got {first}")
        check(first and first[1] != one(conn, "SELECT pg_backend_pid()")[0],
              "... in a session other than the writer's")
        check(one(conn, """SELECT params->'estimate'->>'records' FROM dedupe.models
                           WHERE name = 'write_path'""") == ("150",),
              "the estimate is the write path's model")
        check(one(conn, "SELECT dedupe.wait_for_matching('1 minute')")[0], "the rows were matched")
        rows(conn, 151, 300)
        second = wait_for_estimate(conn, "records doubled")
        check(second is not None and second[0] == 300,
              "twice the records: the worker estimated again, from 300", f"got {second}")
        check(one(conn, """SELECT count(*) FROM dedupe.audit_log
                           WHERE decision = 'model_estimated'""")[0] == 2,
              "two estimates, no more (checks between the doublings estimated nothing)")
        log = os.path.join(os.environ.get("DEDUPE_CLUSTER_DIR", ""), "server.log")
        if os.path.exists(log):
            with open(log, errors="replace") as f:
                text = f.read()
            check(f'estimated the write path\'s model from 300 records in database "{DB}"' in text,
                  "the server log says so")
        conn.close()
    finally:
        with admin.cursor() as cur:
            cur.execute("ALTER SYSTEM RESET dedupe.model_check_interval")
            cur.execute("SELECT pg_reload_conf()")
            for attempt in range(30):
                try:
                    cur.execute(f"DROP DATABASE IF EXISTS {DB}")
                    break
                except psycopg2.errors.ObjectInUse:
                    time.sleep(1)
        admin.close()
    finish()


if __name__ == "__main__":
    main()

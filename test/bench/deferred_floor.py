"""Where a deferred row's time goes in the writing transaction, next to an unwatched COPY.

A deferred source's COPY normalizes, validates, stages and audits each row before commit; the
matcher comes later. This splits the COPY's time into the staging statements (the records, audit
and queue rows with their indexes, timed by pg_stat_statements) and the rest (the COPY itself,
the triggers, normalization), and prints each per row next to what a given share of the
unwatched rate would leave for everything (SHARE, default 15%)."""
import io
import os
import random
import statistics
import time

import psycopg2

import golden_seed

GOLDEN, ROWS, PAIRS = (int(os.environ.get(k, d)) for k, d in
                       (("GOLDEN", 1000000), ("COPY_ROWS", 20000), ("PAIRS", 3)))
SHARE = float(os.environ.get("SHARE", 0.15))

conn = psycopg2.connect("")
conn.autocommit = True
cur = conn.cursor()
cur.execute("CREATE EXTENSION pg_stat_statements")
golden_seed.load(cur, GOLDEN)
random.seed(11)


def rows(first):
    return golden_seed.copy_text(first, ROWS, GOLDEN)


def staging_ms():
    """Execution time so far of the statements that write the staged rows, run by the
    extension: the records with their audit rows, and the queue rows."""
    cur.execute("SELECT coalesce(sum(total_exec_time), 0) FROM pg_stat_statements"
                " WHERE NOT toplevel AND (query LIKE '%INSERT INTO dedupe.records%'"
                "                         OR query LIKE '%INSERT INTO dedupe.match_queue%')")
    return cur.fetchone()[0]


def copy(name, deferred, data):
    """Seconds the COPY of data into a new table took, and the seconds of its staging statements."""
    golden_seed.crm_table(cur, name, "deferred" if deferred else None)
    before = staging_ms()
    t0 = time.perf_counter()
    cur.copy_expert(f"COPY {name} (id, email, phone, first_name, last_name) FROM STDIN",
                    io.StringIO(data))
    seconds = time.perf_counter() - t0
    staged = (staging_ms() - before) / 1e3
    cur.execute("SELECT dedupe.wait_for_matching('10 min')")  # the matcher is idle for the next
    return seconds, staged


unwatched, deferred, staging = [], [], []
for k in range(PAIRS):
    data = rows(10**8 + k * ROWS)
    unwatched.append(copy(f"u{k}", False, data)[0])
    seconds, staged = copy(f"d{k}", True, data)
    deferred.append(seconds)
    staging.append(staged)

us = lambda seconds: seconds / ROWS * 1e6  # noqa: E731
u, d, s = (statistics.median(v) for v in (unwatched, deferred, staging))
rest = statistics.median(a - b for a, b in zip(deferred, staging))
print(f"\nCOPY of {ROWS} known people, {GOLDEN} golden records, medians of {PAIRS} runs")
print(f"  unwatched        {ROWS / u:>9,.0f} rows/s  {us(u):6.1f} us a row")
print(f"  deferred         {ROWS / d:>9,.0f} rows/s  {us(d):6.1f} us a row ({u / d:.1%} of unwatched)")
print(f"  {SHARE:.0%} of unwatched {ROWS / u * SHARE:>9,.0f} rows/s  {us(u) / SHARE:6.1f} us a row for everything")
print(f"  deferred: the staging statements (records, audit and queue rows) {us(s):6.1f} us a row")
print(f"  deferred: the rest (the COPY, the triggers, normalization)        {us(rest):6.1f} us a row")

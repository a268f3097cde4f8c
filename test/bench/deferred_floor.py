"""Where a deferred row's time goes in the writing transaction, next to an unwatched COPY.

A deferred source's COPY normalizes, validates, stages and audits each row before commit; the
matcher comes later. This splits the COPY's CPU time (perf samples of its backend) into the
staging statement (the records, audit and queue rows with their indexes) and the rest (the
COPY itself, the triggers, normalization), and prints each per row next to what a given share
of the unwatched rate would leave for everything (SHARE, default 15%)."""
import io
import os
import random
import statistics
import subprocess
import sys
import time

import psycopg2

import golden_seed

GOLDEN, ROWS, PAIRS = (int(os.environ.get(k, d)) for k, d in
                       (("GOLDEN", 1000000), ("COPY_ROWS", 20000), ("PAIRS", 3)))
SHARE = float(os.environ.get("SHARE", 0.15))
# Frames of the staging statement: every SPI statement of the extension runs under this one.
STAGING_FRAME = "CachedStatement::execute"

conn = psycopg2.connect("")
conn.autocommit = True
cur = conn.cursor()
golden_seed.load(cur, GOLDEN)
cur.execute("SELECT pg_backend_pid()")
pid = cur.fetchone()[0]
random.seed(11)


def rows(first):
    return "".join("\t".join("\\N" if v is None else str(v) for v in golden_seed.row(i, GOLDEN)) + "\n"
                   for i in range(first, first + ROWS))


def copy(name, deferred, data, profile=None):
    """Seconds a COPY of data into a new table took (under perf when profile names a file)."""
    golden_seed.crm_table(cur, name, "deferred" if deferred else None)
    perf = None
    if profile:
        perf = subprocess.Popen(["perf", "record", "-q", "-F", "2000", "-g", "-p", str(pid),
                                 "-o", profile], stderr=subprocess.DEVNULL)
        time.sleep(0.5)  # perf attaches before the COPY starts
    t0 = time.perf_counter()
    cur.copy_expert(f"COPY {name} (id, email, phone, first_name, last_name) FROM STDIN",
                    io.StringIO(data))
    seconds = time.perf_counter() - t0
    if perf:
        perf.send_signal(2)
        perf.wait()
    cur.execute("SELECT dedupe.wait_for_matching('10 min')")  # the matcher is idle for the next
    return seconds


def staging_share(profile):
    """Share of the profile's samples with the staging statement on their stack."""
    report = subprocess.run(["perf", "report", "-i", profile, "--children", "--sort", "symbol",
                             "--stdio", "-g", "none"], capture_output=True, text=True).stdout
    shares = [float(line.split("%")[0]) for line in report.splitlines()
              if STAGING_FRAME in line and line.strip()[0].isdigit()]
    return max(shares) / 100 if shares else None


unwatched, deferred, shares = [], [], []
for k in range(PAIRS):
    data = rows(10**8 + 2 * k * ROWS)
    unwatched.append(copy(f"u{k}", False, data))
    deferred.append(copy(f"d{k}", True, data))
    # Other rows of the same kind, profiled: perf slows the COPY it watches.
    profile = f"/tmp/deferred_floor.{os.getpid()}.perf"
    copy(f"p{k}", True, rows(10**8 + (2 * k + 1) * ROWS), profile)
    share = staging_share(profile)
    os.unlink(profile)
    if share is not None:
        shares.append(share)

us = lambda seconds: seconds / ROWS * 1e6  # noqa: E731
u, d = statistics.median(unwatched), statistics.median(deferred)
print(f"\nCOPY of {ROWS} known people, {GOLDEN} golden records, medians of {PAIRS} runs")
print(f"  unwatched        {ROWS / u:>9,.0f} rows/s  {us(u):6.1f} us a row")
print(f"  deferred         {ROWS / d:>9,.0f} rows/s  {us(d):6.1f} us a row ({u / d:.1%} of unwatched)")
print(f"  {SHARE:.0%} of unwatched {ROWS / u * SHARE:>9,.0f} rows/s  {us(u) / SHARE:6.1f} us a row for everything")
if shares:
    s = statistics.median(shares)
    print(f"  of a deferred row's CPU samples (perf, {len(shares)} runs): the staging statement"
          f" {s:.0%} ({us(d) * s:.1f} us), the rest (COPY, triggers, normalization)"
          f" {1 - s:.0%} ({us(d) * (1 - s):.1f} us)")
else:
    print("  perf found no staging frames (needs perf and pg_dedupe.so's symbols)")

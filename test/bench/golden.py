#!/usr/bin/python3
"""Runs inside a throwaway cluster (see golden.sh)."""
import io
import os
import random
import statistics
import time

import psycopg2

import golden_seed

GOLDEN, INSERTS, COPY_ROWS = (int(os.environ.get(k, d)) for k, d in
                              (("GOLDEN", 1000000), ("INSERTS", 2000), ("COPY_ROWS", 20000)))
conn = psycopg2.connect("")
conn.autocommit = True
cur = conn.cursor()

cur.execute("SELECT string_agg(name || '=' || current_setting(name), ' ') FROM unnest(ARRAY["
            "'shared_buffers', 'huge_pages', 'work_mem', 'effective_cache_size', 'random_page_cost',"
            " 'dedupe.matchers_per_database']) name")
print("server settings:", cur.fetchone()[0], flush=True)
golden_seed.load(cur, GOLDEN)

COLUMNS = "(id, email, phone, first_name, last_name)"


def row(i):
    return golden_seed.row(i, GOLDEN)


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


random.seed(3)
print(f"\n{INSERTS} single-row INSERTs (autocommit), with {GOLDEN} golden records to match against")
for label, matching in (("unwatched", None), ("watched", "immediate"), ("deferred", "deferred")):
    golden_seed.crm_table(cur, f"t_{label}", matching)
    if matching == "deferred":  # people of its own; the sections below keep their rows
        state = random.getstate()
        random.seed(4)
    lat = []
    for i in range(1, INSERTS + 1):
        r = row(i)
        t0 = time.perf_counter()
        cur.execute(f"INSERT INTO t_{label} {COLUMNS} VALUES (%s, %s, %s, %s, %s)", r)
        lat.append(time.perf_counter() - t0)
    if matching == "deferred":
        random.setstate(state)
        cur.execute("SELECT dedupe.wait_for_matching('1 hour')")  # an idle matcher for what follows
    print(f"  {label:10s} p50 {statistics.median(lat) * 1e3:6.2f} ms   p95 {pct(lat, 95) * 1e3:6.2f} ms")

data = golden_seed.copy_text(INSERTS + 1, COPY_ROWS, GOLDEN)


def batches_since(t):
    """Records, seconds from the first batch's start to the last one's end (several matchers may
    work at once), and the longest queue-to-match time of the matchers' batches since t."""
    cur.execute("SELECT coalesce(sum(records), 0),"
                " coalesce(extract(epoch FROM max(finished_at) - min(finished_at - duration)), 0),"
                " coalesce(extract(epoch FROM max(max_lag)), 0) FROM dedupe.match_batches"
                " WHERE finished_at >= %s", (t,))
    return cur.fetchone()


def copy_rates(prefix, rows):
    """COPY the same rows into an unwatched, a watched and a deferred watched table; prints and
    returns rows/s (deferred: the COPY itself, then the matcher's time to match what it queued)."""
    rates = {}
    for label, matching in (("unwatched", None), ("watched", "immediate"), ("deferred", "deferred")):
        golden_seed.crm_table(cur, f"{prefix}_{label}", matching)
        cur.execute("SELECT clock_timestamp()")
        since = cur.fetchone()[0]
        t0 = time.perf_counter()
        cur.copy_expert(f"COPY {prefix}_{label} {COLUMNS} FROM STDIN", io.StringIO(rows))
        rates[label] = COPY_ROWS / (time.perf_counter() - t0)
        if label != "deferred":
            print(f"  {label:10s} {rates[label]:>10,.0f} rows/s")
            continue
        t1 = time.perf_counter()
        cur.execute("SELECT dedupe.wait_for_matching('1 hour')")
        matched_in = time.perf_counter() - t1
        n, busy, lag = batches_since(since)
        print(f"  {label:10s} {rates[label]:>10,.0f} rows/s ({rates[label] / rates['unwatched']:.1%} of"
              f" unwatched); all matched {matched_in:.1f} s after the COPY committed; matcher"
              f" {n / busy if busy else 0:,.0f} rows/s from first batch to last ({n} records), longest wait {lag:.1f} s")
    return rates


print(f"\nCOPY of {COPY_ROWS} rows")
rates = copy_rates("c", data)
print(f"  watched/unwatched: {rates['watched'] / rates['unwatched']:.1%}")


def minor_faults(pid):
    """Minor page faults of a local backend so far (None when /proc does not show it)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[7])
    except OSError:
        return None


# What an ETL job that connects, copies and leaves sees: the same COPY (other known people) from
# a connection of its own. A new backend faults in each page of shared memory it touches for the
# first time, 4 kB at a time unless the server runs with huge_pages.
golden_seed.crm_table(cur, "f_watched", "immediate")
state = random.getstate()  # the rows of the sections below stay what they were
later = golden_seed.copy_text(INSERTS + COPY_ROWS + 1, COPY_ROWS, GOLDEN)
random.setstate(state)
fresh_conn = psycopg2.connect("")
fresh_conn.autocommit = True
with fresh_conn.cursor() as fc:
    fc.execute("SELECT pg_backend_pid()")
    pid = fc.fetchone()[0]
    faults = minor_faults(pid)
    t0 = time.perf_counter()
    fc.copy_expert(f"COPY f_watched {COLUMNS} FROM STDIN", io.StringIO(later))
    rate = COPY_ROWS / (time.perf_counter() - t0)
    after = minor_faults(pid)
fresh_conn.close()
print(f"  watched, from a new connection {rate:,.0f} rows/s"
      + (f" ({after - faults:,} minor page faults in its backend)" if faults is not None and after else ""))
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

# Deferred matching under a steady stream: RATE rows/s for SUSTAIN seconds (a multi-row INSERT
# every 0.1 s, autocommit), then the longest time a record waited from its queueing (in its
# writing statement, before commit) to the commit of the batch that matched it.
RATE, SUSTAIN = int(os.environ.get("RATE", 2000)), int(os.environ.get("SUSTAIN", 30))
if SUSTAIN > 0:
    golden_seed.crm_table(cur, "s_deferred", "deferred")
    cur.execute("SELECT clock_timestamp()")
    since = cur.fetchone()[0]
    per_tick, start, i, behind = RATE // 10, time.perf_counter(), 0, 0.0
    while time.perf_counter() - start < SUSTAIN:
        tick = start + (i // per_tick) * 0.1
        now = time.perf_counter()
        if now < tick:
            time.sleep(tick - now)
        else:
            behind = max(behind, now - tick)
        args = ",".join(cur.mogrify("(%s,%s,%s,%s,%s)", row(1000000000 + i + k)).decode()
                        for k in range(per_tick))
        cur.execute(f"INSERT INTO s_deferred {COLUMNS} VALUES {args}")
        i += per_tick
    wrote = time.perf_counter() - start
    t1 = time.perf_counter()
    cur.execute("SELECT dedupe.wait_for_matching('1 hour')")
    drained = time.perf_counter() - t1
    n, busy, lag = batches_since(since)
    print(f"\nDeferred, sustained: {i} rows in {wrote:.1f} s ({i / wrote:,.0f} rows/s offered, writer at most"
          f" {behind:.2f} s behind schedule); queue empty {drained:.1f} s after the last write;"
          f" longest queue-to-match time {lag:.1f} s; matchers {n / busy if busy else 0:,.0f} rows/s from first batch to last")

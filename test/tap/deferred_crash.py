#!/usr/bin/python3
"""Deferred matching survives crashes. Two sessions load 12,000 rows (30% duplicates) into a
table watched with matching => 'deferred' while the matcher worker matches them in batches of
50. In the middle of the load the matcher is killed with SIGKILL (the postmaster resets the
cluster), later the postmaster itself and every server process are killed with SIGKILL and the
server is started again. The writers reconnect and re-send what was not acknowledged.
Afterwards, within dedupe.max_match_delay plus a margin: every acknowledged row is in the table,
every row of the table has one record, the queue is empty, every record has exactly one link
and exactly one 'linked' audit row (none matched twice, none lost), and no two golden records
share an email.

Needs the cluster of scripts/with-cluster (DEDUPE_CLUSTER_DIR, DEDUPE_PGBIN) with pg_dedupe
in shared_preload_libraries; skipped otherwise."""
import os
import random
import signal
import subprocess
import threading
import time

import psycopg2
from taplib import check, finish

DB, ROWS, WRITERS, CHUNK, DUP_SHARE = "dedupe_crash", 12000, 2, 100, 0.30
CLUSTER = os.environ.get("DEDUPE_CLUSTER_DIR")
PGBIN = os.environ.get("DEDUPE_PGBIN", "")


def connect(db=DB, attempts=300):
    """Connects, waiting while the server restarts (up to a minute)."""
    for i in range(attempts):
        try:
            conn = psycopg2.connect(dbname=db)
            conn.autocommit = True
            return conn
        except psycopg2.OperationalError:
            if i == attempts - 1:
                raise
            time.sleep(0.2)


def query(sql, args=None, db=DB):
    """One statement on a fresh connection, retried across a restart."""
    for attempt in range(5):
        try:
            conn = connect(db)
            try:
                cur = conn.cursor()
                cur.execute(sql, args)
                return cur.fetchall() if cur.description else None
            finally:
                conn.close()
        except psycopg2.OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.5)


admin = connect("postgres")
acur = admin.cursor()
acur.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'pg_dedupe launcher'")
if not CLUSTER or acur.fetchone()[0] == 0:
    print("1..0 # SKIP needs scripts/with-cluster with pg_dedupe in shared_preload_libraries")
    raise SystemExit(0)
acur.execute(f"DROP DATABASE IF EXISTS {DB}")
acur.execute(f"CREATE DATABASE {DB}")
# Acknowledged commits must survive a SIGKILL of the server (the WAL reaches the kernel).
acur.execute(f"ALTER DATABASE {DB} SET synchronous_commit = on")
acur.execute("ALTER SYSTEM SET dedupe.match_batch_size = 50")
acur.execute("SELECT pg_reload_conf()")
admin.close()

setup = connect()
cur = setup.cursor()
cur.execute("CREATE EXTENSION pg_dedupe")
cur.execute("CREATE TABLE public.crash_leads (id int PRIMARY KEY, email text, phone text,"
            " first_name text, last_name text)")
cur.execute("SELECT dedupe.watch('public.crash_leads', 'crash', id_column => 'id', email => 'email',"
            " phone => 'phone', first_name => 'first_name', last_name => 'last_name',"
            " matching => 'deferred')")
setup.close()

random.seed(7)
SYLLABLES = ["ka", "lo", "mi", "ser", "dan", "vo", "tru", "pel", "zak", "ho", "ren", "bi", "sto",
             "gu", "fen", "wa", "quil", "no", "ex", "tam", "brun", "ci", "jos", "ly"]


def made_up_name(n):
    return "".join(random.choice(SYLLABLES) for _ in range(n))


originals = int(ROWS * (1 - DUP_SHARE))
people = [(made_up_name(2).title(), made_up_name(3).title(), f"crash{p}@example.com",
           f"+1 720 {200 + p // 10000 % 700} {p % 10000:04d}") for p in range(originals)]
rows = []
for i in range(ROWS):
    p = i if i < originals else random.randrange(originals)
    first, last, email, phone = people[p]
    if i >= originals and i % 2:
        email = " " + email.upper()
    rows.append((i + 1, email, phone, first, last))
random.shuffle(rows)
work = [rows[w::WRITERS] for w in range(WRITERS)]
acknowledged = set()
ack_lock = threading.Lock()
writer_errors = []


def writer(batch):
    conn = None
    for start in range(0, len(batch), CHUNK):
        chunk = batch[start:start + CHUNK]
        for attempt in range(50):
            try:
                if conn is None:
                    conn = connect()
                c = conn.cursor()
                args = ",".join(c.mogrify("(%s,%s,%s,%s,%s)", r).decode() for r in chunk)
                # A re-sent chunk may have committed before the crash: rows already there are
                # not written again (and leave no record).
                c.execute(f"INSERT INTO public.crash_leads VALUES {args} ON CONFLICT (id) DO NOTHING")
                with ack_lock:
                    acknowledged.update(r[0] for r in chunk)
                break
            except psycopg2.Error as e:
                if conn is not None:
                    try:
                        conn.close()
                    except psycopg2.Error:
                        pass
                conn = None
                # A connection the crash cut off: OperationalError, or with libpq's "server closed
                # the connection unexpectedly" a DatabaseError without SQLSTATE.
                lost = isinstance(e, (psycopg2.OperationalError, psycopg2.InterfaceError)) or e.pgcode is None
                if not lost and e.pgcode not in ("57P01", "57P02", "57P03", "40P01"):
                    writer_errors.append(f"{e.pgcode}: {e}")
                    return
                time.sleep(0.3)
        else:
            writer_errors.append("a chunk could not be written in 50 attempts")
            return
        time.sleep(0.01)


def matched_and_queued():
    return query("SELECT (SELECT count(*) FROM dedupe.record_links), (SELECT count(*) FROM dedupe.match_queue)")[0]


def wait_for(predicate, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if predicate():
                return True
        except psycopg2.Error:
            pass
        time.sleep(0.1)
    return False


def postmaster_pid():
    with open(os.path.join(CLUSTER, "data", "postmaster.pid")) as f:
        return int(f.readline())


def children_of(pid):
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    kids.append(int(entry))
            except OSError:
                pass
    return kids


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


threads = [threading.Thread(target=writer, args=(w,)) for w in work]
for t in threads:
    t.start()

# 1. SIGKILL the matcher in the middle of its work: the postmaster resets every process.
ok = wait_for(lambda: (lambda m, q: m >= 500 and q > 0)(*matched_and_queued()))
check(ok, "the matcher works while the writers load (some matched, some queued)")
killed_worker = False
if ok:
    pids = query("SELECT pid FROM pg_stat_activity WHERE backend_type = 'pg_dedupe matcher'"
                 " AND datname = current_database()")
    if pids:
        os.kill(pids[0][0], signal.SIGKILL)
        killed_worker = True
check(killed_worker, "a matcher was killed with SIGKILL in the middle of the load")
time.sleep(1)
before = matched_and_queued()[0]

# 2. SIGKILL the postmaster and every server process, then start the server again.
ok = wait_for(lambda: (lambda m, q: m >= before + 500 and q > 0)(*matched_and_queued()))
check(ok, "after the reset the matcher resumes while the queue is not empty")
pm = postmaster_pid()
victims = [pm] + children_of(pm)
for pid in victims:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
check(wait_for(lambda: not any(alive(p) for p in victims), 30), "every server process is gone")
start = [os.path.join(PGBIN, "pg_ctl") if PGBIN else "pg_ctl", "-D", os.path.join(CLUSTER, "data"),
         "-l", os.path.join(CLUSTER, "server.log"), "-w", "start"]
if os.geteuid() == 0:
    start = ["runuser", "-u", "postgres", "--"] + start
restarted = subprocess.run(start, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
check(restarted.returncode == 0, "the server starts again after SIGKILL", restarted.stderr[-300:])
restart_time = time.time()

for t in threads:
    t.join()
check(not writer_errors, "the writers finish, re-sending what was not acknowledged", "; ".join(writer_errors[:3]))

# Everything is matched within the delay (30 s by default), with a generous margin.
done = query("SELECT dedupe.wait_for_matching('120 seconds')")[0][0]
elapsed = time.time() - restart_time
check(done, "every queued record is matched after the restart", f"{matched_and_queued()[1]} still queued")
print(f"# matched everything {elapsed:.1f} s after the restart (loading included)")

ids = {r[0] for r in query("SELECT id FROM public.crash_leads")}
check(acknowledged <= ids, "every acknowledged row is in the table", f"{len(acknowledged - ids)} lost")
check(len(ids) == ROWS, "every row was written once", f"{len(ids)} rows")
n = query("""SELECT count(*) FROM public.crash_leads c
             WHERE (SELECT count(*) FROM dedupe.records r
                     WHERE r.source = 'crash' AND r.source_pk = c.id::text) <> 1""")[0][0]
check(n == 0, "every row has exactly one record", f"{n} rows do not")
n = query("SELECT count(*) FROM dedupe.records WHERE source = 'crash'")[0][0]
check(n == len(ids), "no record without its row", f"{n} records for {len(ids)} rows")
check(query("SELECT count(*) FROM dedupe.match_queue")[0][0] == 0, "the queue is empty")
n = query("""SELECT count(*) FROM dedupe.records r WHERE
             (SELECT count(*) FROM dedupe.record_links l WHERE l.record_id = r.record_id) <> 1""")[0][0]
check(n == 0, "every record has exactly one link (none lost)", f"{n} records do not")
n = query("""SELECT count(*) FROM (SELECT record_id FROM dedupe.audit_log WHERE decision = 'linked'
             GROUP BY record_id HAVING count(*) > 1) s""")[0][0]
check(n == 0, "no record was matched twice (one 'linked' audit row each)", f"{n} matched twice")
n = query("""SELECT count(*) FROM dedupe.record_links l WHERE NOT EXISTS (SELECT FROM dedupe.audit_log a
             WHERE a.record_id = l.record_id AND a.decision = 'linked'
               AND (a.inputs->>'golden_id')::bigint = l.golden_id)""")[0][0]
check(n == 0, "every link has its audit row", f"{n} links without one")
n = query("""SELECT count(*) FROM (SELECT r.email FROM dedupe.records r JOIN dedupe.record_links l
             USING (record_id) WHERE r.email IS NOT NULL GROUP BY 1
             HAVING count(DISTINCT l.golden_id) > 1) s""")[0][0]
check(n == 0, "no two golden records share an email", f"{n} shared")
goldens = query("SELECT count(DISTINCT golden_id) FROM dedupe.record_links")[0][0]
check(0.9 * originals <= goldens <= originals, "duplicates were linked",
      f"{goldens} golden records for {originals} people")

admin = connect("postgres")
acur = admin.cursor()
acur.execute("ALTER SYSTEM RESET dedupe.match_batch_size")
acur.execute("SELECT pg_reload_conf()")
for _ in range(50):  # the matcher leaves an idle database within a second or two
    try:
        acur.execute(f"DROP DATABASE IF EXISTS {DB}")
        break
    except psycopg2.errors.ObjectInUse:
        time.sleep(0.5)
admin.close()
print(f"# {goldens} golden records for {originals} people from {ROWS} rows")
finish()

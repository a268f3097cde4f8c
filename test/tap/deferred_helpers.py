#!/usr/bin/python3
"""A backlog in one database's match queue gets more than one matcher: with
dedupe.matchers_per_database = 3 and batches of 20, a COPY of 3,000 rows into a deferred
source (a third of them the same people again, same email) is matched by the matcher woken at
commit and helpers the launcher adds while its batches come back full. Afterwards every record
has exactly one link and one 'linked' audit row (no batch was taken twice), the duplicates
share golden records, and the helpers have left.

Needs pg_dedupe in shared_preload_libraries (scripts/with-cluster); skipped otherwise."""
import io
import time

from taplib import check, connect_with_worker, finish

DB, ROWS, DUPLICATES = "dedupe_tap", 3000, 1000
conn = connect_with_worker(DB)
cur = conn.cursor()


def matchers():
    cur.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'pg_dedupe matcher'"
                " AND datname = current_database()")
    return cur.fetchone()[0]


cur.execute("ALTER SYSTEM SET dedupe.match_batch_size = 20")
cur.execute("ALTER SYSTEM SET dedupe.matchers_per_database = 3")
cur.execute("ALTER SYSTEM SET dedupe.match_workers = 8")
cur.execute("SELECT pg_reload_conf()")
time.sleep(0.5)  # the launcher and any matcher read the new settings
try:
    cur.execute("DROP TABLE IF EXISTS public.helper_leads")
    cur.execute("CREATE TABLE public.helper_leads (id int PRIMARY KEY, email text, first_name text,"
                " last_name text)")
    cur.execute("SELECT dedupe.watch('public.helper_leads', 'helper_leads', id_column => 'id',"
                " email => 'email', first_name => 'first_name', last_name => 'last_name',"
                " matching => 'deferred')")
    people = ROWS - DUPLICATES
    rows = [(i, f"helper{i % people}@example.com", f"Ann{i % people}", f"Quist{i % people}")
            for i in range(1, ROWS + 1)]
    cur.copy_expert("COPY public.helper_leads (id, email, first_name, last_name) FROM STDIN",
                    io.StringIO("".join("\t".join(map(str, r)) + "\n" for r in rows)))
    most, deadline = 0, time.time() + 120
    while time.time() < deadline:
        most = max(most, matchers())
        cur.execute("SELECT count(*) FROM dedupe.match_queue q JOIN dedupe.records r"
                    " USING (record_id) WHERE r.source = 'helper_leads'")
        if cur.fetchone()[0] == 0:
            break
        time.sleep(0.02)
    cur.execute("SELECT dedupe.wait_for_matching('60 seconds')")
    check(cur.fetchone()[0], "the queue is matched")
    check(most >= 2, "more than one matcher worked on the backlog", f"at most {most} seen")
    cur.execute("""SELECT count(*), count(l.record_id), count(DISTINCT l.golden_id)
                   FROM dedupe.records r LEFT JOIN dedupe.record_links l USING (record_id)
                   WHERE r.source = 'helper_leads'""")
    records, linked, goldens = cur.fetchone()
    check(records == ROWS and linked == ROWS, "every record is in a golden record",
          f"{linked} of {records}")
    check(goldens == people, f"{people} golden records for {people} people", f"{goldens}")
    cur.execute("""SELECT count(*) FILTER (WHERE n <> 1) FROM (
                     SELECT r.record_id, count(a.id) AS n FROM dedupe.records r
                     LEFT JOIN dedupe.audit_log a ON a.record_id = r.record_id AND a.decision = 'linked'
                     WHERE r.source = 'helper_leads' GROUP BY r.record_id) x""")
    check(cur.fetchone()[0] == 0, "every record was matched exactly once")
    for _ in range(100):  # helpers leave at their first batch that is not full
        if matchers() <= 1:
            break
        time.sleep(0.1)
    check(matchers() <= 1, "the helpers left once the backlog was gone")
finally:
    cur.execute("ALTER SYSTEM RESET dedupe.match_batch_size")
    cur.execute("ALTER SYSTEM RESET dedupe.matchers_per_database")
    cur.execute("ALTER SYSTEM RESET dedupe.match_workers")
    cur.execute("SELECT pg_reload_conf()")
    cur.execute("DROP TABLE IF EXISTS public.helper_leads")
finish()

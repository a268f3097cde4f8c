#!/usr/bin/python3
"""A record the matcher worker cannot match holds up no other. A trigger (this test's, on the
audit log) makes the matching of one record fail every time; 200 rows are queued with it in one
batch. The worker's batch fails, each of its records counts an attempt and is retried alone: the
199 others are matched, the failing one is set aside after 3 attempts with the error kept,
dedupe.matching_lag counts it, and once the cause is gone dedupe.retry_failed_matches() puts it
back in line and it is matched.

Needs pg_dedupe in shared_preload_libraries (scripts/with-cluster); skipped otherwise."""
import io
import time

from taplib import check, connect_with_worker, finish

DB, ROWS, POISON = "dedupe_tap", 200, 137
conn = connect_with_worker(DB)
cur = conn.cursor()


def poll(sql, until, seconds=90):
    deadline = time.time() + seconds
    while True:
        cur.execute(sql)
        value = cur.fetchone()[0]
        if until(value) or time.time() > deadline:
            return value
        time.sleep(0.1)


cur.execute("ALTER SYSTEM SET dedupe.max_match_delay = '2s'")  # retries back off up to it
cur.execute("SELECT pg_reload_conf()")
try:
    cur.execute("DROP TABLE IF EXISTS public.poison_leads")
    cur.execute("CREATE TABLE public.poison_leads (id int PRIMARY KEY, email text, first_name text,"
                " last_name text)")
    cur.execute("SELECT dedupe.watch('public.poison_leads', 'poison_leads', id_column => 'id',"
                " email => 'email', first_name => 'first_name', last_name => 'last_name',"
                " matching => 'deferred')")
    # The cause: the matcher's 'linked' audit row of one record is refused.
    cur.execute(f"""CREATE FUNCTION public.refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF NEW.source = 'poison_leads' AND NEW.source_pk = '{POISON}'
                         AND NEW.decision = 'linked' THEN
                        RAISE EXCEPTION 'this record cannot be linked today';
                      END IF;
                      RETURN NEW;
                    END $$""")
    cur.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON dedupe.audit_log"
                " FOR EACH ROW EXECUTE FUNCTION public.refuse_poison()")
    rows = "".join(f"{i}\tpoison{i}@example.com\tPia\tVoss{i}\n" for i in range(1, ROWS + 1))
    cur.copy_expert("COPY public.poison_leads (id, email, first_name, last_name) FROM STDIN",
                    io.StringIO(rows))
    linked_sql = ("SELECT count(*) FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)"
                  " WHERE r.source = 'poison_leads'")
    linked = poll(linked_sql, lambda n: n >= ROWS - 1)
    check(linked == ROWS - 1, "every other record is matched", f"{linked} of {ROWS - 1}")
    attempts = poll("SELECT coalesce(max(q.attempts), 0) FROM dedupe.match_queue q"
                    " JOIN dedupe.records r USING (record_id) WHERE r.source = 'poison_leads'",
                    lambda n: n >= 3)
    cur.execute("""SELECT r.source_pk, q.attempts, q.last_error FROM dedupe.match_queue q
                   JOIN dedupe.records r USING (record_id) WHERE r.source = 'poison_leads'""")
    left = cur.fetchall()
    check(len(left) == 1 and left[0][0] == str(POISON), "only the failing record is left in the queue",
          str(left))
    check(attempts == 3, "it was tried 3 times and set aside", f"{attempts} attempts")
    check(left and "cannot be linked today" in (left[0][2] or ""), "the queue keeps the error", str(left))
    time.sleep(1)  # a set-aside record is not tried again
    cur.execute("SELECT q.attempts FROM dedupe.match_queue q JOIN dedupe.records r USING (record_id)"
                " WHERE r.source = 'poison_leads'")
    check(cur.fetchone()[0] == 3, "it stays set aside")
    cur.execute("SELECT set_aside FROM dedupe.matching_lag")
    check(cur.fetchone()[0] == 1, "matching_lag counts it")
    cur.execute("DROP TRIGGER refuse_poison ON dedupe.audit_log")
    cur.execute("SELECT dedupe.retry_failed_matches()")
    check(cur.fetchone()[0] == 1, "retry_failed_matches puts it back in line")
    linked = poll(linked_sql, lambda n: n >= ROWS)
    check(linked == ROWS, "then it is matched too", f"{linked} of {ROWS}")
    cur.execute("""SELECT count(*) FILTER (WHERE n <> 1) FROM (
                     SELECT r.record_id, count(a.id) AS n FROM dedupe.records r
                     LEFT JOIN dedupe.audit_log a ON a.record_id = r.record_id AND a.decision = 'linked'
                     WHERE r.source = 'poison_leads' GROUP BY r.record_id) x""")
    check(cur.fetchone()[0] == 0, "every record was linked exactly once")
finally:
    cur.execute("DROP TRIGGER IF EXISTS refuse_poison ON dedupe.audit_log")
    cur.execute("DROP FUNCTION IF EXISTS public.refuse_poison()")
    cur.execute("ALTER SYSTEM RESET dedupe.max_match_delay")
    cur.execute("SELECT pg_reload_conf()")
    cur.execute("DROP TABLE IF EXISTS public.poison_leads")
finish()

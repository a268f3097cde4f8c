#!/usr/bin/python3
"""Four sessions write 10,000 rows (30% duplicates of the same people, spread over three
sources, formatted differently) at the same time. Afterwards: no two golden records share
an email or an external id, two share a phone only where names disagree or a human said
so, every row has exactly one link (a row in review waits in a golden record of its own), and
the audit log matches.

Twice: with every source matching on write, then with two of the three sources deferred
(dedupe.watch(..., matching => 'deferred')), so the foreground writers of the immediate source
and the matcher worker match the same people at the same time; after dedupe.wait_for_matching
the same invariants hold, the queue is empty and no record was matched twice. Without the
matcher worker (pg_dedupe not preloaded) the deferred run matches with CALL
dedupe.match_pending() while the writers write."""
import random
import threading
import time

import psycopg2

ROWS, SESSIONS, DUP_SHARE = 10000, 4, 0.30
SOURCES = ("c_hubspot", "c_salesforce", "c_events")
tests = []


def check(ok, name, detail=""):
    tests.append((bool(ok), name + (f" ({detail})" if detail and not ok else "")))


def run(deferred):
    """One round; deferred: which sources match later."""
    label = f" [{'mixed immediate/deferred' if deferred else 'immediate'}]"
    setup = psycopg2.connect("dbname=dedupe_tap")
    setup.autocommit = True
    cur = setup.cursor()
    for src in SOURCES:
        mode = "deferred" if src in deferred else "immediate"
        cur.execute(f"DROP TABLE IF EXISTS public.{src}")
        cur.execute(f"CREATE TABLE public.{src} (id int PRIMARY KEY, email text, phone text,"
                    " first_name text, last_name text)")
        cur.execute(f"SELECT dedupe.watch('public.{src}', '{src}', id_column => 'id', email => 'email',"
                    " phone => 'phone', first_name => 'first_name', last_name => 'last_name',"
                    f" matching => '{mode}')")
    cur.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'pg_dedupe launcher'")
    worker = cur.fetchone()[0] > 0
    if deferred and not worker:
        print("# no matcher worker (pg_dedupe is not preloaded): CALL dedupe.match_pending() instead")

    random.seed(42)
    SYLLABLES = ["ka", "lo", "mi", "ser", "dan", "vo", "tru", "pel", "zak", "ho", "ren", "bi", "sto",
                 "gu", "fen", "wa", "quil", "no", "ex", "tam", "brun", "ci", "jos", "ly"]

    def made_up_name(syllables):
        return "".join(random.choice(SYLLABLES) for _ in range(syllables))

    people = []
    originals = int(ROWS * (1 - DUP_SHARE))
    for p in range(originals):
        people.append({"first": made_up_name(2), "last": made_up_name(3),
                       "email": f"person{p}@example.com", "phone": f"+1 303 {200 + p // 10000 % 700} {p % 10000:04d}"})

    def formatted(person, variant):
        email = person["email"] if variant % 2 else " " + person["email"].upper() + " "
        digits = person["phone"].replace(" ", "")[2:]  # ten digits after +1
        phone = person["phone"] if variant % 3 else f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
        return email, phone, person["first"].title(), person["last"].title()

    rows = [(p, 0) for p in range(originals)] + \
           [(random.randrange(originals), v) for v in range(1, ROWS - originals + 1)]
    random.shuffle(rows)
    work = [[] for _ in range(SESSIONS)]
    for i, (p, v) in enumerate(rows):
        # A duplicate sometimes carries only the phone: then names must agree to link.
        email, phone, first, last = formatted(people[p], v)
        if v and v % 4 == 0:
            email = None
        work[i % SESSIONS].append((i, SOURCES[i % 3], email, phone, first, last))

    errors = []

    def writer(batch):
        conn = psycopg2.connect("dbname=dedupe_tap")
        conn.autocommit = True
        c = conn.cursor()
        try:
            for start in range(0, len(batch), 5):
                chunk = batch[start:start + 5]
                for table in SOURCES:
                    part = [r for r in chunk if r[1] == table]
                    if part:
                        args = ",".join(c.mogrify("(%s,%s,%s,%s,%s)", (r[0], r[2], r[3], r[4], r[5])).decode() for r in part)
                        c.execute(f"INSERT INTO public.{table} VALUES {args}")
        except psycopg2.Error as e:
            errors.append(f"{e.pgcode}: {e}")
        conn.close()


    writing = True

    def matcher():  # stands in for the worker where there is none
        conn = psycopg2.connect("dbname=dedupe_tap")
        conn.autocommit = True
        try:
            while writing:
                conn.cursor().execute("CALL dedupe.match_pending(200)")
                time.sleep(0.05)
            conn.cursor().execute("CALL dedupe.match_pending(200)")
        except psycopg2.Error as e:
            errors.append(f"match_pending: {e.pgcode}: {e}")
        conn.close()
    threads = [threading.Thread(target=writer, args=(w,)) for w in work]
    helper = threading.Thread(target=matcher) if deferred and not worker else None
    for t in threads + ([helper] if helper else []):
        t.start()
    for t in threads:
        t.join()
    writing = False
    if helper:
        helper.join()
    check(not errors, "four concurrent writers finish without errors" + label, "; ".join(errors[:3]))
    if deferred:
        start = time.time()
        cur.execute("SELECT dedupe.wait_for_matching('120 seconds')")
        check(cur.fetchone()[0], "every queued record is matched" + label)
        print(f"# deferred records matched {time.time() - start:.1f} s after the last write")
        cur.execute("SELECT count(*) FROM dedupe.match_queue")
        check(cur.fetchone()[0] == 0, "the queue is empty" + label)
        cur.execute("""SELECT count(*) FROM (SELECT a.record_id FROM dedupe.audit_log a
                       JOIN dedupe.records r USING (record_id) WHERE r.source LIKE 'c\\_%'
                       AND a.decision = 'linked' GROUP BY 1 HAVING count(*) > 1) s""")
        n = cur.fetchone()[0]
        check(n == 0, "no record was matched twice" + label, f"{n} records twice")

    cur.execute("SELECT count(*) FROM dedupe.records WHERE source LIKE 'c\\_%'")
    check(cur.fetchone()[0] == ROWS, "every row is staged" + label)
    for component in ("email", "external_id"):
        cur.execute(f"""SELECT count(*) FROM (SELECT r.{component} FROM dedupe.records r
                        JOIN dedupe.record_links l USING (record_id) WHERE r.{component} IS NOT NULL
                        GROUP BY 1 HAVING count(DISTINCT l.golden_id) > 1) s""")
        n = cur.fetchone()[0]
        check(n == 0, f"no two golden records share an {component}" + label, f"{n} shared")
    cur.execute("""SELECT count(*) FROM (SELECT r.phone FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)
                   WHERE r.phone IS NOT NULL AND r.source LIKE 'c\\_%' GROUP BY 1
                   HAVING count(DISTINCT l.golden_id) > 1 AND count(DISTINCT (r.first_name, r.last_name)) = 1) s""")
    n = cur.fetchone()[0]
    check(n == 0, "two golden records share a phone only when the names differ" + label, f"{n} shared with equal names")
    cur.execute("""SELECT count(*) FROM dedupe.records r WHERE r.source LIKE 'c\\_%' AND
                   (SELECT count(*) FROM dedupe.record_links l WHERE l.record_id = r.record_id) <> 1""")
    n = cur.fetchone()[0]
    check(n == 0, "every row has exactly one link" + label, f"{n} rows do not")
    cur.execute("""SELECT count(*) FROM dedupe.record_links l JOIN dedupe.records r USING (record_id)
                   WHERE r.source LIKE 'c\\_%' AND NOT EXISTS (SELECT FROM dedupe.audit_log a
                     WHERE a.record_id = l.record_id AND a.decision = 'linked'
                       AND (a.inputs->>'golden_id')::bigint = l.golden_id)""")
    n = cur.fetchone()[0]
    check(n == 0, "every link has its audit row" + label, f"{n} links without one")
    cur.execute("SELECT count(DISTINCT l.golden_id) FROM dedupe.record_links l JOIN dedupe.records r USING (record_id)"
                " WHERE r.source LIKE 'c\\_%'")
    goldens = cur.fetchone()[0]
    cur.execute("SELECT count(*) FROM dedupe.review_queue q JOIN dedupe.records r USING (record_id)"
                " WHERE r.source LIKE 'c\\_%' AND q.status = 'open'")
    reviews = cur.fetchone()[0]
    check(0.9 * originals <= goldens <= originals, "duplicates were linked, not given golden records of their own" + label,
          f"{goldens} golden records for {originals} people")
    check(reviews < 0.05 * ROWS, "few rows wait for a human" + label, f"{reviews} open review items")

    # The next round starts from no records (its people are the same).
    for src in SOURCES:
        cur.execute(f"SELECT dedupe.unwatch('public.{src}', forget_records => true)")
        cur.execute(f"DROP TABLE public.{src}")
    setup.close()
    print(f"# {goldens} golden records and {reviews} open review items for {originals} people"
          f" from {ROWS} rows{label}")


run(deferred=())
run(deferred=("c_salesforce", "c_events"))
print(f"1..{len(tests)}")
for i, (ok, name) in enumerate(tests, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")

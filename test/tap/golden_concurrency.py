#!/usr/bin/python3
"""Four sessions write 10,000 rows (30% duplicates of the same people, spread over three
sources, formatted differently) at the same time. Afterwards: no two golden records share
an email or an external id, two share a phone only where names disagree or a human said
so, every row has exactly one link (a row in review waits in a golden record of its own), and
the audit log matches."""
import random
import threading

import psycopg2

ROWS, SESSIONS, DUP_SHARE = 10000, 4, 0.30
tests = []


def check(ok, name, detail=""):
    tests.append((bool(ok), name + (f" ({detail})" if detail and not ok else "")))


setup = psycopg2.connect("dbname=dedupe_tap")
setup.autocommit = True
cur = setup.cursor()
for src in ("c_hubspot", "c_salesforce", "c_events"):
    cur.execute(f"DROP TABLE IF EXISTS public.{src}")
    cur.execute(f"CREATE TABLE public.{src} (id int PRIMARY KEY, email text, phone text,"
                " first_name text, last_name text)")
    cur.execute(f"SELECT dedupe.watch('public.{src}', '{src}', id_column => 'id', email => 'email',"
                " phone => 'phone', first_name => 'first_name', last_name => 'last_name')")

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
    work[i % SESSIONS].append((i, ("c_hubspot", "c_salesforce", "c_events")[i % 3], email, phone, first, last))

errors = []


def writer(batch):
    conn = psycopg2.connect("dbname=dedupe_tap")
    conn.autocommit = True
    c = conn.cursor()
    try:
        for start in range(0, len(batch), 5):
            chunk = batch[start:start + 5]
            for table in ("c_hubspot", "c_salesforce", "c_events"):
                part = [r for r in chunk if r[1] == table]
                if part:
                    args = ",".join(c.mogrify("(%s,%s,%s,%s,%s)", (r[0], r[2], r[3], r[4], r[5])).decode() for r in part)
                    c.execute(f"INSERT INTO public.{table} VALUES {args}")
    except psycopg2.Error as e:
        errors.append(f"{e.pgcode}: {e}")
    conn.close()


threads = [threading.Thread(target=writer, args=(w,)) for w in work]
for t in threads:
    t.start()
for t in threads:
    t.join()
check(not errors, "four concurrent writers finish without errors", "; ".join(errors[:3]))

cur.execute("SELECT count(*) FROM dedupe.records WHERE source LIKE 'c\\_%'")
check(cur.fetchone()[0] == ROWS, "every row is staged")
for component in ("email", "external_id"):
    cur.execute(f"""SELECT count(*) FROM (SELECT r.{component} FROM dedupe.records r
                    JOIN dedupe.record_links l USING (record_id) WHERE r.{component} IS NOT NULL
                    GROUP BY 1 HAVING count(DISTINCT l.golden_id) > 1) s""")
    n = cur.fetchone()[0]
    check(n == 0, f"no two golden records share an {component}", f"{n} shared")
cur.execute("""SELECT count(*) FROM (SELECT r.phone FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)
               WHERE r.phone IS NOT NULL GROUP BY 1
               HAVING count(DISTINCT l.golden_id) > 1 AND count(DISTINCT (r.first_name, r.last_name)) = 1) s""")
n = cur.fetchone()[0]
check(n == 0, "two golden records share a phone only when the names differ", f"{n} shared with equal names")
cur.execute("""SELECT count(*) FROM dedupe.records r WHERE r.source LIKE 'c\\_%' AND
               (SELECT count(*) FROM dedupe.record_links l WHERE l.record_id = r.record_id) <> 1""")
n = cur.fetchone()[0]
check(n == 0, "every row has exactly one link", f"{n} rows do not")
cur.execute("""SELECT count(*) FROM dedupe.record_links l JOIN dedupe.records r USING (record_id)
               WHERE r.source LIKE 'c\\_%' AND NOT EXISTS (SELECT FROM dedupe.audit_log a
                 WHERE a.record_id = l.record_id AND a.decision = 'linked'
                   AND (a.inputs->>'golden_id')::bigint = l.golden_id)""")
n = cur.fetchone()[0]
check(n == 0, "every link has its audit row", f"{n} links without one")
cur.execute("SELECT count(DISTINCT l.golden_id) FROM dedupe.record_links l JOIN dedupe.records r USING (record_id)"
            " WHERE r.source LIKE 'c\\_%'")
goldens = cur.fetchone()[0]
cur.execute("SELECT count(*) FROM dedupe.review_queue q JOIN dedupe.records r USING (record_id)"
            " WHERE r.source LIKE 'c\\_%' AND q.status = 'open'")
reviews = cur.fetchone()[0]
check(0.9 * originals <= goldens <= originals, "duplicates were linked, not given golden records of their own",
      f"{goldens} golden records for {originals} people")
check(reviews < 0.05 * ROWS, "few rows wait for a human", f"{reviews} open review items")

for src in ("c_hubspot", "c_salesforce", "c_events"):
    cur.execute(f"SELECT dedupe.unwatch('public.{src}')")
    cur.execute(f"DROP TABLE public.{src}")
print(f"# {goldens} golden records and {reviews} open review items for {originals} people from {ROWS} rows")
print(f"1..{len(tests)}")
for i, (ok, name) in enumerate(tests, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")

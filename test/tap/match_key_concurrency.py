#!/usr/bin/python3
"""Two sessions insert keys sharing a phone into a table with EXCLUDE USING gist (k WITH &&):
the second blocks on the first; when the first commits the second fails with 23P01 and
nothing else is lost; when the first rolls back the second goes in."""
import threading
import time

import psycopg2

tests = []


def check(ok, name):
    tests.append((bool(ok), name))


setup = psycopg2.connect("dbname=dedupe_tap")
setup.autocommit = True
cur = setup.cursor()
cur.execute("DROP TABLE IF EXISTS public.race_keys")
cur.execute("CREATE TABLE public.race_keys (id int PRIMARY KEY, k dedupe.match_key,"
            " EXCLUDE USING gist (k WITH OPERATOR(dedupe.&&)))")
cur.execute("INSERT INTO public.race_keys VALUES (100, dedupe.match_key('crm:100', NULL, 'bystander@x.com'))")

INSERT = "INSERT INTO public.race_keys VALUES (%s, dedupe.match_key(%s, %s, NULL))"


def race(first_commits, phone):
    a, b = psycopg2.connect("dbname=dedupe_tap"), psycopg2.connect("dbname=dedupe_tap")
    base = 1 if first_commits else 3
    a.cursor().execute(INSERT, (base, f"hubspot:{base}", phone))
    outcome = {}

    def second():
        try:
            b.cursor().execute(INSERT, (base + 1, f"sf:{base + 1}", phone))
            b.commit()
            outcome["result"] = "inserted"
        except psycopg2.Error as e:
            b.rollback()
            outcome["result"] = e.pgcode

    t = threading.Thread(target=second)
    t.start()
    time.sleep(0.5)
    check("result" not in outcome, f"{phone}: the second session waits for the first")
    (a.commit if first_commits else a.rollback)()
    t.join(10)
    a.close()
    b.close()
    return outcome.get("result")


check(race(True, "+14155550132") == "23P01", "first commits: the second gets 23P01")
cur.execute("SELECT array_agg(id ORDER BY id) FROM public.race_keys")
check(cur.fetchone()[0] == [1, 100], "first commits: its row and the bystander remain")

check(race(False, "+14155550199") == "inserted", "first rolls back: the second goes in")
cur.execute("SELECT array_agg(id ORDER BY id) FROM public.race_keys")
check(cur.fetchone()[0] == [1, 4, 100], "first rolls back: exactly the second row was added")
cur.execute("DROP TABLE public.race_keys")

print(f"1..{len(tests)}")
for i, (ok, name) in enumerate(tests, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")

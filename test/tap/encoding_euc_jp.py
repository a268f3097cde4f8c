#!/usr/bin/python3
"""CREATE EXTENSION in a database whose encoding is not UTF-8 (issue 13 item 12). The install
script holds UTF-8 text; the control file's `encoding = UTF8` makes PostgreSQL read it as
such, so EUC_JP databases install the extension and its functions answer there too."""
import psycopg2

DB = "dedupe_euc_jp"
tests = []


def check(ok, name, detail=""):
    tests.append((bool(ok), name + (f" ({detail})" if detail and not ok else "")))


admin = psycopg2.connect(dbname="postgres")
admin.autocommit = True
acur = admin.cursor()
acur.execute(f"DROP DATABASE IF EXISTS {DB}")
acur.execute(f"CREATE DATABASE {DB} ENCODING 'EUC_JP' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'")

conn = psycopg2.connect(dbname=DB)
conn.autocommit = True
cur = conn.cursor()
cur.execute("SHOW server_encoding")
check(cur.fetchone()[0] == "EUC_JP", "the database is EUC_JP")
error = None
try:
    cur.execute("CREATE EXTENSION pg_dedupe")
except psycopg2.Error as e:
    error = f"{e.pgcode}: {e.pgerror}"
check(error is None, "CREATE EXTENSION pg_dedupe works in an EUC_JP database", error)
if error is None:
    cur.execute("SELECT dedupe.normalize_email('Jane.Doe@Example.COM'), dedupe.levenshtein('John', 'Jon')")
    row = cur.fetchone()
    check(row == ("jane.doe@example.com", 1), "its functions answer there", str(row))
conn.close()
acur.execute(f"DROP DATABASE IF EXISTS {DB}")
admin.close()

print(f"1..{len(tests)}")
for i, (ok, name) in enumerate(tests, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")

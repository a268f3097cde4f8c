#!/usr/bin/python3
"""pg_dump keeps everything pg_dedupe holds. A database with watched tables, golden records
and their links, a review item, a merge, an unmerge, an override, quarantined rows,
idempotency keys, a mail piece, webhook events and changed settings is dumped with the
cluster's own pg_dump in plain format (restored with psql) and custom format (restored with
pg_restore) into fresh databases. Each restore must run without an error and give every
dedupe table the same rows and every dedupe sequence the same position; afterwards a new
duplicate links to its restored golden record and new rows get fresh ids."""
import os
import subprocess
import tempfile

import psycopg2

PGBIN = os.environ.get("DEDUPE_PGBIN", "")
SRC, PLAIN, CUSTOM = "dump_src", "dump_plain", "dump_custom"
tests = []


def check(ok, name, detail=""):
    tests.append((bool(ok), name + (f" ({detail})" if detail and not ok else "")))


def tool(name):
    return os.path.join(PGBIN, name) if PGBIN else name


def connect(db):
    conn = psycopg2.connect(dbname=db)
    conn.autocommit = True
    return conn


admin = connect("postgres")
acur = admin.cursor()
for db in (SRC, PLAIN, CUSTOM):
    acur.execute(f"DROP DATABASE IF EXISTS {db}")
acur.execute(f"CREATE DATABASE {SRC}")

# A realistic state.
src = connect(SRC)
cur = src.cursor()
cur.execute("CREATE EXTENSION pg_dedupe")
# The install script writes no row into a table pg_dump restores (a dump's copy would collide
# with it): built-in defaults live in the dedupe.effective_* views.
cur.execute("SELECT c.oid::regclass::text FROM pg_extension e, unnest(e.extconfig) c(oid)"
            " JOIN pg_class r ON r.oid = c.oid WHERE e.extname = 'pg_dedupe' AND r.relkind = 'r' ORDER BY 1")
seeded = []
for (table,) in cur.fetchall():
    cur.execute(f"SELECT EXISTS (SELECT FROM {table})")
    if cur.fetchone()[0]:
        seeded.append(table)
check(not seeded, "CREATE EXTENSION writes no row into a table pg_dump dumps", ", ".join(seeded))
for statement in [
    # configuration: a changed setting, an SLA, a survivorship rule, a channel, rules
    "INSERT INTO dedupe.settings VALUES ('review_threshold', '0.5')"
    " ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
    "INSERT INTO dedupe.sla_policies (kind, duration) VALUES ('ambiguous', '2 hours')"
    " ON CONFLICT (kind) DO UPDATE SET duration = EXCLUDED.duration",
    "INSERT INTO dedupe.survivorship_rules VALUES ('company', 'most_frequent')"
    " ON CONFLICT (attribute) DO UPDATE SET rule = EXCLUDED.rule",
    "INSERT INTO dedupe.outreach_channels VALUES ('sms', '{phone,country}', 'Text messages')",
    "INSERT INTO dedupe.owner_rules (priority, attribute, op, pattern, owner)"
    " VALUES (10, 'country', '=', 'DE', 'dach')",
    "INSERT INTO dedupe.high_value_rules (priority, attribute, op, pattern) VALUES (1, 'arr', '>=', '100000')",
    "INSERT INTO dedupe.webhook_secrets (source, secret) VALUES ('stripe', 'a secret of 16+ bytes')",
    # watched tables: the system of record, a web form with idempotency keys and quarantine
    "CREATE TABLE public.crm (id int PRIMARY KEY, email text, phone text, first_name text,"
    " last_name text, company text, country text, arr numeric, street text, postcode text, city text)",
    "CREATE TABLE public.form (id int PRIMARY KEY, email text, phone text, first_name text,"
    " last_name text, company text, request_id text)",
    "SELECT dedupe.watch('public.crm', 'crm', id_column => 'id', email => 'email', phone => 'phone',"
    " first_name => 'first_name', last_name => 'last_name', company => 'company', country => 'country',"
    " attributes => ARRAY['arr', 'street', 'postcode', 'city'])",
    "SELECT dedupe.watch('public.form', 'form', id_column => 'id', email => 'email', phone => 'phone',"
    " first_name => 'first_name', last_name => 'last_name', company => 'company',"
    " idempotency_key => 'request_id', on_invalid => 'quarantine')",
    "INSERT INTO dedupe.source_priority VALUES ('crm', 1, true), ('form', 2, false)",
    "INSERT INTO public.crm VALUES"
    " (1, 'anna@firma.de', '+49 30 1234567', 'Anna', 'Schulz', 'Firma', 'DE', 50000, 'Hauptstr. 1', '10115', 'Berlin'),"
    " (2, 'katherine@acme.com', NULL, 'Katherine', 'Johnson', 'Acme', 'US', NULL, NULL, NULL, NULL),"
    " (3, 'bob@example.com', NULL, 'Bob', 'Miller', 'Example', 'US', NULL, NULL, NULL, NULL),"
    " (4, 'robert.miller@example.org', NULL, 'Robert', 'Miller', 'Example', 'US', NULL, NULL, NULL, NULL),"
    " (5, 'li@small.com', NULL, 'Li', 'Wei', 'Small', 'US', 500, NULL, NULL, NULL),"
    " (6, 'mei.chen@small.com', NULL, 'Mei', 'Chen', 'Small', 'US', 250000, NULL, NULL, NULL)",
    # duplicates by email (formatted differently), a similar name without a shared key
    "INSERT INTO public.form VALUES (1, ' ANNA@FIRMA.DE ', NULL, 'Anna', 'Schulz', NULL, 'req-1'),"
    " (2, 'kathy.j@other.com', NULL, 'Katharine', 'Johnson', 'Acme', 'req-2'),"
    " (3, 'li@small.com', NULL, 'Li', 'Wei', NULL, 'req-3')",
    # a replayed request id and a row without identity (quarantined)
    "INSERT INTO public.form VALUES (4, ' ANNA@FIRMA.DE ', NULL, 'Anna', 'Schulz', NULL, 'req-1')",
    "INSERT INTO public.form VALUES (5, NULL, NULL, 'No', 'Identity', NULL, 'req-5')",
]:
    cur.execute(statement)


def golden_of(c, source, pk):
    c.execute("SELECT l.golden_id FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)"
              " WHERE r.source = %s AND r.source_pk = %s", (source, str(pk)))
    row = c.fetchone()
    return row[0] if row else None


def record_of(c, source, pk):
    c.execute("SELECT record_id FROM dedupe.records WHERE source = %s AND source_pk = %s", (source, str(pk)))
    row = c.fetchone()
    return row[0] if row else None


# Robert Miller waits for review (Bob Miller's name without a shared key); a merge of Li Wei
# and Mei Chen (a shared mailbox, as a human decided), an unmerge of Li's web-form record, an override, a
# confirmed golden record with a tracking code, webhook deliveries
cur.execute("SELECT dedupe.merge(%s, %s, 'same person')", (golden_of(cur, "crm", 5), golden_of(cur, "crm", 6)))
cur.execute("SELECT dedupe.unmerge(%s, 'not the same person')", (record_of(cur, "form", 3),))
anna = golden_of(cur, "crm", 1)
cur.execute("SELECT dedupe.override_value(%s, 'first_name', 'Annabelle', 'she asked')", (anna,))
cur.execute("SELECT dedupe.confirm(%s)", (anna,))
cur.execute("SELECT dedupe.tracking_code(%s, 'spring-2027')", (anna,))
cur.execute("SELECT dedupe.ingest_webhook('stripe', 'evt_1', 'payload', 'bad signature', now())")

cur.execute("SELECT (SELECT count(*) FROM dedupe.review_queue WHERE status = 'open'),"
            " (SELECT count(*) FROM dedupe.golden_merges), (SELECT count(*) FROM dedupe.golden_overrides),"
            " (SELECT count(*) FROM dedupe.distinct_pairs), (SELECT count(*) FROM dedupe.quarantine),"
            " (SELECT count(*) FROM dedupe.idempotency_keys), (SELECT count(*) FROM dedupe.mail_pieces),"
            " (SELECT count(*) FROM dedupe.webhook_events), (SELECT count(*) FROM dedupe.audit_log)")
state = cur.fetchone()
check(all(n > 0 for n in state), "the source database holds review items, merges, overrides, distinct "
      "pairs, quarantine, idempotency keys, mail pieces, webhook events and audit rows", str(state))
check(golden_of(cur, "form", 1) == anna, "the source database links a duplicate to its golden record")


def dedupe_relations(c, kinds):
    c.execute("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
              " WHERE n.nspname = 'dedupe' AND c.relkind = ANY(%s) ORDER BY 1", (list(kinds),))
    return [r[0] for r in c.fetchall()]


def snapshot(db):
    """Every row of every dedupe table and of the watched tables, and every dedupe sequence's position."""
    c = connect(db)
    k = c.cursor()
    k.execute("SET search_path = pg_catalog")  # rows print the same whatever the restore's path
    out = {}
    for t in dedupe_relations(k, "rp"):
        k.execute(f"SELECT t::text FROM dedupe.{t} t ORDER BY 1")
        out[f"dedupe.{t}"] = [r[0] for r in k.fetchall()]
    for t in ("crm", "form"):
        k.execute(f"SELECT t::text FROM public.{t} t ORDER BY 1")
        out[f"public.{t}"] = [r[0] for r in k.fetchall()]
    # identity columns' sequences are not relations of the extension; list them through their column
    k.execute("SELECT s.oid::regclass::text FROM pg_class s JOIN pg_depend d ON d.objid = s.oid"
              " AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass"
              " JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace n ON n.oid = t.relnamespace"
              " WHERE s.relkind = 'S' AND n.nspname = 'dedupe' ORDER BY 1")
    for s in [r[0] for r in k.fetchall()]:
        k.execute(f"SELECT last_value, is_called FROM {s}")
        out[f"sequence {s}"] = [str(k.fetchone())]
    c.close()
    return out


before = snapshot(SRC)
src.close()

tmp = tempfile.mkdtemp(prefix="dedupe_dump_")
plain_file, custom_file = os.path.join(tmp, "dump.sql"), os.path.join(tmp, "dump.custom")


def run(args):
    p = subprocess.run(args, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


rc, out = run([tool("pg_dump"), "-d", SRC, "-f", plain_file])
check(rc == 0, "pg_dump in plain format", out[-500:])
rc, out = run([tool("pg_dump"), "-Fc", "-d", SRC, "-f", custom_file])
check(rc == 0, "pg_dump in custom format", out[-500:])

restores = [
    (PLAIN, "plain format restored with psql",
     [tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", PLAIN, "-f", plain_file]),
    (CUSTOM, "custom format restored with pg_restore",
     [tool("pg_restore"), "--exit-on-error", "-d", CUSTOM, custom_file]),
]
for db, label, command in restores:
    acur.execute(f"CREATE DATABASE {db}")
    rc, out = run(command)
    check(rc == 0 and "ERROR" not in out, f"{label}: no error", out.strip()[:800])
    after = snapshot(db)
    for name in sorted(set(before) | set(after)):
        b, a = before.get(name), after.get(name)
        detail = f"{len(b or [])} rows before, {len(a or [])} after"
        if b is not None and a is not None and len(b) == len(a):
            first = next((i for i in range(len(b)) if b[i] != a[i]), None)
            if first is not None:
                detail = f"before {b[first][:200]} after {a[first][:200]}"
        check(b == a, f"{label}: {name} is the same", detail)

    # The extension keeps working: a new duplicate of Anna joins her restored golden record,
    # a new person gets a new golden record, and every new row gets a fresh id.
    c = connect(db)
    k = c.cursor()
    k.execute("SELECT (SELECT max(record_id) FROM dedupe.records), (SELECT max(golden_id) FROM dedupe.golden_records),"
              " (SELECT max(id) FROM dedupe.audit_log)")
    max_record, max_golden, max_audit = k.fetchone()
    try:
        k.execute("INSERT INTO public.crm (id, email, first_name, last_name) VALUES"
                  " (100, 'Anna@Firma.de', 'Anna', 'Schulz'), (101, 'new.person@example.net', 'Nora', 'Quist')")
        k.execute("INSERT INTO public.form (id, email, first_name, last_name, request_id) VALUES"
                  " (100, 'new.person@example.net', 'Nora', 'Quist', 'req-100')")
        error = ""
    except psycopg2.Error as e:
        error = f"{e.pgcode}: {e}"
    check(not error, f"{label}: inserts into the watched tables after the restore succeed", error)
    new_anna, nora = golden_of(k, "crm", 100), golden_of(k, "crm", 101)
    check(new_anna == anna, f"{label}: a new duplicate links to the restored golden record",
          f"{new_anna} != {anna}")
    check(nora is not None and max_golden is not None and nora > max_golden,
          f"{label}: a new person gets a fresh golden id", f"{nora} vs restored max {max_golden}")
    check(nora is not None and golden_of(k, "form", 100) == nora, f"{label}: a duplicate of the new person joins it")
    new_record = record_of(k, "crm", 100)
    check(new_record is not None and max_record is not None and new_record > max_record,
          f"{label}: a new record gets a fresh record id", f"{new_record} vs restored max {max_record}")
    k.execute("SELECT max(id) FROM dedupe.audit_log")
    new_audit = k.fetchone()[0]
    check(new_audit is not None and max_audit is not None and new_audit > max_audit,
          f"{label}: new decisions are audited with fresh ids", f"{new_audit} vs {max_audit}")
    k.execute("SELECT value FROM dedupe.settings WHERE name = 'review_threshold'")
    row = k.fetchone()
    check(row and row[0] == "0.5", f"{label}: the changed setting survives", str(row))
    c.close()

for db in (SRC, PLAIN, CUSTOM):
    acur.execute(f"DROP DATABASE IF EXISTS {db}")
admin.close()
for f in (plain_file, custom_file):
    if os.path.exists(f):
        os.remove(f)
os.rmdir(tmp)

print(f"1..{len(tests)}")
for i, (ok, name) in enumerate(tests, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")

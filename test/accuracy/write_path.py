#!/usr/bin/python3
"""Accuracy of matching on write (golden records) next to batch and a naive baseline.

Writes the generated CRM feed (crm_feed.py) into four watched tables, one per source, and
scores three ways of grouping the same stored rows against the ground truth:

  write path   dedupe.record_links (a record without a link is alone)
  id ceiling   not a matcher: the labels join a person's rows that share an identifier (email,
               phone, external id, date of birth); its recall is what identifiers can reach
  batch        dedupe.cluster over one table holding the same rows, every role mapped
  baseline     same normalized email OR same normalized phone, transitively

Pairwise precision / recall / F1; open review items per 100 stored rows and the share of
them whose proposal is right (the record's person is in the proposed golden record; for a
conflict or merge request, in every golden record named); hard-negative person pairs
(namesakes, colleagues on one switchboard, family members on one mailbox or home phone)
with rows in one group. The ground truth lives in this process only: no table the matcher
reads has it.

Modes (MODES, comma separated; default insert,copy,second,febrl):
  insert   one INSERT per row, rows of all four sources in one random order, autocommit
  copy     the same rows in the same order by COPY, in chunks of COPY_CHUNK rows (default 250)
  second   after the INSERT feed: an oracle reviewer approves the right and rejects the
           wrong open review items (dedupe.approve / dedupe.reject), then a second feed of
           new rows for the same people is written one INSERT at a time; figures for the
           pairs that involve a second-feed row and for the items opened by that feed, next
           to the same second feed written into a copy whose queue nobody worked
  febrl    FEBRL 1-4 through watched tables (4a and 4b as two sources), one INSERT per row,
           next to dedupe.cluster on the same rows (FEBRL_WRITE=copy writes by COPY)
  estimated  after the INSERT feed (cold-start model): the model estimated without labels from
           its records (dedupe.estimate_write_path_model()); then (a) the second feed written
           with that model next to a copy that keeps the cold-start model, (b) the first feed
           written again into a fresh database that holds the estimated model from the start,
           (c) the first feed written into a fresh database with model_estimation = automatic,
           the check (dedupe._estimate_model_when_due(), as the matcher worker runs it) made
           after every row, so the model is estimated at 1,000 records and each doubling.
           With febrl, on each FEBRL set: its rows written again with the model estimated
           from them. MODES=estimated alone means insert,estimated; MODES=febrl,estimated
           runs FEBRL only.

Every database starts with dedupe.settings model_estimation = manual (so the matcher worker
estimates no model behind the figures' back) unless SETTINGS names it.

PEOPLE (default 2000; e.g. "2000 20000"), SEED (default 1). Each mode runs in a database of
its own on the server named by PGHOST / PGPORT (scripts/with-cluster gives a throwaway one).
"""
import io
import json
import os
import random
import sys
import time

import psycopg2
import psycopg2.extensions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crm_feed  # noqa: E402

# ------------------------------------------------------------------ the four sources
DDL = {
    "web_leads": """lead_id bigint PRIMARY KEY, submission_ref text, email_address text,
        phone_number text, country_code text, given_name text, family_name text,
        company_name text, city text, postal_code text, request_id text""",
    "ad_leads": """id bigint PRIMARY KEY, platform_lead_id text, email text, phone text,
        country text, fname text, lname text, city text, event_id text""",
    "event_attendees": """attendee_pk bigint PRIMARY KEY, badge_id text, work_email text,
        mobile text, country_iso text, first text, last text, organization text,
        job_title text, city text, scan_id text""",
    "partner_contacts": """row_no bigint PRIMARY KEY, partner_contact_id text,
        contact_email text, tel text, iso_country text, firstname text, surname text,
        employer text, dob date, street text, zip text, town text, import_line_id text""",
}
# role -> column per source (the roles dedupe.watch knows today go to named arguments; the
# others become roles when dedupe.watch grows those arguments, attributes until then)
MAPPING = {
    "web_leads": dict(id_column="lead_id", external_id="submission_ref", email="email_address",
                      phone="phone_number", country="country_code", first_name="given_name",
                      last_name="family_name", company="company_name", city="city",
                      postcode="postal_code", idempotency_key="request_id"),
    "ad_leads": dict(id_column="id", external_id="platform_lead_id", email="email", phone="phone",
                     country="country", first_name="fname", last_name="lname", city="city",
                     idempotency_key="event_id"),
    "event_attendees": dict(id_column="attendee_pk", external_id="badge_id", email="work_email",
                            phone="mobile", country="country_iso", first_name="first",
                            last_name="last", company="organization", city="city",
                            idempotency_key="scan_id", _extra=["job_title"]),
    "partner_contacts": dict(id_column="row_no", external_id="partner_contact_id",
                             email="contact_email", phone="tel", country="iso_country",
                             first_name="firstname", last_name="surname", company="employer",
                             date_of_birth="dob", street="street", postcode="zip", city="town",
                             idempotency_key="import_line_id"),
}
BATCH_ROLES = ["external_id", "email", "phone", "country", "first_name", "last_name", "company",
               "date_of_birth", "street", "city", "postcode"]

FEBRL_COLS = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb",
              "postcode", "state", "date_of_birth", "soc_sec_id"]
FEBRL_MAP = dict(first_name="given_name", last_name="surname", house_number="street_number",
                 street="address_1", locality="address_2", city="suburb", postcode="postcode",
                 state="state", date_of_birth="date_of_birth")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def connect(dbname=None):
    conn = psycopg2.connect(dbname=dbname or os.environ.get("PGDATABASE", "postgres"))
    conn.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    return conn


def fresh_database(name):
    admin = connect()
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    conn = connect(name)
    with conn.cursor() as cur:
        cur.execute("SET client_min_messages = warning")
        cur.execute("CREATE EXTENSION pg_dedupe")
        # The model in force is the one a run chose, not one the matcher worker estimated
        # while the feed was written.
        cur.execute("INSERT INTO dedupe.settings VALUES ('model_estimation', 'manual')")
        # SETTINGS="review_threshold=0.6,auto_link_threshold=0.95": try other thresholds
        for item in filter(None, os.environ.get("SETTINGS", "").split(",")):
            key, value = item.split("=", 1)
            cur.execute("INSERT INTO dedupe.settings VALUES (%s, %s) ON CONFLICT (name) DO UPDATE"
                        " SET value = excluded.value", (key.strip(), value.strip()))
    return conn


def copy_database(source, name):
    """CREATE DATABASE name TEMPLATE source (retried while a matcher worker is leaving source)."""
    admin = connect()
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        for attempt in range(30):
            try:
                cur.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
                break
            except psycopg2.errors.ObjectInUse:
                if attempt == 29:
                    raise
                time.sleep(1)
    admin.close()
    return name


def watch_arguments(conn):
    """The roles dedupe.watch accepts: its named arguments, and the further matching roles its
    roles argument takes (prefixed 'roles.')."""
    with conn.cursor() as cur:
        cur.execute("""SELECT array_agg(DISTINCT n) FROM pg_proc p, unnest(p.proargnames) n
                       WHERE p.oid = 'dedupe.watch'::regproc""")
        known = set(cur.fetchone()[0])
        if "roles" in known:
            cur.execute("SELECT dedupe._more_role_names()")
            known |= {"roles." + r for r in cur.fetchone()[0]}
        return known


def watch(conn, table, source, mapping, known):
    """dedupe.watch with every role the function accepts; the other columns as attributes."""
    args, attrs, roles = [], list(mapping.get("_extra", [])), {}
    for role, col in mapping.items():
        if role == "_extra":
            continue
        if role in known and role != "roles":
            args.append(f"{role} => {quote_literal(col)}")
        elif "roles." + role in known:
            roles[role] = col
        else:
            attrs.append(col)
    if roles:
        args.append(f"roles => {quote_literal(json.dumps(roles))}::jsonb")
    if attrs:
        args.append("attributes => ARRAY[%s]::name[]" % ", ".join(quote_literal(a) for a in attrs))
    args.append("on_invalid => 'flag'")
    with conn.cursor() as cur:
        cur.execute(f"SELECT dedupe.watch({quote_literal(table)}::regclass, {quote_literal(source)}, "
                    + ", ".join(args) + ")")
    return [r for r in mapping if (r in known or "roles." + r in known) and r != "_extra"], attrs


def quote_literal(s):
    return "'" + str(s).replace("'", "''") + "'"


# ------------------------------------------------------------------ writing rows
def write_rows(conn, items, columns, mode, chunk=250, after_row=None):
    """items: list of (table, row dict) in write order; after_row(cur) runs after each INSERT."""
    t0 = time.time()
    with conn.cursor() as cur:
        if mode == "insert":
            sql = {t: "INSERT INTO %s (%s) VALUES (%s)" % (t, ", ".join(c), ", ".join(["%s"] * len(c)))
                   for t, c in columns.items()}
            for i, (table, row) in enumerate(items):
                cur.execute(sql[table], [row.get(c) for c in columns[table]])
                if after_row:
                    after_row(cur)
                if i and i % 2000 == 0:
                    log(f"    {i:,} rows written ({i / (time.time() - t0):,.0f} rows/s)")
        else:
            for start in range(0, len(items), chunk):
                part = {}
                for table, row in items[start:start + chunk]:
                    part.setdefault(table, []).append(row)
                for table, rows in part.items():
                    buf = io.StringIO()
                    for row in rows:
                        buf.write("\t".join(copy_text(row.get(c)) for c in columns[table]) + "\n")
                    buf.seek(0)
                    cur.copy_expert("COPY %s (%s) FROM STDIN" % (table, ", ".join(columns[table])), buf)
    return time.time() - t0


def copy_text(v):
    if v is None:
        return "\\N"
    return str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


# ------------------------------------------------------------------ scoring
def pair_counts(groups, truth, only=None):
    """groups: row -> group id; truth: row -> person. Pairs counted among rows in truth;
    with `only` (a set of rows), only pairs with at least one row in it."""
    by_group, by_gp, by_person = {}, {}, {}
    for row, person in truth.items():
        g = groups.get(row, ("alone", row))
        new = 1 if (only is None or row in only) else 0
        for d, k in ((by_group, g), (by_gp, (g, person)), (by_person, person)):
            n, m = d.get(k, (0, 0))
            d[k] = (n + 1, m + new)

    def pairs(d):
        if only is None:
            return sum(n * (n - 1) // 2 for n, _ in d.values())
        return sum(n * (n - 1) // 2 - (n - m) * (n - m - 1) // 2 for n, m in d.values())
    return pairs(by_person), pairs(by_group), pairs(by_gp)


def prf(true_pairs, predicted, correct):
    p = correct / predicted if predicted else 1.0
    r = correct / true_pairs if true_pairs else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def hard_negatives_joined(groups, truth, hard):
    persons_in = {}
    for row, person in truth.items():
        g = groups.get(row, ("alone", row))
        persons_in.setdefault(person, set()).add(g)
    bad = {}
    for (a, b), kind in hard.items():
        if a in persons_in and b in persons_in and persons_in[a] & persons_in[b]:
            bad[kind] = bad.get(kind, 0) + 1
    return bad


def union_find_groups(keys_by_row):
    parent = {}

    def find(x):
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x
    first = {}
    for row, keys in keys_by_row.items():
        parent.setdefault(row, row)
        for k in keys:
            if k is None:
                continue
            if k in first:
                a, b = find(row), find(first[k])
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                first[k] = row
    return {row: find(row) for row in keys_by_row}


# ------------------------------------------------------------------ reading the database
def write_path_groups(conn, row_of):
    """row_of: (source, source_pk text) -> row key. Returns row -> golden id, and record_id -> row."""
    groups, record_row, invalid = {}, {}, 0
    with conn.cursor() as cur:
        cur.execute("""SELECT r.record_id, r.source, r.source_pk, l.golden_id, r.valid
                       FROM dedupe.records r LEFT JOIN dedupe.record_links l USING (record_id)""")
        for record_id, source, pk, golden, valid in cur:
            row = row_of.get((source, pk))
            if row is None:
                continue
            record_row[record_id] = row
            if golden is not None:
                groups[row] = ("g", golden)
            if not valid:
                invalid += 1
    return groups, record_row, invalid


def golden_members(cur, goldens):
    cur.execute("SELECT golden_id, record_id FROM dedupe.record_links WHERE golden_id = ANY(%s)",
                (list(goldens),))
    out = {}
    for g, r in cur.fetchall():
        out.setdefault(g, []).append(r)
    return out


def item_is_right(item, members, record_row, truth):
    """The proposal is right when the record's person is in every golden record it names
    (for an item about golden records only: they share a person)."""
    kind, record_id, golden, conflicting = item
    named = [g for g in ([golden] if golden is not None else []) + list(conflicting or []) if g is not None]
    named = list(dict.fromkeys(named))
    persons = [{truth.get(record_row.get(r)) for r in members.get(g, [])} - {None} for g in named]
    if record_id is not None:
        me = truth.get(record_row.get(record_id))
        if kind in ("conflict", "merge_request") and len(persons) > 1:
            return all(me in p for p in persons)
        return bool(persons) and any(me in p for p in persons)
    if len(persons) < 2:
        return False
    common = set.intersection(*persons)
    return bool(common)


def review_figures(conn, record_row, truth, after_item=0):
    with conn.cursor() as cur:
        cur.execute("""SELECT kind, record_id, golden_id, conflicting FROM dedupe.review_queue
                       WHERE status = 'open' AND item_id > %s""", (after_item,))
        items = cur.fetchall()
        goldens = {g for it in items for g in ([it[2]] + list(it[3] or [])) if g is not None}
        members = golden_members(cur, goldens) if goldens else {}
    right = sum(1 for it in items if item_is_right(it, members, record_row, truth))
    return len(items), right


CALIBRATION = []
CALIBRATION_EDGES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def calibration(conn, label, record_row, truth):
    """Whether the write path's match probabilities mean what they say: every record the model
    decided on its score (linked, sent to review, or given a golden record of its own below the
    review threshold), by its best candidate's probability, next to the share of them whose person
    already had a record when it came (by the labels; at most the share whose right golden record
    was there to find). Records decided by a rule (same email, ...) or with no candidate are left
    out. Kept for the report's end."""
    with conn.cursor() as cur:
        cur.execute("""SELECT record_id, decision, rule, score FROM dedupe.audit_log
                       WHERE decision IN ('linked', 'review_opened') AND record_id IS NOT NULL
                       ORDER BY id""")
        decisions = cur.fetchall()
    seen, decided = set(), set()
    bins = [[0, 0, 0.0] for _ in range(len(CALIBRATION_EDGES) + 1)]  # decided, person there, sum p
    for record_id, decision, rule, score in decisions:
        rule = rule or ""
        if record_id in decided:
            continue
        decided.add(record_id)
        person = truth.get(record_row.get(record_id))
        if person is None:
            continue
        there = person in seen
        seen.add(person)
        if score is None or not ("match_probability" in rule or "in_review" in rule):
            continue
        b = sum(1 for e in CALIBRATION_EDGES if score >= e)
        bins[b][0] += 1
        bins[b][1] += there
        bins[b][2] += score
    CALIBRATION.append((label, len(truth), bins))


def print_calibration():
    print("\nwrite path's match probabilities against the labels: records decided on the model's score,")
    print("by the best candidate's probability; 'there' = share whose person already had a record")
    lows = (0,) + CALIBRATION_EDGES
    for label, rows, bins in CALIBRATION:
        print(f"{label} ({rows:,} rows)")
        print("  probability     records  per 100 rows  mean p  there")
        for lo, (n, there, total) in zip(lows, bins):
            if n:
                print(f"  [{lo:.1f}, {lo + 0.1:.1f})  {n:10,}  {100 * n / rows:12.1f}  {total / n:6.3f}  {there / n:5.3f}")


def oracle_review(conn, record_row, truth):
    """Works the open queue with the ground truth: approve what is right, reject the rest."""
    approved = rejected = failed = 0
    with conn.cursor() as cur:
        cur.execute("SELECT item_id FROM dedupe.review_queue WHERE status = 'open' ORDER BY item_id")
        for (item_id,) in cur.fetchall():
            cur.execute("""SELECT kind, record_id, golden_id, conflicting FROM dedupe.review_queue
                           WHERE item_id = %s AND status = 'open'""", (item_id,))
            item = cur.fetchone()
            if item is None:
                continue
            goldens = {g for g in [item[2]] + list(item[3] or []) if g is not None}
            members = golden_members(cur, goldens) if goldens else {}
            ok = item_is_right(item, members, record_row, truth)
            try:
                cur.execute("SELECT dedupe.approve(%s)" if ok else "SELECT dedupe.reject(%s)", (item_id,))
                if ok:
                    approved += 1
                else:
                    rejected += 1
            except psycopg2.Error as e:
                failed += 1
                if failed <= 3:
                    log(f"    review item {item_id}: {e.pgerror.strip() if e.pgerror else e}")
    return approved, rejected, failed


def build_batch_table(conn, sources, mapping):
    """One table with every stored row of the four sources under role names."""
    parts = []
    for table in sources:
        m = mapping[table]
        cols = []
        for role in BATCH_ROLES:
            col = m.get(role)
            if role == "external_id" and col:
                expr = f"'{table}:' || {col}"
            elif role == "date_of_birth" and col:
                expr = f"{col}::text"
            else:
                expr = col or "NULL::text"
            cols.append(f"{expr} AS {role}")
        parts.append(f"SELECT {m['id_column']}::bigint AS row_id, {', '.join(cols)} FROM {table}")
    with conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS batch_rows")
        cur.execute("CREATE TABLE batch_rows AS " + " UNION ALL ".join(parts))
        cur.execute("ALTER TABLE batch_rows ADD PRIMARY KEY (row_id)")
        cur.execute("ANALYZE batch_rows")


def batch_groups(conn, table, id_col, mapping):
    import json
    with conn.cursor() as cur:
        cur.execute("SELECT id, cluster_id FROM dedupe.cluster(%s, %s, %s::jsonb)",
                    (table, id_col, json.dumps(mapping)))
        return {row: ("c", c) for row, c in cur.fetchall()}


def baseline_groups(conn):
    with conn.cursor() as cur:
        cur.execute("""SELECT row_id,
              CASE WHEN dedupe.is_valid_email(email) THEN dedupe.normalize_email(email) END,
              CASE WHEN dedupe.is_valid_phone(phone, coalesce(nullif(country, ''), 'US'))
                   THEN dedupe.normalize_phone(phone, coalesce(nullif(country, ''), 'US')) END
            FROM batch_rows""")
        keys = {row: [e and "e:" + e, p and "p:" + p] for row, e, p in cur.fetchall()}
    return {row: ("b", g) for row, g in union_find_groups(keys).items()}


def identifier_ceiling_groups(conn, row_of, truth):
    """What identifiers alone can reach: rows of one person (by the labels) joined when they
    share a normalized email, phone, external id or date of birth, transitively. Precision 1 by
    construction; its recall bounds any matcher that needs an identifier to link at P near 1
    (the rest of the true pairs share names, and maybe an employer or a city, and nothing else)."""
    keys = {}
    with conn.cursor() as cur:
        cur.execute("""SELECT source, source_pk, email, phone, external_id,
                              roles->>'date_of_birth' FROM dedupe.records WHERE valid""")
        for source, pk, *values in cur.fetchall():
            row = row_of.get((source, pk))
            if row is None or row not in truth:
                continue
            keys[row] = [v and f"{truth[row]}:{i}:{v}" for i, v in enumerate(values)]
    return {row: ("i", g) for row, g in union_find_groups(keys).items()}


# ------------------------------------------------------------------ the report
RESULTS = []
HARD = []
HEADER = ("data set", "method", "rows", "true prs", "P", "R", "F1", "rev/100", "rev true",
          "hard neg", "secs")


def record(dataset, method, rows, tp, pred, corr, review=None, hard=None, hard_total=None, secs=None):
    p, r, f = prf(tp, pred, corr)
    rev = rev_true = "-"
    if review is not None:
        n, right = review
        rev = f"{100.0 * n / rows:.1f}" if rows else "-"
        rev_true = f"{100.0 * right / n:.1f}%" if n else "-"
    hn = "-" if hard is None else f"{sum(hard.values())}/{hard_total}"
    line = (dataset, method, f"{rows:,}", f"{tp:,}", f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", rev,
            rev_true, hn, "-" if secs is None else f"{secs:.0f}")
    RESULTS.append(line)
    if hard:
        HARD.append((dataset, method, hard))
    print_table([line], header=False)
    return line


def print_table(lines, header=True):
    widths = [30, 11, 7, 9, 6, 6, 6, 8, 9, 10, 5]
    fmt = lambda cells: "  ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w)
                                  for i, (c, w) in enumerate(zip(cells, widths)))
    if header:
        print(fmt(HEADER))
        print("  ".join("-" * w for w in widths))
    for line in lines:
        print(fmt(line), flush=True)


# ------------------------------------------------------------------ the CRM feed runs
def feed_items(feed, rng):
    items = [(t, row) for t in crm_feed.SOURCES for row in feed.rows[t]]
    rng.shuffle(items)
    # a replay comes after the event it repeats (same idempotency key, later row id)
    return items


def present_rows(conn, tables, mapping):
    out = {}
    with conn.cursor() as cur:
        for t in tables:
            cur.execute(f"SELECT {mapping[t]['id_column']} FROM {t}")
            out[t] = {r for (r,) in cur.fetchall()}
    return out


def evaluate_feed(conn, label, feed_truth, hard, columns, secs, only_feed=None, after_item=0,
                  methods=("write path", "batch", "baseline")):
    stored = present_rows(conn, columns, MAPPING)
    truth = {pk: person for (t, pk, person, f) in feed_truth if pk in stored[t]}
    only = None
    if only_feed is not None:
        only = {pk for (t, pk, person, f) in feed_truth if f == only_feed and pk in stored[t]}
    rows = len(only) if only is not None else len(truth)
    row_of = {(t, str(pk)): pk for t in stored for pk in stored[t]}
    hard_total = len([1 for (a, b) in hard])
    out = {}
    if "write path" in methods:
        groups, record_row, invalid = write_path_groups(conn, row_of)
        tp, pred, corr = pair_counts(groups, truth, only)
        review = review_figures(conn, record_row, truth, after_item)
        out["write path"] = record(label, "write path", rows, tp, pred, corr, review,
                                   hard_negatives_joined(groups, truth, hard), hard_total, secs)
        if invalid:
            log(f"    ({invalid} records flagged invalid by the write path)")
        if only_feed is None and "batch" in methods:
            calibration(conn, label, record_row, truth)
        tp, pred, corr = pair_counts(identifier_ceiling_groups(conn, row_of, truth), truth, only)
        out["id ceiling"] = record(label, "id ceiling", rows, tp, pred, corr)
    if "batch" in methods:
        build_batch_table(conn, list(columns), MAPPING)
        t0 = time.time()
        groups = batch_groups(conn, "batch_rows", "row_id", {r: r for r in BATCH_ROLES})
        tp, pred, corr = pair_counts(groups, truth, only)
        out["batch"] = record(label, "batch", rows, tp, pred, corr, None,
                              hard_negatives_joined(groups, truth, hard), hard_total, time.time() - t0)
        groups = baseline_groups(conn)
        tp, pred, corr = pair_counts(groups, truth, only)
        out["baseline"] = record(label, "baseline", rows, tp, pred, corr, None,
                                 hard_negatives_joined(groups, truth, hard), hard_total)
    return out


def estimate_model(conn):
    """dedupe.estimate_write_path_model() on the records written so far; its params."""
    t0 = time.time()
    with conn.cursor() as cur:
        cur.execute("SELECT dedupe.estimate_write_path_model()")
        params = cur.fetchone()[0]
    log(f"   estimated the model from {params['estimate']['records']:,} records in "
        f"{time.time() - t0:.1f} s (lambda {params['lambda']:.3g}; cold-start roles: "
        f"{', '.join(params['training'].get('cold_start_roles', [])) or 'none'})")
    return params


def store_model(conn, params):
    with conn.cursor() as cur:
        cur.execute("INSERT INTO dedupe.models (name, params) VALUES ('write_path', %s)",
                    (json.dumps(params),))


def automatic_check(cur):
    """The matcher worker's check, after every row: estimates when the records reached the
    minimum or doubled (dedupe.settings model_estimation = automatic)."""
    cur.execute("SELECT dedupe._estimate_model_when_due() -> 'estimate' ->> 'records'")
    done = cur.fetchone()[0]
    if done:
        log(f"    automatic estimate from {int(done):,} records")


def setup_crm_tables(conn):
    known = watch_arguments(conn)
    columns = {}
    for table, ddl in DDL.items():
        with conn.cursor() as cur:
            cur.execute(f"CREATE TABLE {table} ({ddl})")
        watch(conn, table, table, MAPPING[table], known)
        columns[table] = crm_feed.SOURCES[table]
    return columns


def estimated_runs(people, seed, label, dbname, feed1, hard, items, pop, columns):
    """The same feeds with an estimated model (MODES=estimated, see the top of this file)."""
    est_db = copy_database(dbname, dbname + "_estimated")
    cold_db = copy_database(dbname, dbname + "_cold")
    conn = connect(est_db)
    params = estimate_model(conn)
    with conn.cursor() as cur:
        cur.execute("SELECT coalesce(max(item_id), 0) FROM dedupe.review_queue")
        mark = cur.fetchone()[0]
    feed2 = crm_feed.Feed(pop, seed, 2)
    hard2 = crm_feed.hard_negative_pairs(pop, [feed1, feed2])
    items2 = feed_items(feed2, random.Random(seed * 31 + 2))
    log(f"   second feed: {len(items2):,} new rows, estimated model and cold start")
    secs = write_rows(conn, items2, columns, "insert")
    evaluate_feed(conn, f"{label} feed 2, estimated", feed1.truth + feed2.truth, hard2, columns,
                  secs, only_feed=2, after_item=mark, methods=("write path",))
    conn.close()
    conn = connect(cold_db)
    secs = write_rows(conn, items2, columns, "insert")
    evaluate_feed(conn, f"{label} feed 2, cold start", feed1.truth + feed2.truth, hard2, columns,
                  secs, only_feed=2, after_item=mark, methods=("write path",))
    conn.close()

    log("   first feed again, the estimated model in force from the first row")
    conn = fresh_database(dbname + "_rerun")
    columns = setup_crm_tables(conn)
    store_model(conn, params)
    secs = write_rows(conn, items, columns, "insert")
    evaluate_feed(conn, f"{label}, estimated model", feed1.truth, hard, columns, secs,
                  methods=("write path",))
    conn.close()

    log("   first feed again, model_estimation = automatic (checked after every row)")
    conn = fresh_database(dbname + "_auto")
    with conn.cursor() as cur:
        cur.execute("UPDATE dedupe.settings SET value = 'automatic' WHERE name = 'model_estimation'")
    columns = setup_crm_tables(conn)
    secs = write_rows(conn, items, columns, "insert", after_row=automatic_check)
    evaluate_feed(conn, f"{label}, automatic", feed1.truth, hard, columns, secs,
                  methods=("write path",))
    conn.close()


def crm_run(people, seed, mode, second, estimated=False):
    label = f"crm {people // 1000}k {mode.upper()}"
    log(f"== {label}: generating {people:,} people (seed {seed})")
    pop = crm_feed.Population(people, seed)
    feed1 = crm_feed.Feed(pop, seed, 1)
    hard = crm_feed.hard_negative_pairs(pop, [feed1])
    conn = fresh_database(f"accuracy_{mode}_{people}")
    known = watch_arguments(conn)
    columns = {}
    for table, ddl in DDL.items():
        with conn.cursor() as cur:
            cur.execute(f"CREATE TABLE {table} ({ddl})")
        roles, attrs = watch(conn, table, table, MAPPING[table], known)
        columns[table] = crm_feed.SOURCES[table]
    # the same order for INSERT and COPY: the two differ only in how the rows are written
    rng = random.Random(seed * 31 + 1)
    items = feed_items(feed1, rng)
    log(f"   writing {len(items):,} rows ({mode}); roles mapped: {', '.join(sorted(roles))}; "
        f"as attributes: {', '.join(attrs) or 'none'}")
    secs = write_rows(conn, items, columns, mode, int(os.environ.get("COPY_CHUNK", "250")))
    log(f"   written in {secs:.0f} s; scoring")
    evaluate_feed(conn, label, feed1.truth, hard, columns, secs)
    if estimated:
        dbname = conn.get_dsn_parameters()["dbname"]
        conn.close()
        estimated_runs(people, seed, label, dbname, feed1, hard, items, pop, columns)
        conn = connect(dbname)
    if second:
        with conn.cursor() as cur:
            cur.execute("SELECT coalesce(max(item_id), 0) FROM dedupe.review_queue")
            mark = cur.fetchone()[0]
        stored = present_rows(conn, columns, MAPPING)
        truth = {pk: person for (t, pk, person, f) in feed1.truth if pk in stored[t]}
        row_of = {(t, str(pk)): pk for t in stored for pk in stored[t]}
        _, record_row, _ = write_path_groups(conn, row_of)
        # The control: a copy of the database whose queue nobody works gets the same second feed,
        # so the reviewer's effect is seen apart from what a second feed does anyway.
        dbname = conn.get_dsn_parameters()["dbname"]
        conn.close()
        control_db = copy_database(dbname, dbname + "_unreviewed")
        conn = connect(dbname)
        t0 = time.time()
        a, r, failed = oracle_review(conn, record_row, truth)
        log(f"   oracle reviewer: {a:,} approved, {r:,} rejected, {failed} refused, {time.time() - t0:.0f} s")
        evaluate_feed(conn, f"{label} reviewed", feed1.truth, hard, columns, None,
                      methods=("write path",))
        feed2 = crm_feed.Feed(pop, seed, 2)
        hard2 = crm_feed.hard_negative_pairs(pop, [feed1, feed2])
        items2 = feed_items(feed2, rng)
        log(f"   second feed: {len(items2):,} new rows for the same people (insert)")
        secs2 = write_rows(conn, items2, columns, "insert")
        evaluate_feed(conn, f"{label} feed 2", feed1.truth + feed2.truth, hard2, columns, secs2,
                      only_feed=2, after_item=mark)
        control = connect(control_db)
        secs2 = write_rows(control, items2, columns, "insert")
        evaluate_feed(control, f"{label} feed 2, unworked", feed1.truth + feed2.truth, hard2,
                      columns, secs2, only_feed=2, after_item=mark, methods=("write path",))
        control.close()
    conn.close()


# ------------------------------------------------------------------ FEBRL
def read_febrl(path):
    import csv
    with open(path, newline="") as f:
        reader = csv.reader(f, skipinitialspace=True)
        header = [h.strip() for h in next(reader)]
        for rec in reader:
            if not rec:
                continue
            rec = dict(zip(header, (v.strip() for v in rec)))
            yield rec


def febrl_run(data, name, files, seed, estimated=False, params=None):
    """params: a model to store before the rows are written (the estimated re-run)."""
    log(f"== {name}: {', '.join(os.path.basename(f) for f in files)}"
        + (", estimated model" if params else ""))
    conn = fresh_database(f"accuracy_{name}" + ("_estimated" if params else ""))
    if params:
        store_model(conn, params)
    known = watch_arguments(conn)
    rng = random.Random(seed * 97 + len(name))
    tables, items, truth = [], [], {}
    all_recs = []
    for k, path in enumerate(files):
        table = f"{name}{'ab'[k]}" if len(files) > 1 else name
        tables.append(table)
        for rec in read_febrl(os.path.join(data, path)):
            all_recs.append((table, rec))
    rng.shuffle(all_recs)   # row ids in random order: nothing about the rec id survives
    cols = ["id", "row_ref"] + FEBRL_COLS
    for i, (table, rec) in enumerate(all_recs, start=1):
        entity = rec["rec_id"].split("-")[1]
        truth[i] = entity
        row = {"id": i, "row_ref": f"r{i}"}
        for c in FEBRL_COLS:
            row[c] = rec.get(c) or None
        items.append((table, row))
    mapping = dict(id_column="id", external_id="row_ref", **FEBRL_MAP)
    for table in tables:
        with conn.cursor() as cur:
            cur.execute(f"CREATE TABLE {table} (id bigint PRIMARY KEY, row_ref text, "
                        + ", ".join(f"{c} text" for c in FEBRL_COLS) + ")")
        roles, attrs = watch(conn, table, table, mapping, known)
    mode = os.environ.get("FEBRL_WRITE", "insert")
    secs = write_rows(conn, items, {t: cols for t in tables}, mode)
    row_of = {(t, str(row["id"])): row["id"] for t, row in items}
    groups, record_row, invalid = write_path_groups(conn, row_of)
    tp, pred, corr = pair_counts(groups, truth)
    review = review_figures(conn, record_row, truth)
    record(f"{name} {mode.upper()}" + (", estimated" if params else ""), "write path", len(truth),
           tp, pred, corr, review, None, None, secs)
    if params:
        conn.close()
        return
    if estimated:
        model = estimate_model(conn)
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE batch_rows AS " + " UNION ALL ".join(
            f"SELECT id, {', '.join(FEBRL_COLS)} FROM {t}" for t in tables))
    t0 = time.time()
    groups = batch_groups(conn, "batch_rows", "id", FEBRL_MAP)
    tp, pred, corr = pair_counts(groups, truth)
    record(f"{name}", "batch", len(truth), tp, pred, corr, None, None, None, time.time() - t0)
    conn.close()
    if estimated:
        febrl_run(data, name, files, seed, params=model)


def main():
    people_list = [int(p) for p in os.environ.get("PEOPLE", "2000").replace(",", " ").split()]
    modes = [m.strip() for m in os.environ.get("MODES", "insert,copy,second,febrl").split(",") if m.strip()]
    seed = int(os.environ.get("SEED", "1"))
    print("Write-path accuracy (pairwise, ground truth kept outside the database; rows = rows stored,")
    print("rev/100 = open review items per 100 rows, rev true = share of them whose proposal is right,")
    print("hard neg = hard-negative person pairs that ended in one group / such pairs in the data)")
    print_table([])
    for people in people_list:
        # estimated applies to the CRM INSERT feed and to FEBRL; alone it means the CRM feed
        if "insert" in modes or "second" in modes or modes == ["estimated"]:
            crm_run(people, seed, "insert", "second" in modes, "estimated" in modes)
        if "copy" in modes:
            crm_run(people, seed, "copy", False)
    if "febrl" in modes:
        data = os.environ.get("DATA", "/work/shared/data/febrl")
        if not os.path.isdir(data):
            data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../data/febrl")
        sets = [("febrl1", ["dataset1.csv"]), ("febrl2", ["dataset2.csv"]),
                ("febrl3", ["dataset3.csv"]), ("febrl4", ["dataset4a.csv", "dataset4b.csv"])]
        for name, files in sets:
            if all(os.path.exists(os.path.join(data, f)) for f in files):
                febrl_run(data, name, files, seed, "estimated" in modes)
            else:
                log(f"== {name}: skipped (no {', '.join(files)} in {data})")
    print()
    print_table(RESULTS)
    if CALIBRATION:
        print_calibration()
    if HARD:
        kinds = ["namesake_same_company", "namesake_other_company", "switchboard", "family_mailbox",
                 "family_phone"]
        print("\nhard-negative pairs in one group, by kind")
        print("  ".join(["data set".ljust(22), "method".ljust(11)] + [k.rjust(len(k)) for k in kinds]))
        for dataset, method, hard in HARD:
            print("  ".join([dataset.ljust(22), method.ljust(11)] + [str(hard.get(k, 0)).rjust(len(k)) for k in kinds]))


if __name__ == "__main__":
    main()

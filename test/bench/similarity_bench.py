#!/usr/bin/python3
"""Fuzzy name search on N generated person names (FEBRL given names x surnames, 40% with
one or two typos): pg_dedupe's indexes next to fuzzystrmatch and pg_trgm, measured in the
same run on the same server. Prints figures; never fails on speed.

Environment: BENCH_NAMES (default 1000000), BENCH_PROBES (default 100), PG* connection."""
import csv
import glob
import io
import os
import random
import statistics
import sys
import time
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
import psycopg2  # noqa: E402

N = int(os.environ.get("BENCH_NAMES", "1000000"))
PROBES = int(os.environ.get("BENCH_PROBES", "100"))
DATA = os.environ.get("BENCH_FEBRL", "/work/shared/data/febrl")
ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def typo(rng, s):
    i = rng.randrange(len(s))
    op = rng.randrange(4)
    if op == 0:
        return s[:i] + rng.choice(ALPHABET) + s[i + 1:]
    if op == 1:
        return s[:i] + rng.choice(ALPHABET) + s[i:]
    if op == 2 and len(s) > 1:
        return s[:i] + s[i + 1:]
    i = min(i, len(s) - 2)
    return s[:i] + s[i + 1] + s[i] + s[i + 2:] if len(s) > 1 else s + "a"


def generated_names(rng):
    given, surnames = set(), set()
    for path in sorted(glob.glob(os.path.join(DATA, "*.csv"))):
        with open(path, newline="") as f:
            for row in csv.DictReader(f, skipinitialspace=True):
                g, s = (row.get("given_name") or "").strip(), (row.get("surname") or "").strip()
                if g:
                    given.add(g)
                if s:
                    surnames.add(s)
    given, surnames = sorted(given), sorted(surnames)
    for _ in range(N):
        name = f"{rng.choice(given)} {rng.choice(surnames)}"
        r = rng.random()
        if r < 0.25:
            name = typo(rng, name)
        elif r < 0.40:
            name = typo(rng, typo(rng, name))
        yield name


def timed(cur, sql, args=()):
    start = time.perf_counter()
    cur.execute(sql, args)
    rows = cur.fetchall()
    return (time.perf_counter() - start) * 1000.0, rows


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def set_plan(cur, seq):
    cur.execute(f"SET enable_seqscan = {'on' if seq else 'off'}")
    cur.execute(f"SET enable_indexscan = {'off' if seq else 'on'}")
    cur.execute(f"SET enable_bitmapscan = {'off' if seq else 'on'}")


def main():
    rng = random.Random(20240504)
    conn = psycopg2.connect()
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SET max_parallel_workers_per_gather = 0")  # one core per query, for every method
    for ext in ("pg_dedupe", "fuzzystrmatch", "pg_trgm"):
        cur.execute(f"CREATE EXTENSION IF NOT EXISTS {ext}")
    cur.execute("SET search_path = public, dedupe")

    print(f"== generating and loading {N} names")
    cur.execute("DROP TABLE IF EXISTS bench_names")
    cur.execute("CREATE TABLE bench_names (id int PRIMARY KEY, name text NOT NULL)")
    buf = io.StringIO()
    for i, name in enumerate(generated_names(rng), 1):
        buf.write(f"{i}\t{name}\n")
    buf.seek(0)
    cur.copy_expert("COPY bench_names FROM STDIN", buf)
    cur.execute("VACUUM ANALYZE bench_names")
    cur.execute("SELECT pg_size_pretty(pg_relation_size('bench_names')), avg(length(name))::numeric(5,2) FROM bench_names")
    print("table size %s, average name length %s" % cur.fetchone())

    print("== index builds (maintenance_work_mem = %s)" % show(cur, "maintenance_work_mem"))
    indexes = [("dedupe GIN fuzzy_gin_ops", "bench_dedupe_gin", "gin (name dedupe.fuzzy_gin_ops)"),
               ("dedupe GiST fuzzy_gist_ops", "bench_dedupe_gist", "gist (name dedupe.fuzzy_gist_ops)"),
               ("pg_trgm GIN gin_trgm_ops", "bench_trgm_gin", "gin (name gin_trgm_ops)"),
               ("pg_trgm GiST gist_trgm_ops", "bench_trgm_gist", "gist (name gist_trgm_ops)")]
    sizes = {}
    print(f"{'index':30} {'build s':>9} {'size MB':>9}")
    for label, name, method in indexes:
        cur.execute(f"DROP INDEX IF EXISTS {name}")
        start = time.perf_counter()
        cur.execute(f"CREATE INDEX {name} ON bench_names USING {method}")
        seconds = time.perf_counter() - start
        cur.execute(f"SELECT pg_relation_size('{name}')")
        sizes[name] = cur.fetchone()[0]
        print(f"{label:30} {seconds:9.1f} {sizes[name] / 2**20:9.1f}")
    print("dedupe GIN / pg_trgm GIN size: %.2f" % (sizes["bench_dedupe_gin"] / sizes["bench_trgm_gin"]))
    cur.execute("ANALYZE bench_names")

    cur.execute("SELECT name FROM bench_names WHERE id = ANY(%s) ORDER BY id",
                (rng.sample(range(1, N + 1), PROBES),))
    probes = [typo(rng, r[0]) for r in cur.fetchall()]

    # Each method runs in a transaction that drops the index that could compete with the one
    # measured (the other opclass of the same extension), and rolls back afterwards.
    rivals = {"bench_dedupe_gin": "bench_dedupe_gist", "bench_dedupe_gist": "bench_dedupe_gin",
              "bench_trgm_gin": "bench_trgm_gist", "bench_trgm_gist": "bench_trgm_gin"}

    def only(index_name):
        cur.execute("BEGIN")
        if index_name:
            cur.execute(f"DROP INDEX {rivals[index_name]}")

    def done():
        cur.execute("ROLLBACK")

    rows_out = []

    def run(label, sql_for, plan_seq, index_name, truth=None):
        only(index_name)
        set_plan(cur, plan_seq)
        cur.execute("EXPLAIN " + sql_for(probes[0])[0], sql_for(probes[0])[1])
        plan = " ".join(r[0] for r in cur.fetchall())
        if index_name and index_name not in plan:
            print(f"   !! {label}: plan does not use {index_name}: {plan[:200]}")
        for q in probes[:5]:  # warm the cache
            sql, args = sql_for(q)
            cur.execute(sql, args)
            cur.fetchall()
        times, recalls, results = [], [], []
        for i, q in enumerate(probes):
            sql, args = sql_for(q)
            ms, rows = timed(cur, sql, args)
            times.append(ms)
            got = {r[0] for r in rows}
            results.append(got)
            if truth is not None:
                want = truth[i]
                recalls.append(len(got & want) / len(want) if want else 1.0)
        done()
        if truth is None:  # this run is the truth
            recall, exact = 1.0, len(probes)
            shown = f"{'truth':>7} {'':>8}"
        else:
            recall = statistics.mean(recalls)
            exact = sum(1 for i in range(len(probes)) if results[i] == truth[i])
            shown = f"{recall:7.3f} {exact:4d}/{len(probes):<3d}"
        rows_out.append((label, statistics.median(times), p95(times), recall, exact))
        print(f"{label:58} {statistics.median(times):9.2f} {p95(times):9.2f} {shown}", flush=True)
        return results

    header = f"{'method':58} {'median ms':>9} {'p95 ms':>9} {'recall':>7} {'exact':>8}"
    for k in (1, 2):
        print(f"== edit distance k = {k}: {PROBES} probes (name with one typo); truth = seq scan")
        print(header)
        truth = run(f"(b) seq scan fuzzystrmatch levenshtein(name, q) <= {k}",
                    lambda q: ("SELECT id FROM bench_names WHERE levenshtein(name, %s) <= %s", (q, k)),
                    True, None)
        run(f"(a) dedupe GIN  name % dedupe.within(q, {k})",
            lambda q: ("SELECT id FROM bench_names WHERE name %% dedupe.within(%s, %s)", (q, k)),
            False, "bench_dedupe_gin", truth)
        # pg_trgm needs a similarity threshold; the one that keeps every true match is the
        # smallest similarity between a probe and one of its true matches.
        needed = 1.0
        for q, want in zip(probes, truth):
            if want:
                cur.execute("SELECT min(similarity(name, %s)) FROM bench_names WHERE id = ANY(%s)", (q, list(want)))
                needed = min(needed, cur.fetchone()[0])
        needed_t = max(0.01, int(needed * 100) / 100.0)
        for t in sorted({0.5, 0.3, needed_t}, reverse=True):
            cur.execute(f"SET pg_trgm.similarity_threshold = {t}")
            tag = " (needed for recall 1)" if t == needed_t else ""
            run(f"(c) pg_trgm GIN % at {t}{tag} + levenshtein <= {k}",
                lambda q: ("SELECT id FROM bench_names WHERE name %% %s AND levenshtein(name, %s) <= %s",
                           (q, q, k)),
                False, "bench_trgm_gin", truth)
        cur.execute("RESET pg_trgm.similarity_threshold")

    for t in (0.5,):
        print(f"== q-gram similarity >= {t}: {PROBES} probes; truth = seq scan of dedupe's operator "
              "(padded-trigram multiset Jaccard of folded names)")
        print(header)
        truth = run(f"seq scan name % dedupe.similar_to(q, {t})",
                    lambda q: ("SELECT id FROM bench_names WHERE name %% dedupe.similar_to(%s, %s)", (q, t)),
                    True, None)
        run(f"(a) dedupe GIN  name % dedupe.similar_to(q, {t})",
            lambda q: ("SELECT id FROM bench_names WHERE name %% dedupe.similar_to(%s, %s)", (q, t)),
            False, "bench_dedupe_gin", truth)
        cur.execute(f"SET pg_trgm.similarity_threshold = {t}")
        run(f"(c) pg_trgm GIN name % q at {t} (pg_trgm's own similarity)",
            lambda q: ("SELECT id FROM bench_names WHERE name %% %s", (q,)),
            False, "bench_trgm_gin", truth)
        cur.execute("RESET pg_trgm.similarity_threshold")

    print(f"== KNN top-10: {PROBES} probes; recall@10 = share of the 10 returned whose edit distance "
          "(dedupe.edit_distance) is <= the true 10th-nearest one (seq scan); exact = all 10")
    print(header)
    only(None)
    set_plan(cur, True)
    d10 = []
    for q in probes:
        cur.execute("SELECT dedupe.edit_distance(name, %s) AS d FROM bench_names ORDER BY d LIMIT 10", (q,))
        d10.append(cur.fetchall()[-1][0])
    done()

    def knn(label, sql, index_name):
        only(index_name)
        set_plan(cur, False)
        cur.execute("EXPLAIN " + sql, (probes[0], probes[0]))
        plan = " ".join(r[0] for r in cur.fetchall())
        if index_name not in plan:
            print(f"   !! {label}: plan does not use {index_name}")
        for q in probes[:5]:
            cur.execute(sql, (q, q))
        times, recalls = [], []
        for q, d in zip(probes, d10):
            ms, rows = timed(cur, sql, (q, q))
            times.append(ms)
            recalls.append(sum(1 for r in rows if r[1] <= d) / 10.0)
        done()
        print(f"{label:58} {statistics.median(times):9.2f} {p95(times):9.2f} "
              f"{statistics.mean(recalls):7.3f} {sum(r == 1.0 for r in recalls):4d}/{len(probes)}")

    knn("dedupe GiST ORDER BY name <-> q LIMIT 10",
        "SELECT id, dedupe.edit_distance(name, %s) FROM bench_names ORDER BY name OPERATOR(dedupe.<->) %s LIMIT 10",
        "bench_dedupe_gist")
    knn("pg_trgm GiST ORDER BY name <-> q LIMIT 10",
        "SELECT id, dedupe.edit_distance(name, %s) FROM bench_names ORDER BY name OPERATOR(public.<->) %s LIMIT 10",
        "bench_trgm_gist")

    def find(prefix):
        return next(r for r in rows_out if r[0].startswith(prefix))

    print("== goals (k = 2)")
    seq = find("(b) seq scan fuzzystrmatch levenshtein(name, q) <= 2")
    gin = find("(a) dedupe GIN  name % dedupe.within(q, 2)")
    need = [r for r in rows_out if r[0].startswith("(c) pg_trgm GIN % at") and "needed" in r[0] and r[0].endswith("<= 2")]
    print(f"dedupe GIN k=2 median speed-up over fuzzystrmatch seq scan: {seq[1] / gin[1]:.1f}x (goal >= 20x)")
    if need:
        print(f"dedupe GIN k=2 median vs pg_trgm GIN at the threshold needed for recall 1: "
              f"{gin[1]:.2f} ms vs {need[0][1]:.2f} ms ({need[0][1] / gin[1]:.1f}x)")
    print(f"dedupe GIN size / pg_trgm GIN size: {sizes['bench_dedupe_gin'] / sizes['bench_trgm_gin']:.2f} (goal <= 1.5)")
    for _ in (0,):
        cur.execute("RESET enable_seqscan; RESET enable_indexscan; RESET enable_bitmapscan")
        cur.execute("EXPLAIN SELECT id FROM bench_names WHERE name %% dedupe.within(%s, 2)", (probes[0],))
        plan = cur.fetchall()
        print("planner's own choice for k = 2 (default settings, all four indexes present): "
              + " / ".join(r[0].strip().split("  (")[0] for r in plan if "Scan" in r[0]))
    cur.execute("DROP TABLE bench_names")
    return 0


def show(cur, name):
    cur.execute(f"SHOW {name}")
    return cur.fetchone()[0]


if __name__ == "__main__":
    sys.exit(main())

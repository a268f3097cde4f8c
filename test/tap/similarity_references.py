#!/usr/bin/python3
"""dedupe's similarity functions against independent references, on FEBRL name pairs with
generated typos: python3-jellyfish (Levenshtein, Jaro, Jaro-Winkler, unrestricted
Damerau-Levenshtein), a textbook optimal-string-alignment distance written here, and
fuzzystrmatch's levenshtein() on ASCII. Runs in its own scratch database."""
import csv
import os
import random
import sys
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
import jellyfish  # noqa: E402
import psycopg2  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FEBRL = os.path.join(HERE, "..", "data", "febrl", "dataset3.csv")
DB = "dedupe_similarity_refs"

tests = []


def check(ok, name, diagnostics=()):
    tests.append((ok, name, list(diagnostics)[:10]))


def osa(a, b):
    """Optimal string alignment distance, the textbook recurrence over a full matrix."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def typo(rng, s, alphabet):
    """One random edit: substitute, insert, delete or swap two neighbours."""
    op = rng.choice("sidt" if len(s) > 1 else "si")
    i = rng.randrange(len(s)) if s else 0
    if op == "s" and s:
        return s[:i] + rng.choice(alphabet) + s[i + 1:]
    if op == "i" or not s:
        return s[:i] + rng.choice(alphabet) + s[i:]
    if op == "d":
        return s[:i] + s[i + 1:]
    i = min(i, len(s) - 2)
    return s[:i] + s[i + 1] + s[i] + s[i + 2:]


def name_pairs():
    rng = random.Random(20240504)
    names = []
    with open(FEBRL, newline="") as f:
        for row in csv.DictReader(f, skipinitialspace=True):
            given, surname = row["given_name"].strip(), row["surname"].strip()
            if given and surname:
                names.append(f"{given} {surname}")
    alphabet = "abcdefghijklmnopqrstuvwxyz "
    pairs = []
    for _ in range(2500):  # a name and a copy with 1 to 4 typos
        a = rng.choice(names)
        b = a
        for _ in range(rng.randint(1, 4)):
            b = typo(rng, b, alphabet)
        pairs.append((a, b))
    for _ in range(500):  # unrelated names
        pairs.append((rng.choice(names), rng.choice(names)))
    for _ in range(300):  # case differences and upper-case names
        a = rng.choice(names)
        pairs.append((a.upper(), typo(rng, a, alphabet).upper()))
    return pairs


UNICODE_PAIRS = [
    ("Müller", "Mueller"), ("Müller", "Muller"), ("José Núñez", "Jose Nunez"),
    ("Zoe\u0308", "Zoë"), ("😀a", "a"), ("😀😃", "😃😀"), ("Ελένη", "Ελενη"),
    ("Дмитрий", "Дмитри"), ("東京都", "京都"), ("a", "b"), ("x", "x"),
    ("MARTHA", "MARHTA"), ("DIXON", "DICKSONX"), ("DWAYNE", "DUANE"), ("ca", "abc"),
    ("abcdef", "badcfe"), ("Smith, John", "John Smith"),
]


def main():
    admin = psycopg2.connect(dbname=os.environ.get("PGDATABASE", "postgres"))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB}")
        cur.execute(f"CREATE DATABASE {DB}")
    try:
        run(psycopg2.connect(dbname=DB))
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {DB}")
    print(f"1..{len(tests)}")
    failed = 0
    for n, (ok, name, diag) in enumerate(tests, 1):
        print(f"{'ok' if ok else 'not ok'} {n} - {name}")
        for line in diag:
            print(f"# {line}")
        failed += not ok
    return 1 if failed else 0


def run(conn):
    cur = conn.cursor()
    cur.execute("CREATE EXTENSION pg_dedupe")
    cur.execute("CREATE EXTENSION fuzzystrmatch")
    pairs = name_pairs() + UNICODE_PAIRS
    cur.execute(
        """SELECT dedupe.levenshtein(a, b), dedupe.levenshtein(a, b, 2),
                  dedupe.damerau_levenshtein(a, b), dedupe.jaro(a, b), dedupe.jaro_winkler(a, b),
                  CASE WHEN a ~ '^[\\x01-\\x7f]*$' AND b ~ '^[\\x01-\\x7f]*$'
                       THEN levenshtein(a, b) END
           FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(a, b, n) ORDER BY n""",
        ([a for a, _ in pairs], [b for _, b in pairs]))
    rows = cur.fetchall()
    assert len(rows) == len(pairs)

    def compare(label, reference, column, exact=True):
        bad = []
        for (a, b), row in zip(pairs, rows):
            want, got = reference(a, b), row[column]
            if (want != got) if exact else abs(want - got) > 1e-12:
                bad.append(f"{a!r} vs {b!r}: dedupe {got}, reference {want}")
        check(not bad, f"{label} on {len(pairs)} pairs", bad)

    compare("levenshtein = jellyfish.levenshtein_distance", jellyfish.levenshtein_distance, 0)
    compare("levenshtein(a, b, 2) = min(jellyfish distance, 3)",
            lambda a, b: min(jellyfish.levenshtein_distance(a, b), 3), 1)
    compare("damerau_levenshtein = textbook OSA", osa, 2)
    compare("jaro = jellyfish.jaro_similarity", jellyfish.jaro_similarity, 3, exact=False)
    compare("jaro_winkler = jellyfish.jaro_winkler_similarity",
            jellyfish.jaro_winkler_similarity, 4, exact=False)

    # jellyfish's Damerau-Levenshtein is the unrestricted one: never above OSA, equal unless
    # a substring is edited twice.
    dl = [(jellyfish.damerau_levenshtein_distance(a, b), row[2], osa(a, b))
          for (a, b), row in zip(pairs, rows)]
    check(all(j <= d for j, d, _ in dl), "jellyfish unrestricted DL <= dedupe OSA on every pair")
    same = sum(j == d for j, d, _ in dl)
    check(all(j == d for j, d, o in dl if j == o),
          f"damerau_levenshtein = jellyfish wherever OSA and DL coincide ({same} of {len(dl)})")

    ascii_rows = [(p, r) for p, r in zip(pairs, rows) if r[5] is not None]
    bad = [f"{a!r} vs {b!r}: {r[0]} vs fuzzystrmatch {r[5]}" for (a, b), r in ascii_rows
           if r[0] != r[5]]
    check(not bad and len(ascii_rows) > 3000,
          f"levenshtein = fuzzystrmatch levenshtein on {len(ascii_rows)} ASCII pairs", bad)

    cur.execute("SELECT round(dedupe.jaro_winkler('MARTHA', 'MARHTA')::numeric, 3), "
                "round(dedupe.jaro_winkler('DIXON', 'DICKSONX')::numeric, 3)")
    martha, dixon = cur.fetchone()
    check(str(martha) == "0.961", f"jaro_winkler(MARTHA, MARHTA) rounds to 0.961 ({martha})")
    check(str(dixon) == "0.813", f"jaro_winkler(DIXON, DICKSONX) rounds to 0.813 ({dixon})")
    conn.close()


if __name__ == "__main__":
    sys.exit(main())

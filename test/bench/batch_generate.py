#!/usr/bin/python3
"""Writes N synthetic person records as CSV (stdout) with realistic duplicates: some people
are entered 2-4 times, each copy with corruptions real CRM data shows: typos (substitution,
insertion, deletion, transposition), nicknames (Bob for Robert), given and family name
swapped, day and month of birth swapped, reformatted phone numbers and email aliases
(dots, +tags, case), people who moved, and missing values. Every person's mailbox is their
own (a provider never hands out an address twice).

Columns: id, person, first_name, last_name, date_of_birth, email, phone, street, city,
postcode. `person` is the ground truth; benchmarks and harnesses may read it, the matcher
must not. Names come from the nickname table shipped with pg_dedupe and FEBRL dataset 3
(originals only), surnames also from syllables, all drawn with Zipf-like frequencies.

  batch_generate.py ROWS [SEED] > people.csv
"""
import csv
import random
import sys

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)

nicknames = {}
given = set()
with open("control/data/pg_dedupe_nicknames.csv") as f:
    for row in csv.DictReader(f):
        given.add(row["name1"])
        nicknames.setdefault(row["name1"], []).append(row["name2"])
family, cities, streets = set(), set(), set()
with open("test/data/febrl/dataset3.csv") as f:
    for row in csv.reader(f, skipinitialspace=True):
        if not row[0].endswith("-org"):
            continue
        if row[1]: given.add(row[1])
        if row[2]: family.add(row[2])
        if row[6]: cities.add(row[6])
        if row[4]: streets.add(row[4])
A = ["ka", "lo", "mi", "ser", "dan", "vo", "tru", "pel", "zak", "ho", "ren", "bi", "sto", "gu", "fen", "wa",
     "ba", "cor", "del", "fa", "gri", "har", "jen", "kel", "lam", "mor", "nor", "pat", "ros", "sha", "tho", "wil"]
B = ["quil", "no", "ex", "tam", "brun", "ci", "jos", "ly", "dor", "vin", "mas", "pet", "rog", "sul", "tev", "ank",
     "ber", "cal", "den", "fer", "gan", "hol", "lin", "mer", "nes", "par", "ric", "san", "ter", "val", "wen", "zel"]
C = ["berg", "son", "ski", "ton", "ley", "ez", "ov", "er", "in", "ard", "ott", "ham", "well", "ford", "us", "man"]
family |= {a + b + c for a in A for b in B for c in C}


def zipf_list(items):
    items = sorted(items)
    rng.shuffle(items)
    cumulative, total = [], 0.0
    for i in range(len(items)):
        total += 1.0 / (i + 10)
        cumulative.append(total)
    return items, cumulative


GIVEN, GIVEN_W = zipf_list(given)
FAMILY, FAMILY_W = zipf_list(family)
CITY, CITY_W = zipf_list(cities)
STREETS = sorted(streets)
POSTCODE = {c: str(rng.randint(1000, 9999)) for c in CITY}
PROVIDERS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "example.org", "acme.com"]
AREAS = ["212", "415", "312", "617", "206", "303", "512", "404", "702", "305", "213", "646", "718", "773"]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def pick(items, cumulative, k):
    return rng.choices(items, cum_weights=cumulative, k=k)


def typo(s):
    if not s:
        return s
    i = rng.randrange(len(s))
    kind = rng.randrange(4)
    if kind == 0:
        return s[:i] + rng.choice(LETTERS) + s[i + 1:]
    if kind == 1:
        return s[:i] + rng.choice(LETTERS) + s[i:]
    if kind == 2 and len(s) > 2:
        return s[:i] + s[i + 1:]
    if i + 1 < len(s):
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s + rng.choice(LETTERS)


def phone_text(digits, style):
    a, b, c = digits[:3], digits[3:6], digits[6:]
    return [f"({a}) {b}-{c}", f"+1 {a} {b} {c}", f"{a}.{b}.{c}", f"1-{a}-{b}-{c}", f"{a}{b}{c}"][style]


used_emails = set()


def mailbox(first, last):
    """A new address, as a provider hands them out: never one that someone else already has
    (two different people never share a mailbox here; the number is redrawn until the address
    is free). Local parts have letters, digits and dots only, as the big providers require."""
    provider = rng.choice(PROVIDERS)
    base = f"{first}.{last}".replace("-", "").replace("'", "").replace(" ", "")
    number = rng.randint(1, 99)
    while f"{base}{number}@{provider}" in used_emails:
        number = rng.randint(1, 9999)
    used_emails.add(f"{base}{number}@{provider}")
    return f"{base}{number}@{provider}"


def person(n, first, last):
    year, month, day = rng.randint(1930, 2005), rng.randint(1, 12), rng.randint(1, 28)
    digits = rng.choice(AREAS) + str(rng.randint(200, 999)) + f"{rng.randint(0, 9999):04d}"
    city = pick(CITY, CITY_W, 1)[0]
    return {
        "first": first, "last": last, "dob": (year, month, day),
        "email": mailbox(first, last) if rng.random() < 0.7 else None,
        "phone": digits if rng.random() < 0.7 else None,
        "street": f"{rng.randint(1, 300)} {rng.choice(STREETS)}", "city": city, "postcode": POSTCODE[city],
    }


def render(p, copy):
    first, last = p["first"], p["last"]
    year, month, day = p["dob"]
    email, phone, street, city, postcode = p["email"], p["phone"], p["street"], p["city"], p["postcode"]
    phone_style = 0
    if copy:
        r = rng.random
        if r() < 0.10 and nicknames.get(first):
            first = rng.choice(nicknames[first])
        if r() < 0.12: first = typo(first)
        if r() < 0.12: last = typo(last)
        if r() < 0.03: first, last = last, first
        if r() < 0.04 and day <= 12: month, day = day, month
        if r() < 0.05: year += rng.choice([-1, 1])
        if r() < 0.05: day = min(28, max(1, day + rng.choice([-1, 1, 10])))
        if email:
            local, domain = email.split("@")
            if domain == "gmail.com" and r() < 0.4: local = local.replace(".", "")
            if r() < 0.2: local += "+" + rng.choice(["news", "crm", "x"])
            if r() < 0.3: local = local.capitalize()
            if r() < 0.03: local = typo(local)
            email = local + "@" + domain
        phone_style = rng.randrange(5)
        if phone and r() < 0.02: phone = phone[:-1] + str(rng.randrange(10))
        if r() < 0.10:  # moved
            street = f"{rng.randint(1, 300)} {rng.choice(STREETS)}"
            city = pick(CITY, CITY_W, 1)[0]
            postcode = POSTCODE[city]
        if r() < 0.08: street = typo(street)
        if r() < 0.04: city = typo(city)
    dob = f"{year:04d}-{month:02d}-{day:02d}"

    def missing(v, p):
        return None if copy and rng.random() < p else v
    first = missing(first, 0.05) if first else None
    return [first, missing(last, 0.03), missing(dob, 0.05), missing(email, 0.15),
            missing(phone_text(phone, phone_style) if phone else None, 0.15),
            missing(street, 0.08), missing(city, 0.05), missing(postcode, 0.05)]


out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["id", "person", "first_name", "last_name", "date_of_birth", "email", "phone", "street",
              "city", "postcode"])
row_id = 0
n = 0
while row_id < ROWS:
    n += 1
    first, last = pick(GIVEN, GIVEN_W, 1)[0], pick(FAMILY, FAMILY_W, 1)[0]
    p = person(n, first, last)
    copies = 1 + (rng.random() < 0.3) * rng.choice([1, 1, 1, 2, 3])
    for c in range(copies):
        if row_id >= ROWS:
            break
        row_id += 1
        out.writerow([row_id, n] + render(p, c > 0))

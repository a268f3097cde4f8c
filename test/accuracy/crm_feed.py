#!/usr/bin/python3
"""A synthetic multi-source CRM feed with ground truth, for the write-path accuracy harness.

A fixed-seed population of people (names with realistic frequencies, so namesakes happen;
employers with a switchboard number and a mail domain; households sharing a surname, a
home phone, an address and sometimes one mailbox; people of six countries) is seen through
four lead sources, each with its own column names and its own external ids:

  web_leads           web form: email almost always, phone often missing, free-typed names
  ad_leads            ad platform lead forms: personal email, mobile in international format
  event_attendees     badge scans: work email, switchboard or mobile, job title, replays
  partner_contacts    partner CSV: upper-case names, date of birth, street, postcode, city,
                      the partner's stable contact id (a re-sent contact keeps it)

Each row is one touch of one person rendered with the noise real feeds carry: nicknames
(from the nickname table), typos, case, Gmail dots / googlemail / +tags, provider +tags,
phones in national and international formats (a country column beside them, sometimes
empty next to an international number), missing emails and phones, and replays of one
event (the same idempotency key sent twice). The hard negatives are built in and listed:
namesakes (same first and last name) at the same and at different companies, colleagues
who give the company switchboard, family members sharing a mailbox or a home phone.

Ground truth (`person` of every row) and the hard-negative pairs are returned apart from
the rows; the harness keeps them out of every table the matcher reads.

  crm_feed.py PEOPLE [SEED] [FEED] OUTDIR   writes one CSV per source, truth.csv,
                                            hard_negatives.csv (for looking at the data)
"""
import csv
import itertools
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

SOURCES = {
    # table: (columns in order, primary key column)
    "web_leads": ["lead_id", "submission_ref", "email_address", "phone_number", "country_code",
                  "given_name", "family_name", "company_name", "city", "postal_code",
                  "request_id"],
    "ad_leads": ["id", "platform_lead_id", "email", "phone", "country", "fname", "lname",
                 "city", "event_id"],
    "event_attendees": ["attendee_pk", "badge_id", "work_email", "mobile", "country_iso",
                        "first", "last", "organization", "job_title", "city", "scan_id"],
    "partner_contacts": ["row_no", "partner_contact_id", "contact_email", "tel", "iso_country",
                         "firstname", "surname", "employer", "dob", "street", "zip", "town",
                         "import_line_id"],
}

# ---------------------------------------------------------------- reference lists
# Given names (canonical forms, most have nicknames in the table) with rough US/UK weights.
FIRST_M = """james 33 john 32 robert 31 michael 30 william 25 david 25 richard 16 joseph 15
thomas 14 charles 13 christopher 12 daniel 12 matthew 11 anthony 10 mark 10 donald 9 steven 9
paul 9 andrew 9 joshua 8 kenneth 7 kevin 7 brian 7 george 7 timothy 6 ronald 6 edward 6 jason 6
jeffrey 6 ryan 6 jacob 5 gary 5 nicholas 5 eric 5 jonathan 5 stephen 5 larry 4 justin 4 scott 4
benjamin 4 samuel 4 gregory 4 alexander 4 frank 3 patrick 3 raymond 3 jack 3 dennis 3 peter 3
henry 2 douglas 2 zachary 2 nathan 2 walter 2 harold 2 jeremy 2 frederick 2 albert 2 leonard 2
theodore 1 lawrence 1 philip 1 vincent 1 bradley 1 oliver 1 harry 1""".split()
FIRST_F = """mary 28 patricia 20 jennifer 20 linda 18 elizabeth 18 barbara 16 susan 15
jessica 14 sarah 13 karen 13 lisa 12 nancy 11 betty 10 margaret 10 sandra 10 ashley 9
kimberly 9 emily 9 donna 9 michelle 8 carol 8 amanda 8 dorothy 7 melissa 7 deborah 7
stephanie 7 rebecca 7 sharon 6 laura 6 cynthia 6 kathleen 6 amy 6 angela 6 helen 5 anna 5
brenda 5 pamela 5 emma 5 nicole 5 samantha 5 katherine 5 christine 5 debra 4 rachel 4
catherine 4 carolyn 4 janet 4 ruth 4 maria 4 heather 4 diane 3 virginia 3 julie 3 joyce 3
victoria 3 olivia 3 kelly 3 christina 3 lauren 3 joan 3 evelyn 3 judith 3 abigail 2 alexandra 2
jacqueline 2 theresa 2 madeline 2 charlotte 2 susanna 1 gabrielle 1 rosemary 1""".split()
FIRST_DE = "lukas 4 jonas 3 felix 3 maximilian 3 jürgen 3 klaus 3 stefan 4 andreas 4 sabine 3 ursula 2 katrin 3 jörg 2 anja 2 birgit 2 uwe 2 günter 2".split()
FIRST_FR = "jean 4 françois 3 pierre 3 nicolas 3 sébastien 2 camille 3 hélène 2 amélie 2 léa 2 céline 2 thierry 2 stéphane 2 chloé 2 rené 1".split()

LAST_EN = """smith 100 johnson 81 williams 70 brown 62 jones 62 garcia 50 miller 49 davis 48
rodriguez 44 martinez 43 hernandez 41 lopez 38 gonzalez 38 wilson 37 anderson 36 thomas 36
taylor 35 moore 34 jackson 34 martin 34 lee 33 perez 31 thompson 31 white 31 harris 30
sanchez 30 clark 29 ramirez 29 lewis 28 robinson 28 walker 27 young 27 allen 27 king 27
wright 27 scott 26 torres 26 nguyen 26 hill 26 flores 26 green 26 adams 25 nelson 25 baker 25
hall 25 rivera 24 campbell 24 mitchell 24 carter 24 roberts 24 evans 22 turner 22 phillips 21
parker 21 collins 20 edwards 20 stewart 20 morris 19 murphy 19 cook 19 rogers 19 morgan 17
peterson 17 cooper 17 reed 17 bailey 17 bell 16 kelly 16 howard 16 ward 16 cox 16 richardson 15
wood 15 watson 15 brooks 15 bennett 15 gray 14 james 14 hughes 14 price 14 sanders 14 myers 14
long 14 ross 14 foster 14 powell 13 jenkins 13 perry 13 russell 13 sullivan 13 fisher 12
o'brien 12 mcdonald 12 macdonald 6 patel 12 shah 8 khan 8 ali 8 chen 10 wang 10 li 9 kim 9
o'connor 7 fitzgerald 6 van_der_berg 3 de_la_cruz 4 st._john 2 dubois 2 hughes-morgan 2
chadwick 2 pemberton 2 ashworth 2 whitfield 2 holloway 2 kowalski 3 nowak 3 novak 3 schultz 3
lindqvist 2 andersen 3 larsen 3 o'neill 6 byrne 4 walsh 5 ryan 6 doyle 4 murray 5 graham 5
hamilton 4 kennedy 5 crawford 3 henderson 5 barnes 5 fleming 3 gallagher 4 hayes 5 jordan 5
reynolds 5 ellis 5 hunt 4 palmer 4 robertson 4 black 4 stone 4 wells 4 webb 4 simpson 4""".split()
LAST_DE = "müller 20 schmidt 18 schneider 12 fischer 11 weber 10 meyer 10 wagner 9 becker 8 schulz 8 hoffmann 8 schäfer 6 koch 6 bauer 6 richter 5 klein 5 wolf 5 schröder 4 neumann 4 schwarz 4 zimmermann 4 braun 4 krüger 4 hofmann 4 hartmann 4 lange 3 werner 3 krause 3 lehmann 3 köhler 3 groß 2".split()
LAST_FR = "martin 20 bernard 12 dubois 11 thomas 10 robert 9 richard 9 petit 8 durand 8 leroy 7 moreau 7 simon 7 laurent 6 lefebvre 6 michel 6 garcia 5 david 5 bertrand 5 roux 5 vincent 4 fournier 4 morel 4 girard 4 andré 4 lefèvre 3 mercier 3 dupont 3 lambert 3 bonnet 3 françois 3 martinez 3".split()

COUNTRIES = [("US", 52), ("GB", 15), ("DE", 12), ("FR", 8), ("CA", 7), ("AU", 6)]
CITIES = {
    "US": [("New York", "100"), ("Brooklyn", "112"), ("Chicago", "606"), ("Los Angeles", "900"),
           ("San Francisco", "941"), ("Seattle", "981"), ("Austin", "787"), ("Boston", "021"),
           ("Denver", "802"), ("Atlanta", "303"), ("Springfield", "627"), ("Portland", "972")],
    "GB": [("London", "SW1"), ("London", "EC2"), ("Manchester", "M1"), ("Birmingham", "B1"),
           ("Leeds", "LS1"), ("Bristol", "BS1"), ("Edinburgh", "EH1"), ("Glasgow", "G1")],
    "DE": [("Berlin", "101"), ("München", "803"), ("Hamburg", "200"), ("Köln", "506"),
           ("Frankfurt am Main", "603"), ("Stuttgart", "701"), ("Düsseldorf", "402")],
    "FR": [("Paris", "750"), ("Lyon", "690"), ("Marseille", "130"), ("Toulouse", "310"),
           ("Nantes", "440"), ("Bordeaux", "330")],
    "CA": [("Toronto", "M5V"), ("Vancouver", "V6B"), ("Montréal", "H2X"), ("Calgary", "T2P"),
           ("Ottawa", "K1P")],
    "AU": [("Sydney", "200"), ("Melbourne", "300"), ("Brisbane", "400"), ("Perth", "600"),
           ("Adelaide", "500")],
}
STREETS = ["Main St", "Oak Avenue", "High Street", "Station Road", "Park Lane", "Church Street",
           "Hauptstraße", "Bahnhofstraße", "Gartenweg", "rue de la Paix", "avenue Victor Hugo",
           "rue Nationale", "King Street", "Queen Street", "George St", "Elm Street", "Maple Drive",
           "Cedar Road", "Mill Lane", "Victoria Road"]
COMPANY_A = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay",
             "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Gringotts", "Monarch", "Aperture",
             "Octan", "Pied Piper", "Nakatomi", "Oscorp", "Massive", "Blue Sun", "Veridian",
             "Northwind", "Contoso", "Fabrikam", "Tailspin", "Adatum", "Litware", "Proseware",
             "Lucerne", "Wingtip", "Alpine", "Fourth Coffee", "Margie", "Woodgrove", "Coho",
             "Humongous", "Trey", "Relecloud", "Bellows", "Datum", "Graphic", "Southridge",
             "Lamna", "Baldwin", "Kestrel", "Halcyon", "Meridian", "Quantum", "Vertex", "Zenith",
             "Apex", "Summit", "Pinnacle", "Horizon", "Nimbus", "Orbit", "Polaris", "Sterling",
             "Crescent", "Evergreen", "Ironwood", "Bluebird", "Redwood", "Silverline", "Brightway"]
COMPANY_B = ["Labs", "Systems", "Analytics", "Logistics", "Health", "Energy", "Media", "Foods",
             "Robotics", "Capital", "Consulting", "Software", "Industries", "Networks", "Bio",
             "Partners", "Solutions", "Dynamics", "Retail", "Travel"]
SUFFIX = {"US": ["Inc.", "Inc", "LLC", "Corp.", "Corporation"], "CA": ["Inc.", "Ltd."],
          "GB": ["Ltd", "Ltd.", "Limited", "plc"], "AU": ["Pty Ltd", "Ltd"],
          "DE": ["GmbH", "AG", "GmbH & Co. KG"], "FR": ["SA", "SAS", "SARL"]}
TLD = {"US": "com", "CA": "ca", "GB": "co.uk", "AU": "com.au", "DE": "de", "FR": "fr"}
FREEMAIL = {
    "US": [("gmail.com", 50), ("yahoo.com", 14), ("outlook.com", 8), ("hotmail.com", 8),
           ("icloud.com", 9), ("aol.com", 4), ("comcast.net", 4), ("fastmail.com", 3)],
    "CA": [("gmail.com", 50), ("yahoo.ca", 10), ("hotmail.com", 15), ("outlook.com", 10),
           ("icloud.com", 10), ("shaw.ca", 5)],
    "GB": [("gmail.com", 40), ("hotmail.co.uk", 15), ("yahoo.co.uk", 10), ("btinternet.com", 10),
           ("outlook.com", 10), ("icloud.com", 10), ("sky.com", 5)],
    "AU": [("gmail.com", 45), ("bigpond.com", 15), ("outlook.com", 15), ("icloud.com", 15),
           ("yahoo.com.au", 10)],
    "DE": [("gmx.de", 25), ("web.de", 25), ("gmail.com", 25), ("t-online.de", 15),
           ("outlook.de", 10)],
    "FR": [("gmail.com", 35), ("orange.fr", 20), ("free.fr", 15), ("laposte.net", 10),
           ("hotmail.fr", 10), ("sfr.fr", 10)],
}
PLUS_PROVIDERS = {"gmail.com", "outlook.com", "hotmail.com", "icloud.com", "fastmail.com",
                  "outlook.de", "hotmail.co.uk", "hotmail.fr"}
TAGS = ["news", "promo", "events", "shop", "ads", "crm", "2024", "webinar", "spam", "work"]
JOBS = ["CTO", "VP Sales", "Engineer", "Product Manager", "Head of Marketing", "Analyst",
        "Procurement", "CEO", "Data Scientist", "Office Manager", "Consultant", "Developer"]
KEYBOARD = {c: n for c, n in zip("qwertyuiopasdfghjklzxcvbnm",
            ["wa", "qes", "wrd", "etf", "ryg", "tuh", "yij", "uok", "ipl", "ol", "qsz", "awdx",
             "sefc", "drgv", "fthb", "gyjn", "hukm", "jil", "kop", "asx", "zsdc", "xdfv",
             "cfgb", "vghn", "bhjm", "njk"])}


def weighted(spec):
    names = [n.replace("_", " ") for n in spec[0::2]]
    weights = [float(w) for w in spec[1::2]]
    return names, weights


def load_nicknames():
    for path in ("/work/shared/data/nicknames/names.csv",
                 os.path.join(HERE, "../../control/data/pg_dedupe_nicknames.csv")):
        if os.path.exists(path):
            table = {}
            with open(path, newline="") as f:
                for row in csv.DictReader(f):
                    table.setdefault(row["name1"].strip(), []).append(row["name2"].strip())
            return table
    return {}


# ---------------------------------------------------------------- phones
US_AREAS = ["212", "646", "718", "312", "773", "213", "310", "415", "650", "206", "512", "617",
            "303", "404", "217", "503"]
CA_AREAS = ["416", "647", "604", "778", "514", "403", "613"]


class Phone:
    """A phone number: country, calling code, national significant number, trunk prefix."""

    def __init__(self, country, nsn, kind):
        self.country, self.nsn, self.kind = country, nsn, kind
        self.cc = {"US": "1", "CA": "1", "GB": "44", "DE": "49", "FR": "33", "AU": "61"}[country]


def digits(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def make_phone(rng, country, kind):
    if country in ("US", "CA"):
        area = rng.choice(US_AREAS if country == "US" else CA_AREAS)
        exch = rng.choice("23456789") + digits(rng, 2)
        while exch[1:] == "11" or exch == "555":
            exch = rng.choice("23456789") + digits(rng, 2)
        return Phone(country, area + exch + digits(rng, 4), kind)
    if country == "GB":
        if kind == "mobile":
            return Phone(country, "7" + rng.choice("5789") + rng.choice("123456789") + digits(rng, 7), kind)
        return Phone(country, "20" + rng.choice("378") + digits(rng, 7), kind)
    if country == "DE":
        if kind == "mobile":
            return Phone(country, rng.choice(["151", "152", "176", "157"]) + rng.choice("123456789") + digits(rng, 7), kind)
        return Phone(country, rng.choice(["30", "89", "40", "221", "69"]) + rng.choice("2345789") + digits(rng, 7), kind)
    if country == "FR":
        if kind == "mobile":
            return Phone(country, rng.choice(["6" + rng.choice("123456789"), "7" + rng.choice("345678")]) + digits(rng, 7), kind)
        return Phone(country, rng.choice("1234") + rng.choice("123456789") + digits(rng, 7), kind)
    if country == "AU":
        if kind == "mobile":
            return Phone(country, "4" + rng.choice("0123") + digits(rng, 7), kind)
        return Phone(country, rng.choice("2378") + rng.choice("89") + digits(rng, 7), kind)
    raise ValueError(country)


def render_phone(rng, p, international_bias, home_country):
    """A way people write the number; returns (text, needs_country). The exit code 00 is
    used only by people whose own country dials out with 00 (the country column says so)."""
    n = p.nsn
    if rng.random() < international_bias:
        style = rng.randrange(5)
        if p.cc == "1":
            body = [f"{n[:3]}-{n[3:6]}-{n[6:]}", f"({n[:3]}) {n[3:6]}-{n[6:]}", f"{n[:3]} {n[3:6]} {n[6:]}", n, f"{n[:3]}.{n[3:6]}.{n[6:]}"][style]
        elif p.country == "GB":
            body = [f"{n[:4]} {n[4:]}", n, f"{n[:2]} {n[2:6]} {n[6:]}" if n[0] == "2" else f"{n[:4]} {n[4:7]} {n[7:]}", f"{n[:4]}-{n[4:]}", f"(0){n[:4]} {n[4:]}"][style]
        elif p.country == "FR":
            body = [" ".join([n[0]] + [n[i:i + 2] for i in range(1, 9, 2)]), n, f"{n[0]}.{n[1:3]}.{n[3:5]}.{n[5:7]}.{n[7:]}", f"(0){n[0]} {n[1:5]} {n[5:]}", f"{n[:3]} {n[3:6]} {n[6:]}"][style]
        elif p.country == "DE":
            cut = 3 if p.kind == "mobile" or len(n) > 10 else 2
            body = [f"{n[:cut]} {n[cut:]}", n, f"(0){n[:cut]} {n[cut:]}", f"{n[:cut]}-{n[cut:]}", f"{n[:cut]} {n[cut:cut + 4]} {n[cut + 4:]}"][style]
        else:  # AU
            body = [f"{n[:3]} {n[3:6]} {n[6:]}", n, f"{n[0]} {n[1:5]} {n[5:]}", f"{n[:3]}-{n[3:6]}-{n[6:]}", f"(0){n[0]} {n[1:5]} {n[5:]}"][style]
        prefix = rng.choice([f"+{p.cc} ", f"+{p.cc} ", f"+{p.cc}", f"+{p.cc}-"])
        if home_country in ("GB", "DE", "FR") and rng.random() < 0.3:
            return f"00{p.cc} {body}", True
        if p.cc == "1" and home_country in ("US", "CA") and rng.random() < 0.3:
            prefix = rng.choice(["1-", "1 ", "+1 "])
        text = prefix + body
        if text.startswith("+") and " " not in text and "-" not in text and "(" not in text:
            text = text  # E.164 as is
        return text, False
    # national format
    if p.cc == "1":
        text = rng.choice([f"({n[:3]}) {n[3:6]}-{n[6:]}", f"{n[:3]}-{n[3:6]}-{n[6:]}", f"{n[:3]}.{n[3:6]}.{n[6:]}", n, f"{n[:3]} {n[3:6]} {n[6:]}"])
    elif p.country == "GB":
        text = "0" + rng.choice([f"{n[:4]} {n[4:]}", n, f"{n[:2]} {n[2:6]} {n[6:]}" if n[0] == "2" else f"{n[:4]} {n[4:7]} {n[7:]}"])
    elif p.country == "FR":
        text = "0" + rng.choice([" ".join([n[0]] + [n[i:i + 2] for i in range(1, 9, 2)]), n, ".".join([n[0]] + [n[i:i + 2] for i in range(1, 9, 2)])])
        if text[1] == ".":
            text = text[:1] + text[2:]
    elif p.country == "DE":
        cut = 3 if p.kind == "mobile" or len(n) > 10 else 2
        text = rng.choice([f"0{n[:cut]} {n[cut:]}", f"0{n[:cut]}/{n[cut:]}", f"0{n}", f"(0{n[:cut]}) {n[cut:]}", f"0{n[:cut]}-{n[cut:]}"])
    else:
        text = rng.choice([f"0{n[:3]} {n[3:6]} {n[6:]}", f"0{n}", f"0{n[:3]}-{n[3:6]}-{n[6:]}"]) if p.kind == "mobile" \
            else rng.choice([f"(0{n[0]}) {n[1:5]} {n[5:]}", f"0{n[0]} {n[1:5]} {n[5:]}", f"0{n}"])
    return text, True


# ---------------------------------------------------------------- text noise
def typo(rng, s):
    letters = [i for i, c in enumerate(s) if c.isalpha()]
    if len(letters) < 4:
        return s
    i = rng.choice(letters[1:])
    op = rng.randrange(4)
    if op == 0 and i + 1 < len(s):
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if op == 1:
        return s[:i] + s[i + 1:]
    if op == 2:
        return s[:i] + s[i] + s[i:]
    c = s[i].lower()
    return s[:i] + rng.choice(KEYBOARD.get(c, "e")) + s[i + 1:]


def title(s):
    out, up = [], True
    for c in s:
        out.append(c.upper() if up else c)
        up = c in " -'."
    return "".join(out)


def case_variant(rng, s, upper_rate=0.08, lower_rate=0.12):
    r = rng.random()
    if r < upper_rate:
        return s.upper()
    if r < upper_rate + lower_rate:
        return s.lower()
    return title(s)


def ascii_fold(s):
    table = str.maketrans("äöüßéèêëàâçîïôûùÿ", "aous" "eeeeaaciiouuy")
    s = s.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return s.translate(table)


def local_part(s):
    return "".join(c for c in ascii_fold(s.lower()) if c.isalnum())


# ---------------------------------------------------------------- the population
class Person:
    __slots__ = ("pid", "first", "last", "country", "city", "postcode", "street", "dob",
                 "company", "emails", "personal_email", "work_email", "mobile", "direct",
                 "household", "gender", "job")


class Company:
    __slots__ = ("cid", "name", "variants", "domain", "switchboard", "country", "staff")


class Population:
    def __init__(self, people_count, seed=20240611):
        self.rng = rng = random.Random(seed)
        self.nick = load_nicknames()
        self.people, self.companies, self.households = [], [], []
        self.used_emails = set()
        m_names, m_w = weighted(FIRST_M)
        f_names, f_w = weighted(FIRST_F)
        de_names, de_w = weighted(FIRST_DE)
        fr_names, fr_w = weighted(FIRST_FR)
        l_en, l_en_w = weighted(LAST_EN)
        l_de, l_de_w = weighted(LAST_DE)
        l_fr, l_fr_w = weighted(LAST_FR)
        ctry, ctry_w = zip(*COUNTRIES)

        def pick_first(country, gender):
            if country == "DE" and rng.random() < 0.6:
                return rng.choices(de_names, de_w)[0]
            if country == "FR" and rng.random() < 0.6:
                return rng.choices(fr_names, fr_w)[0]
            return rng.choices(m_names, m_w)[0] if gender == "m" else rng.choices(f_names, f_w)[0]

        def pick_last(country):
            if country == "DE" and rng.random() < 0.7:
                return rng.choices(l_de, l_de_w)[0]
            if country == "FR" and rng.random() < 0.7:
                return rng.choices(l_fr, l_fr_w)[0]
            return rng.choices(l_en, l_en_w)[0]

        # Employers: a few large, many small (sizes ~ Zipf), each with a switchboard.
        n_comp = max(8, people_count // 9)
        names_seen = set()
        for cid in range(n_comp):
            c = Company()
            c.cid = cid
            c.country = rng.choices(ctry, ctry_w)[0]
            while True:
                base = rng.choice(COMPANY_A) + ("" if rng.random() < 0.3 else " " + rng.choice(COMPANY_B))
                if base not in names_seen:
                    break
                base = base + " " + rng.choice(["Group", "International", "Holdings", str(rng.randint(2, 99))])
                if base not in names_seen:
                    break
            names_seen.add(base)
            suffix = rng.choice(SUFFIX[c.country])
            c.name = f"{base} {suffix}"
            c.variants = [c.name, base, base.upper(), f"{base}, {suffix}", base.lower()]
            c.domain = local_part(base.replace(" ", "")) + "." + TLD[c.country]
            c.switchboard = make_phone(rng, c.country, "landline")
            c.staff = []
            self.companies.append(c)
        comp_weights = [1.0 / (i + 1) ** 0.9 for i in range(n_comp)]
        comp_cum = list(itertools.accumulate(comp_weights))  # choices() per person stays O(log n)

        pid = 0
        while len(self.people) < people_count:
            country = rng.choices(ctry, ctry_w)[0]
            city, pc_prefix = rng.choice(CITIES[country])
            last = pick_last(country)
            # A household: 1 person (72%), or 2-4 sharing surname, address, home phone.
            size = 1 if rng.random() < 0.72 else rng.choice([2, 2, 2, 3, 3, 4])
            size = min(size, people_count - len(self.people))
            home = make_phone(rng, country, "landline") if rng.random() < 0.75 else None
            street = f"{rng.randint(1, 240)} {rng.choice(STREETS)}"
            postcode = postcode_for(rng, country, pc_prefix)
            family_mailbox = None
            if size > 1 and rng.random() < 0.35:
                family_mailbox = "shared"
            members = []
            for k in range(size):
                p = Person()
                p.pid = pid
                pid += 1
                p.gender = rng.choice("mf")
                p.first = pick_first(country, p.gender)
                p.last = last if (k == 0 or rng.random() < 0.85) else pick_last(country)
                if k > 0 and rng.random() < 0.08 and members[0].gender == p.gender:
                    p.first = members[0].first  # junior / senior: same name, same home
                p.country, p.city, p.postcode, p.street = country, city, postcode, street
                y = rng.randint(1948, 2004) if k == 0 else rng.randint(1948, 2006)
                p.dob = f"{y:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                p.mobile = make_phone(rng, country, "mobile") if rng.random() < 0.85 else None
                p.direct = None
                p.company, p.work_email = None, None
                p.job = rng.choice(JOBS)
                p.household = len(self.households)
                members.append(p)
                self.people.append(p)
            for p in members:
                p.personal_email = self.new_personal_email(p)
            if family_mailbox:
                # one mailbox for the family: the first member's, or a family address
                if rng.random() < 0.5:
                    box = members[0].personal_email
                else:
                    box = self.unique_email(local_part(last) + rng.choice(["family", "fam", "house", "s"]),
                                            rng.choices(*zip(*FREEMAIL[country]))[0])
                for p in members:
                    if rng.random() < 0.8:
                        p.personal_email = box
            self.households.append(dict(members=[p.pid for p in members], home=home,
                                        mailbox=family_mailbox is not None))
        # Namesakes on purpose: some people take the full name of someone else, half of them
        # at that person's employer (decided below when the employer is drawn).
        self.namesake_of = {}
        for p in self.people:
            if rng.random() < 0.12:
                q = rng.choice(self.people)
                if q.pid != p.pid and q.household != p.household:
                    p.first, p.last = q.first, q.last
                    p.personal_email = self.new_personal_email(p)
                    self.namesake_of[p.pid] = q.pid
        # Employment: 75% work somewhere (named namesakes at the original's company half the time).
        ordered = [p for p in self.people if p.pid not in self.namesake_of] + \
                  [p for p in self.people if p.pid in self.namesake_of]
        for p in ordered:
            if rng.random() < 0.75:
                c = None
                if p.pid in self.namesake_of and rng.random() < 0.5:
                    c = self.people[self.namesake_of[p.pid]].company
                if c is None:
                    c = self.companies[rng.choices(range(n_comp), cum_weights=comp_cum)[0]]
                p.company = c
                c.staff.append(p.pid)
        for p in self.people:
            if p.company:
                p.work_email = self.new_work_email(p)
                if rng.random() < 0.3:
                    p.direct = make_phone(rng, p.company.country, "landline")
        self.by_pid = {p.pid: p for p in self.people}

    def unique_email(self, local, domain):
        candidate = f"{local}@{domain}"
        n = 1
        while candidate in self.used_emails:
            n += 1
            candidate = f"{local}{n}@{domain}"
        self.used_emails.add(candidate)
        return candidate

    def new_personal_email(self, p):
        rng = self.rng
        domain = rng.choices(*zip(*FREEMAIL[p.country]))[0]
        f, l = local_part(p.first), local_part(p.last)
        local = rng.choice([f"{f}.{l}", f"{f}{l}", f"{f[0]}{l}", f"{f}_{l}", f"{f}.{l}{p.dob[2:4]}",
                            f"{l}.{f}", f"{f}{rng.randint(1, 999)}", f"{f}{l}{p.dob[:4]}"])
        return self.unique_email(local, domain)

    def new_work_email(self, p):
        rng = self.rng
        f, l = local_part(p.first), local_part(p.last)
        local = rng.choice([f"{f}.{l}", f"{f}.{l}", f"{f[0]}{l}", f"{f}"])
        return self.unique_email(local, p.company.domain)


def postcode_for(rng, country, prefix):
    if country == "US":
        return prefix + digits(rng, 2)
    if country in ("DE", "FR"):
        return prefix + digits(rng, 2)
    if country == "AU":
        return prefix + digits(rng, 1)
    if country == "CA":
        return f"{prefix} {rng.randint(1, 9)}{rng.choice('ABCEGHJKLMNPRSTVXY')}{rng.randint(1, 9)}"
    return f"{prefix} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXY')}{rng.choice('ABDEFGHJLNPQRSTUWXY')}"


# ---------------------------------------------------------------- rendering rows
def render_email(rng, email):
    local, domain = email.split("@")
    if domain == "gmail.com":
        r = rng.random()
        if r < 0.15:
            local = local.replace(".", "")
            cuts = sorted(rng.sample(range(1, len(local)), min(2, len(local) - 1)))
            local = ".".join([local[:cuts[0]], local[cuts[0]:]] if rng.random() < 0.6 or len(cuts) < 2 else
                             [local[:cuts[0]], local[cuts[0]:cuts[1]], local[cuts[1]:]])
        if rng.random() < 0.05:
            domain = "googlemail.com"
    if domain in PLUS_PROVIDERS and rng.random() < 0.15:
        local += "+" + rng.choice(TAGS)
    text = f"{local}@{domain}"
    r = rng.random()
    if r < 0.07:
        text = text.upper()
    elif r < 0.2:
        text = text[0].upper() + text[1:]
    if rng.random() < 0.04:
        text = " " + text + " "
    if rng.random() < 0.025:  # a typo: a different mailbox after normalization
        local2 = typo(rng, local)
        text = f"{local2}@{domain}" if local2 != local else text
    return text


def render_first(rng, p, nick, source):
    name = p.first
    r = rng.random()
    if r < 0.16 and nick.get(name):
        name = rng.choice(nick[name])
    elif r < 0.19 and source in ("event_attendees", "partner_contacts"):
        name = name[0] + "."
    if rng.random() < 0.035:
        name = typo(rng, name)
    if rng.random() < 0.3 and any(c in name for c in "éçüöèë"):
        name = ascii_fold(name)
    if source == "partner_contacts" and rng.random() < 0.5:
        return name.upper()
    return case_variant(rng, name)


def render_last(rng, p, source):
    name = p.last
    if rng.random() < 0.035:
        name = typo(rng, name)
    if rng.random() < 0.3 and any(c in name for c in "äöüéèç"):
        name = ascii_fold(name)
    if source == "partner_contacts" and rng.random() < 0.5:
        return name.upper()
    return case_variant(rng, name)


class Feed:
    """The rows of one feed (feed 1: the first load; feed 2: new touches of the same people)."""

    def __init__(self, pop, seed, feed=1, rows_per_person=1.95):
        self.pop, self.feed = pop, feed
        rng = self.rng = random.Random(seed * 7919 + feed)
        self.rows = {t: [] for t in SOURCES}   # table -> list of dicts (column -> value)
        self.truth = []                        # (table, pk, person, feed)
        self.used = {}                         # person -> {"switchboard", "home", "mailbox"}
        next_pk = feed * 10_000_000
        ext_seq = {t: feed * 1_000_000 for t in SOURCES}
        self.partner_ids = getattr(pop, "partner_ids", {})
        pop.partner_ids = self.partner_ids
        counts = [1, 2, 3, 4, 5, 6]
        # mean ~2.1 rows per person in feed 1; ~1.0 in a later feed
        weights = [40, 30, 17, 8, 3, 2] if feed == 1 else [60, 22, 5, 1, 0, 0]
        events = []
        for p in pop.people:
            n = rng.choices(counts, weights)[0]
            if feed > 1 and rng.random() < 0.25:
                n = 0
            for _ in range(n):
                events.append(p)
        rng.shuffle(events)
        for p in events:
            src = self.pick_source(p)
            row = self.render(p, src, ext_seq)
            next_pk += 1
            row[SOURCES[src][0]] = next_pk
            self.add(src, row, p.pid)
            if rng.random() < 0.035:   # a replay of the same event: same idempotency key, new row id
                dup = dict(row)
                next_pk += 1
                dup[SOURCES[src][0]] = next_pk
                self.add(src, dup, p.pid)

    def add(self, src, row, pid):
        self.rows[src].append(row)
        self.truth.append((src, row[SOURCES[src][0]], pid, self.feed))

    def pick_source(self, p):
        rng = self.rng
        if p.company is None:
            return rng.choices(["web_leads", "ad_leads", "event_attendees", "partner_contacts"], [50, 38, 4, 8])[0]
        return rng.choices(["web_leads", "ad_leads", "event_attendees", "partner_contacts"], [32, 22, 24, 22])[0]

    def phone_for(self, p, src):
        rng = self.rng
        pop = self.pop
        home = pop.households[p.household]["home"]
        options = []
        if src == "web_leads":
            options = [(p.mobile, 50), (home, 15), (p.company and p.company.switchboard, 6), (p.direct, 5), (None, 45)]
        elif src == "ad_leads":
            options = [(p.mobile, 70), (home, 6), (None, 24)]
        elif src == "event_attendees":
            options = [(p.mobile, 45), (p.company and p.company.switchboard, 18), (p.direct, 12), (None, 25)]
        else:
            options = [(p.company and p.company.switchboard, 20), (p.direct, 15), (p.mobile, 30), (home, 10), (None, 25)]
        options = [(ph, w) for ph, w in options if ph is not None or w == options[-1][1]]
        return rng.choices([o[0] for o in options], [o[1] for o in options])[0]

    def email_for(self, p, src):
        rng = self.rng
        if src == "web_leads":
            opts = [(p.personal_email, 55), (p.work_email, 40), (None, 5)]
        elif src == "ad_leads":
            opts = [(p.personal_email, 80), (p.work_email, 8), (None, 12)]
        elif src == "event_attendees":
            opts = [(p.work_email, 75), (p.personal_email, 13), (None, 12)]
        else:
            opts = [(p.work_email, 55), (p.personal_email, 20), (None, 25)]
        opts = [(e, w) for e, w in opts if e is not None or w == opts[-1][1]]
        e = rng.choices([o[0] for o in opts], [o[1] for o in opts])[0]
        if e is not None and e == p.personal_email:
            self.used.setdefault(p.pid, set()).add("mailbox")
        return render_email(rng, e) if e else None

    def render(self, p, src, ext_seq):
        rng, pop = self.rng, self.pop
        phone = self.phone_for(p, src)
        marks = self.used.setdefault(p.pid, set())
        if phone is not None and p.company is not None and phone is p.company.switchboard:
            marks.add("switchboard")
        if phone is not None and phone is pop.households[p.household]["home"]:
            marks.add("home")
        phone_text, country = None, p.country
        if phone is not None:
            intl_bias = {"web_leads": 0.25, "ad_leads": 0.8, "event_attendees": 0.5, "partner_contacts": 0.3}[src]
            if phone.country != p.country:
                intl_bias = max(intl_bias, 0.5)
            phone_text, national = render_phone(rng, phone, intl_bias, p.country)
            if phone_text.startswith("00"):
                country = p.country
            elif national:
                country = phone.country
            elif rng.random() < 0.15:
                country = None  # an international number needs no country column
        elif rng.random() < 0.05:
            country = None
        email = self.email_for(p, src)
        first, last = render_first(rng, p, pop.nick, src), render_last(rng, p, src)
        ext_seq[src] += 1
        key = f"{src.split('_')[0]}-{self.feed}-{ext_seq[src]:07d}-{rng.randrange(16 ** 6):06x}"
        company = p.company and rng.choice(p.company.variants)
        city = p.city if rng.random() < 0.9 else (p.city.lower() if rng.random() < 0.5 else ascii_fold(p.city))
        if src == "web_leads":
            return {"submission_ref": f"WF-{ext_seq[src]}-{rng.randrange(1000):03d}", "email_address": email,
                    "phone_number": phone_text, "country_code": country, "given_name": first,
                    "family_name": last, "company_name": company if rng.random() < 0.6 else None,
                    "city": city if rng.random() < 0.5 else None,
                    "postal_code": p.postcode if rng.random() < 0.4 else None, "request_id": key}
        if src == "ad_leads":
            return {"platform_lead_id": str(rng.randrange(10 ** 15, 10 ** 16)), "email": email,
                    "phone": phone_text, "country": country, "fname": first, "lname": last,
                    "city": city if rng.random() < 0.3 else None, "event_id": key}
        if src == "event_attendees":
            return {"badge_id": f"B{ext_seq[src]:08d}", "work_email": email, "mobile": phone_text,
                    "country_iso": country, "first": first, "last": last,
                    "organization": company, "job_title": p.job if rng.random() < 0.7 else None,
                    "city": city if rng.random() < 0.4 else None, "scan_id": key}
        # partner CSV: its contact id is stable per person (a re-sent contact keeps it)
        pid_key = p.pid
        if pid_key not in self.partner_ids or rng.random() < 0.2:
            self.partner_ids[pid_key] = f"PC{rng.randrange(10 ** 9):09d}"
        dob = p.dob if rng.random() < 0.7 else None
        if dob and rng.random() < 0.05:
            y, m, d = dob.split("-")
            if int(d) <= 12:
                dob = f"{y}-{d}-{m}"   # day and month swapped
        return {"partner_contact_id": self.partner_ids[pid_key], "contact_email": email,
                "tel": phone_text, "iso_country": country, "firstname": first, "surname": last,
                "employer": company, "dob": dob,
                "street": p.street if rng.random() < 0.6 else None,
                "zip": p.postcode if rng.random() < 0.7 else None,
                "town": city if rng.random() < 0.8 else None, "import_line_id": key}


def hard_negative_pairs(pop, feeds):
    """Pairs of different people who look alike, with the kind of trap, for people who
    appear in the given feeds. Kinds: namesake_same_company, namesake_other_company,
    switchboard, family_mailbox, family_phone."""
    used = {}
    for f in feeds:
        for pid, marks in f.used.items():
            used.setdefault(pid, set()).update(marks)
    present = set(pid for f in feeds for (_, _, pid, _) in f.truth)
    pairs = {}

    def add(a, b, kind):
        if a == b or a not in present or b not in present:
            return
        key = (min(a, b), max(a, b))
        pairs.setdefault(key, kind)

    by_name = {}
    for p in pop.people:
        by_name.setdefault((p.first, p.last), []).append(p)
    for group in by_name.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                same = a.company is not None and a.company is b.company
                add(a.pid, b.pid, "namesake_same_company" if same else "namesake_other_company")
    for c in pop.companies:
        staff = [pid for pid in c.staff if "switchboard" in used.get(pid, ())]
        for i, a in enumerate(staff):
            for b in staff[i + 1:]:
                add(a, b, "switchboard")
    for h in pop.households:
        m = h["members"]
        for i, a in enumerate(m):
            for b in m[i + 1:]:
                pa, pb = pop.by_pid[a], pop.by_pid[b]
                if pa.personal_email == pb.personal_email and "mailbox" in used.get(a, ()) \
                        and "mailbox" in used.get(b, ()):
                    add(a, b, "family_mailbox")
                elif "home" in used.get(a, ()) and "home" in used.get(b, ()):
                    add(a, b, "family_phone")
    return pairs


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    people = int(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 3 else 1
    feed_no = int(sys.argv[3]) if len(sys.argv) > 4 else 1
    out = sys.argv[-1]
    os.makedirs(out, exist_ok=True)
    pop = Population(people, seed)
    feeds = [Feed(pop, seed, f) for f in range(1, feed_no + 1)]
    feed = feeds[-1]
    for table, cols in SOURCES.items():
        with open(os.path.join(out, table + ".csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(cols)
            for row in feed.rows[table]:
                w.writerow([row.get(c) for c in cols])
    with open(os.path.join(out, "truth.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source_table", "row_pk", "person", "feed"])
        w.writerows(feed.truth)
    with open(os.path.join(out, "hard_negatives.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["person_a", "person_b", "kind"])
        for (a, b), kind in sorted(hard_negative_pairs(pop, feeds).items()):
            w.writerow([a, b, kind])


if __name__ == "__main__":
    main()

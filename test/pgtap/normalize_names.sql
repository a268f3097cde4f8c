-- Names, companies, nicknames, Double Metaphone: NULLs, odd and huge inputs, nicknames, and
-- agreement with fuzzystrmatch's dmetaphone()/dmetaphone_alt() on every FEBRL name.
BEGIN;
SELECT plan(31);

-- STRICT: NULL in, NULL out
SELECT is(dedupe.normalize_name(NULL), NULL, 'normalize_name(NULL) is NULL');
SELECT is(dedupe.normalize_company(NULL), NULL, 'normalize_company(NULL) is NULL');
SELECT is(dedupe.canonical_first_name(NULL), NULL, 'canonical_first_name(NULL) is NULL');
SELECT is(dedupe.first_name_variants(NULL), NULL, 'first_name_variants(NULL) is NULL');
SELECT is(dedupe.double_metaphone(NULL), NULL, 'double_metaphone(NULL) is NULL');

-- empty and whitespace-only
SELECT is(dedupe.normalize_name(E' \t\n '), '', 'whitespace-only name is empty');
SELECT is(dedupe.normalize_company(''), '', 'empty company is empty');
SELECT is(dedupe.canonical_first_name('   '), '', 'whitespace-only first name is empty');
SELECT is(dedupe.double_metaphone(E'\t'), ARRAY['', ''], 'whitespace has empty codes');

-- odd Unicode: combining marks, emoji, RTL, NUL-free control characters, full-width
SELECT is(dedupe.normalize_name(E'Zo\u0308e \U0001F600'), 'zoe', 'combining mark and emoji');
SELECT is(dedupe.normalize_name('ＪＯＨＮ　ＳＭＩＴＨ'), 'john smith', 'full-width letters and space');
SELECT is(dedupe.normalize_company(E'\u200FACME\u200E, Inc.'), 'acme', 'bidi marks dropped');
SELECT is(dedupe.canonical_first_name('Ｂｏｂ'), 'robert', 'full-width nickname');
SELECT is(dedupe.double_metaphone(E'\u0301\u0301'), ARRAY['', ''], 'lone combining marks');
SELECT ok(dedupe.normalize_name('محمد') <> '', 'Arabic is transliterated');

-- 1 MB inputs: no crash, sensible output, backend alive afterwards
SELECT is(length(dedupe.normalize_name(repeat('Žofie-Ann ', 100000))), 999999, '1 MB name');
SELECT is(length(dedupe.normalize_company(repeat('ab & c ', 150000))), 1349999, '1 MB company');
SELECT is(dedupe.canonical_first_name(repeat('bob ', 250000)), btrim(repeat('bob ', 250000)),
          '1 MB first name passes through');
SELECT is(dedupe.double_metaphone(repeat('Schmidt ', 130000)), ARRAY['XMTX', 'SMTX'], '1 MB metaphone');
SELECT is(array_length(dedupe.double_metaphone(repeat('x', 1000000), 0), 1), 2, '1 MB unlimited codes');
SELECT is(dedupe.normalize_name('still alive'), 'still alive', 'backend alive after huge inputs');

-- nicknames
SELECT is(dedupe.canonical_first_name('Bob'), 'robert', 'Bob -> robert');
SELECT is(dedupe.canonical_first_name('Bobby'), 'robert', 'Bobby -> robert');
SELECT is(dedupe.canonical_first_name('Dr. Rob'), 'robert', 'title dropped before lookup');
SELECT is(dedupe.canonical_first_name('Zbigniew'), 'zbigniew', 'unknown name passes through');
SELECT ok(dedupe.first_name_variants('Bill') && dedupe.first_name_variants('William'),
          'Bill and William share a variant');
SELECT ok(NOT (dedupe.first_name_variants('Bob') && dedupe.first_name_variants('William')),
          'Bob and William share none');

-- errors
SELECT throws_ok($$ SELECT dedupe.double_metaphone('x', -4) $$, '22023', NULL,
                 'negative max_length is 22023');

-- Agreement with fuzzystrmatch on every distinct given name and surname of FEBRL dataset3.
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
CREATE TEMP TABLE febrl (rec_id text, given_name text, surname text, street_number text,
  address_1 text, address_2 text, suburb text, postcode text, state text, date_of_birth text,
  soc_sec_id text) ON COMMIT DROP;
\copy febrl FROM 'test/data/febrl/dataset3.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE febrl_names ON COMMIT DROP AS
  SELECT DISTINCT btrim(n) AS name FROM febrl, LATERAL (VALUES (given_name), (surname)) v(n)
  WHERE btrim(n) <> '';
SELECT cmp_ok((SELECT count(*) FROM febrl_names), '>', 2000::bigint, 'FEBRL names loaded');
SELECT is_empty($$
  SELECT name, dedupe.double_metaphone(name), dmetaphone(name), dmetaphone_alt(name)
  FROM febrl_names WHERE (dedupe.double_metaphone(name))[1] IS DISTINCT FROM dmetaphone(name) $$,
  'primary code equals dmetaphone() on every FEBRL name');
SELECT is_empty($$
  SELECT name, dedupe.double_metaphone(name), dmetaphone(name), dmetaphone_alt(name)
  FROM febrl_names WHERE (dedupe.double_metaphone(name))[2] IS DISTINCT FROM dmetaphone_alt(name) $$,
  'alternate code equals dmetaphone_alt() on every FEBRL name');

SELECT * FROM finish();
ROLLBACK;

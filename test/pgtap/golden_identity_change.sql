-- An UPDATE that turns a golden record's only member into someone who already has a golden
-- record: it is matched again like a new row (link when certain, review when in doubt), and
-- the golden record it leaves empty is absorbed with a golden_merges row.
BEGIN;
SELECT plan(24);
SET LOCAL search_path = public, dedupe;
-- This file's review items come from the same name and nothing else (a match probability of
-- about 0.54), which the default review threshold (0.8) leaves to a golden record of its own.
INSERT INTO dedupe.settings VALUES ('review_threshold', '0.5');

CREATE TABLE ic_crm (id int PRIMARY KEY, email text, phone text, first_name text, last_name text);
SELECT dedupe.watch('ic_crm', 'ic_crm', id_column => 'id', email => 'email', phone => 'phone',
                    first_name => 'first_name', last_name => 'last_name');
\set source ic_crm
\ir lib/rows_of_source.psql

-- Certain: the only member of B becomes Alice (same email, same name): it joins A, B goes.
INSERT INTO ic_crm VALUES (1, 'alice@ic.example', NULL, 'Alice', 'Sandoval'),
                          (2, 'bob@ic.example', NULL, 'Bob', 'Okafor');
CREATE TEMP TABLE before_update AS SELECT pg_temp.golden_of(1) AS a, pg_temp.golden_of(2) AS b;
SELECT isnt(a, b, 'two people, two golden records') FROM before_update;
UPDATE ic_crm SET email = 'Alice@IC.example', first_name = 'Alice', last_name = 'Sandoval' WHERE id = 2;
SELECT is(pg_temp.golden_of(2), a, 'the updated row joins Alice''s golden record') FROM before_update;
SELECT is((SELECT count(*) FROM dedupe.golden_records WHERE email = 'alice@ic.example'), 1::bigint,
  'one golden record holds Alice''s email');
SELECT ok(NOT EXISTS (SELECT FROM dedupe.golden_records g, before_update WHERE g.golden_id = b),
  'the golden record left empty is gone');
SELECT is((SELECT m.kept_id FROM dedupe.golden_merges m, before_update WHERE m.absorbed_id = b), a,
  'golden_merges says it went into Alice''s') FROM before_update;
SELECT is(dedupe.surviving_golden(b), a, 'so references to it follow') FROM before_update;
SELECT ok(EXISTS (SELECT FROM dedupe.audit_log l, before_update
                  WHERE l.decision = 'golden_merged' AND (l.inputs->>'absorbed')::bigint = b),
  'the absorption is audited');

-- In doubt: the only member of D becomes Carol's namesake, with a phone instead of an email
-- (nothing for, nothing against): a review item; it stays in D until a human decides, and
-- approving moves it and absorbs D.
INSERT INTO ic_crm VALUES (3, 'carol@ic.example', NULL, 'Carol', 'Lindqvist'),
                          (4, 'dan@ic.example', NULL, 'Dan', 'Mbeki');
CREATE TEMP TABLE doubt AS SELECT pg_temp.golden_of(3) AS c, pg_temp.golden_of(4) AS d;
UPDATE ic_crm SET email = NULL, phone = '+1 415 555 0144', first_name = 'Carol', last_name = 'Lindqvist' WHERE id = 4;
SELECT is((SELECT q.golden_id FROM dedupe.review_queue q WHERE q.record_id = pg_temp.record_of(4) AND q.status = 'open'),
  c, 'the same name and nothing else: a review item against Carol''s golden record') FROM doubt;
SELECT is(pg_temp.golden_of(4), d, 'the record stays in its golden record meanwhile') FROM doubt;
SELECT is((SELECT phone FROM dedupe.golden_records g, doubt WHERE g.golden_id = d), '+14155550144',
  'whose values follow the row') FROM doubt;
SELECT is(dedupe.approve((SELECT item_id FROM dedupe.review_queue WHERE record_id = pg_temp.record_of(4) AND status = 'open')),
  c, 'approve links it to Carol''s golden record') FROM doubt;
SELECT is(pg_temp.golden_of(4), c, 'it is a member there') FROM doubt;
SELECT is(dedupe.surviving_golden(d), c, 'and its old golden record was absorbed into Carol''s') FROM doubt;

-- In doubt and rejected: the record keeps its golden record; the pair is remembered.
INSERT INTO ic_crm VALUES (5, 'erin@ic.example', NULL, 'Erin', 'Castellano'),
                          (6, 'finn@ic.example', NULL, 'Finn', 'Adeyemi');
CREATE TEMP TABLE rejected AS SELECT pg_temp.golden_of(5) AS e, pg_temp.golden_of(6) AS f;
UPDATE ic_crm SET email = NULL, phone = '+1 415 555 0166', first_name = 'Erin', last_name = 'Castellano' WHERE id = 6;
SELECT is(dedupe.reject((SELECT item_id FROM dedupe.review_queue WHERE record_id = pg_temp.record_of(6) AND status = 'open')),
  f, 'reject keeps the record in its own golden record') FROM rejected;
SELECT is(pg_temp.golden_of(6), f, 'still linked there') FROM rejected;
SELECT ok(EXISTS (SELECT FROM dedupe.distinct_pairs p, rejected WHERE p.record_id = pg_temp.record_of(6) AND p.golden_id = e),
  'and never proposed for Erin''s again');

-- A new identity nobody else has: the same golden record, new values.
INSERT INTO ic_crm VALUES (7, 'gus@ic.example', NULL, 'Gus', 'Ferreira');
CREATE TEMP TABLE alone AS SELECT pg_temp.golden_of(7) AS g;
UPDATE ic_crm SET email = 'gustavo@ic.example', first_name = 'Gustavo' WHERE id = 7;
SELECT is(pg_temp.golden_of(7), g, 'a new identity of its own keeps its golden record') FROM alone;
SELECT is((SELECT email FROM dedupe.golden_records gr, alone WHERE gr.golden_id = g), 'gustavo@ic.example',
  'with the new values') FROM alone;

-- In doubt after leaving a shared golden record: the second member of H becomes Ivo's namesake
-- with a phone. It leaves H and, while a human decides, is in a golden record of its own (it
-- used to be in none: the review item was its only trace).
INSERT INTO ic_crm VALUES (8, 'hana@ic.example', NULL, 'Hana', 'Kowalczyk'),
                          (9, 'hana@ic.example', NULL, 'Hana', 'Kowalczyk'),
                          (10, 'ivo@ic.example', NULL, 'Ivo', 'Marangoni');
CREATE TEMP TABLE shared AS SELECT pg_temp.golden_of(8) AS h, pg_temp.golden_of(10) AS i;
SELECT is(pg_temp.golden_of(9), h, 'two rows of Hana share a golden record') FROM shared;
UPDATE ic_crm SET email = NULL, phone = '+1 415 555 0177', first_name = 'Ivo', last_name = 'Marangoni' WHERE id = 9;
SELECT ok(EXISTS (SELECT FROM dedupe.review_queue WHERE record_id = pg_temp.record_of(9) AND status = 'open'),
  'the changed row waits for a human');
SELECT ok(pg_temp.golden_of(9) IS NOT NULL AND pg_temp.golden_of(9) NOT IN (h, i),
  'and meanwhile is in a golden record of its own') FROM shared;
SELECT is(pg_temp.golden_of(8), h, 'Hana''s golden record keeps its other member') FROM shared;
SELECT is(dedupe.approve((SELECT item_id FROM dedupe.review_queue WHERE record_id = pg_temp.record_of(9) AND status = 'open')),
  i, 'approve moves it to Ivo''s golden record') FROM shared;

-- Every golden record of this table has a member, and none shares an email with another.
SELECT is((SELECT count(*) FROM dedupe.golden_records g WHERE NOT EXISTS
            (SELECT FROM dedupe.record_links l WHERE l.golden_id = g.golden_id)), 0::bigint,
  'no golden record is left without members');

SELECT * FROM finish();
ROLLBACK;

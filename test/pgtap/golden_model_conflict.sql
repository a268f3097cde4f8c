-- A row the model matches above the link threshold with two golden records (one person split
-- in two before the row that joins them arrived): it joins the golden record it matches best
-- at once, and a conflict item proposes merging the two. Approve merges them; reject takes the
-- row out of the golden record it joined and remembers it as distinct from both.
BEGIN;
SELECT plan(12);
SET LOCAL search_path = public, dedupe;

CREATE TABLE mc_crm (id int PRIMARY KEY, email text, first_name text, last_name text, dob date, zip text);
SELECT dedupe.watch('mc_crm', 'mc_crm', id_column => 'id', email => 'email', first_name => 'first_name',
                    last_name => 'last_name', roles => '{"date_of_birth": "dob", "postcode": "zip"}');
\set source mc_crm
\ir lib/rows_of_source.psql

-- One person in two golden records: written together, then taken apart by a human.
INSERT INTO mc_crm VALUES (1, 'emma.louca@a.example', 'Emma', 'Louca', '1959-03-08', '3377'),
                          (2, 'elouca@b.example', 'Emma', 'Louca', '1959-03-08', NULL);
SELECT is(pg_temp.golden_of(2), pg_temp.golden_of(1), 'the same name and date of birth link');
SELECT isnt(dedupe.unmerge(pg_temp.record_of(2), 'split for the test'), pg_temp.golden_of(1),
  'a human takes the second row out');
CREATE TEMP TABLE split AS SELECT pg_temp.golden_of(1) AS a, pg_temp.golden_of(2) AS b;

INSERT INTO mc_crm VALUES (3, 'em.l@c.example', 'Emma', 'Louca', '1959-03-08', '3377');
SELECT is(pg_temp.golden_of(3), a, 'the row joins the golden record it matches best (the postcode agrees there)') FROM split;
SELECT is((pg_temp.item_of(3)).kind, 'conflict', 'a conflict item is open for it');
SELECT is((pg_temp.item_of(3)).rule, 'match_probability_names_several_golden_records', '... found by the model');
SELECT is((SELECT array_agg(c ORDER BY c) FROM unnest((pg_temp.item_of(3)).conflicting) c), ARRAY[least(a, b), greatest(a, b)],
  '... naming both golden records') FROM split;
SELECT is((SELECT a.rule FROM dedupe.audit_log a WHERE a.record_id = pg_temp.record_of(3) AND a.decision = 'linked'),
  'match_probability:in_review', 'the link is audited as waiting for review');

-- Reject: a different person after all; it leaves the golden record it joined.
SELECT dedupe.reject((pg_temp.item_of(3)).item_id);
SELECT ok(pg_temp.golden_of(3) NOT IN (a, b), 'rejected, the row has a golden record of its own') FROM split;
SELECT is((SELECT count(*) FROM dedupe.distinct_pairs d, split
            WHERE d.record_id = pg_temp.record_of(3) AND d.golden_id IN (a, b)), 2::bigint,
  '... and is remembered as distinct from both');
SELECT is((SELECT count(*) FROM dedupe.record_links l, split WHERE l.golden_id = a), 1::bigint,
  'the golden record it left holds its first member again');

-- Approve: the next such row's item merges the two.
INSERT INTO mc_crm VALUES (4, 'emma@d.example', 'Emma', 'Louca', '1959-03-08', '3377');
SELECT is((pg_temp.item_of(4)).kind, 'conflict', 'the next row is a conflict too');
SELECT dedupe.approve((pg_temp.item_of(4)).item_id);
SELECT is(pg_temp.golden_of(1), pg_temp.golden_of(2), 'approved: one golden record holds both halves')
  FROM split;

SELECT * FROM finish();
ROLLBACK;

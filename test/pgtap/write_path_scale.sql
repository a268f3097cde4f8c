-- The write path's cost does not grow with the golden records: a row that joins a golden
-- record, a new person and an update each read the tables they match against by index, never
-- whole. Its plans are generic (plan_cache_mode = force_generic_plan, planned once per session)
-- and cannot rely on a parameter's value to choose an index: a recomputation that hashed all of
-- golden_records made every write of a 20,000-person feed read all of it.
BEGIN;
SELECT plan(9);

CREATE TABLE public.sc_leads (id int PRIMARY KEY, email text, phone text, first_name text,
                              last_name text);
SELECT NULL FROM dedupe.watch('public.sc_leads', 'sc', id_column => 'id', email => 'email',
                              phone => 'phone', first_name => 'first_name',
                              last_name => 'last_name');
-- 3,000 people, in one statement (the golden records of people without candidates are written
-- set-based), then statistics that say so.
INSERT INTO public.sc_leads
SELECT g, 'p' || g || '@scale.example', '+1 303 555 ' || lpad(g::text, 4, '0'),
       (ARRAY['Ada', 'Boris', 'Celia', 'Dmitri', 'Esme', 'Farid', 'Greta', 'Hugo'])[1 + g % 8],
       (ARRAY['Quist', 'Rourke', 'Szabo', 'Tiller', 'Ulmer', 'Vance', 'Weber', 'Young',
              'Zhang', 'Abel', 'Bauer', 'Cohen', 'Dietz', 'Engel', 'Falk'])[1 + g % 15] || g % 97
FROM generate_series(1, 3000) g;
ANALYZE dedupe.records, dedupe.golden_records, dedupe.record_links;

-- Rows read by sequential scans of the write path's tables in this transaction so far.
CREATE FUNCTION pg_temp.rows_read_whole() RETURNS bigint LANGUAGE sql AS $$
  SELECT sum(seq_tup_read)::bigint FROM pg_catalog.pg_stat_xact_user_tables
  WHERE schemaname = 'dedupe' AND relname IN ('records', 'golden_records', 'record_links') $$;
CREATE TEMP TABLE read_whole (step text PRIMARY KEY, n bigint);

INSERT INTO read_whole VALUES ('before', pg_temp.rows_read_whole());
INSERT INTO public.sc_leads VALUES (5001, 'P17@Scale.example', NULL, 'Boris', 'Szabo17');
INSERT INTO read_whole VALUES ('joined', pg_temp.rows_read_whole());
INSERT INTO public.sc_leads VALUES (5002, 'nobody@elsewhere.example', NULL, 'Ines', 'Moser');
INSERT INTO read_whole VALUES ('new', pg_temp.rows_read_whole());
UPDATE public.sc_leads SET last_name = 'Szabo-Quist17' WHERE id = 5001;
INSERT INTO read_whole VALUES ('updated', pg_temp.rows_read_whole());

SELECT is((SELECT count(DISTINCT l.golden_id) FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)
           WHERE r.source = 'sc' AND r.source_pk IN ('17', '5001')), 1::bigint,
  'the row with a known email joined that person''s golden record');
SELECT cmp_ok((SELECT n FROM read_whole WHERE step = 'joined') - (SELECT n FROM read_whole WHERE step = 'before'),
  '<', 100::bigint, 'joining a golden record reads no table of the write path whole');
SELECT cmp_ok((SELECT n FROM read_whole WHERE step = 'new') - (SELECT n FROM read_whole WHERE step = 'joined'),
  '<', 100::bigint, 'nor does starting one');
SELECT cmp_ok((SELECT n FROM read_whole WHERE step = 'updated') - (SELECT n FROM read_whole WHERE step = 'new'),
  '<', 100::bigint, 'nor does an update of a linked row');

-- A name block (phonetic surname and first initial) is read only while it holds at most 100
-- records written before the row: a bigger one says nothing about which of them is the person,
-- and its 50 oldest, read before, cost each row 50 candidates for a lottery's recall.
INSERT INTO public.sc_leads
SELECT 7000 + g, 'k' || g || '@block.example', NULL, 'J' || translate(g::text, '0123456789', 'abcdefghik'), 'Kowalczyk'
FROM generate_series(1, 100) g;
INSERT INTO public.sc_leads VALUES (7200, 'jo@block.example', NULL, 'Jo', 'Kowalczyk');
INSERT INTO public.sc_leads VALUES (7201, 'ju@block.example', NULL, 'Ju', 'Kowalczyk');
CREATE FUNCTION pg_temp.link_rule(pk text) RETURNS text LANGUAGE sql AS $$
  SELECT l.rule FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)
  WHERE r.source = 'sc' AND r.source_pk = pk $$;
SELECT isnt(pg_temp.link_rule('7200'), 'new_golden_record:no_candidate',
  'a row is compared with a name block of 100 earlier records');
SELECT is(pg_temp.link_rule('7201'), 'new_golden_record:no_candidate',
  'but not with one of 101');

-- Without owner rules a new golden record is written once, with the default owner: no second
-- row version (and no second entry in golden_records_key_idx) to set it. With a rule, the owner
-- is still chosen from the values the golden record starts with.
CREATE FUNCTION pg_temp.golden_updates() RETURNS bigint LANGUAGE sql AS $$
  SELECT n_tup_upd FROM pg_catalog.pg_stat_xact_user_tables
  WHERE schemaname = 'dedupe' AND relname = 'golden_records' $$;
CREATE TEMP TABLE updates AS SELECT pg_temp.golden_updates() AS before;
INSERT INTO public.sc_leads
SELECT 8000 + g, 'o' || g || '@owners.example', NULL, 'Olga', 'Nyberg' || g FROM generate_series(1, 20) g;
INSERT INTO public.sc_leads VALUES (8100, 'solo@owners.example', NULL, 'Solveig', 'Ostrander');
SELECT is(pg_temp.golden_updates() - (SELECT before FROM updates), 0::bigint,
  'new golden records, set-based and one by one, are written once when no owner rule exists');
SELECT is((SELECT DISTINCT g.owner FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)
           JOIN dedupe.golden_records g USING (golden_id)
           WHERE r.source = 'sc' AND r.source_pk::int BETWEEN 8000 AND 8100), 'unassigned',
  'with the default owner');
INSERT INTO dedupe.owner_rules (priority, attribute, op, pattern, owner)
VALUES (1, 'email', '~', '@owners[.]example$', 'owners-desk');
INSERT INTO public.sc_leads VALUES (8101, 'duo@owners.example', NULL, 'Dagny', 'Ostrander'),
                                   (8102, 'trio@owners.example', NULL, 'Tove', 'Ostrander');
INSERT INTO public.sc_leads VALUES (8103, 'quattro@owners.example', NULL, 'Quirin', 'Ostrander');
SELECT is((SELECT array_agg(g.owner ORDER BY r.source_pk) FROM dedupe.records r
           JOIN dedupe.record_links l USING (record_id) JOIN dedupe.golden_records g USING (golden_id)
           WHERE r.source = 'sc' AND r.source_pk IN ('8101', '8102', '8103')),
  ARRAY['owners-desk', 'owners-desk', 'owners-desk'], 'a rule still chooses the owner from the values');

SELECT * FROM finish();
ROLLBACK;

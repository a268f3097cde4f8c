-- Batch matching: errors and their SQLSTATEs, and cancellation of a long run.
BEGIN;
SELECT plan(16);
SET LOCAL client_min_messages = warning;

CREATE TEMP TABLE people (id int, given text, family text, born text, town text, code uuid);
INSERT INTO people VALUES (1, 'ann', 'lee', '19900101', 'perth', gen_random_uuid()),
                          (2, 'anne', 'lee', '19900101', 'perth', gen_random_uuid()),
                          (3, 'bob', 'hart', '19700707', 'hobart', gen_random_uuid());
\set m '''{"first_name": "given", "last_name": "family", "date_of_birth": "born", "city": "town"}'''

SELECT throws_ok($$SELECT * FROM dedupe.cluster('people', 'id', '{"first": "given"}')$$,
  '22023', 'unknown role "first" in mapping', 'an unknown role is 22023');
SELECT throws_ok($$SELECT * FROM dedupe.cluster('people', 'id', '"given"')$$,
  '22023', NULL, 'a mapping that is not an object is 22023');
SELECT throws_ok($$SELECT * FROM dedupe.cluster('people', 'id', '{"first_name": ["given"]}')$$,
  '22023', NULL, 'a role mapped to something other than a column name is 22023');
SELECT throws_ok($$SELECT * FROM dedupe.cluster('people', 'id', '{"first_name": "nickname"}')$$,
  '42703', NULL, 'an unknown column is 42703');
SELECT throws_ok($$SELECT * FROM dedupe.cluster('nobody', 'id', '{"first_name": "given"}')$$,
  '42P01', NULL, 'an unknown table is 42P01');
SELECT throws_ok($$SELECT * FROM dedupe.cluster('people', 'code', '{"first_name": "given"}')$$,
  '42804', NULL, 'a uuid id column is 42804');
SELECT throws_ok($$SELECT * FROM dedupe.candidate_pairs('people', 'id', $$ || quote_literal(:m) || $$, min_score => -1)$$,
  '22023', NULL, 'a min_score outside [0, 1] is 22023');
SELECT throws_ok($$SELECT * FROM dedupe.cluster('people', 'id', $$ || quote_literal(:m) || $$, model => 'missing')$$,
  '42704', 'model "missing" does not exist', 'an unknown model is 42704');
SELECT throws_ok($$SELECT * FROM dedupe.cluster('people', 'id', $$ || quote_literal(:m) || $$, blocking => '{phone}')$$,
  '22023', NULL, 'a blocking rule whose role is not mapped is 22023');
SELECT throws_ok($$SELECT * FROM dedupe.train('x', 'people', NULL, '{"first_name": "given"}')$$,
  '22004', 'id_column must not be NULL', 'a NULL id column is 22004');
INSERT INTO dedupe.models VALUES ('broken', '{"lambda": 0.01, "comparisons": [{"role": "city", "levels": [{"level": "exact", "m": 2, "u": 0.1}]}]}');
SELECT throws_ok($$SELECT * FROM dedupe.cluster('people', 'id', '{"city": "town"}', model => 'broken', blocking => '{sorted_given_name}')$$,
  '22023', NULL, 'a stored model with m outside (0, 1] is 22023');
SELECT results_eq($$SELECT id, cluster_id FROM dedupe.cluster('people', 'id', $$ || quote_literal(:m) || $$) ORDER BY id$$,
  $$VALUES (1::bigint, 1::bigint), (2, 2), (3, 3)$$,
  'three rows cluster without error (too few to learn duplicates from)');

-- Cancellation: statement_timeout interrupts a run on 300,000 generated rows; the error is
-- 57014 and the session goes on working.
CREATE FUNCTION pg_temp.sqlstate_of(query text, OUT state text, OUT seconds float8) LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
  EXECUTE query;
  state := 'completed';
  seconds := extract(epoch FROM clock_timestamp() - t0);
EXCEPTION WHEN query_canceled THEN
  state := SQLSTATE;
  seconds := extract(epoch FROM clock_timestamp() - t0);
END $$;
CREATE TEMP TABLE crowd AS
SELECT g AS id, substr(md5(g::text), 1, 6) AS given, substr(md5((g * 7)::text), 1, 8) AS family,
       (19300101 + (g % 700000))::text AS born, substr(md5((g % 997)::text), 1, 5) AS town
FROM generate_series(1, 300000) g;
SET LOCAL statement_timeout = '1500ms';
CREATE TEMP TABLE cancelled AS
SELECT * FROM pg_temp.sqlstate_of($$SELECT count(*) FROM dedupe.cluster('crowd', 'id', $$ || quote_literal(:m) || $$)$$);
SET LOCAL statement_timeout = 0;
SELECT is(state, '57014', 'statement_timeout cancels dedupe.cluster with 57014') FROM cancelled;
SELECT diag('cancelled after ' || round(seconds::numeric, 2) || ' s (timeout 1.5 s)') FROM cancelled;
SET LOCAL statement_timeout = '700ms';
CREATE TEMP TABLE cancelled_train AS
SELECT * FROM pg_temp.sqlstate_of($$SELECT dedupe._estimate_model('crowd', 'id', $$ || quote_literal(:m) || $$)$$);
SET LOCAL statement_timeout = 0;
SELECT is(state, '57014', 'statement_timeout cancels training with 57014') FROM cancelled_train;
SELECT diag('cancelled after ' || round(seconds::numeric, 2) || ' s (timeout 0.7 s)') FROM cancelled_train;
SELECT is((SELECT count(*) FROM dedupe.cluster('people', 'id', :m)), 3::bigint,
  'the session works after a cancelled run');
SELECT is((SELECT count(*) FROM dedupe.models WHERE name = 'x'), 0::bigint, 'a failed train stores nothing');

SELECT * FROM finish();
ROLLBACK;

-- The write path's model estimated from its records without labels: on demand, and when the
-- records doubled (the check the matcher worker and dedupe.match_pending() make).
BEGIN;
SELECT plan(27);

CREATE TABLE public.me_leads (id int PRIMARY KEY, email text, phone text, first_name text,
                              last_name text, company text);
SELECT NULL FROM dedupe.watch('public.me_leads', 'me', id_column => 'id', email => 'email',
                              phone => 'phone', first_name => 'first_name',
                              last_name => 'last_name', company => 'company');
-- Rows lo..hi: every fourth row is the person of the row before it again (same name and phone,
-- another email or none); a person's email or phone may be missing, never both.
CREATE FUNCTION pg_temp.me_rows(lo int, hi int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO public.me_leads
  SELECT g, CASE WHEN g % 5 <> 0 THEN lower(f) || '.' || lower(l) || g || '@mail.example' END,
         CASE WHEN g % 3 <> 0 OR g % 5 = 0 THEN '+1 415 555 ' || lpad((p * 797 % 10000)::text, 4, '0') END,
         f, l, (ARRAY['Acme', 'Globex', 'Initech', 'Umbrella'])[1 + p % 4]
  FROM generate_series(lo, hi) g,
       LATERAL (SELECT CASE WHEN g % 4 = 0 THEN g - 1 ELSE g END AS p) pp,
       LATERAL (SELECT (ARRAY['Alma', 'Boris', 'Cyrus', 'Delia', 'Egon', 'Fiona', 'Greta', 'Hugo',
                              'Ines', 'Jonas', 'Karla', 'Luis', 'Mona', 'Nils', 'Olga', 'Piet',
                              'Rita', 'Sven', 'Tara', 'Ugo'])[1 + p % 20] AS f,
                       (ARRAY['Quist', 'Rourke', 'Szabo', 'Tiller', 'Ulmer', 'Vance', 'Weber',
                              'Xu', 'Young', 'Zhang', 'Abel', 'Bauer', 'Cohen', 'Dietz', 'Engel',
                              'Falk', 'Gruber', 'Hahn', 'Imre', 'Jung', 'Kern', 'Lang', 'Moser',
                              'Nagy', 'Otto', 'Pohl', 'Roth', 'Sauer', 'Thal', 'Ueda'])[1 + (p * 7) % 30] AS l) n
$$;
SELECT pg_temp.me_rows(1, 300);

-- Privileges: only dedupe_admin estimates; the parts behind it are no one else's.
SET LOCAL ROLE dedupe_auditor;
SELECT throws_ok($$ SELECT dedupe.estimate_write_path_model() $$, '42501', NULL,
  'a role with USAGE on dedupe but not dedupe_admin cannot estimate');
SELECT throws_ok($$ SELECT dedupe._estimate_write_path_model() $$, '42501', NULL,
  '... nor call the estimation itself');
RESET ROLE;
SELECT ok(NOT has_function_privilege('dedupe_admin', 'dedupe._estimate_write_path_model()', 'EXECUTE')
          AND NOT has_function_privilege('dedupe_admin', 'dedupe._store_write_path_estimate(text)', 'EXECUTE'),
  'dedupe_admin reaches the estimation only through dedupe.estimate_write_path_model()');
SELECT ok(has_function_privilege('dedupe_admin', 'dedupe.estimate_write_path_model()', 'EXECUTE')
          AND NOT has_function_privilege('public', 'dedupe.estimate_write_path_model()', 'EXECUTE'),
  'dedupe_admin may, PUBLIC may not');
SELECT is((SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p
            WHERE p.pronamespace = 'dedupe'::regnamespace AND p.prosecdef
              AND p.proname IN ('estimate_write_path_model', '_store_write_path_estimate', '_estimate_model_when_due')
              AND p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp']),
  ARRAY['_estimate_model_when_due', '_store_write_path_estimate', 'estimate_write_path_model'],
  'the SECURITY DEFINER functions pin search_path');

-- Too few records: refused, the cold-start model stays.
SELECT throws_ok($$ SELECT dedupe.estimate_write_path_model() $$, '55000',
  'too few records to estimate the write path''s model: 300 valid, at least 1000 are needed',
  'under the minimum (1000 by default) estimation is refused with 55000');
SELECT is(dedupe._estimate_model_when_due(), NULL, 'nothing is due under the minimum');
SELECT is(dedupe.write_path_model(), dedupe.write_path_model(cold_start => true),
  'the cold-start model stays in force');
INSERT INTO dedupe.settings VALUES ('model_estimation_min_records', '99');
SELECT throws_ok($$ SELECT dedupe.estimate_write_path_model() $$, '22023', NULL,
  'a minimum under 100 is refused');
UPDATE dedupe.settings SET value = '200' WHERE name = 'model_estimation_min_records';

-- On demand.
SET LOCAL ROLE dedupe_admin;
SELECT isnt(dedupe.estimate_write_path_model(), NULL, 'dedupe_admin estimates the model on demand');
RESET ROLE;
SELECT is((SELECT params->'estimate'->>'records' FROM dedupe.models WHERE name = 'write_path'), '300',
  'the stored model says how many records it was estimated on');
SELECT is((SELECT params->'training'->>'method' FROM dedupe.models WHERE name = 'write_path'), 'em',
  '... and how');
SELECT is((SELECT concat_ws('|', rule, inputs->>'records', inputs->'previous_records', actor)
             FROM dedupe.audit_log WHERE decision = 'model_estimated'),
  'on demand|300|null|' || session_user,
  'the audit log says when, why and on how many records');
SELECT is((dedupe.write_path_model()->>'lambda')::float8,
  (SELECT (params->>'lambda')::float8 FROM dedupe.models WHERE name = 'write_path'),
  'the write path uses the estimated model');
SELECT isnt(dedupe.write_path_model()->'comparisons', dedupe.write_path_model(cold_start => true)->'comparisons',
  'whose m and u are estimated, not the cold-start ones');
SELECT is((SELECT count(*) FROM jsonb_array_elements(dedupe.write_path_model()->'comparisons')),
  (SELECT count(*) FROM jsonb_array_elements(dedupe.write_path_model(cold_start => true)->'comparisons')),
  'it covers every role the write path compares (those without values keep the cold-start parameters)');
CREATE TEMP TABLE me_first AS SELECT params FROM dedupe.models WHERE name = 'write_path';

-- Automatic estimation is opt-in.
SELECT pg_temp.me_rows(301, 599);
SELECT pg_temp.me_rows(600, 600);
SELECT is(dedupe._estimate_model_when_due(), NULL, 'by default (manual) nothing is estimated automatically');
DELETE FROM public.me_leads WHERE id = 600;
INSERT INTO dedupe.settings VALUES ('model_estimation', 'automatic');
-- Not doubled yet: nothing is due.
SELECT is(dedupe._estimate_model_when_due(), NULL, '599 records are not twice 300');
-- Doubled: the check estimates again.
SELECT pg_temp.me_rows(600, 600);
SELECT is((dedupe._estimate_model_when_due()->'estimate'->>'records'), '600',
  'at twice the records the check estimates again');
SELECT is((SELECT concat_ws('|', rule, inputs->>'records', inputs->>'previous_records')
             FROM dedupe.audit_log WHERE decision = 'model_estimated' ORDER BY id DESC LIMIT 1),
  'records doubled|600|300', 'and audits why');
SELECT isnt(dedupe.write_path_model()->'comparisons', (SELECT params->'comparisons' FROM me_first),
  'the new estimate replaced the first');
-- The next row is matched with it: the score the matcher audited is the best the new model gives
-- its candidates (namesakes of row 1 with nothing else in common), not the cold-start one.
INSERT INTO public.me_leads VALUES (100001, 'someone.else@other.example', NULL, 'Boris', 'Xu', NULL);
CREATE TEMP TABLE me_new AS
SELECT (SELECT a.score FROM dedupe.audit_log a
         WHERE a.record_id = n.record_id AND a.score IS NOT NULL ORDER BY a.id DESC LIMIT 1) AS audited,
       (SELECT max((dedupe.explain(n.record_id, r.record_id)->>'score')::float8) FROM dedupe.records r
         WHERE r.first_name = 'boris' AND r.last_name = 'xu' AND r.record_id <> n.record_id) AS best
FROM dedupe.records n WHERE n.source = 'me' AND n.source_pk = '100001';
-- (dedupe.explain reports the score to 4 digits)
SELECT is((SELECT round(audited::numeric, 4) FROM me_new), (SELECT round(best::numeric, 4) FROM me_new),
  'the write path scores the next row with the new model');
CREATE TEMP TABLE me_second AS SELECT * FROM dedupe.models WHERE name = 'write_path';
DELETE FROM dedupe.models WHERE name = 'write_path';
SELECT isnt((SELECT round(audited::numeric, 4) FROM me_new),
  (SELECT round(max((dedupe.explain(n.record_id, r.record_id)->>'score')::float8)::numeric, 4)
     FROM dedupe.records n, dedupe.records r
    WHERE n.source = 'me' AND n.source_pk = '100001' AND r.first_name = 'boris' AND r.last_name = 'xu'
      AND r.record_id <> n.record_id),
  '(which scores it otherwise than the cold-start model)');
INSERT INTO dedupe.models SELECT * FROM me_second;

-- Settings: manual turns the automatic estimate off; a model someone stored is left alone.
SELECT pg_temp.me_rows(601, 1300);
UPDATE dedupe.settings SET value = 'manual' WHERE name = 'model_estimation';
SELECT is(dedupe._estimate_model_when_due(), NULL, 'model_estimation = manual: no automatic estimate');
UPDATE dedupe.settings SET value = 'sometimes' WHERE name = 'model_estimation';
SELECT throws_ok($$ SELECT dedupe._estimate_model_when_due() $$, '22023', NULL,
  'an unknown model_estimation is refused');
UPDATE dedupe.settings SET value = 'automatic' WHERE name = 'model_estimation';
UPDATE dedupe.models SET params = params - 'estimate' WHERE name = 'write_path';
SELECT is(dedupe._estimate_model_when_due(), NULL, 'a model stored by hand is not replaced automatically');
UPDATE dedupe.models SET params = (SELECT params FROM me_first) WHERE name = 'write_path';
SELECT is((dedupe._estimate_model_when_due()->'estimate'->>'records'), '1301',
  'an estimated model is (300 records then, 1301 valid now)');

SELECT * FROM finish();
ROLLBACK;

-- Reviewers teach the matcher: decided review items re-estimate the write path's model.
BEGIN;
SELECT plan(12);

CREATE TABLE public.rl_leads (id int PRIMARY KEY, email text, phone text, first_name text, last_name text);
SELECT NULL FROM dedupe.watch('public.rl_leads', 'rl', id_column => 'id', email => 'email', phone => 'phone',
                              first_name => 'first_name', last_name => 'last_name');
SELECT is((dedupe.write_path_model()->'training'), '{}'::jsonb, 'a cold start uses the built-in model');
SELECT throws_ok($$ SELECT dedupe.learn_from_reviews(0) $$, '22023', NULL, 'min_items must be positive');

-- Six pairs of namesakes, one by phone and one by email: the same name and nothing else (about
-- 0.54) is a human's call once an admin lowers the review threshold below it.
INSERT INTO dedupe.settings VALUES ('review_threshold', '0.5');
INSERT INTO public.rl_leads
SELECT g, CASE WHEN g % 2 = 0 THEN 'person' || g || '@example.org' END,
       CASE WHEN g % 2 = 1 THEN '+1 415 555 ' || lpad((g * 797 % 10000)::text, 4, '0') END,
       (ARRAY['Alma', 'Boris', 'Cyrus', 'Delia', 'Egon', 'Fiona'])[(g + 1) / 2],
       (ARRAY['Quist', 'Rourke', 'Szabo', 'Tiller', 'Ulmer', 'Vance'])[(g + 1) / 2]
FROM generate_series(1, 12) g;
SELECT is((SELECT count(*) FROM dedupe.review_queue WHERE status = 'open'), 6::bigint, 'six review items');
SELECT is(dedupe.learn_from_reviews(3), NULL, 'nothing is learned before enough items are decided');
-- The model puts each pair at about 0.54; the reviewer finds one of six the same person.
SELECT dedupe.approve(min(item_id)) FROM dedupe.review_queue WHERE status = 'open';
SELECT dedupe.reject(item_id) FROM dedupe.review_queue WHERE status = 'open';
SELECT isnt(dedupe.learn_from_reviews(3), NULL, 'six decisions teach the model');
SELECT is((SELECT params->'training'->>'method' FROM dedupe.models WHERE name = 'write_path'), 'reviews',
  'the learned model is the write path''s model now');
SELECT cmp_ok((dedupe.write_path_model()->>'lambda')::float8, '<',
  (dedupe.write_path_model(cold_start => true)->>'lambda')::float8,
  'more rejections than the model expected lower its prior odds');
-- Review items are pairs whose names agree and little else does: rejected namesakes must not
-- teach the model that an agreeing name is chance.
SELECT is(dedupe.write_path_model()->'comparisons', dedupe.write_path_model(cold_start => true)->'comparisons',
  'm and u stay as they were');
SELECT is((SELECT count(*) FROM dedupe.audit_log WHERE decision = 'model_learned'), 1::bigint,
  'the audit log says when and why');
SET LOCAL ROLE dedupe_auditor;
SELECT throws_ok($$ SELECT dedupe.learn_from_reviews(3) $$, '42501', NULL, 'only dedupe_admin re-estimates');
RESET ROLE;
-- What the model was before survives: automatic estimation may replace a recalibrated
-- cold-start model, and compares an estimate's record count with the records.
SELECT is((SELECT params->>'based_on' FROM dedupe.models WHERE name = 'write_path'), 'cold_start',
  'a recalibrated cold-start model says so');
UPDATE dedupe.models SET params = params - 'based_on' || '{"estimate": {"records": 5000}}'
 WHERE name = 'write_path';
SELECT is((dedupe.learn_from_reviews(3)->'estimate'->>'records'), '5000',
  'recalibrating an estimated model keeps the number of records it was estimated on');

SELECT * FROM finish();
ROLLBACK;

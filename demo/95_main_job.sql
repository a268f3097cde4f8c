-- The main job at a glance. A CRM-mirror table is watched, 5,000 generated people are
-- written into it (the scale benchmark's generator: 1-4 copies of a person with typos,
-- nicknames, swapped names, email aliases, reformatted phones, moves, missing values), the
-- trigger matches every row as it is written, and dedupe.cluster runs over the same table.
-- The generator's `person` column is the ground truth: it goes into demo_truth, which only
-- this report reads; the matcher never sees it.
\set QUIET on
SET client_min_messages = warning;
SET search_path = public, dedupe;
\echo '== the main job: a watched CRM-mirror table, 5,000 generated people written into it'
CREATE TEMP TABLE generated (id bigint, person int, first_name text, last_name text, date_of_birth date,
  email text, phone text, street text, city text, postcode text);
\copy generated FROM PROGRAM '/usr/bin/python3 test/bench/batch_generate.py 5000 3' WITH (FORMAT csv, HEADER true)
CREATE TABLE demo_truth AS SELECT id, person FROM generated;
CREATE TABLE crm_people (id bigint PRIMARY KEY, email text, phone text, first_name text, last_name text,
  date_of_birth date, street text, city text, postcode text);
SELECT source FROM dedupe.watch('crm_people', 'crm', id_column => 'id', email => 'email', phone => 'phone',
                                first_name => 'first_name', last_name => 'last_name', on_invalid => 'flag');
SELECT clock_timestamp() AS t0 \gset
INSERT INTO crm_people SELECT id, email, phone, first_name, last_name, date_of_birth, street, city, postcode
FROM generated ORDER BY id;
SELECT count(*) AS rows_written, round(extract(epoch FROM clock_timestamp() - :'t0')::numeric, 1) AS seconds_with_trigger
FROM crm_people;
SELECT id, email, phone, first_name, last_name, date_of_birth, city FROM crm_people ORDER BY id LIMIT 6;

\echo '== dedupe.cluster over the same table (every column; no labels: the model is estimated from the rows)'
\set mapping '{"email": "email", "phone": "phone", "first_name": "first_name", "last_name": "last_name", "date_of_birth": "date_of_birth", "street": "street", "city": "city", "postcode": "postcode"}'
SELECT clock_timestamp() AS t0 \gset
CREATE TEMP TABLE batch AS SELECT * FROM dedupe.cluster('crm_people', 'id', :'mapping');
SELECT count(*) AS rows, count(DISTINCT cluster_id) AS clusters,
       round(extract(epoch FROM clock_timestamp() - :'t0')::numeric, 1) AS seconds FROM batch;

CREATE TEMP TABLE job AS
SELECT c.id, t.person, lk.golden_id, b.cluster_id,
       EXISTS (SELECT FROM dedupe.review_queue q WHERE q.record_id = r.record_id AND q.status = 'open') AS in_review
FROM crm_people c JOIN demo_truth t USING (id) JOIN batch b USING (id)
JOIN dedupe.records r ON r.source = 'crm' AND r.source_pk = c.id::text
LEFT JOIN dedupe.record_links lk ON lk.record_id = r.record_id;
-- Each path's grouping of the rows: the golden record (a row waiting for review stands alone
-- until a human decides) and the batch cluster.
CREATE TEMP VIEW grouping AS
SELECT 'as entered' AS path, 1 AS ord, id, person, id::text AS grp FROM job
UNION ALL SELECT 'write path (trigger -> golden records)', 2, id, person, coalesce('g' || golden_id, 'r' || id) FROM job
UNION ALL SELECT 'batch (dedupe.cluster)', 3, id, person, cluster_id::text FROM job;

\echo '== duplicate rate before and after (duplicate_pct: records that duplicate another; truth from demo_truth)'
SELECT path, count(*) AS rows, count(DISTINCT grp) AS records, (SELECT count(DISTINCT person) FROM job) AS people,
       round(100.0 * (count(DISTINCT grp) - (SELECT count(DISTINCT person) FROM job)) / count(DISTINCT grp), 1)
         AS duplicate_pct,
       CASE WHEN ord = 2 THEN (SELECT count(*) FROM job WHERE in_review) END AS open_reviews,
       round(sum(same_person)::numeric / nullif(sum(together), 0), 4) AS precision,
       round(sum(same_person)::numeric / (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM job GROUP BY person) t), 4) AS recall
FROM (SELECT path, ord, grp, (count(*) OVER (PARTITION BY path, grp) - 1) / 2.0 AS together,
             (count(*) OVER (PARTITION BY path, grp, person) - 1) / 2.0 AS same_person FROM grouping) g
GROUP BY path, ord ORDER BY ord;

\echo '== golden records: two people as the trigger assembled them from differently written rows'
SELECT g.golden_id, g.first_name || ' ' || g.last_name AS golden, g.email AS golden_email, c.id AS row_id,
       c.first_name || ' ' || coalesce(c.last_name, '?') AS row_name, c.email AS row_email, c.phone AS row_phone, lk.rule
FROM (SELECT l.golden_id FROM dedupe.record_links l JOIN dedupe.records r USING (record_id)
      WHERE r.source = 'crm' GROUP BY l.golden_id HAVING count(*) >= 3 ORDER BY l.golden_id LIMIT 2) pick
JOIN dedupe.golden_records g USING (golden_id) JOIN dedupe.record_links lk USING (golden_id)
JOIN dedupe.records r USING (record_id) JOIN crm_people c ON c.id::text = r.source_pk
ORDER BY g.golden_id, c.id;

\echo '== open review items: what waits for a human, why, and how often the proposal is right'
SELECT q.kind, q.rule, count(*) AS items, round(avg(q.score)::numeric, 3) AS avg_score,
       count(*) FILTER (WHERE j.person IN (SELECT person FROM job WHERE golden_id = dedupe.surviving_golden(q.golden_id)))
         AS proposal_right
FROM dedupe.review_queue q JOIN dedupe.records r USING (record_id) JOIN job j ON j.id::text = r.source_pk
WHERE q.status = 'open' AND r.source = 'crm' GROUP BY 1, 2 ORDER BY items DESC;
SELECT q.item_id, coalesce(r.first_name, '?') || ' ' || coalesce(r.last_name, '?') AS record, r.email,
       coalesce(g.first_name, '?') || ' ' || coalesce(g.last_name, '?') AS proposed, g.email AS proposed_email, round(q.score::numeric, 3) AS score
FROM dedupe.review_queue q JOIN dedupe.records r USING (record_id) JOIN dedupe.golden_records g USING (golden_id)
WHERE q.status = 'open' AND r.source = 'crm' ORDER BY q.item_id LIMIT 4;

\echo '== write path and batch side by side: pairs of rows each puts together'
SELECT count(*) FILTER (WHERE same_golden AND same_cluster) AS both,
       count(*) FILTER (WHERE same_golden AND NOT same_cluster) AS write_path_only,
       count(*) FILTER (WHERE same_cluster AND NOT same_golden) AS batch_only,
       count(*) FILTER (WHERE same_cluster AND NOT same_golden AND (a_review OR b_review)) AS of_which_in_review
FROM (SELECT a.golden_id IS NOT NULL AND a.golden_id = b.golden_id AS same_golden,
             a.cluster_id = b.cluster_id AS same_cluster, a.in_review AS a_review, b.in_review AS b_review
      FROM job a JOIN job b ON a.id < b.id AND (a.cluster_id = b.cluster_id OR a.golden_id = b.golden_id)) s;

\echo '== why batch links a row the trigger left for review: dedupe.explain on the pair'
CREATE TEMP TABLE example AS
SELECT a.id AS id_a, b.id AS id_b FROM job a JOIN job b ON a.id < b.id AND a.cluster_id = b.cluster_id
WHERE b.in_review AND a.golden_id IS NOT NULL ORDER BY a.id, b.id LIMIT 1;
CREATE TEMP TABLE explained AS
SELECT dedupe.explain('crm_people', 'id', :'mapping', id_a, id_b) AS e FROM example;
SELECT c->>'role' AS role, c->>'value_a' AS value_a, c->>'value_b' AS value_b, c->>'level' AS level,
       round((c->>'weight')::numeric, 1) AS weight
FROM explained, jsonb_array_elements(e->'comparisons') c;
SELECT round((e->>'prior_weight')::numeric, 1) AS prior, round((e->>'match_weight')::numeric, 1) AS match_weight,
       round((e->>'score')::numeric, 4) AS score, e->>'blocking_rule' AS blocked_by, e->>'decision' AS decision
FROM explained;
RESET client_min_messages;

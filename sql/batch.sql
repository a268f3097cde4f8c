-- Batch matching: dedupe.train / dedupe.cluster / dedupe.candidate_pairs on 5,000 FEBRL people.
SET client_min_messages = warning;
CREATE TEMP TABLE febrl_raw (rec_id text, given_name text, surname text, street_number text,
  address_1 text, address_2 text, suburb text, postcode text, state text,
  date_of_birth text, soc_sec_id text);
\copy febrl_raw FROM 'test/data/febrl/dataset3.csv' WITH (FORMAT csv, HEADER true)
CREATE TABLE batch_people AS
SELECT row_number() OVER (ORDER BY rec_id)::int AS id, btrim(rec_id) AS rec_id,
       nullif(btrim(given_name), '') AS first_name, nullif(btrim(surname), '') AS last_name,
       nullif(btrim(street_number), '') AS house, nullif(btrim(address_1), '') AS street,
       nullif(btrim(suburb), '') AS city, nullif(btrim(postcode), '') AS postcode,
       nullif(btrim(date_of_birth), '') AS born
FROM febrl_raw;
\set mapping '{"first_name": "first_name", "last_name": "last_name", "house_number": "house", "street": "street", "city": "city", "postcode": "postcode", "date_of_birth": "born"}'

-- A model estimated from the rows themselves (no labels), stored for reuse.
SELECT name, params->'lambda' IS NOT NULL AS has_lambda,
       (SELECT string_agg(c->>'role', ', ') FROM jsonb_array_elements(params->'comparisons') c) AS roles,
       jsonb_array_length(params->'training'->'sessions') AS em_sessions
FROM dedupe.train('febrl3', 'batch_people', 'id', :'mapping');
SELECT l->>'level' AS level, (l->>'m')::float8 > (l->>'u')::float8 AS m_above_u
FROM dedupe.models, jsonb_array_elements(params->'comparisons') c, jsonb_array_elements(c->'levels') l
WHERE name = 'febrl3' AND c->>'role' = 'date_of_birth';

-- Every row with its cluster; cluster ids are the smallest id in the cluster.
CREATE TABLE batch_clusters AS SELECT * FROM dedupe.cluster('batch_people', 'id', :'mapping', model => 'febrl3');
SELECT count(*) AS rows, count(DISTINCT cluster_id) AS clusters,
       bool_and(cluster_id <= id) AS id_not_below_cluster_id,
       bool_and((min_link_score IS NULL) = (cluster_size = 1)) AS singletons_have_no_link,
       bool_and(min_link_score >= 0.9) AS links_reach_threshold
FROM batch_clusters;
SELECT cluster_size, count(*) AS rows FROM batch_clusters GROUP BY 1 ORDER BY 1;
SELECT c.cluster_id, p.first_name, p.last_name, p.street, p.born
FROM batch_clusters c JOIN batch_people p USING (id)
WHERE c.cluster_id = (SELECT cluster_id FROM batch_clusters JOIN batch_people USING (id) WHERE rec_id = 'rec-552-org')
ORDER BY p.id;
-- Pairwise agreement with the ground truth (read here only, never by the matcher).
SELECT round(tp::numeric / predicted, 3) >= 0.995 AS precision_ok, round(tp::numeric / truth, 3) >= 0.99 AS recall_ok
FROM (SELECT (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM batch_clusters GROUP BY cluster_id) g) AS predicted,
             (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM batch_clusters JOIN batch_people USING (id)
                                               GROUP BY cluster_id, split_part(rec_id, '-', 2)) g) AS tp,
             (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM batch_people GROUP BY split_part(rec_id, '-', 2)) g) AS truth) s;

-- The same run on the fly (no stored model) from a query source, dbt style.
SELECT count(*) AS rows, count(DISTINCT cluster_id) AS clusters
FROM dedupe.cluster('SELECT * FROM batch_people WHERE id <= 2500', 'id', :'mapping');

-- Candidate pairs with their score and the blocking rule that produced them first.
SELECT rule, count(*) > 0 AS produced_pairs FROM dedupe.candidate_pairs('batch_people', 'id', :'mapping', model => 'febrl3')
GROUP BY rule ORDER BY rule;
SELECT a.first_name, a.last_name, b.first_name, b.last_name, round(score::numeric, 3) AS score, rule
FROM dedupe.candidate_pairs('batch_people', 'id', :'mapping', min_score => 0.5, model => 'febrl3',
                            blocking => ARRAY['date_of_birth']) c
JOIN batch_people a ON a.id = c.id_a JOIN batch_people b ON b.id = c.id_b
WHERE a.rec_id LIKE 'rec-552-%' ORDER BY c.id_a, c.id_b;

-- dedupe.explain over a source: why a pair scores as it does, comparison by comparison.
\set org '(SELECT id FROM batch_people WHERE rec_id = \'rec-552-org\')'
\set dup '(SELECT id FROM batch_people WHERE rec_id = \'rec-552-dup-1\')'
SELECT c->>'role' AS role, c->>'value_a' AS value_a, c->>'value_b' AS value_b, c->>'level' AS level,
       round((c->>'m')::numeric, 3) AS m, round((c->>'u')::numeric, 4) AS u,
       round((c->>'value_frequency')::numeric, 4) AS value_frequency, round((c->>'weight')::numeric, 2) AS weight
FROM jsonb_array_elements(dedupe.explain('batch_people', 'id', :'mapping', :org, :dup, model => 'febrl3')->'comparisons') c;
SELECT e->>'blocking_rule' AS blocking_rule, round((e->>'prior_weight')::numeric, 2) AS prior,
       round((e->>'match_weight')::numeric, 2) AS match_weight, round((e->>'score')::numeric, 4) AS score,
       e->>'write_path_rule' AS write_path_rule, e->>'decision' AS decision
FROM dedupe.explain('batch_people', 'id', :'mapping', :org, :dup, model => 'febrl3') e;
-- ... and it agrees with dedupe.candidate_pairs on the pairs it reports (here 12 links and 12
-- pairs below the threshold).
CREATE TEMP TABLE some_pairs AS SELECT * FROM dedupe.candidate_pairs('batch_people', 'id', :'mapping', model => 'febrl3');
SELECT count(*) AS pairs, count(*) FILTER (WHERE score >= 0.9) AS links,
       count(*) FILTER (WHERE (e->>'score')::float8 = score AND (e->>'match_weight')::float8 = match_weight
                          AND e->>'blocking_rule' = rule
                          AND e->>'decision' = CASE WHEN score >= 0.9 THEN 'link' ELSE 'no_link' END) AS agree
FROM (SELECT c.*, dedupe.explain('batch_people', 'id', :'mapping', c.id_a, c.id_b, model => 'febrl3') AS e
      FROM ((SELECT * FROM some_pairs WHERE score >= 0.9 ORDER BY id_a, id_b LIMIT 12)
            UNION ALL (SELECT * FROM some_pairs WHERE score < 0.9 ORDER BY id_a, id_b LIMIT 12)) c) s;
-- A pair no blocking rule brings together is explained too (blocking_rule is NULL).
SELECT e->>'blocking_rule' AS blocking_rule, e->>'decision' AS decision
FROM dedupe.explain('batch_people', 'id', :'mapping', :org,
                    (SELECT id FROM batch_people WHERE rec_id = 'rec-1-org'), model => 'febrl3') e;

-- Fixed weights: a model written by hand.
INSERT INTO dedupe.models (name, params) VALUES ('by_hand', '{"lambda": 0.001, "comparisons": [
  {"role": "last_name", "levels": [{"level": "exact", "m": 0.9, "u": 0.01}, {"level": "one_edit", "m": 0.05, "u": 0.01},
   {"level": "jaro_winkler_0.9", "m": 0.02, "u": 0.01}, {"level": "swapped_with_first_name", "m": 0.01, "u": 0.01},
   {"level": "jaro_winkler_0.8", "m": 0.01, "u": 0.05}, {"level": "else", "m": 0.01, "u": 0.91}]},
  {"role": "date_of_birth", "levels": [{"level": "exact", "m": 0.9, "u": 0.0001}, {"level": "day_month_swapped", "m": 0.02, "u": 0.0001},
   {"level": "one_edit", "m": 0.05, "u": 0.001}, {"level": "two_edits", "m": 0.02, "u": 0.01}, {"level": "else", "m": 0.01, "u": 0.9887}]}]}');
SELECT count(*) AS rows, count(DISTINCT cluster_id) < count(*) AS found_duplicates
FROM dedupe.cluster('batch_people', 'id', '{"last_name": "last_name", "date_of_birth": "born"}', model => 'by_hand');

-- Date columns are read as dates whatever DateStyle says: day and month swapped is recognized.
SET DateStyle = 'SQL, DMY';
SELECT id_a, id_b, round(match_weight::numeric, 2) AS match_weight, rule
FROM dedupe.candidate_pairs($$SELECT 1 AS id, 'smith' AS last_name, date '1990-03-12' AS born
                              UNION ALL SELECT 2, 'smith', date '1990-12-03'$$,
                            'id', '{"last_name": "last_name", "date_of_birth": "born"}', model => 'by_hand');
RESET DateStyle;

SELECT * FROM dedupe.blocking_rules() ORDER BY rule;

-- Errors, each with its documented SQLSTATE.
\set VERBOSITY terse
SELECT * FROM dedupe.cluster('batch_people', 'id', '{"shoe_size": "city"}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM dedupe.cluster('batch_people', 'id', '["city"]');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM dedupe.cluster('batch_people', 'id', '{"city": 7}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM dedupe.cluster('batch_people', 'id', '{}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM dedupe.cluster('batch_people', 'id', '{"city": "town"}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM dedupe.cluster('no_such_table', 'id', '{"city": "city"}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM dedupe.cluster('batch_people', 'rec_id', '{"city": "city"}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM dedupe.cluster('SELECT NULL::int AS id, city FROM batch_people', 'id', '{"city": "city"}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM dedupe.cluster('batch_people', 'id', :'mapping', threshold => 1.5);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM dedupe.cluster('batch_people', 'id', :'mapping', model => 'no_such_model');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM dedupe.cluster('batch_people', 'id', :'mapping', model => 'by_hand');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM dedupe.cluster('batch_people', 'id', :'mapping', blocking => ARRAY['by_moon_phase']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM dedupe.cluster('batch_people', 'id', '{"city": "city"}', blocking => ARRAY['email']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM dedupe.cluster(NULL, 'id', :'mapping');
\echo :LAST_ERROR_SQLSTATE
SET dedupe.batch_max_pairs = 1000;
SELECT * FROM dedupe.cluster('batch_people', 'id', :'mapping');
\echo :LAST_ERROR_SQLSTATE
RESET dedupe.batch_max_pairs;
\set VERBOSITY default
DELETE FROM dedupe.models WHERE name IN ('febrl3', 'by_hand');
DROP TABLE batch_people, batch_clusters;

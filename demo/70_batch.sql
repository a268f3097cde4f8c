-- Batch matching for analysts and dbt models: one SELECT clusters a whole table.
SET client_min_messages = warning;
\set mapping '{"first_name": "first_name", "last_name": "last_name", "date_of_birth": "date_of_birth", "city": "city", "postcode": "postcode", "state": "state"}'

\echo '== dedupe.cluster: every lead with its cluster (no labels, no tuning: the model is estimated from the rows)'
CREATE TEMP TABLE lead_clusters AS SELECT * FROM dedupe.cluster('crm_leads', 'id', :'mapping');
SELECT l.id, l.first_name, l.last_name, l.date_of_birth, l.city, c.cluster_id, c.cluster_size,
       round(c.min_link_score::numeric, 3) AS weakest_link
FROM lead_clusters c JOIN crm_leads l USING (id)
WHERE c.cluster_id IN (SELECT cluster_id FROM lead_clusters WHERE cluster_size = 4 ORDER BY cluster_id LIMIT 2)
ORDER BY c.cluster_id, l.id;

\echo '== duplicate rate before and after'
SELECT count(*) AS leads, count(DISTINCT cluster_id) AS people_found,
       round(100.0 * (count(*) - count(DISTINCT cluster_id)) / count(*), 1) AS duplicate_pct
FROM lead_clusters;
SELECT cluster_size, count(DISTINCT cluster_id) AS clusters FROM lead_clusters GROUP BY 1 ORDER BY 1;

\echo '== for review: pairs blocking brought together whose score is uncertain (between 0.2 and 0.9)'
SELECT a.first_name || ' ' || coalesce(a.last_name, '?') AS lead_a, a.date_of_birth AS born_a,
       b.first_name || ' ' || coalesce(b.last_name, '?') AS lead_b, b.date_of_birth AS born_b,
       round(p.score::numeric, 3) AS score, p.rule
FROM dedupe.candidate_pairs('crm_leads', 'id', :'mapping', min_score => 0.2) p
JOIN crm_leads a ON a.id = p.id_a JOIN crm_leads b ON b.id = p.id_b
WHERE p.score < 0.9 ORDER BY p.score DESC LIMIT 5;

\echo '== dedupe.train stores the model; what it learned about dates of birth (m: among matches, u: among non-matches)'
SELECT name, round((params->>'lambda')::numeric, 6) AS lambda, jsonb_array_length(params->'comparisons') AS roles
FROM dedupe.train('crm_leads_model', 'crm_leads', 'id', :'mapping');
SELECT l->>'level' AS level, round((l->>'m')::numeric, 4) AS m, round((l->>'u')::numeric, 6) AS u,
       round(log(2.0, ((l->>'m')::numeric / (l->>'u')::numeric)), 1) AS weight_bits
FROM dedupe.models, jsonb_array_elements(params->'comparisons') c, jsonb_array_elements(c->'levels') l
WHERE name = 'crm_leads_model' AND c->>'role' = 'date_of_birth';

\echo '== how good is it? pairwise against the FEBRL ground truth in rec_id (the matcher never reads it)'
WITH j AS (SELECT c.cluster_id, split_part(l.rec_id, '-', 2) AS person FROM lead_clusters c JOIN crm_leads l USING (id)),
     s AS (SELECT (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM j GROUP BY cluster_id) g) AS predicted,
                  (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM j GROUP BY cluster_id, person) g) AS correct,
                  (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM j GROUP BY person) g) AS true_pairs)
SELECT predicted, correct, true_pairs, round(correct / predicted, 4) AS precision, round(correct / true_pairs, 4) AS recall
FROM s;
RESET client_min_messages;

-- Similarity functions and index-backed fuzzy search on the 5,000 FEBRL leads.
SET search_path = public, dedupe;

\echo '== similarity functions (code points; wrap in dedupe.fold() to ignore case and accents)'
SELECT a, b, dedupe.levenshtein(a, b) AS lev, dedupe.damerau_levenshtein(a, b) AS osa,
       round(dedupe.jaro_winkler(a, b)::numeric, 3) AS jaro_winkler,
       round(dedupe.qgram_similarity(a, b)::numeric, 3) AS trigram,
       round(dedupe.token_set_similarity(a, b)::numeric, 3) AS token_set
FROM (VALUES ('MARTHA', 'MARHTA'), ('DIXON', 'DICKSONX'), ('Smith, John', 'John Smith'),
             ('Jon Smyth', 'John Smith')) AS t(a, b);

\echo '== edit-distance search from a GIN index: surnames within 1 edit of "Bartel"'
CREATE INDEX crm_leads_last_name_fuzzy ON crm_leads USING gin (last_name dedupe.fuzzy_gin_ops);
ANALYZE crm_leads;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT id FROM crm_leads WHERE last_name % dedupe.within('Bartel', 1);
SELECT id, first_name, last_name, city, dedupe.levenshtein(last_name, 'bartel') AS edits
FROM crm_leads WHERE last_name % dedupe.within('Bartel', 1) ORDER BY last_name, id;

\echo '== the same with k = 2 and a similarity threshold'
SELECT string_agg(DISTINCT last_name, ', ') AS within_2_of_bailey
FROM crm_leads WHERE last_name % dedupe.within('BAILEY', 2);
SELECT string_agg(DISTINCT last_name, ', ') AS trigram_similar_to_bailey
FROM crm_leads WHERE last_name % dedupe.similar_to('Bailey', 0.4);

\echo '== folding: accents and case never hide a match'
SELECT v, v % dedupe.within('José Núñez', 0) AS same_folded, v <-> 'José Núñez' AS edit_distance
FROM (VALUES ('JOSE NUNEZ'), ('Jose Nuñes'), ('Josef Nunez')) AS t(v);

\echo '== nearest neighbours from a GiST index: the 6 leads whose given name is closest to "Katherine"'
CREATE INDEX crm_leads_first_name_knn ON crm_leads USING gist (first_name dedupe.fuzzy_gist_ops);
EXPLAIN (COSTS OFF) SELECT id FROM crm_leads ORDER BY first_name <-> 'Katherine' LIMIT 6;
SELECT id, first_name, last_name, first_name <-> 'Katherine' AS edit_distance
FROM crm_leads ORDER BY first_name <-> 'Katherine', id LIMIT 6;

DROP INDEX crm_leads_last_name_fuzzy, crm_leads_first_name_knn;

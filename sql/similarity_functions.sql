-- Similarity metrics: exact values, edge cases, errors.
\pset null '(null)'

-- done-when values
SELECT round(dedupe.jaro_winkler('MARTHA', 'MARHTA')::numeric, 3) AS martha,
       round(dedupe.jaro_winkler('DIXON', 'DICKSONX')::numeric, 3) AS dixon;

SELECT a, b, dedupe.levenshtein(a, b) AS lev, dedupe.levenshtein(a, b, 1) AS lev_max1,
       dedupe.damerau_levenshtein(a, b) AS osa, round(dedupe.jaro(a, b)::numeric, 4) AS jaro,
       round(dedupe.jaro_winkler(a, b)::numeric, 4) AS jw,
       round(dedupe.qgram_similarity(a, b)::numeric, 4) AS q3,
       round(dedupe.qgram_similarity(a, b, 2)::numeric, 4) AS q2,
       round(dedupe.token_set_similarity(a, b)::numeric, 4) AS tokens
FROM (VALUES ('', ''), ('', 'a'), ('a', 'a'), ('a', 'b'), ('kitten', 'sitting'),
             ('Müller', 'Muller'), ('Müller', 'Mueller'), ('ca', 'abc'), ('martha', 'marhta'),
             (E'Zoe\u0308', 'Zoë'), ('😀a', 'a'), ('Smith, John', 'John Smith'),
             ('Jon Smyth', 'John Smith'), ('José Núñez', 'Jose Nunez')) AS t(a, b);

-- folded comparisons: what the fuzzy-search operators compare
SELECT dedupe.levenshtein(dedupe.fold('José Núñez'), dedupe.fold('JOSE NUNEZ')) AS folded_lev,
       dedupe.qgram_similarity(dedupe.fold('Žofie'), dedupe.fold('zofie')) AS folded_q3;

-- STRICT
SELECT dedupe.levenshtein(NULL, 'a'), dedupe.jaro_winkler('a', NULL),
       dedupe.qgram_similarity('a', 'b', NULL);

-- long inputs: linear ones are fine, quadratic ones have a documented limit
SELECT dedupe.levenshtein(repeat('a', 10000), repeat('a', 9999) || 'b') AS lev_10k,
       dedupe.levenshtein(repeat('ab', 500000), repeat('ab', 500000) || 'x', 3) AS bounded_1mb,
       dedupe.qgram_similarity(repeat('ab', 500000), repeat('ab', 500000)) AS qgram_1mb;

-- errors
SELECT dedupe.levenshtein('a', 'b', -1);
\echo :LAST_ERROR_SQLSTATE
SELECT dedupe.qgram_similarity('a', 'b', 4);
\echo :LAST_ERROR_SQLSTATE
SELECT dedupe.levenshtein(repeat('a', 30000), repeat('b', 30000));
\echo :LAST_ERROR_SQLSTATE
SELECT dedupe.jaro_winkler(repeat('a', 1000000), 'abc') > 0 AS long_vs_short_ok;

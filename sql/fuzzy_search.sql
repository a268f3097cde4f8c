-- Fuzzy-search operators, their query types and the GIN/GiST opclasses.
SET search_path = public, dedupe;

-- query types: constructors fold the query; text forms round-trip
SELECT dedupe.within('  José   NÚÑEZ ', 2) AS edit, dedupe.similar_to('Jon Smyth', 0.45) AS similarity;
SELECT '1:Müller'::dedupe.edit_query, '0.5:Ελένη'::dedupe.similarity_query;
SELECT '2:a:b'::dedupe.edit_query AS colon_in_query, '0:'::dedupe.edit_query AS empty_query;
SELECT 'x'::dedupe.edit_query;
\echo :LAST_ERROR_SQLSTATE
SELECT 'two:x'::dedupe.edit_query;
\echo :LAST_ERROR_SQLSTATE
SELECT dedupe.within('x', -1);
\echo :LAST_ERROR_SQLSTATE
SELECT dedupe.similar_to('x', 1.5);
\echo :LAST_ERROR_SQLSTATE
SELECT '1.5:x'::dedupe.similarity_query;
\echo :LAST_ERROR_SQLSTATE
SELECT 'x'::dedupe.fuzzy_signature;
\echo :LAST_ERROR_SQLSTATE

-- operators compare folded forms
SELECT v, v % dedupe.within('José Núñez', 0) AS k0, v % dedupe.within('José Núñez', 2) AS k2,
       v % dedupe.similar_to('José Núñez', 0.5) AS sim50, v <-> 'José Núñez' AS distance
FROM (VALUES ('Jose Nunez'), ('JOSE NUNEZ'), ('Jose Nuñes'), ('Josef Nunes'), ('Joe Nash'), (''),
             (NULL)) AS t(v);
SELECT '' % dedupe.within('', 0) AS empty_k0, 'ab' % dedupe.within('', 2) AS short_k2,
       'abc' % dedupe.within('', 2) AS short_k2_too_long;

-- indexes
CREATE TABLE people (id int PRIMARY KEY, name text);
INSERT INTO people VALUES (1, 'Jon Smith'), (2, 'John Smyth'), (3, 'Johnny Smithers'),
  (4, 'José Núñez'), (5, 'Jose Nunez'), (6, 'Joe Nash'), (7, 'Al'), (8, 'Ed'), (9, 'Li'),
  (10, 'Ann'), (11, NULL), (12, 'Müller'), (13, 'Mueller'), (14, 'Zoë Ellis');
CREATE INDEX people_gin ON people USING gin (name dedupe.fuzzy_gin_ops);
SET enable_seqscan = off;

SET enable_indexscan = off;  -- GIN (bitmap)
EXPLAIN (COSTS OFF) SELECT id FROM people WHERE name % dedupe.within('Jon Smith', 2);
SELECT id, name FROM people WHERE name % dedupe.within('Jon Smith', 2) ORDER BY id;
SELECT id, name FROM people WHERE name % dedupe.within('Jose Nunez', 1) ORDER BY id;
SELECT id, name FROM people WHERE name % dedupe.within('Bo', 2) ORDER BY id;
SELECT id, name FROM people WHERE name % dedupe.similar_to('José Núñez', 0.5) ORDER BY id;
SELECT count(*) AS all_but_null FROM people WHERE name % dedupe.similar_to('anything', 0);

RESET enable_indexscan;  -- GiST (KNN)
CREATE INDEX people_gist ON people USING gist (name dedupe.fuzzy_gist_ops);
DROP INDEX people_gin;
EXPLAIN (COSTS OFF) SELECT id FROM people ORDER BY name <-> 'Jon Smith' LIMIT 3;
SELECT id, name, name <-> 'Jon Smith' AS distance FROM people ORDER BY name <-> 'Jon Smith', id LIMIT 3;
SELECT id, name, name <-> 'mueller' AS distance FROM people ORDER BY name <-> 'mueller', id LIMIT 2;
-- the GiST opclass orders; filtering is GIN's job (with only GiST, % is a filter)
EXPLAIN (COSTS OFF) SELECT id FROM people WHERE name % dedupe.within('Jon Smith', 2)
ORDER BY name <-> 'Jon Smith' LIMIT 3;
SELECT id, name FROM people WHERE name % dedupe.within('Jon Smith', 2)
ORDER BY name <-> 'Jon Smith' LIMIT 3;

-- the opclasses pass PostgreSQL's own validation
SELECT opcname, amvalidate(oid) FROM pg_opclass WHERE opcname IN ('fuzzy_gin_ops', 'fuzzy_gist_ops') ORDER BY 1;
DROP TABLE people;

-- Recall of the fuzzy-search indexes, in the manner of pgvector's recall tests: on a few
-- thousand generated names, the GIN index must return exactly the rows a sequential scan
-- returns, for edit distance k = 1, 2, 3 and similarity thresholds 0.3, 0.5, 0.8, and the
-- GiST nearest-neighbour scan exactly the 10 smallest distances: right after CREATE INDEX,
-- after more inserts (GIN's pending list, GiST page splits), and after deletes plus VACUUM.
-- VACUUM cannot run in a transaction: tables are committed and dropped at the end.
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS fz_gin, fz_gist, fz_probes;
SELECT setseed(0.4242);

CREATE TEMP TABLE febrl (rec_id text, given_name text, surname text, street_number text,
  address_1 text, address_2 text, suburb text, postcode text, state text, date_of_birth text,
  soc_sec_id text);
\copy febrl FROM 'test/data/febrl/dataset3.csv' WITH (FORMAT csv, HEADER true)

-- One random edit (substitute, insert, delete, swap neighbours).
CREATE FUNCTION pg_temp.typo(s text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  i int := 1 + floor(random() * greatest(length(s), 1))::int;
  c text := substr('abcdefghijklmnopqrstuvwxyz', 1 + floor(random() * 26)::int, 1);
BEGIN
  CASE floor(random() * 4)::int
    WHEN 0 THEN RETURN overlay(s placing c from i for 1);
    WHEN 1 THEN RETURN overlay(s placing c from i for 0);
    WHEN 2 THEN RETURN overlay(s placing '' from i for 1);
    ELSE RETURN overlay(s placing substr(s, i + 1, 1) || substr(s, i, 1) from i for 2);
  END CASE;
END $$;

-- Names as a CRM holds them: full names, single names, typos, accents, upper case, short
-- names (where the q-gram count bound is <= 0), a few long values and NULLs.
CREATE FUNCTION pg_temp.generated_names(n int) RETURNS SETOF text LANGUAGE sql AS $$
  WITH base AS (
    SELECT CASE floor(random() * 3)::int
             WHEN 0 THEN btrim(given_name) || ' ' || btrim(surname)
             WHEN 1 THEN btrim(given_name) ELSE btrim(surname) END AS name
    FROM febrl WHERE btrim(given_name) <> '' AND btrim(surname) <> ''
    ORDER BY random() LIMIT n)
  SELECT CASE floor(random() * 10)::int
           WHEN 0 THEN pg_temp.typo(pg_temp.typo(name))
           WHEN 1 THEN pg_temp.typo(name)
           WHEN 2 THEN upper(name)
           WHEN 3 THEN replace(name, 'e', 'é')
           ELSE name END
  FROM base
  UNION ALL SELECT unnest(ARRAY['al', 'bo', 'li', 'jo', 'ed', 'ann', 'eve', 'x', '', 'ab', 'Zoë',
                                'ÅSA', 'Núñez', 'Müller', 'mueller', repeat('abc', 200),
                                repeat('abc', 199) || 'abd', NULL])
$$;

CREATE TABLE fz_gin (id serial PRIMARY KEY, name text);
INSERT INTO fz_gin (name) SELECT pg_temp.generated_names(3000);
CREATE TABLE fz_gist AS SELECT * FROM fz_gin;

-- Probes: names with 0 to 2 typos, short names, accents, a long value.
CREATE TABLE fz_probes AS
  SELECT q FROM (SELECT pg_temp.typo(name) AS q FROM fz_gin WHERE length(name) > 5
                 ORDER BY random() LIMIT 20) t
  UNION ALL SELECT name FROM (SELECT name FROM fz_gin WHERE length(name) > 3
                              ORDER BY random() LIMIT 10) u
  UNION ALL SELECT unnest(ARRAY['al', 'jo', 'x', '', 'ann', 'Zoe', 'NUNEZ', 'muller',
                                repeat('abc', 199) || 'xbc']);

CREATE INDEX fz_gin_idx ON fz_gin USING gin (name dedupe.fuzzy_gin_ops);
CREATE INDEX fz_gist_idx ON fz_gist USING gist (name dedupe.fuzzy_gist_ops);
ANALYZE fz_gin;
ANALYZE fz_gist;

-- Ids matching name % <rhs> under a forced plan: 'seq', 'bitmap' or 'index'.
CREATE FUNCTION pg_temp.ids(tbl text, rhs text, plan text) RETURNS int[] LANGUAGE plpgsql AS $$
DECLARE result int[];
BEGIN
  PERFORM set_config('enable_seqscan', (plan = 'seq')::text, true);
  PERFORM set_config('enable_bitmapscan', (plan = 'bitmap')::text, true);
  PERFORM set_config('enable_indexscan', (plan = 'index')::text, true);
  EXECUTE format('SELECT coalesce(array_agg(id ORDER BY id), ''{}'') FROM %I
                  WHERE name OPERATOR(dedupe.%%) %s', tbl, rhs) INTO result;
  RETURN result;
END $$;

CREATE FUNCTION pg_temp.plan_of(tbl text, rhs text, plan text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; result text := '';
BEGIN
  PERFORM set_config('enable_seqscan', (plan = 'seq')::text, true);
  PERFORM set_config('enable_bitmapscan', (plan = 'bitmap')::text, true);
  PERFORM set_config('enable_indexscan', (plan = 'index')::text, true);
  FOR line IN EXECUTE format('EXPLAIN (COSTS OFF) SELECT id FROM %I WHERE name OPERATOR(dedupe.%%) %s',
                             tbl, rhs) LOOP
    result := result || line || E'\n';
  END LOOP;
  RETURN result;
END $$;

CREATE FUNCTION pg_temp.explain_knn(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY EXECUTE format('EXPLAIN (COSTS OFF) SELECT id FROM fz_gist ORDER BY name OPERATOR(dedupe.<->) %L LIMIT 10', q);
END $$;

CREATE FUNCTION pg_temp.estimated_rows(rhs text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
  EXECUTE format('EXPLAIN (FORMAT JSON) SELECT id FROM fz_gin WHERE name OPERATOR(dedupe.%%) %s', rhs)
    INTO plan;
  RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
END $$;

-- For one query class: probes whose indexed result differs from the sequential scan, and
-- the number of rows matched in all.
CREATE FUNCTION pg_temp.recall(tbl text, plan text, rhs_format text, threshold text)
RETURNS TABLE (differing text[], matched bigint) LANGUAGE plpgsql AS $$
DECLARE q text; rhs text; want int[]; got int[];
BEGIN
  differing := '{}'; matched := 0;
  FOR q IN SELECT p.q FROM fz_probes p LOOP
    rhs := format(rhs_format, q, threshold);
    want := pg_temp.ids(tbl, rhs, 'seq');
    got := pg_temp.ids(tbl, rhs, plan);
    matched := matched + cardinality(want);
    IF want IS DISTINCT FROM got THEN
      differing := differing || format('%s: seq %s, %s %s', rhs, want, plan, got);
    END IF;
  END LOOP;
  PERFORM set_config('enable_seqscan', 'on', true);
  PERFORM set_config('enable_bitmapscan', 'on', true);
  PERFORM set_config('enable_indexscan', 'on', true);
  RETURN NEXT;
END $$;

-- Nearest neighbours: the 10 smallest distances through the GiST index scan must be the
-- 10 smallest of a sequential scan plus sort (ties may pick different rows).
CREATE FUNCTION pg_temp.knn_differing() RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE q text; want float8[]; got float8[]; differing text[] := '{}';
BEGIN
  FOR q IN SELECT p.q FROM fz_probes p LOOP
    PERFORM set_config('enable_seqscan', 'off', true);
    PERFORM set_config('enable_indexscan', 'on', true);
    PERFORM set_config('enable_bitmapscan', 'off', true);
    SELECT array_agg(d) INTO got FROM (SELECT name OPERATOR(dedupe.<->) q AS d FROM fz_gist
                                       ORDER BY name OPERATOR(dedupe.<->) q LIMIT 10) t;
    PERFORM set_config('enable_seqscan', 'on', true);
    PERFORM set_config('enable_indexscan', 'off', true);
    SELECT array_agg(d) INTO want FROM (SELECT name OPERATOR(dedupe.<->) q AS d FROM fz_gist
                                        ORDER BY name OPERATOR(dedupe.<->) q LIMIT 10) t;
    IF want IS DISTINCT FROM got THEN
      differing := differing || format('%L: seq %s, index %s', q, want, got);
    END IF;
  END LOOP;
  PERFORM set_config('enable_seqscan', 'on', true);
  PERFORM set_config('enable_indexscan', 'on', true);
  PERFORM set_config('enable_bitmapscan', 'on', true);
  RETURN differing;
END $$;

CREATE FUNCTION pg_temp.check_phase(phase text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  c record; r record;
BEGIN
  RETURN NEXT is(pg_temp.knn_differing(), '{}'::text[],
                 format('%s: GiST ORDER BY <-> LIMIT 10 = seq scan top-10 distances on %s probes',
                        phase, (SELECT count(*) FROM fz_probes)));
  FOR c IN SELECT * FROM (VALUES ('fz_gin', 'bitmap')) a(tbl, plan),
                         (VALUES ('dedupe.within(%L, %s)', '1'), ('dedupe.within(%L, %s)', '2'),
                                 ('dedupe.within(%L, %s)', '3'), ('dedupe.similar_to(%L, %s)', '0.3'),
                                 ('dedupe.similar_to(%L, %s)', '0.5'), ('dedupe.similar_to(%L, %s)', '0.8')) b(fmt, t)
  LOOP
    SELECT * INTO r FROM pg_temp.recall(c.tbl, c.plan, c.fmt, c.t);
    RETURN NEXT is(r.differing, '{}'::text[],
                   format('%s: %s %s scan = seq scan for %s on %s probes (%s rows)', phase, c.tbl,
                          c.plan, format(c.fmt, 'q', c.t), (SELECT count(*) FROM fz_probes), r.matched));
  END LOOP;
END $$;

SELECT plan(29);

SELECT matches(pg_temp.plan_of('fz_gin', $$dedupe.within('jon smith', 2)$$, 'bitmap'),
               'Bitmap Index Scan on fz_gin_idx', 'GIN bitmap plan uses the index');
SELECT matches((SELECT string_agg(l, ' ') FROM (SELECT set_config('enable_seqscan', 'off', true)) s,
                LATERAL (SELECT * FROM pg_temp.explain_knn('jon smith')) e(l)),
               'Index Scan using fz_gist_idx', 'KNN plan uses the GiST index');
-- selectivity estimates follow the statistics: a broad query is estimated broad
SELECT cmp_ok(pg_temp.estimated_rows($$dedupe.within('al', 3)$$), '>',
              10 * pg_temp.estimated_rows($$dedupe.within('jonathan smith', 1)$$),
              'k = 3 around a 2-letter name is estimated 10x broader than k = 1 around a full name');
SELECT ok(pg_temp.estimated_rows($$dedupe.within('al', 3)$$)
            BETWEEN (SELECT count(*) FROM fz_gin WHERE name OPERATOR(dedupe.%) dedupe.within('al', 3)) / 3
                AND (SELECT count(*) FROM fz_gin WHERE name OPERATOR(dedupe.%) dedupe.within('al', 3)) * 3,
          'estimate for within(''al'', 3) is within 3x of the actual row count');
SELECT ok(pg_temp.estimated_rows($$dedupe.similar_to('mary', 0.1)$$) >
          pg_temp.estimated_rows($$dedupe.similar_to('mary', 0.9)$$),
          'a lower similarity threshold is estimated broader');

SELECT pg_temp.check_phase('after CREATE INDEX');
SELECT cmp_ok((SELECT count(*) FROM fz_gin WHERE name OPERATOR(dedupe.%) dedupe.within('al', 3)),
              '>', 50::bigint, 'k = 3 on a 2-letter name finds the short names (count bound <= 0)');
SELECT cmp_ok((SELECT count(*) FROM fz_gin WHERE name IS NULL), '>', 0::bigint,
              'the table has NULL names (indexed, never matched)');

INSERT INTO fz_gin (name) SELECT pg_temp.generated_names(1500);
INSERT INTO fz_gist (id, name) SELECT id, name FROM fz_gin WHERE id NOT IN (SELECT id FROM fz_gist);
SELECT is((SELECT count(*) FROM fz_gist), (SELECT count(*) FROM fz_gin), 'same rows in both tables');
SELECT pg_temp.check_phase('after inserts');

DELETE FROM fz_gin WHERE id % 3 = 0;
DELETE FROM fz_gist WHERE id % 3 = 0;
VACUUM fz_gin;
VACUUM fz_gist;
SELECT pg_temp.check_phase('after deletes + VACUUM');

SELECT * FROM finish();
DROP TABLE fz_gin, fz_gist, fz_probes;

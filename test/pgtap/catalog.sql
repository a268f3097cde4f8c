-- The SQL surface documents itself: every object of schema dedupe carries a COMMENT, and
-- functions that run with the owner's rights pin their search_path.
BEGIN;
SELECT plan(5);

SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.pronamespace = 'dedupe'::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL
                ORDER BY 1),
          '{}'::text[], 'every function has a COMMENT (\df+ documents it)');
SELECT is(ARRAY(SELECT c.oid::regclass::text FROM pg_class c
                WHERE c.relnamespace = 'dedupe'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
                  AND obj_description(c.oid, 'pg_class') IS NULL ORDER BY 1),
          '{}'::text[], 'every table and view has a COMMENT');
SELECT is(ARRAY(SELECT t.oid::regtype::text FROM pg_type t
                WHERE t.typnamespace = 'dedupe'::regnamespace AND t.typtype IN ('b', 'd', 'e') AND t.typelem = 0
                  AND obj_description(t.oid, 'pg_type') IS NULL ORDER BY 1),
          '{}'::text[], 'every type and domain has a COMMENT');
SELECT is(ARRAY(SELECT o.oid::regoperator::text FROM pg_operator o
                WHERE o.oprnamespace = 'dedupe'::regnamespace AND obj_description(o.oid, 'pg_operator') IS NULL
                ORDER BY 1),
          '{}'::text[], 'every operator has a COMMENT');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.pronamespace = 'dedupe'::regnamespace AND p.prosecdef
                  AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)
                ORDER BY 1),
          '{}'::text[], 'every SECURITY DEFINER function pins search_path = pg_catalog, pg_temp');

SELECT * FROM finish();
ROLLBACK;

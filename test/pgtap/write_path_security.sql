-- Issue 13: what a hostile table owner, a role holding USAGE on dedupe and a careless DBA
-- could do to the write path. Every test here failed before the fix it names.
BEGIN;
SELECT plan(22);

CREATE ROLE sec_owner;             -- owns a watched table, no grant on schema dedupe
CREATE ROLE sec_intruder IN ROLE dedupe_auditor;        -- USAGE on dedupe through a role
CREATE ROLE sec_intake IN ROLE dedupe_webhook_intake;   -- the same through the intake role
CREATE SCHEMA sec AUTHORIZATION sec_owner;
GRANT USAGE ON SCHEMA sec TO sec_intruder, sec_intake;

-- Item 1: the quarantine path serialized the row with the extension owner's rights, running
-- the table owner's cast to json as superuser.
SET ROLE sec_owner;
CREATE TYPE sec.payload AS ENUM ('x', 'y');  -- not composite: row_to_json looks for a cast
CREATE FUNCTION sec.payload_json(sec.payload) RETURNS json LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    EXECUTE 'ALTER ROLE sec_owner SUPERUSER';
  EXCEPTION WHEN insufficient_privilege THEN NULL;  -- harmless when run as the writer
  END;
  RETURN pg_catalog.json_build_object('v', $1::text);
END $$;
CREATE CAST (sec.payload AS json) WITH FUNCTION sec.payload_json(sec.payload);
CREATE TABLE sec.leads (id int PRIMARY KEY, email text, extra sec.payload);
RESET ROLE;
SELECT dedupe.watch('sec.leads', 'sec_leads', id_column => 'id', email => 'email', on_invalid => 'quarantine');
SET ROLE sec_owner;
SELECT lives_ok($$ INSERT INTO sec.leads VALUES (1, 'not an email', 'x') $$,
  'an invalid row of a table with a user-defined type is quarantined');
RESET ROLE;
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'sec_owner'), false,
  'the table owner''s cast ran as the writer, not as the extension owner');
SELECT is((SELECT row_data->'extra'->>'v' FROM dedupe.quarantine WHERE source = 'sec_leads'), 'x',
  'the quarantined row keeps the user-typed column');

-- Item 2: roles with USAGE on dedupe attach the owner-rights trigger functions to a table of
-- their own naming someone else's source.
SET ROLE sec_owner;
INSERT INTO sec.leads VALUES (2, 'victim@example.com', NULL);
RESET ROLE;
SET ROLE sec_intruder;
CREATE TEMP TABLE forged (id int PRIMARY KEY, email text);
SELECT throws_ok(format($$ CREATE TRIGGER t AFTER TRUNCATE ON forged FOR EACH STATEMENT
  EXECUTE FUNCTION dedupe.%s('sec_leads') $$, f), '42501', NULL,
  'dedupe_auditor member cannot attach dedupe.' || f)
FROM unnest(ARRAY['watch_truncate_trigger', 'watch_trigger', 'watch_stage_trigger',
                  'watch_flush_trigger', 'watch_delete_trigger']) f;
RESET ROLE;
SET ROLE sec_intake;
CREATE TEMP TABLE forged2 (id int PRIMARY KEY, email text);
SELECT throws_ok(format($$ CREATE TRIGGER t AFTER TRUNCATE ON forged2 FOR EACH STATEMENT
  EXECUTE FUNCTION dedupe.%s('sec_leads') $$, f), '42501', NULL,
  'dedupe_webhook_intake member cannot attach dedupe.' || f)
FROM unnest(ARRAY['watch_truncate_trigger', 'watch_trigger', 'watch_stage_trigger',
                  'watch_flush_trigger', 'watch_delete_trigger']) f;
RESET ROLE;
SELECT is((SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p
            WHERE p.pronamespace = 'dedupe'::regnamespace
              AND (p.proname LIKE '\_%' OR p.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype))
              AND has_function_privilege('public', p.oid, 'EXECUTE')),
  ARRAY['_as_number', '_estimate_model', '_explain_pair', '_icu_version', '_libphonenumber_version',
        '_roles_text', '_webhook_problem', '_webhook_signature_problem', '_webhook_signature_problem'],
  'no trigger function and no internal function but the pure helpers of public functions is executable by PUBLIC');
-- ... and the public functions built on those helpers still work for a role with USAGE only
SET ROLE sec_intruder;
SELECT lives_ok($$ SELECT dedupe.library_versions() $$, 'library_versions() works for a role with USAGE');
SELECT is(dedupe.condition_holds('5', '>=', '3'), true, 'condition_holds() works for a role with USAGE');
SELECT is(dedupe.verify_webhook('{}'::bytea, 'sha256=00', 'k'::bytea, now(), '5 minutes'), false,
  'verify_webhook() works for a role with USAGE');
RESET ROLE;

-- Even where a trigger does get attached (here by a superuser), it acts only for the table
-- registered under its source.
CREATE TABLE public.sec_forged (id int PRIMARY KEY, email text, request_id text);
CREATE TRIGGER forge_truncate AFTER TRUNCATE ON public.sec_forged FOR EACH STATEMENT
  EXECUTE FUNCTION dedupe.watch_truncate_trigger('sec_leads');
SELECT throws_ok($$ TRUNCATE public.sec_forged $$, '42501', NULL,
  'a forged TRUNCATE trigger cannot wipe another source');
DROP TRIGGER forge_truncate ON public.sec_forged;
CREATE TRIGGER forge_row BEFORE INSERT ON public.sec_forged FOR EACH ROW
  EXECUTE FUNCTION dedupe.watch_trigger('sec_leads', 'reject', 'US', 'id_column=id', 'email=email',
                                        'idempotency_key=request_id');
SELECT throws_ok($$ INSERT INTO public.sec_forged VALUES (2, 'forged@example.com', 'future-key') $$,
  '42501', NULL, 'a forged row trigger cannot overwrite a record or claim a key');
DROP TRIGGER forge_row ON public.sec_forged;
CREATE TRIGGER forge_delete AFTER DELETE ON public.sec_forged FOR EACH ROW
  EXECUTE FUNCTION dedupe.watch_delete_trigger('sec_leads');
INSERT INTO public.sec_forged VALUES (2, 'x@example.com', NULL);
SELECT throws_ok($$ DELETE FROM public.sec_forged $$, '42501', NULL,
  'a forged DELETE trigger cannot remove records');
SELECT is((SELECT email FROM dedupe.records WHERE source = 'sec_leads' AND source_pk = '2'),
  'victim@example.com', 'the victim''s record is untouched');
SELECT is((SELECT count(*) FROM dedupe.idempotency_keys WHERE source = 'sec_leads'), 0::bigint,
  'no key was claimed for the victim');

SELECT * FROM finish();
ROLLBACK;

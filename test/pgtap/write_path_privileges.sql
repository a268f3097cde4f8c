-- Who may do what on the write path: writers of a watched table need no grants on dedupe.*,
-- configuration is for the owner and dedupe_admin, the audit log is read through grants,
-- purged only by the retention function, and a hostile search_path cannot hijack the trigger.
BEGIN;
SELECT plan(17);

CREATE ROLE dedupe_test_writer;
CREATE ROLE dedupe_test_admin IN ROLE dedupe_admin;
CREATE ROLE dedupe_test_auditor IN ROLE dedupe_auditor;

CREATE TABLE public.priv_leads (id int PRIMARY KEY, email text, phone text);
GRANT SELECT, INSERT, UPDATE, DELETE ON public.priv_leads TO dedupe_test_writer;
SELECT dedupe.watch('public.priv_leads', 'priv', id_column => 'id', email => 'email', phone => 'phone');

-- A writer with grants on its own table only
SET ROLE dedupe_test_writer;
SELECT lives_ok($$ INSERT INTO public.priv_leads VALUES (1, 'Writer@Example.com', NULL) $$,
  'a writer without grants on dedupe.* can write a watched table');
SELECT throws_ok($$ SELECT count(*) FROM dedupe.records $$, '42501', NULL,
  'the writer cannot read staged records');
SELECT throws_ok($$ INSERT INTO dedupe.audit_log (decision) VALUES ('forged') $$, '42501', NULL,
  'the writer cannot forge audit rows');
SELECT throws_ok($$ SELECT dedupe._audit('priv', '1', 'forged', NULL, NULL) $$, '42501', NULL,
  'the writer cannot call the internal audit function');
SELECT throws_ok($$ SELECT dedupe.watch('public.priv_leads', 'priv2', id_column => 'id', email => 'email') $$,
  '42501', NULL, 'the writer cannot register sources');
SELECT throws_ok($$ SELECT dedupe.unwatch('public.priv_leads') $$, '42501', NULL,
  'the writer cannot unwatch');

-- A hostile search_path: look-alike objects that unqualified SQL in the trigger would pick up
RESET ROLE;
CREATE SCHEMA hijack AUTHORIZATION dedupe_test_writer;
SET ROLE dedupe_test_writer;
CREATE TABLE hijack.records (LIKE public.priv_leads);
CREATE TABLE hijack.audit_log (decision text);
CREATE TABLE hijack.calls (what text);
CREATE FUNCTION hijack.match_key(text, text, text) RETURNS text LANGUAGE sql
  AS $$ INSERT INTO hijack.calls VALUES ('match_key') RETURNING what $$;
CREATE FUNCTION hijack.num_nonnulls(text, text, text) RETURNS int LANGUAGE sql
  AS $$ INSERT INTO hijack.calls VALUES ('num_nonnulls') RETURNING 1 $$;
SET search_path = hijack, public;
SELECT lives_ok($$ INSERT INTO public.priv_leads VALUES (2, 'second@example.com', '+1 415 555 0199') $$,
  'a write under a hostile search_path succeeds');
SELECT is((SELECT count(*) FROM hijack.calls), 0::bigint, 'no look-alike function was called');
SELECT is((SELECT count(*) FROM hijack.records) + (SELECT count(*) FROM hijack.audit_log), 0::bigint,
  'no look-alike table was written');
RESET search_path;
RESET ROLE;
SELECT is((SELECT array_agg(source_pk ORDER BY source_pk) FROM dedupe.records WHERE source = 'priv'),
  ARRAY['1', '2'], 'both rows were staged in dedupe.records');
SELECT is((SELECT array_agg(DISTINCT actor::text) FROM dedupe.audit_log WHERE source = 'priv' AND decision = 'normalized'),
  ARRAY['dedupe_test_writer'], 'the audit log names the writer as actor, not the owner');

-- dedupe_admin configures; dedupe_auditor reads the audit log
GRANT TRIGGER ON public.priv_leads TO dedupe_test_admin;
ALTER TABLE public.priv_leads OWNER TO dedupe_test_admin;
SET ROLE dedupe_test_admin;
SELECT lives_ok($$ SELECT dedupe.watch('public.priv_leads', 'priv', id_column => 'id', email => 'email', on_invalid => 'flag') $$,
  'dedupe_admin can re-watch a table it owns');
SELECT throws_ok($$ SELECT dedupe.purge_audit_log('1 day') $$, '22023', NULL,
  'the retention function keeps at least 30 days');
SELECT lives_ok($$ SELECT dedupe.purge_audit_log('30 days') $$, 'dedupe_admin can purge old audit rows');
RESET ROLE;
SELECT is((SELECT count(*) FROM dedupe.audit_log WHERE decision = 'audit_log_purged' AND actor = 'dedupe_test_admin'),
  1::bigint, 'the purge is itself audited');
SET ROLE dedupe_test_auditor;
SELECT ok((SELECT count(*) FROM dedupe.audit_log WHERE source = 'priv') > 0, 'dedupe_auditor reads the audit log');
SELECT throws_ok($$ SELECT count(*) FROM dedupe.quarantine $$, '42501', NULL,
  'dedupe_auditor cannot read quarantined rows (they hold personal data)');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;

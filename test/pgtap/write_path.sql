-- The write path: watch(), validation modes, idempotency keys, audit log, privileges.
BEGIN;
SELECT plan(51);
SET LOCAL search_path = public, dedupe;

CREATE TABLE public.crm_leads (
  id bigint PRIMARY KEY, hubspot_id text, email text, phone text, first_name text,
  last_name text, company text, website text, country text, request_id text,
  identity dedupe.match_key);

-- Registration and mapping validation
SELECT throws_ok($$ SELECT dedupe.watch('public.crm_leads', 'hubspot', id_column => 'id', email => 'mail') $$,
  '42703', 'column "mail" mapped as email does not exist in table public.crm_leads', 'unknown column named');
SELECT throws_ok($$ SELECT dedupe.watch('public.crm_leads', 'hubspot', id_column => 'id', email => 'identity') $$,
  '42804', NULL, 'a column of the wrong type is refused');
SELECT throws_ok($$ SELECT dedupe.watch('public.crm_leads', 'hubspot', id_column => 'id', first_name => 'first_name') $$,
  '22023', 'a watched table needs at least one identity column', 'no identity column mapped');
SELECT throws_ok($$ SELECT dedupe.watch('public.crm_leads', 'hubspot', id_column => 'id', email => 'email', on_invalid => 'ignore') $$,
  '22023', NULL, 'unknown on_invalid mode');
SELECT throws_ok($$ SELECT dedupe.watch('public.crm_leads', 'hubspot', id_column => 'id', email => 'email', region => 'XX') $$,
  '22023', NULL, 'unknown default region');

SELECT lives_ok($$ SELECT dedupe.watch('public.crm_leads', 'hubspot', id_column => 'id',
  external_id => 'hubspot_id', email => 'email', phone => 'phone', first_name => 'first_name',
  last_name => 'last_name', company => 'company', domain => 'website', country => 'country',
  idempotency_key => 'request_id', key_column => 'identity') $$, 'watch() registers the table');
SELECT is((SELECT count(*) FROM dedupe.sources WHERE source = 'hubspot'), 1::bigint, 'one registration');
SELECT is((SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.crm_leads'::regclass AND NOT tgisinternal),
  5::bigint, 'five triggers installed');

-- Reject mode (the default)
INSERT INTO public.crm_leads (id, hubspot_id, email, phone, first_name, last_name, company, website)
VALUES (1, '1001', ' Jane.Doe+news@GoogleMail.com ', '(415) 555-0132', 'Jane', 'Doe', 'ACME, Inc.', 'https://www.acme.com/about');
SELECT is((SELECT email FROM dedupe.records WHERE source = 'hubspot' AND source_pk = '1'), 'janedoe@gmail.com', 'email normalized on write');
SELECT is((SELECT phone FROM dedupe.records WHERE source = 'hubspot' AND source_pk = '1'), '+14155550132', 'phone normalized on write');
SELECT is((SELECT external_id FROM dedupe.records WHERE source = 'hubspot' AND source_pk = '1'), 'hubspot:1001', 'external id namespaced by source');
SELECT is((SELECT full_name FROM dedupe.records WHERE source = 'hubspot' AND source_pk = '1'), 'jane doe', 'full name built and normalized');
SELECT is((SELECT domain FROM dedupe.records WHERE source = 'hubspot' AND source_pk = '1'), 'acme.com', 'domain normalized');
SELECT is((SELECT identity FROM public.crm_leads WHERE id = 1),
          (SELECT key FROM dedupe.records WHERE source = 'hubspot' AND source_pk = '1'), 'key column filled by the trigger');
SELECT ok((SELECT identity FROM public.crm_leads WHERE id = 1) && dedupe.match_key(NULL, '+1 415 555 0132', NULL), 'filled key matches by phone');
SELECT is((SELECT decision FROM dedupe.audit_log WHERE source = 'hubspot' AND source_pk = '1' AND decision <> 'linked'), 'normalized', 'normalization audited');
SELECT is((SELECT inputs->'raw'->>'email' FROM dedupe.audit_log WHERE source = 'hubspot' AND source_pk = '1' AND decision <> 'linked'),
          ' Jane.Doe+news@GoogleMail.com ', 'audit keeps the raw input');

SELECT throws_ok($$ INSERT INTO public.crm_leads (id, first_name) VALUES (2, 'Nobody') $$, '23514',
  'source "hubspot" row 2 rejected: no identity: the row has no external id, no valid email and no valid phone',
  'a keyless row is rejected with 23514, naming source, row and reason');
SELECT throws_ok($$ INSERT INTO public.crm_leads (id, email) VALUES (3, 'not-an-email') $$, '23514', NULL,
  'an invalid email is rejected');
SELECT throws_ok($$ INSERT INTO public.crm_leads (id, hubspot_id, phone) VALUES (4, '9', '12') $$, '23514', NULL,
  'an invalid phone is rejected even with another identity');
SELECT is((SELECT count(*) FROM public.crm_leads WHERE id IN (2, 3, 4)), 0::bigint, 'rejected rows did not enter');

-- Updates and deletes keep dedupe.records in step
UPDATE public.crm_leads SET email = 'JANE@ACME.COM' WHERE id = 1;
SELECT is((SELECT email FROM dedupe.records WHERE source = 'hubspot' AND source_pk = '1'), 'jane@acme.com', 'update re-normalizes');
SELECT is((SELECT count(*) FROM dedupe.records WHERE source = 'hubspot'), 1::bigint, 'update does not add a record');
UPDATE public.crm_leads SET id = 10 WHERE id = 1;
SELECT is((SELECT array_agg(source_pk) FROM dedupe.records WHERE source = 'hubspot'), ARRAY['10'], 'a changed primary key moves the record');

-- Idempotency keys
INSERT INTO public.crm_leads (id, email, request_id) VALUES (20, 'a@example.com', 'req-1');
INSERT INTO public.crm_leads (id, email, request_id) VALUES (21, 'b@example.com', 'req-1');
SELECT is((SELECT count(*) FROM public.crm_leads WHERE request_id = 'req-1'), 1::bigint, 'a replayed key is skipped');
SELECT is((SELECT email FROM public.crm_leads WHERE request_id = 'req-1'), 'a@example.com', 'the first write stands');
SELECT is((SELECT decision FROM dedupe.audit_log WHERE source = 'hubspot' AND source_pk = '21'), 'replayed', 'the replay is audited');
UPDATE public.crm_leads SET email = 'a2@example.com' WHERE id = 20;
SELECT is((SELECT email FROM public.crm_leads WHERE id = 20), 'a2@example.com', 'an update keeping its key is not a replay');
SELECT is(dedupe.purge_idempotency_keys('0 seconds'), 1::bigint, 'purge forgets processed keys');
INSERT INTO public.crm_leads (id, email, request_id) VALUES (22, 'c@example.com', 'req-1');
SELECT is((SELECT count(*) FROM public.crm_leads WHERE request_id = 'req-1'), 2::bigint, 'a purged key is accepted again');

-- Quarantine mode
SELECT lives_ok($$ SELECT dedupe.watch('public.crm_leads', 'hubspot', id_column => 'id',
  external_id => 'hubspot_id', email => 'email', phone => 'phone', first_name => 'first_name',
  last_name => 'last_name', on_invalid => 'quarantine') $$, 're-watch with a new mapping');
SELECT is((SELECT count(*) FROM dedupe.sources), 1::bigint, 're-watching updates, not a second registration');
SELECT lives_ok($$ INSERT INTO public.crm_leads (id, email, first_name) VALUES (30, 'broken@', 'Kim') $$,
  'an invalid row in quarantine mode does not fail the statement');
SELECT is((SELECT count(*) FROM public.crm_leads WHERE id = 30), 0::bigint, 'the row does not enter the table');
SELECT is((SELECT row_data->>'email' FROM dedupe.quarantine WHERE source_pk = '30'), 'broken@', 'the whole row is kept in quarantine');
SELECT is((SELECT decision FROM dedupe.audit_log WHERE source_pk = '30'), 'quarantined', 'quarantine is audited');
SELECT throws_ok($$ SELECT dedupe.release((SELECT quarantine_id FROM dedupe.quarantine WHERE source_pk = '30')) $$,
  '23514', NULL, 'releasing an uncorrected row fails: it is still invalid');
UPDATE dedupe.quarantine SET row_data = jsonb_set(row_data, '{email}', '"kim@example.com"') WHERE source_pk = '30';
SELECT lives_ok($$ SELECT dedupe.release((SELECT quarantine_id FROM dedupe.quarantine WHERE source_pk = '30')) $$,
  'a corrected row is released');
SELECT is((SELECT email FROM public.crm_leads WHERE id = 30), 'kim@example.com', 'the released row entered the table');

-- Flag mode
SELECT lives_ok($$ SELECT dedupe.watch('public.crm_leads', 'hubspot', id_column => 'id', email => 'email', on_invalid => 'flag') $$, 'flag mode');
INSERT INTO public.crm_leads (id, email) VALUES (40, 'nope');
SELECT is((SELECT valid FROM dedupe.records WHERE source_pk = '40'), false, 'a flagged row is kept and marked invalid');
SELECT is((SELECT decision FROM dedupe.audit_log WHERE source_pk = '40'), 'flagged', 'flagging is audited');

-- Delete
DELETE FROM public.crm_leads WHERE id = 40;
SELECT is((SELECT count(*) FROM dedupe.records WHERE source_pk = '40'), 0::bigint, 'delete removes the staged record');

-- Truncate
TRUNCATE public.crm_leads;
SELECT is((SELECT count(*) FROM dedupe.records WHERE source = 'hubspot'), 0::bigint, 'truncate removes the staged records');
SELECT is((SELECT decision FROM dedupe.audit_log ORDER BY id DESC LIMIT 1), 'truncated', 'truncate is audited');

-- The name block is computed with the normalization (C++), not in SQL: it must equal what
-- the SQL functions give for the stored names, whatever the script or the missing parts.
CREATE TABLE public.name_blocks (id int PRIMARY KEY, email text, first_name text, last_name text);
SELECT dedupe.watch('public.name_blocks', 'name_blocks', id_column => 'id', email => 'email',
  first_name => 'first_name', last_name => 'last_name');
INSERT INTO public.name_blocks VALUES
  (1, 'a@x.org', 'Bob', 'Smith'), (2, 'b@x.org', 'Élodie', 'Schmidt'), (3, 'c@x.org', 'Ольга', 'Петрова'),
  (4, 'd@x.org', '明', '李'), (5, 'e@x.org', NULL, 'Ng'), (6, 'f@x.org', 'Ann', NULL),
  (7, 'g@x.org', 'Dr. Peggy', 'O''Brien-Núñez Jr.'), (8, 'h@x.org', 'Ⅷ ☃', 'Aeiou');
SELECT is((SELECT count(*) FROM dedupe.records r WHERE r.source = 'name_blocks'
             AND r.name_block IS DISTINCT FROM (dedupe.double_metaphone(r.last_name))[1] || ':'
                 || left(dedupe.canonical_first_name(r.first_name), 1)), 0::bigint,
  'the staged name block is double_metaphone(last name) '':'' the canonical first initial');
SELECT is((SELECT array_agg(name_block ORDER BY source_pk::int) FROM dedupe.records WHERE source = 'name_blocks'),
  (SELECT array_agg(b ORDER BY n) FROM (VALUES (1, 'SM0:r'), (2, 'XMT:e'), (3, 'PTRF:o'), (4, 'L:m'),
     (5, NULL), (6, NULL), (7, 'APRN:m'), (8, 'A:v')) v(n, b)), 'name blocks of eight rows (Peggy -> margaret)');

-- The audit log is append-only, for its owner too
SELECT throws_ok($$ DELETE FROM dedupe.audit_log $$, '42501', NULL, 'DELETE refused for the owner');
SELECT throws_ok($$ UPDATE dedupe.audit_log SET reason = 'x' $$, '42501', NULL, 'UPDATE refused');
SELECT throws_ok($$ TRUNCATE dedupe.audit_log $$, '42501', NULL, 'TRUNCATE refused');
SELECT throws_ok($$ ALTER TABLE dedupe.audit_log DISABLE TRIGGER audit_log_append_only $$, '42501', NULL,
  'disabling the guard is refused');

SELECT * FROM finish();
ROLLBACK;

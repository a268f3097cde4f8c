-- Issue 15, items 2 and 3: dedupe.watch(..., matching => 'deferred'). The writing transaction
-- validates, claims idempotency keys, stages and audits; its records wait in dedupe.match_queue
-- and are matched later by one batch (dedupe._match_queued, what the worker and
-- dedupe.match_pending() run), in queue order, by the write path's matcher.
BEGIN;
SELECT plan(48);

CREATE TABLE public.dm_leads (id int PRIMARY KEY, email text, phone text, first_name text,
                              last_name text, request_id text);
SELECT is((SELECT matching FROM dedupe.watch('public.dm_leads', 'dm_forms', id_column => 'id',
            email => 'email', phone => 'phone', first_name => 'first_name',
            last_name => 'last_name', idempotency_key => 'request_id', matching => 'deferred')),
  'deferred', 'watch(matching => deferred) registers the source as deferred');
SELECT is((SELECT matching FROM dedupe.sources WHERE source = 'dm_forms'), 'deferred',
  'dedupe.sources keeps the mode');
SELECT throws_ok($$ SELECT dedupe.watch('public.dm_leads', 'dm_forms', id_column => 'id',
                    email => 'email', matching => 'later') $$, '22023', NULL,
  'an unknown matching mode is refused with 22023');
SELECT throws_ok($$ SELECT dedupe.watch('public.dm_leads', 'dm_forms', id_column => 'id',
                    email => 'email', matching => NULL) $$, '22023', NULL,
  'a NULL matching mode is refused with 22023');

-- A writer with no rights on schema dedupe.
CREATE ROLE dm_writer;
GRANT INSERT, UPDATE, DELETE, SELECT ON public.dm_leads TO dm_writer;
SET ROLE dm_writer;
INSERT INTO public.dm_leads VALUES
  (1, 'ann.lee@example.com', '+1 303 555 0101', 'Ann', 'Lee', 'r1'),
  (2, ' ANN.LEE@example.com ', NULL, 'Ann', 'Lee', 'r2'),
  (3, 'bo@example.com', '+1 303 555 0199', 'Bo', 'Ray', 'r3');
SELECT throws_ok($$ INSERT INTO public.dm_leads VALUES (4, NULL, NULL, 'No', 'Body', 'r4') $$,
  '23514', NULL, 'a row without an identity is still rejected in the writing statement');
INSERT INTO public.dm_leads VALUES (5, 'other@example.com', NULL, 'Re', 'Play', 'r1');
SELECT is((SELECT count(*) FROM public.dm_leads WHERE id = 5), 0::bigint,
  'a replayed idempotency key is still skipped in the writing statement');
RESET ROLE;

SELECT is((SELECT count(*) FROM dedupe.records WHERE source = 'dm_forms'), 3::bigint,
  'accepted rows are staged in the writing transaction');
SELECT is((SELECT count(*) FROM dedupe.audit_log WHERE source = 'dm_forms' AND decision = 'normalized'),
  3::bigint, 'and audited there');
SELECT is((SELECT count(*) FROM dedupe.audit_log WHERE source = 'dm_forms' AND decision = 'replayed'),
  1::bigint, 'the replay is audited there');
SELECT is((SELECT count(*) FROM dedupe.record_links l JOIN dedupe.records r USING (record_id)
            WHERE r.source = 'dm_forms'), 0::bigint, 'nothing is matched in the writing transaction');
SELECT is((SELECT count(*) FROM dedupe.match_queue q JOIN dedupe.records r USING (record_id)
            WHERE r.source = 'dm_forms'), 3::bigint, 'every accepted row has a place in the queue');
SELECT is((SELECT array_agg(DISTINCT actor::text) FROM dedupe.match_queue), ARRAY['dm_writer'],
  'the queue remembers the writer');
SELECT ok((SELECT bool_and(NOT identity_changed) FROM dedupe.match_queue), 'inserts are no identity change');
SELECT is((SELECT queue_depth FROM dedupe.matching_lag), 3::bigint, 'matching_lag counts the queue');
SELECT ok((SELECT oldest_unmatched IS NOT NULL AND oldest_age >= interval '0' FROM dedupe.matching_lag),
  'matching_lag shows the oldest unmatched record');
SELECT is(dedupe.wait_for_matching('0 seconds'), false,
  'wait_for_matching answers false when its timeout passes with records queued');

-- An identity change while queued is remembered once; a deleted row leaves the queue.
UPDATE public.dm_leads SET phone = '+1 303 555 0102' WHERE id = 3;
SELECT is((SELECT count(*) FROM dedupe.match_queue), 3::bigint, 'a record staged again keeps one place');
SELECT ok((SELECT identity_changed FROM dedupe.match_queue q JOIN dedupe.records r USING (record_id)
            WHERE r.source_pk = '3'), 'and remembers that its identity changed');
INSERT INTO public.dm_leads VALUES (6, 'gone@example.com', NULL, 'Go', 'Ne', 'r6');
DELETE FROM public.dm_leads WHERE id = 6;
SELECT is((SELECT count(*) FROM dedupe.match_queue), 3::bigint,
  'the record of a deleted row leaves the queue with it');

-- Batches, oldest first.
SELECT is(dedupe._match_queued(2), 2, 'a batch takes at most batch_size records');
SELECT is((SELECT array_agg(r.source_pk ORDER BY r.source_pk) FROM dedupe.record_links l
             JOIN dedupe.records r USING (record_id) WHERE r.source = 'dm_forms'), ARRAY['1', '2'],
  'the oldest records are matched first');
SELECT is((SELECT count(DISTINCT golden_id) FROM dedupe.record_links l JOIN dedupe.records r USING (record_id)
            WHERE r.source = 'dm_forms'), 1::bigint, 'the same person is linked into one golden record');
SELECT is(dedupe._match_queued(100), 1, 'the next batch takes the rest');
SELECT is(dedupe._match_queued(100), 0, 'an empty queue gives an empty batch');
SELECT is((SELECT count(*) FROM dedupe.record_links l JOIN dedupe.records r USING (record_id)
            WHERE r.source = 'dm_forms'), 3::bigint, 'every record is matched exactly once');
SELECT is((SELECT count(*) FROM dedupe.audit_log a JOIN dedupe.records r USING (record_id)
            WHERE r.source = 'dm_forms' AND a.decision = 'linked'), 3::bigint,
  'one linked audit row per record');
SELECT is((SELECT array_agg(DISTINCT a.actor::text) FROM dedupe.audit_log a JOIN dedupe.records r USING (record_id)
            WHERE r.source = 'dm_forms' AND a.decision = 'linked' AND r.source_pk IN ('1', '2')),
  ARRAY['dm_writer'], 'the matcher''s audit rows name the writer as actor');
SELECT is((SELECT a.actor::text FROM dedupe.audit_log a JOIN dedupe.records r USING (record_id)
            WHERE r.source = 'dm_forms' AND a.decision = 'linked' AND r.source_pk = '3'), 'postgres',
  'a record written again while queued is matched for its last writer');
SELECT is((SELECT sum(records) FROM dedupe.match_batches), 3::bigint, 'match_batches records each batch');
SELECT is(dedupe.wait_for_matching('1 second'), true, 'wait_for_matching answers true once the queue is empty');
SELECT is((SELECT queue_depth FROM dedupe.matching_lag), 0::bigint, 'matching_lag: nothing queued');

-- Immediate sources are untouched; switching a source back to immediate matches on write.
SELECT is((SELECT matching FROM dedupe.watch('public.dm_leads', 'dm_forms', id_column => 'id',
            email => 'email', phone => 'phone', first_name => 'first_name', last_name => 'last_name',
            idempotency_key => 'request_id')), 'immediate', 'matching defaults to immediate');
INSERT INTO public.dm_leads VALUES (7, 'ann.lee@example.com', NULL, 'Ann', 'Lee', 'r7');
SELECT is((SELECT count(*) FROM dedupe.record_links l JOIN dedupe.records r USING (record_id)
            WHERE r.source = 'dm_forms' AND r.source_pk = '7'), 1::bigint,
  'an immediate source matches in the writing transaction');
SELECT is((SELECT count(*) FROM dedupe.match_queue), 0::bigint, 'and queues nothing');

-- A webhook routed into a deferred table says its record is queued.
CREATE TABLE public.dm_hooks (id bigserial PRIMARY KEY, email text, event_id text);
SELECT is((SELECT matching FROM dedupe.watch('public.dm_hooks', 'dm_hooks', id_column => 'id',
            email => 'email', idempotency_key => 'event_id', matching => 'deferred')), 'deferred',
  'a second deferred source');
INSERT INTO dedupe.webhook_secrets (source, secret) VALUES ('dm_hooks', convert_to('dm-hooks-secret-0001', 'UTF8'));
SELECT ok(dedupe.route_webhook('dm_hooks', 'dm_hooks', '{"email": "email"}') IS NOT NULL,
  'a route into it');
SELECT is((SELECT delivery || ':' || (golden_id IS NULL)::text FROM dedupe.ingest_webhook('dm_hooks', 'e1',
             convert_to('{"email": "hook@example.com"}', 'UTF8'),
             encode(dedupe.hmac_sha256(convert_to('{"email": "hook@example.com"}', 'UTF8'),
                                       convert_to('dm-hooks-secret-0001', 'UTF8')), 'hex'), now())),
  'queued:true', 'ingest_webhook into a deferred table answers queued, without a golden record yet');
SELECT is(dedupe._match_queued(10), 1, 'the webhook''s record is matched by the next batch');

-- Arguments and privileges.
SELECT throws_ok($$ SELECT dedupe._match_queued(0) $$, '22023', NULL, 'a batch of 0 is refused');
SELECT throws_ok($$ SELECT dedupe.wait_for_matching(NULL) $$, '22023', NULL, 'a NULL timeout is refused');
SELECT ok(NOT has_function_privilege('public', 'dedupe._match_queued(integer)', 'EXECUTE')
          AND has_function_privilege('dedupe_admin', 'dedupe._match_queued(integer)', 'EXECUTE')
          AND has_function_privilege('dedupe_admin', 'dedupe.match_pending(integer)', 'EXECUTE')
          AND NOT has_function_privilege('dedupe_auditor', 'dedupe.match_pending(integer)', 'EXECUTE'),
  'dedupe_admin may match the queue; PUBLIC and auditors may not');
SELECT ok(NOT has_function_privilege('public', 'dedupe.retry_failed_matches()', 'EXECUTE')
          AND has_function_privilege('dedupe_admin', 'dedupe.retry_failed_matches()', 'EXECUTE'),
  'dedupe_admin may put records set aside back in line; PUBLIC may not');

-- A record set aside (3 failed attempts of the worker) is not taken by a batch until it is
-- retried; a record with fewer failed attempts is taken alone.
INSERT INTO public.dm_hooks (email, event_id) VALUES ('aside@example.com', 'x1'),
  ('suspect@example.com', 'x2'), ('plain@example.com', 'x3');
UPDATE dedupe.match_queue q SET attempts = 3, last_error = 'boom' FROM dedupe.records r
 WHERE r.record_id = q.record_id AND r.email = 'aside@example.com';
UPDATE dedupe.match_queue q SET attempts = 1 FROM dedupe.records r
 WHERE r.record_id = q.record_id AND r.email = 'suspect@example.com';
SELECT is(dedupe._match_queued(100), 1, 'a record that failed before is taken alone');
SELECT is(ARRAY[dedupe._match_queued(100), dedupe._match_queued(100)], ARRAY[1, 0],
  'then the others; the record set aside is not taken');
DELETE FROM dedupe.match_queue;

-- A batch is taken by index, whatever the queue holds: a backlog of a million records (a partner
-- file in deferred mode) is matched in 2,000 batches, and each used to read the whole queue for a
-- record to retry.
CREATE TABLE public.dm_bulk (id int PRIMARY KEY, email text);
SELECT NULL FROM dedupe.watch('public.dm_bulk', 'dm_bulk', id_column => 'id', email => 'email',
                              matching => 'deferred');
INSERT INTO public.dm_bulk SELECT g, 'bulk' || g || '@example.com' FROM generate_series(1, 3000) g;
ANALYZE dedupe.match_queue;
CREATE TEMP TABLE dm_queue_read AS
  SELECT seq_tup_read AS n FROM pg_catalog.pg_stat_xact_user_tables
  WHERE schemaname = 'dedupe' AND relname = 'match_queue';
SELECT is(dedupe._match_queued(10), 10, 'a batch of 10 is taken from 3,000 queued records');
SELECT cmp_ok((SELECT seq_tup_read FROM pg_catalog.pg_stat_xact_user_tables
               WHERE schemaname = 'dedupe' AND relname = 'match_queue') - (SELECT n FROM dm_queue_read),
  '<', 100::bigint, 'without reading the queue whole');
DELETE FROM dedupe.match_queue;

CREATE ROLE dm_auditor IN ROLE dedupe_auditor;
SET ROLE dm_auditor;
SELECT lives_ok($$ SELECT * FROM dedupe.matching_lag $$, 'an auditor reads matching_lag');
SELECT is(dedupe.wait_for_matching('0 seconds'), true, 'a role with USAGE on dedupe may wait for matching');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;

-- Routed webhooks: route validation, every refusal of a verified event, quarantine, secret
-- rotation, the rights the row is written with, the failure-rate reports, and three signed
-- events from two senders ending as one golden record.
BEGIN;
SELECT plan(58);
SET LOCAL search_path = public, dedupe;

CREATE ROLE wh_lead_owner NOLOGIN;
CREATE ROLE wh_intake LOGIN IN ROLE dedupe_webhook_intake;
CREATE TABLE leads (id bigserial PRIMARY KEY, email text, phone text, first_name text, last_name text,
  origin text, event_id text, lead_score integer, identity dedupe.match_key, written_by name);
ALTER TABLE leads OWNER TO wh_lead_owner;
-- The table owner's own trigger: it must run as the owner, not as the extension owner.
CREATE FUNCTION leads_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.written_by := current_user; RETURN NEW; END $$;
ALTER FUNCTION leads_stamp() OWNER TO wh_lead_owner;
CREATE TRIGGER a_stamp BEFORE INSERT ON leads FOR EACH ROW EXECUTE FUNCTION leads_stamp();
SELECT NULL FROM dedupe.watch('leads', 'forms', id_column => 'id', email => 'email', phone => 'phone',
  first_name => 'first_name', last_name => 'last_name', idempotency_key => 'event_id',
  key_column => 'identity', on_invalid => 'quarantine');
CREATE TABLE crm_contacts (crm_id text PRIMARY KEY, email text, given text, family text, hook_event text);
SELECT NULL FROM dedupe.watch('crm_contacts', 'crm', id_column => 'crm_id', email => 'email', first_name => 'given',
  last_name => 'family', idempotency_key => 'hook_event', on_invalid => 'reject');
CREATE TABLE unwatched (id serial PRIMARY KEY, email text);

INSERT INTO dedupe.webhook_secrets (source, secret) VALUES
  ('typeform', convert_to('typeform-secret-0001', 'UTF8')), ('hubspot', convert_to('hubspot-secret-00001', 'UTF8'));
CREATE FUNCTION pg_temp.hook(src text, evt text, body text, secret text, at timestamptz DEFAULT now())
RETURNS dedupe.webhook_outcome LANGUAGE sql AS $$
  SELECT * FROM dedupe.ingest_webhook(src, evt, convert_to(body, 'UTF8'),
    encode(dedupe.hmac_sha256(convert_to(body, 'UTF8'), convert_to(secret, 'UTF8')), 'hex'), at) $$;

-- Route validation
SELECT throws_ok($$ SELECT dedupe.route_webhook('typeform', 'nope', '{"email": "email"}') $$, '55000', NULL,
  'a route to a source that is not watched is refused');
SELECT throws_ok($$ SELECT dedupe.route_webhook('typeform', 'forms', '{"mail": "email"}') $$, '42703', NULL,
  'a column that does not exist');
SELECT throws_ok($$ SELECT dedupe.route_webhook('typeform', 'forms', '{"email": "email"}', '{"lead_score": "lots"}') $$,
  '42804', NULL, 'a constant its column type refuses');
SELECT throws_ok($$ SELECT dedupe.route_webhook('typeform', 'forms', '{"email": "email"}', event_id_column => 'lead_score') $$,
  '42804', NULL, 'an event id column that is not a string type');
SELECT throws_ok($$ SELECT dedupe.route_webhook('typeform', 'forms', '{"identity": "key"}') $$, '42804', NULL,
  'the match_key column (filled by the watch trigger)');
SELECT throws_ok($$ SELECT dedupe.route_webhook('typeform', 'forms', '{"email": "email"}', '{"email": "x@y.org"}') $$,
  '42701', NULL, 'a column both mapped and constant');
SELECT throws_ok($$ SELECT dedupe.route_webhook('typeform', 'forms', '{"event_id": "id"}') $$, '42701', NULL,
  'the event id column mapped from the payload too');
SELECT throws_ok($$ SELECT dedupe.route_webhook('typeform', 'forms', '{"email": 3}') $$, '22023', NULL,
  'a path that is neither a key nor an array of keys');
SELECT throws_ok($$ SELECT dedupe.route_webhook('typeform', 'forms', '{"email": "email"}', required => '{phone}') $$,
  '22023', NULL, 'a required column that is not mapped');
SELECT throws_ok($$ SELECT dedupe.route_webhook('hubspot', 'crm', '{"email": "email"}') $$, '23502', NULL,
  'the id column neither mapped nor defaulted');
SELECT throws_ok($$ INSERT INTO dedupe.webhook_routes (source, watched_source, columns) VALUES ('x', 'forms', '{"nope": "a"}') $$,
  '42703', NULL, 'a plain INSERT into the table is validated too');
SELECT lives_ok($$ SELECT dedupe.route_webhook('typeform', 'forms',
  '{"email": ["answers", "email"], "phone": ["answers", "phone"], "first_name": ["name", "first"],
    "last_name": ["name", "last"], "lead_score": "score"}', '{"origin": "typeform"}', required => '{email}') $$,
  'a valid route (paths, a constant, the event id into the idempotency key)');
SELECT is((SELECT event_id_column FROM dedupe.webhook_routes WHERE source = 'typeform'), 'event_id'::name,
  'the event id goes to the watched source''s idempotency key column by default');
SELECT lives_ok($$ SELECT dedupe.route_webhook('hubspot', 'crm',
  '{"crm_id": "vid", "email": ["properties", "email"], "given": ["properties", "firstname"], "family": ["properties", "lastname"]}') $$,
  'a second route, into a table with another shape');

-- A routed event becomes a row, a record and a golden record, in one call
CREATE TEMP TABLE o1 AS SELECT * FROM pg_temp.hook('typeform', 'tf_1',
  '{"answers": {"email": "Jane.Doe+promo@GoogleMail.com", "phone": "(415) 555-0132"}, "name": {"first": "Jane", "last": "Doe"}, "score": 80}',
  'typeform-secret-0001');
SELECT is((SELECT outcome || '/' || delivery FROM o1), 'accepted/linked', 'accepted and linked');
SELECT ok((SELECT golden_id IS NOT NULL AND record_id IS NOT NULL AND target = 'leads'::regclass FROM o1),
  'the answer names the table, the record and the golden record');
SELECT is((SELECT concat_ws('|', email, origin, event_id, lead_score, written_by) FROM leads),
  'Jane.Doe+promo@GoogleMail.com|typeform|tf_1|80|wh_lead_owner',
  'the row holds the mapped values, the constant and the event id; its owner''s trigger ran as the owner');
SELECT is((SELECT r.email FROM dedupe.records r JOIN o1 USING (record_id)), 'janedoe@gmail.com',
  'the write path normalized it');
SELECT is((SELECT count(*) FROM dedupe.webhook_events WHERE event_id = 'tf_1' AND outcome = 'accepted'), 1::bigint,
  'the event is recorded once');
SELECT is((SELECT outcome FROM pg_temp.hook('typeform', 'tf_1', '{"answers": {"email": "x@example.com"}}', 'typeform-secret-0001')),
  'replayed_event_id', 'a replay inserts nothing');
SELECT is((SELECT count(*) FROM leads), 1::bigint, 'still one row');

-- Each refusal of a verified event: recorded with payload and detail, nothing inserted
SELECT is((SELECT outcome FROM pg_temp.hook('typeform', 'tf_bad1', 'not json {', 'typeform-secret-0001')),
  'invalid_json', 'a payload that is not JSON');
SELECT is((SELECT outcome FROM pg_temp.hook('typeform', 'tf_bad2', '[1, 2]', 'typeform-secret-0001')),
  'unmapped_payload', 'JSON that is not an object');
SELECT is((SELECT outcome FROM pg_temp.hook('typeform', 'tf_bad3', '{"answers": "jane@example.com"}', 'typeform-secret-0001')),
  'unmapped_payload', 'a path through a string');
SELECT is((SELECT outcome FROM pg_temp.hook('typeform', 'tf_bad4', '{"answers": {"phone": "+14155550100"}}', 'typeform-secret-0001')),
  'unmapped_payload', 'a required column without a value');
SELECT is((SELECT outcome FROM pg_temp.hook('typeform', 'tf_bad5', '{"answers": {"email": {"work": "a@b.org"}}}', 'typeform-secret-0001')),
  'unmapped_payload', 'an object where the column takes one value');
SELECT is((SELECT outcome || ' ' || left(detail, 5) FROM pg_temp.hook('typeform', 'tf_bad6',
  '{"answers": {"email": "amy@example.com"}, "score": "high"}', 'typeform-secret-0001')),
  'unmapped_payload 22P02', 'a value the column type refuses (detail carries the SQLSTATE)');
SELECT is((SELECT outcome || ' ' || left(detail, 5) FROM pg_temp.hook('hubspot', 'hs_bad1',
  '{"vid": "77", "properties": {"firstname": "Nobody"}}', 'hubspot-secret-00001')),
  'row_rejected 23514', 'a row the watched table rejects (on_invalid = reject)');
SELECT is((SELECT count(*) FROM leads), 1::bigint, 'no refused event left a row behind');
SELECT is((SELECT count(*) FROM crm_contacts), 0::bigint, 'nor in the other table');
SELECT ok((SELECT bool_and(payload IS NOT NULL AND detail IS NOT NULL AND outcome = 'refused') FROM dedupe.webhook_events
            WHERE event_id IN ('tf_bad1', 'tf_bad2', 'tf_bad3', 'tf_bad4', 'tf_bad5', 'tf_bad6', 'hs_bad1')),
  'every refused but authentic event keeps its payload and a detail (nothing lost)');
SELECT is((SELECT count(*) FROM dedupe.webhook_events WHERE event_id LIKE '%bad%'), 7::bigint, 'one row per attempt');
SELECT is((SELECT delivery FROM pg_temp.hook('typeform', 'tf_bad3', '{"answers": {"email": "amy@example.com"}}', 'typeform-secret-0001')),
  'linked', 'a refused event id can be delivered again once corrected');

-- Quarantine says so in the answer
CREATE TEMP TABLE oq AS SELECT * FROM pg_temp.hook('typeform', 'tf_q', '{"answers": {"email": "not an email"}}', 'typeform-secret-0001');
SELECT is((SELECT outcome || '/' || delivery FROM oq), 'accepted/quarantined', 'an invalid row is quarantined, and the answer says so');
SELECT ok((SELECT row_id IS NOT NULL AND detail IS NOT NULL AND golden_id IS NULL FROM oq), 'with the row id and the reason');
SELECT is((SELECT count(*) FROM dedupe.quarantine q JOIN oq ON q.source_pk = oq.row_id WHERE q.source = 'forms'), 1::bigint,
  'the row waits in dedupe.quarantine');

-- Rotation: the old secret is accepted until it expires
SELECT ok(e BETWEEN now() + interval '59 minutes' AND now() + interval '61 minutes', 'rotation returns the old secret''s expiry')
FROM (SELECT dedupe.rotate_webhook_secret('typeform', convert_to('typeform-secret-0002', 'UTF8'), '1 hour') AS e OFFSET 0) r;
SELECT is((SELECT outcome FROM pg_temp.hook('typeform', 'tf_r1', '{"answers": {"email": "r1@example.com"}}', 'typeform-secret-0001')),
  'accepted', 'the old secret is accepted during the overlap');
SELECT is((SELECT outcome FROM pg_temp.hook('typeform', 'tf_r2', '{"answers": {"email": "r2@example.com"}}', 'typeform-secret-0002')),
  'accepted', 'the new secret too');
SELECT is((SELECT outcome FROM pg_temp.hook('typeform', 'tf_r3', '{"answers": {"email": "r3@example.com"}}', 'typeform-secret-0003')),
  'signature_mismatch', 'another secret is not');
UPDATE dedupe.webhook_secrets SET previous_expires_at = clock_timestamp() - interval '1 second' WHERE source = 'typeform';
SELECT is((SELECT outcome FROM pg_temp.hook('typeform', 'tf_r4', '{"answers": {"email": "r4@example.com"}}', 'typeform-secret-0001')),
  'signature_mismatch', 'the old secret is refused after its expiry');
SELECT is((SELECT outcome FROM pg_temp.hook('typeform', 'tf_r5', '{"answers": {"email": "r5@example.com"}}', 'typeform-secret-0002')),
  'accepted', 'the new one still works');
SELECT throws_ok($$ SELECT dedupe.rotate_webhook_secret('nobody', convert_to('typeform-secret-0009', 'UTF8')) $$, '42704', NULL,
  'rotating an unknown source');
SELECT throws_ok($$ SELECT dedupe.rotate_webhook_secret('typeform', convert_to('typeform-secret-0002', 'UTF8')) $$, '22023', NULL,
  'rotating to the secret in use');
SELECT throws_ok($$ SELECT dedupe.rotate_webhook_secret('typeform', convert_to('short', 'UTF8')) $$, '22023', NULL,
  'a too short secret');

-- End to end: three signed events for one person from two senders, one golden record
CREATE TEMP TABLE e2e AS
SELECT * FROM pg_temp.hook('typeform', 'tf_e1', '{"answers": {"email": "Maria.Lopez@Example.com", "phone": "+1 212 555 0187"}, "name": {"first": "Maria", "last": "Lopez"}}', 'typeform-secret-0002')
UNION ALL
SELECT * FROM pg_temp.hook('hubspot', 'hs_e2', '{"vid": "9001", "properties": {"email": "maria.lopez@example.com", "firstname": "Maria", "lastname": "Lopez"}}', 'hubspot-secret-00001')
UNION ALL
SELECT * FROM pg_temp.hook('typeform', 'tf_e3', '{"answers": {"email": "MARIA.LOPEZ@example.com"}, "name": {"first": "Maria", "last": "Lopez"}}', 'typeform-secret-0002');
SELECT is((SELECT string_agg(outcome || '/' || delivery, ',') FROM e2e), 'accepted/linked,accepted/linked,accepted/linked',
  'the three events are accepted and linked');
SELECT is((SELECT count(DISTINCT golden_id) FROM e2e), 1::bigint, 'to one golden record');
SELECT is((SELECT count(*) FROM dedupe.record_links WHERE golden_id = (SELECT max(golden_id) FROM e2e)), 3::bigint,
  'which holds three links');
SELECT is((SELECT count(DISTINCT a.record_id) FROM dedupe.audit_log a JOIN e2e USING (record_id)), 3::bigint,
  'and one audit trail names each of the three records');

-- The row is written with the table owner's rights, not the extension owner's
CREATE TABLE sneaky (id serial PRIMARY KEY, email text, note text);
ALTER TABLE sneaky OWNER TO wh_lead_owner;
CREATE FUNCTION sneaky_peek() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.note := (SELECT encode(secret, 'hex') FROM dedupe.webhook_secrets LIMIT 1); RETURN NEW; END $$;
ALTER FUNCTION sneaky_peek() OWNER TO wh_lead_owner;
CREATE TRIGGER a_peek BEFORE INSERT ON sneaky FOR EACH ROW EXECUTE FUNCTION sneaky_peek();
SELECT NULL FROM dedupe.watch('sneaky', 'sneaky', id_column => 'id', email => 'email');
INSERT INTO dedupe.webhook_secrets (source, secret) VALUES ('sneak', convert_to('sneak-secret-000001', 'UTF8'));
SELECT NULL FROM dedupe.route_webhook('sneak', 'sneaky', '{"email": "email"}');
SELECT is((SELECT outcome || ' ' || left(detail, 5) FROM pg_temp.hook('sneak', 's1', '{"email": "s@example.com"}', 'sneak-secret-000001')),
  'row_rejected 42501', 'a trigger of the watched table cannot read the secrets through ingest_webhook');
SELECT is((SELECT count(*) FROM sneaky), 0::bigint, 'and wrote nothing');

-- Route unavailable once the table is no longer watched
SELECT NULL FROM dedupe.unwatch('crm_contacts');
SELECT is((SELECT outcome FROM pg_temp.hook('hubspot', 'hs_u1', '{"vid": "5", "properties": {"email": "u@example.com"}}', 'hubspot-secret-00001')),
  'route_unavailable', 'a route to a table no longer watched refuses (and keeps) the event');

-- The intake role calls ingest_webhook and sees nothing else
SET LOCAL ROLE wh_intake;
SELECT is((SELECT outcome FROM pg_temp.hook('typeform', 'tf_i1', '{"answers": {"email": "intake@example.com"}}', 'typeform-secret-0002')),
  'accepted', 'dedupe_webhook_intake delivers a routed event');
SELECT throws_ok($$ SELECT * FROM leads $$, '42501', NULL, 'without any right on the watched table');
SELECT throws_ok($$ SELECT * FROM dedupe.webhook_routes $$, '42501', NULL, 'nor on the routes');
RESET ROLE;

-- Reports
SELECT results_eq($$ SELECT accepted, refused, replays, refused_by_reason FROM dedupe.webhook_failure_rate_by_day WHERE source = 'typeform' $$,
  $$ VALUES (9::bigint, 8::bigint, 1::bigint, '{"invalid_json": 1, "signature_mismatch": 2, "unmapped_payload": 5}'::jsonb) $$,
  'failure rate by day: accepted, refused by reason, replays');
SELECT is((SELECT failure_rate FROM dedupe.webhook_failure_rate_by_week WHERE source = 'typeform'), round(8 / 17.0, 4),
  'failure rate by week: refused / (accepted + refused), replays apart');
SELECT throws_ok($$ SELECT * FROM dedupe.webhook_failure_rate('year') $$, '22023', NULL, 'an unknown bucket');

SELECT * FROM finish();
ROLLBACK;

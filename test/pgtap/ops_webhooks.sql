-- Signed webhook intake: RFC 4231 vectors, signature forms, tampering, freshness, replays,
-- the append-only record of every attempt, and who may read secrets.
BEGIN;
SELECT plan(51);
SET LOCAL search_path = public, dedupe;

CREATE TEMP TABLE rfc AS SELECT convert_to('what do ya want for nothing?', 'UTF8') AS data, 'Jefe'::bytea AS key,
  '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'::text AS mac;

-- HMAC-SHA256 (RFC 4231)
SELECT is(encode(dedupe.hmac_sha256(convert_to('Hi There', 'UTF8'), '\x0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b'), 'hex'),
  'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7', 'RFC 4231 test case 1');
SELECT is(encode(dedupe.hmac_sha256(data, key), 'hex'), mac, 'RFC 4231 test case 2') FROM rfc;

-- verify_webhook
SELECT ok(dedupe.verify_webhook(data, mac, key, now()), 'test case 2 verifies (hex)') FROM rfc;
SELECT ok(dedupe.verify_webhook(data, upper(mac), key, now()), 'upper-case hex') FROM rfc;
SELECT ok(dedupe.verify_webhook(data, 'sha256=' || mac, key, now()), 'sha256= prefix') FROM rfc;
SELECT ok(dedupe.verify_webhook(data, encode(decode(mac, 'hex'), 'base64'), key, now()), 'base64') FROM rfc;
SELECT ok(dedupe.verify_webhook(data, 'sha256=' || rtrim(encode(decode(mac, 'hex'), 'base64'), '='), key, now()),
  'base64 without padding, prefixed') FROM rfc;
SELECT ok(NOT dedupe.verify_webhook(set_byte(data, 27, get_byte(data, 27) # 1), mac, key, now()),
  'one changed payload byte ("nothing>") fails') FROM rfc;
SELECT ok(NOT dedupe.verify_webhook(data, mac, 'jefe'::bytea, now()), 'a wrong secret fails') FROM rfc;
SELECT ok(NOT dedupe.verify_webhook(data, overlay(mac PLACING '0' FROM 64), key, now()), 'a changed signature digit fails') FROM rfc;
SELECT ok(NOT dedupe.verify_webhook(data, 'sha1=' || mac, key, now()), 'another algorithm''s prefix fails') FROM rfc;
SELECT ok(NOT dedupe.verify_webhook(data, 'not a signature', key, now()), 'a malformed signature is false, not an error') FROM rfc;
SELECT ok(NOT dedupe.verify_webhook(data, NULL, key, now()), 'no signature is false') FROM rfc;
SELECT ok(NOT dedupe.verify_webhook(data, mac, key, now() - interval '6 minutes'), 'six minutes old is stale') FROM rfc;
SELECT ok(dedupe.verify_webhook(data, mac, key, now() - interval '6 minutes', '10 minutes'), 'unless max_age allows it') FROM rfc;
SELECT ok(NOT dedupe.verify_webhook(data, mac, key, now() + interval '2 minutes'), 'two minutes in the future is refused') FROM rfc;
SELECT ok(dedupe.verify_webhook(data, mac, key, now() + interval '10 seconds'), 'ten seconds ahead is clock skew') FROM rfc;
SELECT ok(NOT dedupe.verify_webhook(data, mac, key, NULL), 'no timestamp is false') FROM rfc;
SELECT throws_ok($$ SELECT dedupe.verify_webhook(data, mac, key, now(), '0') FROM rfc $$, '22023', NULL, 'max_age must be positive');
SELECT throws_ok($$ SELECT dedupe.verify_webhook(data, mac, NULL, now()) FROM rfc $$, '22023', NULL, 'a secret is required');

-- ingest_webhook
INSERT INTO dedupe.webhook_secrets (source, secret) VALUES ('stripe', convert_to('whsec_0123456789abcdef', 'UTF8'));
CREATE TEMP TABLE hook AS SELECT convert_to('{"id":"evt_1","type":"lead.created"}', 'UTF8') AS payload,
  encode(dedupe.hmac_sha256(convert_to('{"id":"evt_1","type":"lead.created"}', 'UTF8'),
                            convert_to('whsec_0123456789abcdef', 'UTF8')), 'hex') AS sig;
SELECT is((dedupe.ingest_webhook('stripe', 'evt_1', payload, sig, now())).outcome, 'accepted', 'a signed, fresh event is accepted') FROM hook;
SELECT is((dedupe.ingest_webhook('stripe', 'evt_1', payload, sig, now())).outcome, 'replayed_event_id', 'the same event id again is a replay') FROM hook;
SELECT results_eq($$ SELECT outcome, reason FROM dedupe.webhook_events WHERE source = 'stripe' AND event_id = 'evt_1' ORDER BY id $$,
  $$ VALUES ('accepted', NULL), ('refused', 'replayed_event_id') $$, 'both attempts are recorded');
SELECT is((dedupe.ingest_webhook('stripe', 'evt_2', set_byte(payload, 8, 50), sig, now())).outcome, 'signature_mismatch', 'tampered payload') FROM hook;
SELECT is((dedupe.ingest_webhook('stripe', 'evt_2', payload, encode(dedupe.hmac_sha256(payload, 'another secret 123'), 'hex'), now())).outcome,
  'signature_mismatch', 'signed with another secret') FROM hook;
SELECT is((dedupe.ingest_webhook('stripe', 'evt_2', payload, 'zz', now())).outcome, 'malformed_signature', 'malformed signature') FROM hook;
SELECT is((dedupe.ingest_webhook('stripe', 'evt_2', payload, sig, now() - interval '1 hour')).outcome, 'stale_timestamp', 'stale') FROM hook;
SELECT is((dedupe.ingest_webhook('stripe', 'evt_2', payload, sig, now() + interval '1 hour')).outcome, 'future_timestamp', 'from the future') FROM hook;
SELECT is((dedupe.ingest_webhook('stripe', NULL, payload, sig, now())).outcome, 'missing_event_id', 'no event id') FROM hook;
SELECT is((dedupe.ingest_webhook('hubspot', 'evt_2', payload, sig, now())).outcome, 'unknown_source', 'a source without a secret') FROM hook;
SELECT is((dedupe.ingest_webhook('stripe', 'evt_2', payload, 'sha256=' || encode(decode(sig, 'hex'), 'base64'), now())).outcome, 'accepted',
  'refused attempts do not block the genuine delivery of that event id') FROM hook;
SELECT throws_ok($$ SELECT dedupe.ingest_webhook(NULL, 'e', '\x00', 'x', now()) $$, '22023', NULL, 'a source is required');
SELECT is((SELECT count(*) FROM dedupe.webhook_events WHERE source IN ('stripe', 'hubspot')), 10::bigint, 'every attempt is a row');
SELECT is((SELECT count(*) FROM dedupe.webhook_events WHERE outcome = 'refused' AND payload IS NOT NULL), 0::bigint,
  'refused payloads are not kept (only their SHA-256)');
SELECT is((SELECT payload_sha256 FROM dedupe.webhook_events WHERE event_id = 'evt_1' AND outcome = 'accepted'),
  (SELECT sha256(payload) FROM hook), 'the payload digest is recorded');
SELECT ok((SELECT bool_and(backend_pid = pg_backend_pid() AND session_user_name = session_user) FROM dedupe.webhook_events),
  'the worker (backend pid, session user) is recorded');
SELECT ok(NOT EXISTS (SELECT FROM dedupe.webhook_events e
                      WHERE position(convert_to('whsec_', 'UTF8') IN coalesce(e.payload, '')) > 0
                         OR e.reason LIKE '%whsec%'), 'the secret appears nowhere in the events');

-- Append-only
SELECT throws_ok($$ UPDATE dedupe.webhook_events SET reason = NULL $$, '42501', NULL, 'UPDATE is refused');
SELECT throws_ok($$ DELETE FROM dedupe.webhook_events $$, '42501', NULL, 'DELETE is refused');
SELECT throws_ok($$ TRUNCATE dedupe.webhook_events $$, '42501', NULL, 'TRUNCATE is refused');

-- Retention: the one way to remove events
INSERT INTO dedupe.webhook_events (source, event_id, received_at, outcome, payload, payload_sha256)
VALUES ('stripe', 'evt_old', now() - interval '40 days', 'accepted', '\x00', sha256('\x00'));
SELECT throws_ok($$ SELECT dedupe.purge_webhook_events('1 hour') $$, '22023', NULL, 'a purge keeps at least a day');
UPDATE dedupe.webhook_secrets SET max_age = '45 days' WHERE source = 'stripe';
SELECT throws_ok($$ SELECT dedupe.purge_webhook_events('30 days') $$, '22023', NULL,
  'and longer than any source''s freshness window, so a purged event id cannot come back');
UPDATE dedupe.webhook_secrets SET max_age = '5 minutes' WHERE source = 'stripe';
SELECT is(dedupe.purge_webhook_events('30 days'), 1::bigint, 'events older than 30 days are purged');
SELECT is((SELECT count(*) FROM dedupe.webhook_events WHERE event_id = 'evt_old'), 0::bigint, 'the old event is gone');
SELECT is((SELECT count(*) FROM dedupe.webhook_events WHERE source IN ('stripe', 'hubspot')), 10::bigint, 'the recent ones stay');
SELECT is((SELECT inputs->>'rows' FROM dedupe.audit_log WHERE decision = 'webhook_events_purged'), '1', 'the purge is audited');
SELECT throws_ok($$ DELETE FROM dedupe.webhook_events $$, '42501', NULL, 'after the purge, DELETE is refused again');
SELECT throws_ok($$ INSERT INTO dedupe.webhook_secrets VALUES ('short', 'tooshort') $$, '23514', NULL,
  'secrets have at least 16 bytes');

-- Privileges: an intake role ingests but reads no secret; auditors see events, not secrets
CREATE ROLE ops_intake IN ROLE dedupe_webhook_intake;
GRANT SELECT ON hook TO ops_intake;
SET LOCAL ROLE ops_intake;
SELECT throws_ok($$ SELECT * FROM dedupe.webhook_secrets $$, '42501', NULL, 'a plain intake role cannot read secrets');
SELECT is((dedupe.ingest_webhook('stripe', 'evt_3', payload, sig, now())).outcome, 'accepted', 'but can ingest') FROM hook;
RESET ROLE;
SET LOCAL ROLE dedupe_auditor;
SELECT throws_ok($$ SELECT secret FROM dedupe.webhook_secrets $$, '42501', NULL, 'dedupe_auditor cannot read secrets');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;

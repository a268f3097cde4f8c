-- Operations: the Monday-morning checklist on the rows written above, the outreach gate,
-- a tracking code's round trip and a signed webhook.
SET search_path = public, dedupe;
SET client_min_messages = warning;

\echo '== duplicate rate by source and owner (a duplicate joined a golden record that already had a member)'
SELECT * FROM dedupe.duplicate_rate_by_source;
SELECT * FROM dedupe.duplicate_rate_by_owner ORDER BY records DESC LIMIT 5;

\echo '== review-queue health right now, per kind and owner'
SELECT * FROM dedupe.review_queue_health();

\echo '== the weekly QA sample: 1% of the automatic links, reproducible by seed, each explained'
SELECT s.source_pk, s.rule, round(s.score::numeric, 3) AS score, s.explanation->>'decision' AS decision,
       r.first_name || ' ' || r.last_name AS record, o.first_name || ' ' || o.last_name AS compared_with
FROM dedupe.qa_sample(1, 2026, now() - interval '1 day', now() + interval '1 minute') s
JOIN dedupe.records r USING (record_id) JOIN dedupe.records o ON o.record_id = s.compared_with
ORDER BY s.record_id LIMIT 5;

\echo '== pipeline accuracy: how much a count(*) over crm_contacts over-counts people'
SELECT source, rows, linked_rows, people, rows_double_counted, excess_rows, double_count_rate
FROM dedupe.pipeline_accuracy('crm_contacts');

\echo '== the outreach gate: confirm 20 golden records, then see who may be emailed and why others wait'
SELECT count(dedupe.confirm(golden_id)) AS confirmed
FROM (SELECT golden_id FROM dedupe.golden_records ORDER BY golden_id LIMIT 20) g;
SELECT count(*) AS ready_for_email FROM dedupe.outreach_ready WHERE channel = 'email';
SELECT dedupe.hold_reason(golden_id, 'email') AS held_because, count(*)
FROM dedupe.golden_records GROUP BY 1 ORDER BY 2 DESC LIMIT 4;
SELECT dedupe.hold_reason((SELECT min(golden_id) FROM dedupe.golden_records)) AS mail_held_because;

\echo '== a tracking code for an email campaign, typed back in lower case without hyphens; a one-character typo is caught'
CREATE TEMP TABLE demo_piece AS
SELECT golden_id, dedupe.tracking_code(golden_id, 'winter-2026', 'email') AS code
FROM dedupe.outreach_ready WHERE channel = 'email' ORDER BY golden_id LIMIT 1;
SELECT * FROM demo_piece;
SELECT * FROM dedupe.reconcile_tracking((SELECT lower(replace(code, '-', '')) FROM demo_piece), 'sent');
SELECT dedupe.is_valid_tracking_code((SELECT overlay(code PLACING CASE WHEN substr(code, 1, 1) = 'A' THEN 'B' ELSE 'A' END FROM 1)
                                      FROM demo_piece)) AS one_wrong_character_accepted;

\echo '== a signed webhook: accepted once, its replay and a tampered copy refused, every attempt recorded'
INSERT INTO dedupe.webhook_secrets (source, secret) VALUES ('forms_vendor', convert_to('demo-secret-0123456789', 'UTF8'));
CREATE TEMP TABLE demo_hook AS
SELECT convert_to('{"event":"lead.created","id":"evt_42"}', 'UTF8') AS payload,
       'sha256=' || encode(dedupe.hmac_sha256(convert_to('{"event":"lead.created","id":"evt_42"}', 'UTF8'),
                                              convert_to('demo-secret-0123456789', 'UTF8')), 'hex') AS signature;
SELECT (dedupe.ingest_webhook('forms_vendor', 'evt_42', payload, signature, now())).outcome AS first,
       (dedupe.ingest_webhook('forms_vendor', 'evt_42', payload, signature, now())).outcome AS again,
       (dedupe.ingest_webhook('forms_vendor', 'evt_43', set_byte(payload, 2, 69), signature, now())).outcome AS tampered
FROM demo_hook;
SELECT event_id, outcome, reason, backend_pid = pg_backend_pid() AS this_worker FROM dedupe.webhook_events ORDER BY id;

\echo '== a routed webhook: the signed event of a form is verified, logged, written to a watched table and matched, in one call'
CREATE TABLE web_leads (id bigserial PRIMARY KEY, email text, phone text, first_name text, last_name text,
                        origin text, event_id text);
SELECT source FROM dedupe.watch('web_leads', 'web_forms', id_column => 'id', email => 'email', phone => 'phone',
                                first_name => 'first_name', last_name => 'last_name',
                                idempotency_key => 'event_id', on_invalid => 'quarantine');
SELECT source, watched_source, columns, constants, event_id_column
FROM dedupe.route_webhook('forms_vendor', 'web_forms',
  columns   => '{"email": ["answers", "email"], "phone": ["answers", "phone"],
                 "first_name": ["name", "first"], "last_name": ["name", "last"]}',
  constants => '{"origin": "forms_vendor"}', required => '{email}');
-- Someone the partner CSV brought in (60_write_path.sql, as ' Jinni.Dreyer+partner@GoogleMail.com')
-- fills in the vendor's form, typing the address without the dot and the +tag; the vendor signs the body.
CREATE TEMP TABLE demo_event AS
SELECT payload, 'sha256=' || encode(dedupe.hmac_sha256(payload, convert_to('demo-secret-0123456789', 'UTF8')), 'hex') AS signature
FROM (SELECT convert_to(jsonb_build_object('event', 'lead.created', 'id', 'evt_44',
               'answers', jsonb_build_object('email', lower(c.first_name || c.last_name) || '@gmail.com'),
               'name', jsonb_build_object('first', initcap(c.first_name), 'last', upper(c.last_name)))::text, 'UTF8') AS payload
      FROM crm_contacts c JOIN dedupe.records r ON r.source = 'febrl_import' AND r.source_pk = c.id::text
      JOIN dedupe.record_links USING (record_id)
      WHERE c.email IS NOT NULL ORDER BY c.id LIMIT 1) e;
SELECT convert_from(payload, 'UTF8') AS signed_body, left(signature, 23) || '...' AS signature FROM demo_event;
CREATE TEMP TABLE demo_outcome AS
SELECT o.* FROM demo_event e, dedupe.ingest_webhook('forms_vendor', 'evt_44', e.payload, e.signature, now()) o;
SELECT outcome, delivery, target, row_id, record_id, golden_id FROM demo_outcome;
\echo '== its golden record, and the rows it now gathers (the CSV import and the webhook)'
SELECT g.golden_id, g.first_name, g.last_name, g.email, g.owner, g.status
FROM dedupe.golden_records g JOIN demo_outcome USING (golden_id);
SELECT r.source, r.source_pk, r.first_name, r.last_name, r.email, l.rule
FROM dedupe.record_links l JOIN dedupe.records r USING (record_id) JOIN demo_outcome o ON o.golden_id = l.golden_id
ORDER BY r.record_id;
SELECT id, email, first_name, last_name, origin, event_id FROM web_leads;

-- Outreach gate and mail tracking codes: who may be contacted and why not, codes that
-- survive merges, refuse misreads and move through pending -> sent -> delivered | returned.
BEGIN;
SELECT plan(52);
SET LOCAL search_path = public, dedupe;

CREATE TABLE out_crm (id int PRIMARY KEY, email text, phone text, first_name text, last_name text,
                      street text, postcode text, city text);
SELECT count(dedupe.watch('out_crm', 'out_crm', id_column => 'id', email => 'email', phone => 'phone',
                          first_name => 'first_name', last_name => 'last_name',
                          attributes => ARRAY['street', 'postcode', 'city']));
INSERT INTO out_crm VALUES
  (1, 'ann.lee@example.com', NULL, 'Ann', 'Lee', '1 Main St', '94107', 'San Francisco'),
  (2, 'bob.kim@example.org', NULL, 'Bob', 'Kim', '2 Oak Ave', ' ', 'Oakland'),  -- a blank postcode
  (3, 'cara.diaz@example.net', NULL, 'Cara', 'Diaz', '3 Elm St', '10001', 'New York'),
  (4, 'dan.ortiz@example.io', NULL, 'Dan', 'Ortiz', NULL, NULL, NULL),
  (5, 'fay.ng@example.com', NULL, 'Fay', 'Ng', '5 Pine Rd', '73301', 'Austin'),
  (6, NULL, '+1 415 555 0199', 'Gus', 'Hale', NULL, NULL, NULL);
CREATE FUNCTION pg_temp.g(pk int) RETURNS bigint LANGUAGE sql AS $$
  SELECT l.golden_id FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)
  WHERE r.source = 'out_crm' AND r.source_pk = pk::text $$;
CREATE FUNCTION pg_temp.gate_disagreements() RETURNS bigint LANGUAGE sql AS $$
  -- the view (set-based) and hold_reason (per record) must say the same for every pair
  SELECT count(*) FROM dedupe.golden_records g CROSS JOIN dedupe.effective_outreach_channels c
  WHERE (dedupe.hold_reason(g.golden_id, c.channel) IS NULL)
        <> EXISTS (SELECT FROM dedupe.outreach_ready r WHERE r.golden_id = g.golden_id AND r.channel = c.channel) $$;
SELECT dedupe.confirm(pg_temp.g(n)) FROM unnest(ARRAY[1, 2, 4, 5]) n;
CREATE TEMP TABLE item AS SELECT dedupe.request_merge(pg_temp.g(2), pg_temp.g(4), 'same household?') AS id;

-- The gate
SELECT is(dedupe.hold_reason(pg_temp.g(1)), NULL, 'Ann is confirmed, unreviewed and has a postal address: not held from mail');
SELECT is(dedupe.hold_reason(pg_temp.g(1), 'email'), NULL, 'nor from email');
SELECT is(dedupe.hold_reason(pg_temp.g(2)), 'open review item ' || (SELECT id FROM item) || ' (merge_request); '
  || 'no deliverable mail address: missing postcode', 'Bob: under review, and a blank postcode is no postcode');
SELECT is(dedupe.hold_reason(pg_temp.g(2), 'email'), 'open review item ' || (SELECT id FROM item) || ' (merge_request)',
  'Bob is held by the open merge request');
SELECT is(dedupe.hold_reason(pg_temp.g(4), 'email'), 'open review item ' || (SELECT id FROM item) || ' (merge_request)',
  'so is Dan, the other golden record it names');
SELECT is(dedupe.hold_reason(pg_temp.g(3), 'email'), 'not confirmed (status pending)', 'Cara is not confirmed');
SELECT is(dedupe.hold_reason(pg_temp.g(6), 'email'), 'not confirmed (status pending); no deliverable email address: missing email',
  'Gus: every reason, joined');
SELECT is(dedupe.hold_reason(pg_temp.g(6)), 'not confirmed (status pending); no deliverable mail address: missing street, postcode, city',
  'physical mail (the default channel) needs street, postcode and city');
SELECT is(dedupe.hold_reason(pg_temp.g(6), 'phone'), 'not confirmed (status pending)', 'Gus has a phone number');
SELECT set_eq($$ SELECT golden_id FROM dedupe.outreach_ready WHERE channel = 'email' $$,
  ARRAY[pg_temp.g(1), pg_temp.g(5)], 'outreach_ready by email: Ann and Fay');
SELECT is((SELECT address FROM dedupe.outreach_ready WHERE channel = 'email' AND golden_id = pg_temp.g(1)),
  '{"email": "ann.lee@example.com"}'::jsonb, 'the view carries what the channel needs');
SELECT set_eq($$ SELECT golden_id FROM dedupe.outreach_ready WHERE channel = 'mail' $$,
  ARRAY[pg_temp.g(1), pg_temp.g(5)], 'outreach_ready by mail: Ann and Fay (Cara is not confirmed)');
SELECT is((SELECT address FROM dedupe.outreach_ready WHERE channel = 'mail' AND golden_id = pg_temp.g(1)),
  '{"street": "1 Main St", "postcode": "94107", "city": "San Francisco"}'::jsonb, 'with the address to print');
SELECT throws_ok($$ SELECT dedupe.hold_reason(pg_temp.g(1), 'fax') $$, '42704', 'unknown outreach channel "fax"', 'unknown channel');
SELECT throws_ok($$ SELECT dedupe.hold_reason(-1) $$, '42704', NULL, 'unknown golden record');
INSERT INTO dedupe.outreach_channels VALUES ('sms', '{phone,country}', 'Text messages');
SELECT is(dedupe.hold_reason(pg_temp.g(1), 'sms'), 'no deliverable sms address: missing phone, country', 'channels are configuration');
SELECT is(pg_temp.gate_disagreements(), 0::bigint, 'outreach_ready and hold_reason agree on every record and channel');
SELECT lives_ok($$ SELECT dedupe.approve((SELECT id FROM item)) $$, 'the merge request is approved');
SELECT is(dedupe.hold_reason(pg_temp.g(2), 'email'), NULL, 'Bob and Dan, now one person, are released for email');
SELECT is(dedupe.hold_reason(pg_temp.g(2)), 'no deliverable mail address: missing postcode', 'but not for mail');

-- Tracking codes
CREATE TEMP TABLE code AS SELECT dedupe.tracking_code(pg_temp.g(1), 'spring-2027') AS ann;
SELECT matches((SELECT ann FROM code), '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{3}$',
  'a code is XXXX-XXXX-XXX in Crockford''s alphabet');
SELECT is(dedupe.tracking_code(pg_temp.g(1), 'spring-2027'), (SELECT ann FROM code), 'issuing again returns the same code');
SELECT results_eq($$ SELECT golden_id, campaign, channel, status, issued_by FROM dedupe.mail_pieces $$,
  $$ VALUES (pg_temp.g(1), 'spring-2027', 'mail', 'pending', session_user) $$, 'one pending piece is recorded');
SELECT is((SELECT count(*) FROM dedupe.tracking_keys), 1::bigint, 'the HMAC key was created on first use');
SELECT is((SELECT octet_length(secret) FROM dedupe.tracking_keys), 32, 'from 32 random bytes');
SELECT is((SELECT count(*) FROM dedupe.audit_log WHERE decision = 'tracking_code_issued'
             AND inputs->>'golden_id' = pg_temp.g(1)::text), 1::bigint, 'issuing is audited once');
SELECT isnt(dedupe.tracking_code(pg_temp.g(1), 'autumn-2027'), (SELECT ann FROM code), 'another campaign, another code');
SELECT throws_ok($$ SELECT dedupe.tracking_code(pg_temp.g(3), 'spring-2027') $$, '55000',
  'golden record ' || pg_temp.g(3) || ' is held for mail', 'a held record gets no code');
SELECT throws_ok($$ SELECT dedupe.tracking_code(pg_temp.g(1), ' ') $$, '22023', NULL, 'a campaign is required');
SELECT throws_ok($$ SELECT dedupe.tracking_code(-1, 'spring-2027') $$, '42704', NULL, 'unknown golden record');

-- Reading codes back
SELECT is(dedupe.normalize_tracking_code(lower(replace((SELECT ann FROM code), '-', ''))), (SELECT ann FROM code),
  'case and hyphens do not matter');
CREATE TEMP TABLE typo AS
SELECT left(ann, 2) || CASE WHEN substr(ann, 3, 1) = 'A' THEN 'B' ELSE 'A' END || substr(ann, 4) AS code FROM code;
SELECT is(dedupe.is_valid_tracking_code((SELECT code FROM typo)), false, 'one changed character fails the check character');
SELECT throws_ok($$ SELECT * FROM dedupe.reconcile_tracking((SELECT code FROM typo), 'sent') $$, '22P02', NULL,
  'a mistyped code is refused as bad text, before any lookup');
SELECT throws_ok($$ SELECT * FROM dedupe.reconcile_tracking(dedupe._derive_tracking_code('\x000102030405060708090a0b0c0d0e0f', 1, 'x', 0), 'sent') $$,
  '42704', NULL, 'a well-formed code that was never issued is unknown');
SELECT throws_ok($$ SELECT * FROM dedupe.reconcile_tracking((SELECT ann FROM code), 'delivered') $$, '55000', NULL,
  'a pending piece cannot be delivered before it is sent');
SELECT throws_ok($$ SELECT * FROM dedupe.reconcile_tracking((SELECT ann FROM code), 'lost') $$, '22023', NULL, 'unknown event');
SELECT results_eq($$ SELECT * FROM dedupe.reconcile_tracking(lower((SELECT ann FROM code)), 'sent') $$,
  $$ VALUES (pg_temp.g(1), pg_temp.g(1), 'spring-2027', 'sent') $$, 'round trip: the scanned code maps to Ann''s golden record');
SELECT lives_ok($$ SELECT * FROM dedupe.reconcile_tracking((SELECT ann FROM code), 'sent') $$, 'scanning the same event twice is harmless');
SELECT is((SELECT count(*) FROM dedupe.audit_log WHERE decision = 'mail_piece_sent'), 1::bigint, 'and audited once');
SELECT is((SELECT status FROM dedupe.reconcile_tracking((SELECT ann FROM code), 'delivered')), 'delivered', 'sent -> delivered');
SELECT throws_ok($$ SELECT * FROM dedupe.reconcile_tracking((SELECT ann FROM code), 'returned') $$, '55000', NULL,
  'a delivered piece is not returned afterwards');
SELECT throws_ok($$ UPDATE dedupe.mail_pieces SET status = 'pending' $$, '55000', NULL, 'the table itself enforces the order');
SELECT throws_ok($$ UPDATE dedupe.mail_pieces SET golden_id = golden_id + 1 $$, '55000', NULL, 'a piece never changes hands');

-- Codes survive merges
CREATE TEMP TABLE fay AS SELECT dedupe.tracking_code(pg_temp.g(5), 'spring-2027') AS spring,
                                dedupe.tracking_code(pg_temp.g(5), 'winter-2027') AS winter, pg_temp.g(5) AS golden;
SELECT is(dedupe.merge(pg_temp.g(1), (SELECT golden FROM fay), 'Fay is Ann''s maiden name'), pg_temp.g(1), 'Fay merges into Ann');
SELECT results_eq($$ SELECT golden_id, issued_to, status FROM dedupe.reconcile_tracking((SELECT spring FROM fay), 'sent') $$,
  $$ SELECT pg_temp.g(1), (SELECT golden FROM fay), 'sent' $$, 'a code issued before the merge reconciles to the survivor');
SELECT is(dedupe.tracking_code(pg_temp.g(1), 'winter-2027'), (SELECT winter FROM fay),
  'the survivor gets the piece already issued to the absorbed record: one piece per person and campaign');
SELECT is(dedupe.hold_reason((SELECT golden FROM fay), 'email'), 'merged into golden record ' || pg_temp.g(1),
  'the absorbed id is held and points to the survivor');
SELECT throws_ok($$ SELECT dedupe.tracking_code((SELECT golden FROM fay), 'summer-2027') $$, '42704', NULL,
  'no new code for a merged-away id');

SELECT is(pg_temp.gate_disagreements(), 0::bigint, 'they still agree after merges');

-- Privileges: only dedupe_admin issues codes; nobody else reads the key
CREATE ROLE ops_outreach_plain IN ROLE dedupe_auditor;
SET LOCAL ROLE ops_outreach_plain;
SELECT throws_ok($$ SELECT * FROM dedupe.tracking_keys $$, '42501', NULL, 'an auditor cannot read the tracking key');
SELECT throws_ok($$ SELECT dedupe.tracking_code(1, 'x', 'email') $$, '42501', NULL, 'an auditor cannot issue codes');
RESET ROLE;
SET LOCAL ROLE dedupe_admin;
SELECT is(dedupe.tracking_code(pg_temp.g(2), 'spring-2027', 'email') IS NOT NULL, true, 'dedupe_admin issues codes (here for email)');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;

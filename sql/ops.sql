-- Operations: the SQL surface of reports, outreach and webhooks, and exact outputs.
SET search_path = public, dedupe;

-- Every ops function: volatility, strictness, rights, and who may run it
SELECT p.oid::regprocedure AS function, p.provolatile AS vol, p.proisstrict AS strict, p.prosecdef AS definer,
       CASE WHEN p.proacl IS NULL THEN 'PUBLIC'
            ELSE array_to_string(ARRAY(SELECT CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END
                                         FROM aclexplode(p.proacl) a
                                        WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner ORDER BY 1), ',')
       END AS execute
FROM pg_proc p
WHERE p.pronamespace = 'dedupe'::regnamespace
  AND p.proname IN ('business_time_between', 'duplicate_rate_over_time', 'top_duplicate_sources', 'review_item_ages',
                    'review_queue_health', 'review_resolution_times', 'review_growth', 'qa_sample', 'pipeline_accuracy',
                    'hold_reason', 'tracking_code', 'reconcile_tracking', 'normalize_tracking_code',
                    'is_valid_tracking_code', 'hmac_sha256', 'verify_webhook', 'ingest_webhook', 'webhook_clock_skew')
ORDER BY p.proname;

-- HMAC-SHA256, RFC 4231 test case 2, and the signature forms verify_webhook accepts
SELECT encode(dedupe.hmac_sha256(convert_to('what do ya want for nothing?', 'UTF8'), 'Jefe'), 'hex') AS rfc4231_case2;
SELECT form, dedupe.verify_webhook(convert_to('what do ya want for nothing?', 'UTF8'), sig, 'Jefe', now()) AS verifies
FROM (VALUES ('hex', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'),
             ('prefixed hex', 'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'),
             ('base64', 'W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM='),
             ('url-safe base64, unpadded', 'sha256=W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM'),
             ('one digit off', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3842'),
             ('truncated', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec38'),
             ('sha1 prefix', 'sha1=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')) v(form, sig);
SELECT dedupe.webhook_clock_skew();

-- Tracking codes: derived from the key, checked on the way back in
SELECT dedupe._derive_tracking_code('\x000102030405060708090a0b0c0d0e0f', 42, 'spring-2027', 0) AS code;
SELECT dedupe.normalize_tracking_code(' 6dse ds4d ew6 ') AS read_back;
SELECT dedupe.normalize_tracking_code('1OCK-ID0L-0AY') AS misread_letters;  -- O, I, L read as 0, 1, 1
SELECT dedupe.is_valid_tracking_code('6DSE-DS4D-EW6') AS printed, dedupe.is_valid_tracking_code('6DSE-DS4D-WE6') AS swapped,
       dedupe.is_valid_tracking_code('6DSE-D54D-EW6') AS one_off;
SELECT dedupe.normalize_tracking_code('6DSE-DS4D-EW7');
SELECT dedupe.normalize_tracking_code('6DSE-DS4D-EW');
SELECT dedupe.normalize_tracking_code('6DSE-DS4D-EWU');

-- Business time: 8 business hours from Friday 16:00 to Monday 16:00
SELECT dedupe.business_time_between('2026-11-20 16:00+00', '2026-11-23 16:00+00') AS fri_to_mon,
       dedupe.business_time_between('2026-11-20 16:00+00', '2026-11-23 16:00+00', 'America/New_York') AS new_york,
       dedupe.business_time_between('2026-11-23 16:00+00', '2026-11-20 16:00+00') AS backwards;

-- Channels: the built-in ones are defaults, not rows an admin (or a restored dump) writes
SELECT * FROM dedupe.effective_outreach_channels ORDER BY channel;
SELECT count(*) AS rows_an_admin_wrote FROM dedupe.outreach_channels;

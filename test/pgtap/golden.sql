-- Golden records: rules, survivorship, review kinds and SLAs, ownership, merge/unmerge, explain.
BEGIN;
SELECT plan(38);
SET LOCAL search_path = public, dedupe;
-- This file's review items come from the same name and nothing else (a match probability of
-- about 0.54), which the default review threshold (0.8) leaves to a golden record of its own.
INSERT INTO dedupe.settings VALUES ('review_threshold', '0.5');

CREATE TABLE g_hubspot (id int PRIMARY KEY, email text, phone text, first_name text, last_name text, company text, country text);
CREATE TABLE g_sf (LIKE g_hubspot INCLUDING ALL);
CREATE TABLE g_events (LIKE g_hubspot INCLUDING ALL);
SELECT dedupe.watch(t::regclass, s, id_column => 'id', email => 'email', phone => 'phone', first_name => 'first_name',
                    last_name => 'last_name', company => 'company', country => 'country')
FROM (VALUES ('g_hubspot', 'hubspot'), ('g_sf', 'salesforce'), ('g_events', 'events')) v(t, s);
INSERT INTO dedupe.source_priority VALUES ('salesforce', 1), ('hubspot', 2), ('events', 3);
INSERT INTO dedupe.owner_rules VALUES (1, 'country', '^(GB|DE)$', 'emea-team'), (2, 'domain', '.', 'never-used');

CREATE FUNCTION pg_temp.golden_of(tbl text, pk int) RETURNS bigint LANGUAGE sql AS $$
  SELECT l.golden_id FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)
  WHERE r.source = (SELECT source FROM dedupe.sources WHERE relid = tbl::regclass) AND r.source_pk = pk::text $$;
CREATE FUNCTION pg_temp.record_of(tbl text, pk int) RETURNS bigint LANGUAGE sql AS $$
  SELECT r.record_id FROM dedupe.records r
  WHERE r.source = (SELECT source FROM dedupe.sources WHERE relid = tbl::regclass) AND r.source_pk = pk::text $$;

-- One person from three sources, formatted differently
INSERT INTO g_hubspot VALUES (1, ' Jane.Doe+promo@GoogleMail.com ', '(415) 555-0132', 'Jane', 'Doe', 'Acme', NULL);
INSERT INTO g_sf VALUES (1, 'janedoe@gmail.com', '+1 415 555 0132', 'Jane', 'Doe', 'ACME, Inc.', 'US');
INSERT INTO g_events VALUES (1, 'JANEDOE@gmail.com', '415.555.0132', 'J.', 'Doe', 'Acme Corp', NULL);
SELECT is(pg_temp.golden_of('g_hubspot', 1), pg_temp.golden_of('g_sf', 1), 'hubspot and salesforce rows share a golden record');
SELECT is(pg_temp.golden_of('g_events', 1), pg_temp.golden_of('g_sf', 1), 'the event row joins it too');
SELECT is((SELECT count(*) FROM dedupe.record_links WHERE golden_id = pg_temp.golden_of('g_sf', 1)), 3::bigint, 'three links');
SELECT is((SELECT first_name FROM dedupe.golden_records WHERE golden_id = pg_temp.golden_of('g_sf', 1)), 'jane',
  'the canonical source''s first name survives over the event''s ''J.''');
SELECT is((SELECT country FROM dedupe.golden_records WHERE golden_id = pg_temp.golden_of('g_sf', 1)), 'US', 'values come from the system of record');
SELECT is((SELECT key::text FROM dedupe.golden_records WHERE golden_id = pg_temp.golden_of('g_sf', 1)),
  '(,+14155550132,janedoe@gmail.com)', 'the golden key holds the surviving components');

-- The same name with no shared key and nothing against: a review item, not a merge; the
-- record waits in a golden record of its own
INSERT INTO g_hubspot VALUES (2, 'jon@a.com', NULL, 'Jon', 'Smyth', NULL, 'GB');
INSERT INTO g_hubspot VALUES (3, NULL, '+44 20 7946 0311', 'Jon', 'Smyth', NULL, 'GB');
SELECT ok(pg_temp.golden_of('g_hubspot', 3) <> pg_temp.golden_of('g_hubspot', 2), 'the namesake is not linked');
SELECT is((SELECT kind FROM dedupe.review_queue WHERE record_id = pg_temp.record_of('g_hubspot', 3)), 'ambiguous', 'it waits in the review queue');
SELECT is((SELECT owner FROM dedupe.review_queue WHERE record_id = pg_temp.record_of('g_hubspot', 3)), 'emea-team',
  'the item belongs to the proposed golden record''s owner (owner rule on country)');
SELECT ok((SELECT due_at BETWEEN clock_timestamp() + interval '59 minutes' AND clock_timestamp() + interval '61 minutes'
           FROM dedupe.review_queue WHERE record_id = pg_temp.record_of('g_hubspot', 3)), 'ambiguous identity is due in one hour');

-- Colleagues sharing a switchboard stay two people
INSERT INTO g_sf VALUES (10, 'alice@globex.com', '+1 212 555 0100', 'Alice', 'Zhang', 'Globex', 'US'),
                        (11, 'bob@globex.com', '+1 212 555 0100', 'Robert', 'Miller', 'Globex', 'US');
SELECT isnt(pg_temp.golden_of('g_sf', 10), pg_temp.golden_of('g_sf', 11), 'different names behind one phone: two golden records');
INSERT INTO g_hubspot VALUES (11, 'rmiller@home.net', '(212) 555-0100', 'Bob', 'Miller', NULL, 'US');
SELECT is(pg_temp.golden_of('g_hubspot', 11), pg_temp.golden_of('g_sf', 11), 'same phone and agreeing names (Bob = Robert): linked');

-- Same email, contradicting names: a shared mailbox is no evidence, never a silent link
INSERT INTO g_events VALUES (20, 'alice@globex.com', NULL, 'Carlos', 'Mendes', NULL, NULL);
SELECT ok(pg_temp.golden_of('g_events', 20) <> pg_temp.golden_of('g_sf', 10),
  'a strong key with contradicting names is never silently linked');

-- Evidence for two golden records: a conflict. Mark Twain exists twice, kept apart by a
-- human (reject); a new row carries the email of one and the phone of the other.
INSERT INTO g_sf VALUES (40, 'mark@twain.org', NULL, 'Mark', 'Twain', NULL, 'US');
INSERT INTO g_hubspot VALUES (40, NULL, '+1 303 555 0111', 'Mark', 'Twain', NULL, 'US');
SELECT isnt(dedupe.reject((SELECT item_id FROM dedupe.review_queue WHERE record_id = pg_temp.record_of('g_hubspot', 40))),
  pg_temp.golden_of('g_sf', 40), 'the second Mark Twain was rejected as a different person');
INSERT INTO g_events VALUES (21, 'mark@twain.org', '(303) 555-0111', 'Mark', 'Twain', NULL, NULL);
SELECT is((SELECT kind FROM dedupe.review_queue WHERE record_id = pg_temp.record_of('g_events', 21)), 'conflict',
  'email names one golden record, phone another: conflict');
SELECT is((SELECT array_length(conflicting, 1) FROM dedupe.review_queue WHERE record_id = pg_temp.record_of('g_events', 21)), 2,
  'the conflict names both golden records');

-- Review decisions
SELECT lives_ok($$ SELECT dedupe.reassign((SELECT item_id FROM dedupe.review_queue WHERE record_id = pg_temp.record_of('g_hubspot', 3)), 'dana') $$, 'reassign');
SELECT is((SELECT owner FROM dedupe.review_queue WHERE record_id = pg_temp.record_of('g_hubspot', 3)), 'dana', 'the item has its new owner');
SELECT is(dedupe.approve((SELECT item_id FROM dedupe.review_queue WHERE record_id = pg_temp.record_of('g_hubspot', 3))),
  pg_temp.golden_of('g_hubspot', 2), 'approve links the record to the proposed golden record');
-- Carlos again, by phone only: the same name and nothing against, so a human decides
INSERT INTO g_events VALUES (22, NULL, '+1 720 555 0122', 'Carlos', 'Mendes', NULL, NULL);
SELECT isnt(dedupe.reject((SELECT item_id FROM dedupe.review_queue WHERE record_id = pg_temp.record_of('g_events', 22))),
  pg_temp.golden_of('g_events', 20), 'reject keeps the record in a golden record of its own');
SELECT ok(EXISTS (SELECT FROM dedupe.distinct_pairs WHERE record_id = pg_temp.record_of('g_events', 22)), 'and remembers the pair as distinct');
SELECT throws_ok($$ SELECT dedupe.approve((SELECT item_id FROM dedupe.review_queue WHERE record_id = pg_temp.record_of('g_events', 22))) $$,
  '55000', NULL, 'a closed item cannot be decided again');
SELECT lives_ok($$ SELECT dedupe.approve((SELECT item_id FROM dedupe.review_queue WHERE record_id = pg_temp.record_of('g_events', 21))) $$,
  'approving a conflict merges the golden records');
SELECT is(pg_temp.golden_of('g_sf', 40), pg_temp.golden_of('g_hubspot', 40), 'after the approved conflict, one golden record');

-- Unmerge and merge round trip
SELECT lives_ok($$ SELECT dedupe.unmerge(pg_temp.record_of('g_events', 1), 'a different J. Doe') $$, 'unmerge');
SELECT isnt(pg_temp.golden_of('g_events', 1), pg_temp.golden_of('g_sf', 1), 'the record has left its golden record');
SELECT is((SELECT count(*) FROM dedupe.record_links WHERE golden_id = pg_temp.golden_of('g_sf', 1)), 2::bigint,
  'the old golden record keeps its other two records');
CREATE TEMP TABLE merged_pair AS SELECT pg_temp.golden_of('g_events', 1) AS a, pg_temp.golden_of('g_sf', 1) AS b;
SELECT is(dedupe.merge(pg_temp.golden_of('g_events', 1), pg_temp.golden_of('g_sf', 1), 'same person after all'),
  least(pg_temp.golden_of('g_events', 1), pg_temp.golden_of('g_sf', 1)), 'merge keeps the older golden record');
SELECT is(pg_temp.golden_of('g_events', 1), pg_temp.golden_of('g_sf', 1), 'merged back: one golden record again');
SELECT is((SELECT dedupe.surviving_golden(greatest(a, b)) FROM merged_pair), (SELECT least(a, b) FROM merged_pair),
  'the absorbed golden id resolves to the survivor (dedupe.golden_merges)');
SELECT is((SELECT dedupe.surviving_golden(least(a, b)) FROM merged_pair), (SELECT least(a, b) FROM merged_pair),
  'a live golden id resolves to itself');
SELECT is(dedupe.surviving_golden(-1), NULL, 'an unknown golden id resolves to NULL');

-- Ownership is stable; only assign_owner changes it
UPDATE dedupe.owner_rules SET owner = 'someone-else';
INSERT INTO g_hubspot VALUES (30, 'x@y.co.uk', NULL, 'Xavier', 'Young', NULL, 'GB');
SELECT is((SELECT owner FROM dedupe.golden_records WHERE golden_id = pg_temp.golden_of('g_hubspot', 2)), 'emea-team',
  'an existing golden record keeps its owner when the rules change');
SELECT lives_ok($$ SELECT dedupe.assign_owner(pg_temp.golden_of('g_hubspot', 2), 'zoe', 'territory change') $$, 'assign_owner');

-- Deleting watched rows keeps golden records in step
DELETE FROM g_hubspot WHERE id = 30;
SELECT is((SELECT count(*) FROM dedupe.golden_records WHERE email = 'x@y.co.uk'), 0::bigint,
  'a golden record whose only row was deleted is gone');
DELETE FROM g_events WHERE id = 1;
SELECT is((SELECT count(*) FROM dedupe.record_links WHERE golden_id = pg_temp.golden_of('g_sf', 1)), 2::bigint,
  'a golden record keeps its other members when one row is deleted');

-- SLA in business hours across a weekend, and explain
SELECT is(dedupe.business_due_at('2026-11-20 16:00+00', '8 hours'), '2026-11-23 16:00+00'::timestamptz,
  '8 business hours from Friday 16:00 end Monday 16:00');
SELECT is(dedupe.explain(pg_temp.record_of('g_hubspot', 1), pg_temp.record_of('g_sf', 1))->>'decision', 'link',
  'explain says why two records are one person');

SELECT * FROM finish();
ROLLBACK;

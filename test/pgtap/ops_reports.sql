-- Operations reports on a fixed fixture with known answers: five people written by three
-- sources over two weeks of November 2026, six review items with explicit timestamps.
BEGIN;
SELECT plan(42);
SET LOCAL search_path = public, dedupe;
SET LOCAL TimeZone = 'America/Los_Angeles';  -- the reports must not depend on the session's zone

CREATE TABLE ops_crm (id int PRIMARY KEY, email text, first_name text, last_name text);
CREATE TABLE ops_forms (LIKE ops_crm INCLUDING ALL);
CREATE TABLE ops_events (LIKE ops_crm INCLUDING ALL);
CREATE TABLE ops_unwatched (id int);
SELECT count(dedupe.watch(t::regclass, s, id_column => 'id', email => 'email', first_name => 'first_name', last_name => 'last_name'))
FROM (VALUES ('ops_crm', 'crm'), ('ops_forms', 'forms'), ('ops_events', 'events')) v(t, s);

-- Written in this order, each row at the time next to it (UTC):
--   Ann   crm 1 (Mon 11-09 10:00), forms 1 (Tue 11-10 12:00, dup), events 1 (Tue 11-17 11:00, dup)
--   Bob   crm 2 (Mon 11-09 11:00), forms 2 (Mon 11-16 09:00, dup)
--   Cara  crm 3 (Tue 11-10 09:00)
--   Dan   forms 3 (Mon 11-16 10:00), forms 4 (Tue 11-17 10:00, dup: Daniel, same email, same table)
--   Eve   events 2 (Wed 11-18 09:00)
CREATE TEMP TABLE written (tbl text, pk int, at timestamptz);
INSERT INTO written VALUES
  ('ops_crm', 1, '2026-11-09 10:00+00'), ('ops_crm', 2, '2026-11-09 11:00+00'), ('ops_crm', 3, '2026-11-10 09:00+00'),
  ('ops_forms', 1, '2026-11-10 12:00+00'), ('ops_forms', 2, '2026-11-16 09:00+00'), ('ops_forms', 3, '2026-11-16 10:00+00'),
  ('ops_forms', 4, '2026-11-17 10:00+00'), ('ops_events', 1, '2026-11-17 11:00+00'), ('ops_events', 2, '2026-11-18 09:00+00');
INSERT INTO ops_crm VALUES (1, 'ann.lee@example.com', 'Ann', 'Lee'), (2, 'bob.kim@example.org', 'Bob', 'Kim'),
                           (3, 'cara.diaz@example.net', 'Cara', 'Diaz');
INSERT INTO ops_forms VALUES (1, 'Ann.Lee@Example.com', 'Ann', 'Lee'), (2, 'bob.kim@example.org', 'Bob', 'Kim'),
                             (3, 'dan.ortiz@example.io', 'Dan', 'Ortiz');
INSERT INTO ops_forms VALUES (4, 'dan.ortiz@example.io', 'Daniel', 'Ortiz');
INSERT INTO ops_events VALUES (1, 'ann.lee@example.com', 'Ann', 'Lee'), (2, 'eve.park@example.co', 'Eve', 'Park');
UPDATE dedupe.records r SET created_at = w.at FROM written w JOIN dedupe.sources s ON s.relid = w.tbl::regclass
 WHERE r.source = s.source AND r.source_pk = w.pk::text;
UPDATE dedupe.record_links l SET linked_at = r.created_at FROM dedupe.records r WHERE r.record_id = l.record_id;

CREATE FUNCTION pg_temp.golden_of(src text, pk int) RETURNS bigint LANGUAGE sql AS $$
  SELECT l.golden_id FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)
  WHERE r.source = src AND r.source_pk = pk::text $$;
UPDATE dedupe.golden_records SET owner = 'alice'
 WHERE golden_id IN (pg_temp.golden_of('crm', 1), pg_temp.golden_of('crm', 2), pg_temp.golden_of('crm', 3));
UPDATE dedupe.golden_records SET owner = 'dmitri'
 WHERE golden_id IN (pg_temp.golden_of('forms', 3), pg_temp.golden_of('events', 2));

SELECT is((SELECT count(DISTINCT golden_id) FROM dedupe.record_links), 5::bigint, 'fixture: five people');
SELECT is((SELECT count(*) FROM dedupe.review_queue), 0::bigint, 'fixture: the matcher left nothing for review');

-- Duplicate rates
SELECT results_eq($$ SELECT source, records, duplicates, duplicate_rate FROM dedupe.duplicate_rate_by_source ORDER BY source $$,
  $$ VALUES ('crm', 3::bigint, 0::bigint, 0.0000), ('events', 2, 1, 0.5000), ('forms', 4, 3, 0.7500) $$,
  'duplicate rate by source: forms wrote 3 duplicates in 4 rows, events 1 in 2, crm none');
SELECT results_eq($$ SELECT owner, records, duplicates, duplicate_rate FROM dedupe.duplicate_rate_by_owner ORDER BY owner $$,
  $$ VALUES ('alice', 6::bigint, 3::bigint, 0.5000), ('dmitri', 3, 1, 0.3333) $$,
  'duplicate rate by owner of the golden record');
SELECT results_eq($$ SELECT period_start, records, duplicates, duplicate_rate FROM dedupe.duplicate_rate_by_day $$,
  $$ VALUES ('2026-11-09'::date, 2::bigint, 0::bigint, 0.0000), ('2026-11-10', 2, 1, 0.5000), ('2026-11-16', 2, 1, 0.5000),
            ('2026-11-17', 2, 2, 1.0000), ('2026-11-18', 1, 0, 0.0000) $$,
  'duplicate rate by UTC day');
SELECT results_eq($$ SELECT period_start, records, duplicates, duplicate_rate FROM dedupe.duplicate_rate_by_week $$,
  $$ VALUES ('2026-11-09'::date, 4::bigint, 1::bigint, 0.2500), ('2026-11-16', 5, 3, 0.6000) $$,
  'duplicate rate by ISO week');
SELECT results_eq($$ SELECT period_start, records FROM dedupe.duplicate_rate_over_time('day', 'Pacific/Auckland') $$,
  $$ VALUES ('2026-11-09'::date, 1::bigint), ('2026-11-10', 2), ('2026-11-11', 1), ('2026-11-16', 2), ('2026-11-17', 1),
            ('2026-11-18', 2) $$,
  'days follow the zone asked for (Auckland is UTC+13: 12:00 UTC is the next day)');
SELECT throws_ok($$ SELECT * FROM dedupe.duplicate_rate_over_time('fortnight') $$, '22023', NULL, 'an unknown bucket is refused');
SELECT results_eq($$ SELECT rank, source, duplicates, share_of_duplicates, records, duplicate_rate FROM dedupe.top_duplicate_sources() $$,
  $$ VALUES (1::bigint, 'forms', 3::bigint, 0.7500, 4::bigint, 0.7500), (2, 'events', 1, 0.2500, 2, 0.5000) $$,
  'top duplicate sources: forms, then events; crm wrote none');
SELECT results_eq($$ SELECT source, duplicates FROM dedupe.top_duplicate_sources(1, '2026-11-16 00:00+00') $$,
  $$ VALUES ('forms', 2::bigint) $$, 'top source of the second week only, limited to one');

-- A merge makes the later person's first record a duplicate; unmerging it undoes that.
SELECT lives_ok($$ SELECT dedupe.merge(pg_temp.golden_of('crm', 3), pg_temp.golden_of('events', 2), 'test merge') $$, 'merge Cara and Eve');
SELECT is((SELECT duplicates FROM dedupe.duplicate_rate_by_source WHERE source = 'events'), 2::bigint,
  'after the merge, Eve''s row (written after Cara''s) is a duplicate');
SELECT lives_ok($$ SELECT dedupe.unmerge((SELECT record_id FROM dedupe.records WHERE source = 'events' AND source_pk = '2'), 'not the same') $$,
  'unmerge Eve');
SELECT is((SELECT duplicates FROM dedupe.duplicate_rate_by_source WHERE source = 'events'), 1::bigint,
  'after the unmerge it is not');
UPDATE dedupe.golden_records SET owner = 'dmitri' WHERE golden_id = pg_temp.golden_of('events', 2);

-- Pipeline accuracy
SELECT results_eq($$ SELECT source, rows, linked_rows, people, rows_in_shared_golden, rows_double_counted, excess_rows, double_count_rate
                     FROM dedupe.pipeline_accuracy() $$,
  $$ VALUES ('crm', 3::bigint, 3::bigint, 3::bigint, 2::bigint, 0::bigint, 0::bigint, 0.0000),
            ('events', 2, 2, 2, 1, 0, 0, 0.0000),
            ('forms', 4, 4, 3, 4, 2, 1, 0.5000) $$,
  'pipeline accuracy: a count(*) over forms counts Dan twice');
SELECT results_eq($$ SELECT source, people FROM dedupe.pipeline_accuracy('ops_forms') $$, $$ VALUES ('forms', 3::bigint) $$,
  'pipeline accuracy of one watched table');
SELECT throws_ok($$ SELECT * FROM dedupe.pipeline_accuracy('ops_unwatched') $$, '42704', NULL, 'an unwatched table is refused');

-- QA sample: the four links the matcher made on its own (new golden records, merges and
-- unmerges are not sampled)
CREATE TEMP TABLE full_sample AS
SELECT * FROM dedupe.qa_sample(100, 0, '2026-11-01 00:00+00', '2026-12-01 00:00+00');
SELECT is((SELECT count(*) FROM full_sample), 4::bigint, 'a 100% sample holds every automated link of the period');
SELECT results_eq($$ SELECT source, source_pk, rule FROM full_sample ORDER BY source, source_pk $$,
  $$ VALUES ('events', '1', 'same_email'), ('forms', '1', 'same_email'), ('forms', '2', 'same_email'), ('forms', '4', 'same_email') $$,
  'the sampled links');
SELECT ok((SELECT bool_and(explanation->>'decision' = 'link') FROM full_sample), 'each comes with the matcher''s explanation');
SELECT is((SELECT compared_with FROM full_sample WHERE source = 'forms' AND source_pk = '4'),
  (SELECT record_id FROM dedupe.records WHERE source = 'forms' AND source_pk = '3'),
  'explained against the golden record''s earliest other member');
SELECT is((SELECT count(*) FROM dedupe.qa_sample(100, 0, '2026-11-16 00:00+00', '2026-11-17 00:00+00')), 1::bigint,
  'only links of the period are sampled');
SELECT set_eq($$ SELECT record_id FROM dedupe.qa_sample(50, 42, '2026-11-01 00:00+00', '2026-12-01 00:00+00') $$,
  $$ SELECT record_id FROM dedupe.qa_sample(50, 42, '2026-11-01 00:00+00', '2026-12-01 00:00+00') $$,
  'the same seed draws the same sample');
CREATE TEMP TABLE half AS SELECT record_id FROM dedupe.qa_sample(50, 42, '2026-11-01 00:00+00', '2026-12-01 00:00+00');
INSERT INTO ops_events VALUES (3, 'bob.kim@example.org', 'Bob', 'Kim');
UPDATE dedupe.record_links SET linked_at = '2026-11-19 09:00+00' WHERE record_id = (SELECT record_id FROM dedupe.records WHERE source = 'events' AND source_pk = '3');
SELECT is((SELECT count(*) FROM half WHERE record_id NOT IN
             (SELECT record_id FROM dedupe.qa_sample(50, 42, '2026-11-01 00:00+00', '2026-12-01 00:00+00'))), 0::bigint,
  'a link added later never pushes an earlier one out of the sample');
DELETE FROM ops_events WHERE id = 3;
SELECT ok((SELECT count(DISTINCT n) > 1 FROM (SELECT s, (SELECT count(*) FROM dedupe.qa_sample(50, s, '2026-11-01 00:00+00', '2026-12-01 00:00+00')) n
                                            FROM generate_series(1, 20) s) t),
  'different seeds draw different samples');
SELECT throws_ok($$ SELECT * FROM dedupe.qa_sample(0) $$, '22023', NULL, 'a 0% sample is refused');
SELECT throws_ok($$ SELECT * FROM dedupe.qa_sample(101) $$, '22023', NULL, 'more than 100% is refused');

-- Review-queue health. merge_request runs on business hours (8 h, Mon-Fri 09-17 UTC); the
-- other kinds on wall-clock time.
INSERT INTO dedupe.review_queue (kind, golden_id, rule, owner, created_at, due_at, status, resolved_at) VALUES
  ('merge_request', pg_temp.golden_of('crm', 2), 'merge_requested', 'alice', '2026-11-20 16:00+00',
   dedupe.business_due_at('2026-11-20 16:00+00', '8 hours'), 'open', NULL),                      -- Fri, due Mon 16:00
  ('ambiguous', pg_temp.golden_of('crm', 3), 'similar_names_no_shared_key', 'alice', '2026-11-23 08:00+00', '2026-11-23 09:00+00', 'open', NULL),
  ('conflict', pg_temp.golden_of('forms', 3), 'evidence_names_several_golden_records', 'dmitri', '2026-11-22 12:00+00', '2026-11-22 16:00+00', 'open', NULL),
  ('ambiguous', NULL, 'similar_names_no_shared_key', 'dmitri', '2026-11-16 10:00+00', '2026-11-16 11:00+00', 'approved', '2026-11-16 10:30+00'),
  ('ambiguous', NULL, 'similar_names_no_shared_key', 'alice', '2026-11-17 09:00+00', '2026-11-17 10:00+00', 'rejected', '2026-11-17 12:00+00'),
  ('merge_request', NULL, 'merge_requested', 'alice', '2026-11-13 10:00+00', '2026-11-16 10:00+00', 'approved', '2026-11-16 09:30+00');

SELECT is((SELECT due_at FROM dedupe.review_queue WHERE kind = 'merge_request' AND status = 'open'), '2026-11-23 16:00+00'::timestamptz,
  'fixture: 8 business hours from Friday 16:00 end Monday 16:00');
SELECT results_eq($$ SELECT kind, age, time_left, overdue_by, overdue FROM dedupe.review_item_ages('2026-11-23 10:00+00') $$,
  $$ VALUES ('conflict', '22 hours'::interval, '0'::interval, '18 hours'::interval, true),
            ('ambiguous', '2 hours', '0', '1 hour', true),
            ('merge_request', '2 hours', '6 hours', '0', false) $$,
  'Monday 10:00: the merge request has aged 2 business hours over the weekend (66 wall-clock hours) and is not overdue');
SELECT results_eq($$ SELECT kind, age, overdue_by, overdue FROM dedupe.review_item_ages('2026-11-24 10:00+00') WHERE kind = 'merge_request' $$,
  $$ VALUES ('merge_request', '10 hours'::interval, '2 hours'::interval, true) $$,
  'Tuesday 10:00: it is 2 business hours overdue (Monday 16-17, Tuesday 9-10), 18 wall-clock hours after its deadline');
SELECT results_eq($$ SELECT kind, overdue_by FROM dedupe.review_item_ages('2026-11-21 12:00+00') WHERE kind = 'merge_request' $$,
  $$ VALUES ('merge_request', '0'::interval) $$, 'nothing accrues on a Saturday');
SELECT results_eq($$ SELECT kind, owner, open_items, overdue_items, oldest_age, max_overdue_by, next_due_at
                     FROM dedupe.review_queue_health('2026-11-23 10:00+00') $$,
  $$ VALUES ('ambiguous', 'alice', 1::bigint, 1::bigint, '2 hours'::interval, '1 hour'::interval, NULL::timestamptz),
            ('conflict', 'dmitri', 1, 1, '22 hours', '18 hours', NULL),
            ('merge_request', 'alice', 1, 0, '2 hours', NULL, '2026-11-23 16:00+00') $$,
  'review-queue health on Monday morning: open and overdue per kind and owner');
SELECT results_eq($$ SELECT item.kind, item.owner, item.age FROM dedupe.review_item_ages('2026-11-16 10:15+00') item $$,
  $$ VALUES ('ambiguous', 'dmitri', '15 minutes'::interval) $$,
  'as of a past moment: items resolved since then count as open, later ones do not exist yet');
SELECT results_eq($$ SELECT kind, resolved_items, approved, rejected, median_time_to_resolution, p90_time_to_resolution, resolved_within_sla
                     FROM dedupe.review_resolution_times() $$,
  $$ VALUES ('ambiguous', 2::bigint, 1::bigint, 1::bigint, '1 hour 45 minutes'::interval, '2 hours 45 minutes'::interval, 0.5000),
            ('merge_request', 1, 1, 0, '71 hours 30 minutes', '71 hours 30 minutes', 1.0000) $$,
  'median and 90th percentile time to resolution, share resolved by the deadline');
SELECT is((SELECT resolved_items FROM dedupe.review_resolution_times('2026-11-17 00:00+00', '2026-11-18 00:00+00')), 1::bigint,
  'resolution times of a period');

-- Automation health: review items per complete ISO week before Wednesday 11-25
SELECT results_eq($$ SELECT week_start, review_items, records_written, review_rate, previous_week_items, growth, growing
                     FROM dedupe.review_growth(3, '2026-11-25 12:00+00') $$,
  $$ VALUES ('2026-11-02'::date, 0::bigint, 0::bigint, NULL::numeric, 0::bigint, NULL::numeric, false),
            ('2026-11-09', 1, 4, 0.2500, 0, NULL, true),
            ('2026-11-16', 4, 5, 0.8000, 1, 3.0000, true) $$,
  'week-over-week review items with records written; growth from 1 to 4 is flagged');
SELECT is((SELECT growing FROM dedupe.review_growth(1, '2026-11-25 12:00+00', 5)), false,
  'a 300% rise is not flagged when the threshold is 500%');
SELECT throws_ok($$ SELECT * FROM dedupe.review_growth(0) $$, '22023', NULL, 'at least one week');

-- Business time between two instants, the inverse of business_due_at
SELECT is(dedupe.business_time_between('2026-11-20 16:00+00', '2026-11-23 16:00+00'), '8 hours'::interval,
  'Friday 16:00 to Monday 16:00 is 8 business hours');
SELECT is(dedupe.business_time_between('2026-03-27 08:00+00', '2026-03-30 18:00+00', 'Europe/Berlin', '00:00', '00:00', '{1,2,3,4,5,6,7}'),
  '82 hours'::interval, 'a DST day has 23 hours (Berlin, 29 March 2026)');

-- Privileges: the auditor reads the reports, a plain role does not
CREATE ROLE ops_reports_plain;
SET LOCAL ROLE dedupe_auditor;
SELECT lives_ok($$ SELECT * FROM dedupe.review_queue_health() $$, 'dedupe_auditor runs the report functions');
RESET ROLE;
SET LOCAL ROLE ops_reports_plain;
SELECT throws_ok($$ SELECT * FROM dedupe.duplicate_rate_by_source $$, '42501', NULL, 'a plain role cannot read the reports');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;

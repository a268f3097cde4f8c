-- Built-in defaults are not rows: dedupe.settings, dedupe.sla_policies and
-- dedupe.outreach_channels hold only what an admin set (so a restored pg_dump never collides
-- with seeded rows), and the dedupe.effective_* views, which the matcher, the SLA clock and the
-- outreach gate read, fall back to the documented defaults.
BEGIN;
SELECT plan(18);
SET LOCAL search_path = public, dedupe;

-- Start from an untouched configuration (other test files roll back; be sure anyway).
DELETE FROM dedupe.settings;
DELETE FROM dedupe.sla_policies;
DELETE FROM dedupe.outreach_channels;

SELECT results_eq($$ SELECT name, value, is_default FROM dedupe.effective_settings ORDER BY name $$,
  $$ VALUES ('auto_link_threshold', '0.9', true), ('default_owner', 'unassigned', true),
            ('merge_on_evidence', 'on', true), ('model_estimation', 'manual', true), ('model_estimation_min_records', '1000', true),
            ('review_threshold', '0.8', true) $$,
  'without rows the documented settings apply');
SELECT results_eq($$ SELECT kind, duration, business_hours, is_default FROM dedupe.effective_sla_policies ORDER BY kind $$,
  $$ VALUES ('ambiguous', interval '1 hour', false, true), ('conflict', interval '4 hours', false, true),
            ('high_value', interval '30 minutes', false, true), ('merge_request', interval '8 hours', true, true) $$,
  'without rows the documented SLAs apply');
SELECT results_eq($$ SELECT channel, required_attributes, is_default FROM dedupe.effective_outreach_channels ORDER BY channel $$,
  $$ VALUES ('email', '{email}'::text[], true), ('mail', '{street,postcode,city}'::text[], true),
            ('phone', '{phone}'::text[], true) $$,
  'without rows the built-in channels apply');

-- A row overrides its default, and deleting it brings the default back.
INSERT INTO dedupe.settings VALUES ('default_owner', 'triage');
SELECT results_eq($$ SELECT value, is_default FROM dedupe.effective_settings WHERE name = 'default_owner' $$,
  $$ VALUES ('triage', false) $$, 'a settings row overrides the default');
SELECT is((SELECT count(*) FROM dedupe.effective_settings), 6::bigint, 'an override does not add a row');
INSERT INTO dedupe.sla_policies (kind, duration) VALUES ('ambiguous', '3 hours');
SELECT results_eq($$ SELECT duration, is_default FROM dedupe.effective_sla_policies WHERE kind = 'ambiguous' $$,
  $$ VALUES (interval '3 hours', false) $$, 'an SLA row overrides the default');
INSERT INTO dedupe.outreach_channels VALUES ('mail', '{street,city}', 'Mail without postcodes'),
  ('sms', '{phone,country}', 'Text messages');
SELECT results_eq($$ SELECT channel, required_attributes, is_default FROM dedupe.effective_outreach_channels ORDER BY channel $$,
  $$ VALUES ('email', '{email}'::text[], true), ('mail', '{street,city}'::text[], false),
            ('phone', '{phone}'::text[], true), ('sms', '{phone,country}'::text[], false) $$,
  'a channel row redefines a built-in channel or adds one');

-- The readers use what is in force.
CREATE TABLE d_crm (id int PRIMARY KEY, email text, phone text, first_name text, last_name text, company text);
SELECT dedupe.watch('d_crm', 'd_crm', id_column => 'id', email => 'email', phone => 'phone',
                    first_name => 'first_name', last_name => 'last_name', company => 'company');
CREATE FUNCTION pg_temp.golden_of(pk int) RETURNS dedupe.golden_records LANGUAGE sql AS $$
  SELECT g.* FROM dedupe.records r JOIN dedupe.record_links l USING (record_id) JOIN dedupe.golden_records g USING (golden_id)
  WHERE r.source = 'd_crm' AND r.source_pk = pk::text $$;
CREATE FUNCTION pg_temp.item_of(pk int) RETURNS dedupe.review_queue LANGUAGE sql AS $$
  SELECT q.* FROM dedupe.records r JOIN dedupe.review_queue q USING (record_id)
  WHERE r.source = 'd_crm' AND r.source_pk = pk::text AND q.status = 'open' $$;

INSERT INTO d_crm VALUES (1, 'jon@a.com', NULL, 'Jon', 'Smyth', NULL);
SELECT is((pg_temp.golden_of(1)).owner, 'triage', 'a new golden record gets the overridden default owner');
-- The matcher's thresholds come from the settings in force. The same name and nothing else
-- scores about 0.54: below the default review threshold (0.8) it starts a golden record of its
-- own; an admin who wants such pairs in front of a human lowers the threshold.
INSERT INTO dedupe.settings VALUES ('review_threshold', '0.5');
INSERT INTO d_crm VALUES (2, NULL, '+1 312 555 0122', 'Jon', 'Smyth', NULL);
SELECT is((pg_temp.item_of(2)).kind, 'ambiguous', 'below an overridden review threshold the same name waits for review');
SELECT is((pg_temp.item_of(2)).owner, 'triage', 'the review item gets the overridden default owner');
SELECT ok((pg_temp.item_of(2)).due_at - (pg_temp.item_of(2)).created_at BETWEEN interval '2 hours 59 minutes' AND interval '3 hours 1 minute',
  'its deadline follows the overridden SLA');
SELECT matches(dedupe.hold_reason((pg_temp.golden_of(1)).golden_id, 'sms'),
  '; no deliverable sms address: missing phone, country$', 'the gate knows an added channel');

UPDATE dedupe.settings SET value = '0.999' WHERE name = 'review_threshold';
INSERT INTO d_crm VALUES (3, NULL, '+1 646 555 0133', 'Jon', 'Smyth', NULL);
SELECT is(pg_temp.item_of(3), NULL, 'an overridden review threshold sends nobody to review below it');
SELECT isnt(pg_temp.golden_of(3), NULL, '... and the record gets its own golden record');
DELETE FROM dedupe.settings WHERE name IN ('review_threshold', 'default_owner');
DELETE FROM dedupe.sla_policies;
INSERT INTO d_crm VALUES (4, NULL, '+1 213 555 0144', 'Jon', 'Smyth', NULL);
SELECT is(pg_temp.item_of(4), NULL, 'at the default review threshold a bare namesake is nobody''s review item');
SELECT isnt(pg_temp.golden_of(4), NULL, '... it starts a golden record of its own');
INSERT INTO d_crm VALUES (5, 'zora@e.com', NULL, 'Zora', 'Quill', NULL);
SELECT is((pg_temp.golden_of(5)).owner, 'unassigned', 'a new person gets the default owner again');
INSERT INTO dedupe.settings VALUES ('review_threshold', '0.5');
INSERT INTO d_crm VALUES (6, NULL, '+1 213 555 0166', 'Jon', 'Smyth', NULL);
SELECT ok((pg_temp.item_of(6)).due_at - (pg_temp.item_of(6)).created_at BETWEEN interval '59 minutes' AND interval '61 minutes',
  'and the default SLA of an ambiguous item (1 hour)');

SELECT * FROM finish();
ROLLBACK;

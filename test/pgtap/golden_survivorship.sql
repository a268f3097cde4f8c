-- Survivorship rule by rule, and the merge-request review kind with its business-hours SLA.
BEGIN;
SELECT plan(17);
SET LOCAL search_path = public, dedupe;

CREATE TABLE s_erp (id int PRIMARY KEY, email text, first_name text, last_name text, company text, country text);
CREATE TABLE s_web (LIKE s_erp INCLUDING ALL);
CREATE TABLE s_fair (LIKE s_erp INCLUDING ALL);
SELECT count(*) FROM (
  SELECT dedupe.watch(t::regclass, s, id_column => 'id', email => 'email', first_name => 'first_name',
                      last_name => 'last_name', company => 'company', country => 'country')
  FROM (VALUES ('s_erp', 'erp'), ('s_web', 'web'), ('s_fair', 'fair')) v(t, s)) w;
INSERT INTO dedupe.source_priority VALUES ('erp', 1), ('web', 2), ('fair', 3);

CREATE FUNCTION pg_temp.golden_of(address text) RETURNS dedupe.golden_records LANGUAGE sql AS $$
  SELECT g.* FROM dedupe.golden_records g WHERE g.email = address $$;

-- One person from three sources with disagreeing values
INSERT INTO s_erp VALUES (1, 'kim@lee.example', 'K.', 'Lee', 'Globex', NULL);
INSERT INTO s_web VALUES (1, 'kim@lee.example', 'Kimberly', 'Lee', 'Acme', 'KR');
INSERT INTO s_fair VALUES (1, 'kim@lee.example', 'Kim', 'Lee', 'Acme Inc', 'US');
SELECT is((SELECT count(*) FROM dedupe.record_links l WHERE l.golden_id = (pg_temp.golden_of('kim@lee.example')).golden_id),
  3::bigint, 'three records, one golden record');
SELECT is((pg_temp.golden_of('kim@lee.example')).first_name, 'k', 'source_priority (default): the ERP''s value wins');
SELECT is((pg_temp.golden_of('kim@lee.example')).country, 'KR', 'source_priority: the best source that has a value');

INSERT INTO dedupe.survivorship_rules VALUES ('first_name', 'most_complete') ON CONFLICT (attribute) DO UPDATE SET rule = EXCLUDED.rule;
UPDATE s_erp SET last_name = 'Lee' WHERE id = 1;  -- any write recomputes the golden record
SELECT is((pg_temp.golden_of('kim@lee.example')).first_name, 'kimberly', 'most_complete: the longest value');

INSERT INTO dedupe.survivorship_rules VALUES ('company', 'most_frequent') ON CONFLICT (attribute) DO UPDATE SET rule = EXCLUDED.rule;
UPDATE s_erp SET last_name = 'Lee' WHERE id = 1;
SELECT is((pg_temp.golden_of('kim@lee.example')).company, 'acme', 'most_frequent: two sources say Acme (normalized), one Globex');

INSERT INTO dedupe.survivorship_rules VALUES ('country', 'most_recent') ON CONFLICT (attribute) DO UPDATE SET rule = EXCLUDED.rule;
UPDATE s_fair SET country = 'CA' WHERE id = 1;
SELECT is((pg_temp.golden_of('kim@lee.example')).country, 'CA', 'most_recent: the last written value');
UPDATE s_web SET country = 'KR' WHERE id = 1;
SELECT is((pg_temp.golden_of('kim@lee.example')).country, 'KR', 'most_recent follows the next write');
SELECT is((SELECT count(*) FROM dedupe.golden_records WHERE email = 'kim@lee.example'), 1::bigint,
  'updates recompute the golden record in place');

-- A merge request waits 8 business hours (Mon-Fri 09:00-17:00 UTC by default)
INSERT INTO s_erp VALUES (2, 'kimberly.lee@globex.example', 'Kimberly', 'Lee', 'Globex', 'KR');
SELECT ok((pg_temp.golden_of('kimberly.lee@globex.example')).golden_id <> (pg_temp.golden_of('kim@lee.example')).golden_id,
  'the same name with another email counts against: a golden record of its own, not a merge');
CREATE TEMP TABLE req AS
SELECT dedupe.request_merge((pg_temp.golden_of('kim@lee.example')).golden_id,
                            (pg_temp.golden_of('kimberly.lee@globex.example')).golden_id, 'same person, work email') AS item;
SELECT cmp_ok((SELECT abs(extract(epoch FROM q.due_at - dedupe.business_due_at(q.created_at, '8 hours')))
                FROM dedupe.review_queue q JOIN req ON q.item_id = req.item), '<', 1::numeric,
  'a merge request is due 8 business hours after it was made');
SELECT is((SELECT q.kind FROM dedupe.review_queue q JOIN req ON q.item_id = req.item), 'merge_request', 'of kind merge_request');
SELECT dedupe.approve(item) FROM req;
SELECT is((pg_temp.golden_of('kimberly.lee@globex.example')).golden_id, NULL,
  'approving the request merges the two golden records (the ERP''s first email survives)');

-- A golden record's extra attributes are the surviving values as text, however the golden
-- record was started: one by one, or set-based for rows of one statement that have no
-- candidate (both take the values of a single member from dedupe._sole_member_values).
CREATE TABLE s_scores (id int PRIMARY KEY, email text, first_name text, last_name text, lead_score int);
SELECT NULL FROM dedupe.watch('s_scores', 's_scores', id_column => 'id', email => 'email',
  first_name => 'first_name', last_name => 'last_name', attributes => ARRAY['lead_score']);
INSERT INTO s_scores VALUES (1, 'ulla.vogt@scores.example', 'Ulla', 'Vogt', 80);
INSERT INTO s_scores VALUES (2, 'piet.brandt@scores.example', 'Piet', 'Brandt', 75),
                            (3, 'odile.marchand@scores.example', 'Odile', 'Marchand', 90);
SELECT is((SELECT g.attributes FROM dedupe.golden_records g WHERE g.email = 'ulla.vogt@scores.example'),
  '{"lead_score": "80"}'::jsonb, 'one row: the attribute survives as text');
SELECT is((SELECT array_agg(g.attributes ->> 'lead_score' || ':' || jsonb_typeof(g.attributes -> 'lead_score') ORDER BY g.email)
           FROM dedupe.golden_records g WHERE g.email IN ('piet.brandt@scores.example', 'odile.marchand@scores.example')),
  ARRAY['90:string', '75:string'], 'rows started set-based: the same');

-- Rows of one statement that join golden records (written set-based): survivorship runs for
-- them as for a row written alone, whether they bring another value (here the most frequent
-- wins) or one the golden record lacked.
INSERT INTO dedupe.survivorship_rules VALUES ('lead_score', 'most_frequent');
INSERT INTO s_scores VALUES (10, 'rita@join.example', 'Rita', 'Moreau', 50),
                            (20, 'sam@join.example', 'Sam', 'Ortiz', NULL);
INSERT INTO s_scores VALUES (11, 'rita@join.example', 'Rita', 'Moreau', 70),
                            (12, 'rita@join.example', NULL, 'Moreau', 70),
                            (21, 'sam@join.example', 'Sam', 'Ortiz', NULL),
                            (22, 'sam@join.example', 'Sam', 'Ortiz', 65);
SELECT is((SELECT g.attributes FROM dedupe.golden_records g WHERE g.email = 'rita@join.example'),
  '{"lead_score": "70"}'::jsonb, 'a joining row with another value still changes the golden record');
SELECT is((SELECT g.attributes || jsonb_build_object('first_name', g.first_name)
           FROM dedupe.golden_records g WHERE g.email = 'sam@join.example'),
  '{"lead_score": "65", "first_name": "sam"}'::jsonb, 'and so does one with a value it lacked');
CREATE TABLE s_phones (id int PRIMARY KEY, email text, phone text, first_name text, last_name text);
SELECT NULL FROM dedupe.watch('s_phones', 's_phones', id_column => 'id', email => 'email',
  phone => 'phone', first_name => 'first_name', last_name => 'last_name');
INSERT INTO dedupe.survivorship_rules VALUES ('email', 'most_complete');
INSERT INTO s_phones VALUES (1, 'al@lund.example', '+46 8 555 0101', 'Alma', 'Lund');
INSERT INTO s_phones VALUES (2, 'alma.lund@lund.example', '+46 8 555 0101', 'Alma', 'Lund'),
                            (3, 'bo@berg.example', '+46 8 555 0199', 'Bo', 'Berg');
SELECT is((SELECT g.email FROM dedupe.golden_records g WHERE g.phone = '+4685550101'),
  'alma.lund@lund.example', 'a joining row whose identity value differs: survivorship chooses (most complete email)');

SELECT * FROM finish();
ROLLBACK;

-- Golden records: extra attributes (lead score, ARR, product, address), their survivorship,
-- owner rules over them, and high-value escalation of review items.
BEGIN;
SELECT plan(45);
SET LOCAL search_path = public, dedupe;
-- This file's review items come from the same name and nothing else (a match probability of
-- about 0.54), which the default review threshold (0.8) leaves to a golden record of its own.
INSERT INTO dedupe.settings VALUES ('review_threshold', '0.5');

CREATE TABLE r_crm (id int PRIMARY KEY, email text, phone text, first_name text, last_name text,
                    country text, lead_score int, arr numeric, product text, city text);
CREATE TABLE r_form (LIKE r_crm INCLUDING ALL);
SELECT dedupe.watch('r_crm', 'crm', id_column => 'id', email => 'email', phone => 'phone',
                    first_name => 'first_name', last_name => 'last_name', country => 'country',
                    attributes => ARRAY['lead_score', 'arr', 'product', 'city']);
SELECT dedupe.watch('r_form', 'form', id_column => 'id', email => 'email', phone => 'phone',
                    first_name => 'first_name', last_name => 'last_name', country => 'country',
                    attributes => ARRAY['lead_score', 'product', 'city']);
INSERT INTO dedupe.source_priority VALUES ('crm', 1), ('form', 2);

CREATE FUNCTION pg_temp.golden(tbl text, pk int) RETURNS dedupe.golden_records LANGUAGE sql AS $$
  SELECT g.* FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)
  JOIN dedupe.golden_records g USING (golden_id)
  WHERE r.source = (SELECT source FROM dedupe.sources WHERE relid = tbl::regclass) AND r.source_pk = pk::text $$;
CREATE FUNCTION pg_temp.item(tbl text, pk int) RETURNS dedupe.review_queue LANGUAGE sql AS $$
  SELECT q.* FROM dedupe.records r JOIN dedupe.review_queue q USING (record_id)
  WHERE r.source = (SELECT source FROM dedupe.sources WHERE relid = tbl::regclass) AND r.source_pk = pk::text
    AND q.status = 'open' $$;

-- Watching validates the attribute columns
SELECT throws_ok($$ SELECT dedupe.watch('r_crm', 'crm', id_column => 'id', email => 'email',
                                        attributes => ARRAY['no_such_column']) $$,
  '42703', NULL, 'an unknown attribute column is refused');
SELECT throws_ok($$ SELECT dedupe.watch('r_crm', 'crm', id_column => 'id', email => 'email',
                                        attributes => ARRAY['arr', NULL]) $$,
  '22004', NULL, 'a NULL attribute column is refused');
SELECT is((SELECT attributes FROM dedupe.sources WHERE source = 'crm'), ARRAY['arr', 'city', 'lead_score', 'product']::name[],
  'the mapping keeps the attribute columns (sorted, once each)');

-- Rules: a territory team for strong German leads, enterprise for big ARR, then by country
INSERT INTO dedupe.owner_rules (priority, attribute, op, pattern, owner) VALUES
  (10, 'country', '=', 'DE', 'dach-strategic'), (10, 'lead_score', '>=', '80', 'dach-strategic'),
  (20, 'arr', '>', '100000', 'enterprise'),
  (30, 'country', '~', '^(DE|AT|CH)$', 'dach');
SELECT throws_ok($$ INSERT INTO dedupe.owner_rules (priority, attribute, op, pattern, owner)
                   VALUES (10, 'product', '=', 'x', 'someone-else') $$,
  '23P01', NULL, 'one rule (priority) has one owner');
SELECT throws_ok($$ INSERT INTO dedupe.owner_rules (priority, attribute, op, pattern, owner)
                   VALUES (40, 'lead_score', '>', 'high', 'x') $$,
  '23514', NULL, 'a numeric comparison needs a number');
SELECT throws_ok($$ INSERT INTO dedupe.owner_rules (priority, attribute, op, pattern, owner)
                   VALUES (40, 'company', '~', '(unclosed', 'x') $$,
  '2201B', NULL, 'a broken regular expression is refused when configured');
SELECT throws_ok($$ INSERT INTO dedupe.owner_rules (priority, attribute, op, pattern, owner)
                   VALUES (40, 'company', 'LIKE', 'x', 'x') $$,
  '23514', NULL, 'an unknown operator is refused');

INSERT INTO r_crm VALUES (1, 'anna@firma.de', NULL, 'Anna', 'Schulz', 'DE', 91, NULL, 'analytics', 'Berlin');
INSERT INTO r_crm VALUES (2, 'jonas@firma.de', NULL, 'Jonas', 'Weber', 'DE', 40, NULL, NULL, 'Köln');
INSERT INTO r_crm VALUES (3, 'cfo@bigco.com', NULL, 'Mia', 'Lopez', 'US', 10, 250000, NULL, NULL);
INSERT INTO r_crm VALUES (4, 'li@small.com', NULL, 'Li', 'Wei', 'US', 99, 500, NULL, NULL);
SELECT is((pg_temp.golden('r_crm', 1)).owner, 'dach-strategic', 'all conditions of the first rule hold: its owner');
SELECT is((pg_temp.golden('r_crm', 2)).owner, 'dach', 'a low score falls through to the country rule');
SELECT is((pg_temp.golden('r_crm', 3)).owner, 'enterprise', 'numeric comparison on ARR');
SELECT is((pg_temp.golden('r_crm', 4)).owner, 'unassigned', 'no rule holds: the default owner');
SELECT is(dedupe.condition_holds('9', '<', '10'), true, 'numeric, not text, order (9 < 10)');
SELECT is(dedupe.condition_holds('n/a', '>=', '1'), false, 'a value that is not a number fails a numeric condition');
SELECT is(dedupe.condition_holds(NULL, '~', '.'), false, 'a missing value fails');

-- Attributes are staged and survive by source priority
SELECT is((SELECT attributes FROM dedupe.records WHERE source = 'crm' AND source_pk = '1'),
  '{"city": "Berlin", "lead_score": "91", "product": "analytics"}'::jsonb, 'mapped columns staged as attributes, NULLs left out');
SELECT is((SELECT inputs -> 'attributes' ->> 'lead_score' FROM dedupe.audit_log
           WHERE source = 'crm' AND source_pk = '1' AND decision = 'normalized'), '91', 'the audit row keeps the attributes');
INSERT INTO r_form VALUES (1, 'ANNA@firma.de', NULL, 'Anna', 'Schulz', 'DE', 35, NULL, 'crm-suite', 'Potsdam');
SELECT is((pg_temp.golden('r_form', 1)).golden_id, (pg_temp.golden('r_crm', 1)).golden_id, 'the form lead joins the CRM contact');
SELECT is((pg_temp.golden('r_crm', 1)).attributes,
  '{"city": "Berlin", "lead_score": "91", "product": "analytics"}'::jsonb,
  'the system of record''s attributes survive over the form''s');
INSERT INTO dedupe.survivorship_rules VALUES ('lead_score', 'most_recent');
UPDATE r_form SET lead_score = 36 WHERE id = 1;
SELECT is((pg_temp.golden('r_crm', 1)).attributes ->> 'lead_score', '36',
  'a per-attribute survivorship rule (most_recent) applies to extra attributes');
UPDATE dedupe.source_priority SET canonical = true WHERE source = 'crm';
UPDATE r_form SET lead_score = 37 WHERE id = 1;
SELECT is((pg_temp.golden('r_crm', 1)).attributes ->> 'lead_score', '91',
  'a canonical source''s value is never replaced by a non-canonical one, even under most_recent');
UPDATE r_crm SET city = NULL WHERE id = 1;
SELECT is((pg_temp.golden('r_crm', 1)).attributes ->> 'city', 'Potsdam',
  'where the canonical source has no value, another source fills the gap');
UPDATE r_crm SET city = 'Berlin' WHERE id = 1;
SELECT is((pg_temp.golden('r_crm', 1)).owner, 'dach-strategic', 'the owner does not change when values change');
SELECT is((pg_temp.golden('r_crm', 1)).attributes ->> 'city', 'Berlin', 'other attributes keep source priority');

-- A human override beats every rule and follows merges
SELECT is((dedupe.override_value((pg_temp.golden('r_crm', 1)).golden_id, 'first_name', 'annabelle', 'she asked')).first_name,
  'annabelle', 'override_value sets the golden value');
UPDATE r_crm SET first_name = 'Anna-Maria' WHERE id = 1;
SELECT is((pg_temp.golden('r_crm', 1)).first_name, 'annabelle', 'the override survives a change of the canonical record');
SELECT is((SELECT count(*) FROM dedupe.audit_log WHERE decision = 'value_overridden'
           AND inputs ->> 'to' = 'annabelle' AND reason = 'she asked'), 1::bigint, 'the override is audited with its reason');
SELECT throws_ok($$ SELECT dedupe.override_value((pg_temp.golden('r_crm', 1)).golden_id, 'owner', 'me', 'x') $$,
  '22023', NULL, 'owner is not overridable (assign_owner is)');
SELECT is((dedupe.override_value((pg_temp.golden('r_crm', 1)).golden_id, 'first_name', NULL, 'back to the rules')).first_name,
  'anna maria', 'clearing the override hands the value back to survivorship');

-- An update that changes a linked record's identity re-matches it
INSERT INTO r_form VALUES (10, 'paul@shop.com', NULL, 'Paul', 'Klee', 'DE', 1, NULL, NULL, NULL);
INSERT INTO r_crm VALUES (10, 'PAUL@shop.com', NULL, 'Paul', 'Klee', 'DE', 1, NULL, NULL, NULL);
SELECT is((pg_temp.golden('r_form', 10)).golden_id, (pg_temp.golden('r_crm', 10)).golden_id, 'Paul is one golden record');
UPDATE r_form SET lead_score = 2 WHERE id = 10;
SELECT is((pg_temp.golden('r_form', 10)).golden_id, (pg_temp.golden('r_crm', 10)).golden_id,
  'an update that leaves the identity alone keeps the link');
UPDATE r_form SET email = 'wassily@bauhaus.de', first_name = 'Wassily', last_name = 'Kandinsky' WHERE id = 10;
SELECT isnt((pg_temp.golden('r_form', 10)).golden_id, (pg_temp.golden('r_crm', 10)).golden_id,
  'a row rewritten to another person leaves the golden record');
SELECT is((SELECT count(*) FROM dedupe.audit_log WHERE decision = 'unlinked' AND rule = 'identity_changed'
           AND source = 'form' AND source_pk = '10'), 1::bigint, 'and the move is audited');

-- A namesake is found even in a crowded name block (60 other J. Smiths)
INSERT INTO r_crm SELECT 1000 + n, 'js' || n || '@crowd.example', NULL,
  'Jo' || translate(n::text, '0123456789', 'abcdefghij') || 'x', 'Smith', 'US', 1, NULL, NULL, NULL
FROM generate_series(1, 60) n;
INSERT INTO r_crm VALUES (1100, 'john.smith@one.example', NULL, 'John', 'Smith', 'US', 1, NULL, NULL, NULL);
INSERT INTO r_form VALUES (1100, NULL, '+1 415 555 0177', 'John', 'Smith', 'US', 1, NULL, NULL, NULL);
SELECT is((pg_temp.item('r_form', 1100)).golden_id, (pg_temp.golden('r_crm', 1100)).golden_id,
  'the exact namesake is proposed for review, not crowded out of the block');

-- A multi-row write: rows with no candidate at all start their golden records in one set-based
-- step; rows of the same statement that share a key still find each other
SET LOCAL track_functions = 'all';
INSERT INTO r_form (id, email, country, lead_score)
SELECT 3000 + n, 'form' || n || '@bulk.example', CASE WHEN n % 2 = 0 THEN 'DE' ELSE 'US' END, 80 + n
FROM generate_series(1, 20) n
UNION ALL VALUES (3100, 'twin@bulk.example', 'US', 1), (3101, 'TWIN@bulk.example', 'US', 1);
SELECT is((SELECT calls FROM pg_stat_xact_user_functions WHERE schemaname = 'dedupe' AND funcname = '_new_golden_records'),
  1::bigint, 'they took the set-based path, once');
SELECT is((SELECT count(DISTINCT l.golden_id) FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)
           WHERE r.source = 'form' AND r.source_pk::int BETWEEN 3001 AND 3020), 20::bigint,
  '20 unrelated rows: 20 golden records');
SELECT is((SELECT count(*) FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)
           WHERE r.source = 'form' AND r.source_pk::int BETWEEN 3001 AND 3020
             AND l.rule = 'new_golden_record:no_candidate'), 20::bigint, 'each linked by the no-candidate rule');
SELECT is((pg_temp.golden('r_form', 3101)).golden_id, (pg_temp.golden('r_form', 3100)).golden_id,
  'two rows of the same statement with one email: one golden record');
SELECT is((SELECT count(*) FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)
           JOIN dedupe.audit_log a ON a.record_id = r.record_id AND a.decision = 'linked'
                                  AND (a.inputs ->> 'golden_id')::bigint = l.golden_id
                                  AND a.inputs ->> 'decision' = 'new_golden_record'
           WHERE r.source = 'form' AND r.source_pk::int BETWEEN 3001 AND 3020), 20::bigint,
  'every one of them audited with its golden record and the explanation');
SELECT is((SELECT array_agg(DISTINCT g.owner ORDER BY g.owner) FROM dedupe.records r
           JOIN dedupe.record_links l USING (record_id) JOIN dedupe.golden_records g USING (golden_id)
           WHERE r.source = 'form' AND r.source_pk::int BETWEEN 3001 AND 3020),
  ARRAY['dach-strategic', 'unassigned'], 'owner rules apply to golden records started in bulk');

-- High value: a doubt about a big account is escalated with its own SLA
INSERT INTO r_form VALUES (2, NULL, '+1 415 555 0102', 'Mia', 'Lopez', 'US', 5, NULL, NULL, NULL);
SELECT is((pg_temp.item('r_form', 2)).kind, 'ambiguous', 'no high-value rule yet: an ordinary ambiguous item');
INSERT INTO dedupe.high_value_rules (priority, attribute, op, pattern) VALUES (1, 'arr', '>=', '100000');
INSERT INTO r_form VALUES (3, NULL, '+1 312 555 0177', 'Mia', 'Lopez', 'US', 5, NULL, NULL, NULL);
SELECT is((pg_temp.item('r_form', 3)).kind, 'high_value', 'the proposed golden record has ARR >= 100000: high_value');
SELECT is((pg_temp.item('r_form', 3)).details ->> 'escalated_from', 'ambiguous', 'the item says what it was escalated from');
SELECT ok((SELECT due_at BETWEEN clock_timestamp() + interval '29 minutes' AND clock_timestamp() + interval '31 minutes'
           FROM pg_temp.item('r_form', 3)), 'high-value items are due in 30 minutes');
INSERT INTO r_crm VALUES (6, NULL, '+1 415 555 0106', 'Anna-Maria', 'Schulz', 'DE', 50, 150000, NULL, NULL);
SELECT is((pg_temp.item('r_crm', 6)).kind, 'high_value', 'an incoming record that is itself high value is escalated too');
SELECT is(dedupe.is_high_value('{"arr": "99999"}'), false, 'below the threshold is not high value');

SELECT * FROM finish();
ROLLBACK;

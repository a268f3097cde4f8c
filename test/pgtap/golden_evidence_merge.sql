-- A row whose email is one golden record's and whose phone (names agreeing) another's says the
-- two hold one person: they are merged into the older and the row links there, as batch's
-- clusters of the same rows say. Where a human kept members of them apart, a conflict item asks
-- instead, and the row waits in the golden record its email names. (Another transaction holding
-- one of them: test/tap/golden_action_races.py.)
BEGIN;
SELECT plan(23);
SET LOCAL search_path = public, dedupe;

CREATE TABLE em_crm (id int PRIMARY KEY, email text, phone text, first_name text, last_name text);
SELECT dedupe.watch('em_crm', 'em_crm', id_column => 'id', email => 'email', phone => 'phone',
                    first_name => 'first_name', last_name => 'last_name');
\set source em_crm
\ir lib/rows_of_source.psql

-- Ann Lee by email, then by phone: the same name and nothing shared starts a second golden record.
INSERT INTO em_crm VALUES (1, 'ann.lee@a.example', NULL, 'Ann', 'Lee');
INSERT INTO em_crm VALUES (2, NULL, '+1 415 555 0101', 'Ann', 'Lee');
CREATE TEMP TABLE ann AS SELECT pg_temp.golden_of(1) AS a, pg_temp.golden_of(2) AS b;
SELECT isnt(a, b, 'two rows sharing only a name: two golden records') FROM ann;

INSERT INTO em_crm VALUES (3, 'ann.lee@a.example', '(415) 555-0101', 'Ann', 'Lee');
SELECT is(pg_temp.golden_of(3), least(a, b), 'a row with the email of one and the phone of the other joins the older') FROM ann;
SELECT is(pg_temp.golden_of(2), pg_temp.golden_of(1), '... into which the other was merged');
SELECT is((SELECT count(*) FROM dedupe.review_queue WHERE status = 'open'), 0::bigint, 'no human is asked');
SELECT is((SELECT kept_id FROM dedupe.golden_merges WHERE absorbed_id = greatest(a, b)), least(a, b),
  'the merge is in dedupe.golden_merges (references to the absorbed id resolve)') FROM ann;
SELECT is((SELECT (rule, actor, inputs->>'absorbed', reason)::text FROM dedupe.audit_log WHERE decision = 'golden_merged'),
  format('(evidence_names_several_golden_records,%s,%s,"record %s: the rules name both golden records")',
         current_user, greatest(a, b), pg_temp.record_of(3)),
  'audited: the rule, the writer, the absorbed golden record, the record that named both') FROM ann;
SELECT is((SELECT rule FROM dedupe.audit_log WHERE decision = 'linked' AND record_id = pg_temp.record_of(3)),
  'evidence_names_several_golden_records', 'the row''s link names the rule');
SELECT is((SELECT (email, phone) FROM dedupe.golden_records WHERE golden_id = pg_temp.golden_of(3)),
  ('ann.lee@a.example'::text, '+14155550101'::text), 'the survivor holds the values of both');

-- Bo Kim: a human took the phone's row out of the email's golden record (unmerge): the next row
-- naming both is a question for a human, not a merge.
INSERT INTO em_crm VALUES (4, 'bo.kim@a.example', NULL, 'Bo', 'Kim'), (5, NULL, '+1 415 555 0102', 'Bo', 'Kim');
SELECT dedupe.merge(pg_temp.golden_of(4), pg_temp.golden_of(5), 'for the test');
SELECT dedupe.unmerge(pg_temp.record_of(5), 'two people called Bo Kim');
CREATE TEMP TABLE bo AS SELECT pg_temp.golden_of(4) AS a, pg_temp.golden_of(5) AS b;
INSERT INTO em_crm VALUES (6, 'bo.kim@a.example', '+1 415 555 0102', 'Bo', 'Kim');
SELECT isnt(pg_temp.golden_of(4), pg_temp.golden_of(5), 'golden records a human kept apart are not merged');
SELECT is((pg_temp.item_of(6)).kind, 'conflict', 'a conflict item asks');
SELECT is((SELECT array_agg(c ORDER BY c) FROM unnest((pg_temp.item_of(6)).conflicting) c), ARRAY[least(a, b), greatest(a, b)],
  '... naming both golden records') FROM bo;
SELECT is(pg_temp.golden_of(6), a, 'the row waits in the golden record its email names') FROM bo;
SELECT is((SELECT rule FROM dedupe.audit_log WHERE decision = 'linked' AND record_id = pg_temp.record_of(6)),
  'evidence:in_review', '... audited as waiting for review');
SELECT dedupe.approve((pg_temp.item_of(6)).item_id);
SELECT is(pg_temp.golden_of(5), pg_temp.golden_of(4), 'approved, the human''s answer merges them');

-- Dee Park's mailbox is sent again with Dee Sands' phone and name: a mailbox whose names only do
-- not contradict (a maiden name, or a sister) merges nothing; the phone with agreeing names wins.
INSERT INTO em_crm VALUES (11, 'dee@b.example', NULL, 'Dee', 'Park'), (12, NULL, '+1 415 555 0104', 'Dee', 'Sands'),
                          (13, 'dee@b.example', '+1 415 555 0104', 'Dee', 'Sands');
SELECT isnt(pg_temp.golden_of(11), pg_temp.golden_of(12), 'a mailbox whose names only do not contradict merges nothing');
SELECT is(pg_temp.golden_of(13), pg_temp.golden_of(12), '... the row joins the golden record its phone and names agree with');
SELECT is((SELECT rule FROM dedupe.audit_log WHERE decision = 'linked' AND record_id = pg_temp.record_of(13)),
          'same_phone_names_agree', '... by that rule');

-- merge_on_evidence off: every merge waits for a human.
INSERT INTO dedupe.settings VALUES ('merge_on_evidence', 'off');
INSERT INTO em_crm VALUES (7, 'cy.ng@a.example', NULL, 'Cy', 'Ng'), (8, NULL, '+1 415 555 0103', 'Cy', 'Ng'),
                          (9, 'cy.ng@a.example', '+1 415 555 0103', 'Cy', 'Ng');
SELECT isnt(pg_temp.golden_of(7), pg_temp.golden_of(8), 'merge_on_evidence off: the golden records stay apart');
SELECT is((pg_temp.item_of(9)).kind, 'conflict', '... and a conflict item asks');
UPDATE dedupe.settings SET value = 'maybe' WHERE name = 'merge_on_evidence';
SELECT throws_ok($$ INSERT INTO em_crm VALUES (10, 'cy.ng@a.example', '+1 415 555 0103', 'Cy', 'Ng') $$, '22P02', NULL,
  'a setting that is not a boolean is an error, not a guess');

-- A role with USAGE on dedupe cannot merge golden records by calling the matcher's function with
-- ids of its choosing, nor turn the setting on or off.
CREATE ROLE em_intruder IN ROLE dedupe_auditor;
SET LOCAL ROLE em_intruder;
SELECT throws_ok($$ SELECT dedupe._merge_on_evidence(1, ARRAY[1, 2]::bigint[], 'em_intruder') $$, '42501', NULL,
  'a role with USAGE cannot call _merge_on_evidence with forged golden ids');
SELECT throws_ok($$ SELECT dedupe._merge(1, 2, 'forged') $$, '42501', NULL, '... nor _merge');
SELECT throws_ok($$ UPDATE dedupe.settings SET value = 'on' WHERE name = 'merge_on_evidence' $$, '42501', NULL,
  '... nor change merge_on_evidence');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;

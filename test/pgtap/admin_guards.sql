-- dedupe_admin's direct writes that would leave the write path broken or golden records
-- without members are refused: renaming or moving a watching source, deleting staged records.
BEGIN;
SELECT plan(12);

CREATE ROLE dedupe_test_guard_admin IN ROLE dedupe_admin;
CREATE TABLE public.guard_leads (id int PRIMARY KEY, email text, first_name text, last_name text);
CREATE TABLE public.guard_leads_v2 (LIKE public.guard_leads INCLUDING ALL);
SELECT dedupe.watch('public.guard_leads', 'guard', id_column => 'id', email => 'email',
                    first_name => 'first_name', last_name => 'last_name');
INSERT INTO public.guard_leads VALUES (1, 'ines@guard.example', 'Ines', 'Dobrev');

SET ROLE dedupe_test_guard_admin;
SELECT throws_ok($$ UPDATE dedupe.sources SET source = 'guard_renamed' WHERE source = 'guard' $$,
  '55000', 'source "guard" cannot be renamed', 'renaming a source is refused');
SELECT throws_ok($$ UPDATE dedupe.sources SET relid = 'public.guard_leads_v2'::regclass WHERE source = 'guard' $$,
  '55000', NULL, 'pointing a watching source at another table is refused');
SELECT lives_ok($$ UPDATE dedupe.sources SET updated_at = now() WHERE source = 'guard' $$,
  'other columns of dedupe.sources stay editable');
SELECT throws_ok($$ DELETE FROM dedupe.records WHERE source = 'guard' $$, '42501', NULL,
  'dedupe_admin cannot delete staged records behind the audit log''s back');
RESET ROLE;
SELECT ok(NOT has_table_privilege('dedupe_admin', 'dedupe.records', 'DELETE'),
  'dedupe_admin holds no DELETE on dedupe.records');
SELECT ok(has_table_privilege('dedupe_admin', 'dedupe.records', 'SELECT'), 'but still reads them');

-- The write path still works after the refused edits, and records leave with their rows.
SELECT lives_ok($$ INSERT INTO public.guard_leads VALUES (2, 'jonas@guard.example', 'Jonas', 'Ekberg') $$,
  'writes to the watched table keep working');
DELETE FROM public.guard_leads WHERE id = 1;
SELECT is((SELECT array_agg(source_pk ORDER BY source_pk) FROM dedupe.records WHERE source = 'guard'), ARRAY['2'],
  'deleting the watched row removes its staged record');
SELECT is((SELECT count(*) FROM dedupe.golden_records g WHERE NOT EXISTS
            (SELECT FROM dedupe.record_links l WHERE l.golden_id = g.golden_id)), 0::bigint,
  'and no golden record is left without members');

-- Moving a source to another table is unwatch + watch.
SELECT lives_ok($$ SELECT dedupe.watch('public.guard_leads', 'guard', id_column => 'id', email => 'email') $$,
  're-watching the same table under its name still works');
SELECT dedupe.unwatch('public.guard_leads');
SELECT lives_ok($$ SELECT dedupe.watch('public.guard_leads_v2', 'guard', id_column => 'id', email => 'email') $$,
  'after unwatch, the source can watch another table');
SELECT lives_ok($$ INSERT INTO public.guard_leads_v2 VALUES (3, 'kai@guard.example', 'Kai', 'Lunde') $$,
  'and that table''s writes are staged under it');

SELECT * FROM finish();
ROLLBACK;

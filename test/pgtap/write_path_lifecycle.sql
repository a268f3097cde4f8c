-- Issue 13, item 9: watch() stages the rows a table already holds, and unwatch + watch keeps
-- the human decisions about them. Failed before the fix.
BEGIN;
SELECT plan(6);

CREATE TABLE public.sec_life (id int PRIMARY KEY, email text, phone text);
INSERT INTO public.sec_life VALUES (1, 'life@example.com', '+1 415 555 0101'),
                                   (2, 'gone@example.com', NULL);
SELECT dedupe.watch('public.sec_life', 'sec_life', id_column => 'id', email => 'email');
SELECT is((SELECT count(*) FROM dedupe.records WHERE source = 'sec_life'), 2::bigint,
  'watching a table that holds rows stages them');
SELECT dedupe.confirm(l.golden_id) FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)
 WHERE r.source = 'sec_life' AND r.source_pk = '1';
SELECT dedupe.unwatch('public.sec_life');
DELETE FROM public.sec_life WHERE id = 2;
SELECT dedupe.watch('public.sec_life', 'sec_life', id_column => 'id', email => 'email', phone => 'phone');
SELECT is((SELECT g.status FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)
             JOIN dedupe.golden_records g USING (golden_id)
            WHERE r.source = 'sec_life' AND r.source_pk = '1'), 'confirmed',
  'a confirmation survives unwatch and watch');
SELECT is((SELECT phone FROM dedupe.records WHERE source = 'sec_life' AND source_pk = '1'), '+14155550101',
  'the re-watch moved the record onto the new mapping');
SELECT is((SELECT count(*) FROM dedupe.records WHERE source = 'sec_life' AND source_pk = '2'), 0::bigint,
  'a row deleted while unwatched is forgotten by the re-watch');
CREATE ROLE life_admin IN ROLE dedupe_admin;
ALTER TABLE public.sec_life OWNER TO life_admin;
SET ROLE life_admin;
SELECT lives_ok($$ SELECT dedupe.unwatch('public.sec_life', forget_records => true) $$,
  'dedupe_admin can unwatch and forget (unwatch acts with the owner''s rights)');
RESET ROLE;
SELECT is((SELECT count(*) FROM dedupe.records WHERE source = 'sec_life'), 0::bigint,
  'unwatch(forget_records => true) forgets them');

SELECT * FROM finish();
ROLLBACK;

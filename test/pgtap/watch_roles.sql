-- dedupe.watch(roles => ...): the further roles batch knows (date of birth, address parts,
-- identifier) reach the write path's matcher, normalized as batch normalizes them.
BEGIN;
SELECT plan(14);

CREATE TABLE public.wr_leads (id int PRIMARY KEY, email text, phone text, first_name text,
  last_name text, dob date, zip text, town text);
SELECT throws_ok($$ SELECT dedupe.watch('public.wr_leads', 'wr', id_column => 'id', email => 'email',
  roles => '{"shoe_size": "zip"}') $$, '22023', NULL, 'an unknown role is refused');
SELECT throws_ok($$ SELECT dedupe.watch('public.wr_leads', 'wr', id_column => 'id', email => 'email',
  roles => '{"city": 7}') $$, '22023', NULL, 'a role must name a column');
SELECT throws_ok($$ SELECT dedupe.watch('public.wr_leads', 'wr', id_column => 'id', email => 'email',
  roles => '{"city": "village"}') $$, '42703', NULL, 'a missing column is refused');
SELECT lives_ok($$ SELECT dedupe.watch('public.wr_leads', 'wr', id_column => 'id', email => 'email',
  phone => 'phone', first_name => 'first_name', last_name => 'last_name',
  roles => '{"date_of_birth": "dob", "postcode": "zip", "city": "town"}') $$, 'roles are mapped');

INSERT INTO public.wr_leads VALUES (1, 'ann.lee@one.example', NULL, 'Ann', 'Lee', '1980-02-03', ' 10115 ', 'Berlin');
SELECT is((SELECT roles FROM dedupe.records WHERE source = 'wr' AND source_pk = '1'),
  '{"city": "berlin", "postcode": "10115", "date_of_birth": "19800203"}'::jsonb,
  'the record keeps the roles normalized as batch normalizes them');

-- Namesakes: the same date of birth makes them one person, another one two people.
INSERT INTO public.wr_leads VALUES (2, 'annlee@two.example', NULL, 'Ann', 'Lee', '1980-02-03', '10115', 'Berlin');
INSERT INTO public.wr_leads VALUES (3, 'a.lee@three.example', NULL, 'Ann', 'Lee', '1991-07-30', '80331', 'Munich');
\set source wr
\ir lib/rows_of_source.psql
SELECT is(pg_temp.golden_of(2), pg_temp.golden_of(1), 'same name, date of birth and address: linked');
SELECT isnt(pg_temp.golden_of(3), pg_temp.golden_of(1), 'same name, another date of birth and city: another person');
SELECT is((SELECT count(*) FROM dedupe.review_queue q JOIN dedupe.records r USING (record_id)
           WHERE r.source = 'wr' AND q.status = 'open'), 0::bigint, 'and nobody needs a human');
-- A typo that moves the surname to another phonetic block: the date of birth still finds her.
INSERT INTO public.wr_leads VALUES (4, NULL, '+1 415 555 0104', 'Ann', 'Kee', '1980-02-03', '10115', 'Berlin');
SELECT is(pg_temp.golden_of(4), pg_temp.golden_of(1), 'a mistyped surname is found through the date of birth');
SELECT is((SELECT c->>'verdict' FROM jsonb_array_elements(dedupe.explain(
             (SELECT record_id FROM dedupe.records WHERE source = 'wr' AND source_pk = '1'),
             (SELECT record_id FROM dedupe.records WHERE source = 'wr' AND source_pk = '3'))->'comparisons') c
           WHERE c->>'attribute' = 'date_of_birth'), 'else', 'explain shows the date of birth''s level');

-- A father and a son of one name share the home mailbox and phone: two dates of birth make that
-- a household's mailbox, no evidence of one person (match_rules: dates_of_birth_differ).
INSERT INTO public.wr_leads VALUES (5, 'home@smith.example', '+1 212 555 0100', 'John', 'Smith', '1961-04-02', NULL, NULL);
INSERT INTO public.wr_leads VALUES (6, 'home@smith.example', '+1 212 555 0100', 'John', 'Smith', '1993-11-20', NULL, NULL);
SELECT isnt(pg_temp.golden_of(6), pg_temp.golden_of(5), 'one mailbox and phone, two dates of birth: two people');
SELECT is((SELECT array_agg(c->>'verdict' ORDER BY c->>'attribute') FROM jsonb_array_elements(dedupe.explain(
             (SELECT record_id FROM dedupe.records WHERE source = 'wr' AND source_pk = '6'),
             (SELECT record_id FROM dedupe.records WHERE source = 'wr' AND source_pk = '5'))->'comparisons') c
           WHERE c->>'attribute' IN ('email', 'phone')), ARRAY['ignored', 'ignored'],
          'explain: the shared mailbox and phone are left out');
SELECT is(dedupe.explain((SELECT record_id FROM dedupe.records WHERE source = 'wr' AND source_pk = '6'),
                         (SELECT record_id FROM dedupe.records WHERE source = 'wr' AND source_pk = '5'))->>'keys_ignored_by',
          'shared_by_two_dates_of_birth', '... and says which rule left them out');
-- The father again, his date with a typo in one digit: the mailbox links.
INSERT INTO public.wr_leads VALUES (7, 'home@smith.example', NULL, 'John', 'Smith', '1961-04-03', NULL, NULL);
SELECT is(pg_temp.golden_of(7), pg_temp.golden_of(5), 'a date one digit off is a typo: the mailbox links');

SELECT * FROM finish();
ROLLBACK;

-- Issue 13: dedupe.records holds what PostgreSQL wrote, for every table shape watch() accepts,
-- and other roles' DDL is not disturbed. Every test here failed before its fix.
BEGIN;
SELECT plan(23);
CREATE ROLE sec_owner;
CREATE SCHEMA sec AUTHORIZATION sec_owner;
SET ROLE sec_owner;
CREATE TABLE sec.leads (id int PRIMARY KEY, email text);
RESET ROLE;
SELECT dedupe.watch('sec.leads', 'sec_leads', id_column => 'id', email => 'email');

-- Item 4: the audit log's event trigger made every ALTER TABLE fail for roles without USAGE.
SET ROLE sec_owner;
SELECT lives_ok($$ ALTER TABLE sec.leads ADD COLUMN note text $$,
  'a role without rights on dedupe can alter its own tables');
RESET ROLE;
SELECT throws_ok($$ ALTER TABLE dedupe.audit_log DISABLE TRIGGER audit_log_append_only $$, '42501', NULL,
  'disabling the audit log''s guard is still refused');

-- Item 5: dedupe.records holds what was written, not what was attempted.
CREATE TABLE public.sec_rows (id int PRIMARY KEY, email text, request_id text UNIQUE);
SELECT dedupe.watch('public.sec_rows', 'sec_rows', id_column => 'id', email => 'email',
                    idempotency_key => 'request_id');
INSERT INTO public.sec_rows VALUES (1, 'first@example.com', 'k1');
INSERT INTO public.sec_rows VALUES (1, 'other@example.com', 'k2') ON CONFLICT DO NOTHING;
SELECT is((SELECT email FROM dedupe.records WHERE source = 'sec_rows' AND source_pk = '1'),
  'first@example.com', 'ON CONFLICT DO NOTHING leaves the record as stored');
SELECT lives_ok($$ INSERT INTO public.sec_rows VALUES (2, 'second@example.com', 'k2') $$,
  'the key of a row that was not written is free for its real delivery');
SELECT is((SELECT email FROM dedupe.records WHERE source = 'sec_rows' AND source_pk = '2'),
  'second@example.com', '... and that row is staged');
INSERT INTO public.sec_rows VALUES (1, 'third@example.com', 'k3')
  ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email WHERE false;
SELECT is((SELECT email FROM dedupe.records WHERE source = 'sec_rows' AND source_pk = '1'),
  'first@example.com', 'ON CONFLICT DO UPDATE ... WHERE false leaves the record as stored');
CREATE FUNCTION public.sec_drop_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RETURN NULL; END $$;
CREATE TRIGGER zz_drop BEFORE INSERT ON public.sec_rows FOR EACH ROW
  WHEN (NEW.email LIKE 'dropped%') EXECUTE FUNCTION public.sec_drop_row();
INSERT INTO public.sec_rows VALUES (4, 'dropped@example.com', 'k4');
SELECT is((SELECT count(*) FROM dedupe.records WHERE source = 'sec_rows' AND source_pk = '4'), 0::bigint,
  'a row a later BEFORE trigger dropped leaves no record');
SELECT is((SELECT count(*) FROM dedupe.idempotency_keys WHERE source = 'sec_rows' AND key = 'k4'), 0::bigint,
  '... and claims no idempotency key');

CREATE TABLE public.sec_composite (a int, b int, email text, PRIMARY KEY (a, b));
SELECT throws_ok($$ SELECT dedupe.watch('public.sec_composite', 'sec_composite', id_column => 'a', email => 'email') $$,
  '42P10', NULL, 'an id column that is part of a composite key is refused');
CREATE TABLE public.sec_nokey (id int, email text);
SELECT throws_ok($$ SELECT dedupe.watch('public.sec_nokey', 'sec_nokey', id_column => 'id', email => 'email') $$,
  '42P10', NULL, 'a table without a unique id column is refused');
CREATE TABLE public.sec_parted (id int PRIMARY KEY, email text) PARTITION BY RANGE (id);
SELECT throws_ok($$ SELECT dedupe.watch('public.sec_parted', 'sec_parted', id_column => 'id', email => 'email') $$,
  '0A000', NULL, 'a partitioned table is refused (its partitions are watched one by one)');
CREATE TABLE public.sec_part1 PARTITION OF public.sec_parted FOR VALUES FROM (0) TO (100);
SELECT throws_ok($$ SELECT dedupe.watch('public.sec_part1', 'sec_part1', id_column => 'id', email => 'email') $$,
  '0A000', NULL, 'a partition is refused (rows written through its parent end no statement of its own)');
CREATE TABLE public.sec_part2 (id int PRIMARY KEY, email text);
SELECT dedupe.watch('public.sec_part2', 'sec_part2', id_column => 'id', email => 'email');
SELECT throws_ok($$ ALTER TABLE public.sec_parted ATTACH PARTITION public.sec_part2 FOR VALUES FROM (100) TO (200) $$,
  '0A000', NULL, 'a watched table cannot become a partition');

CREATE TABLE public.sec_generated (id int PRIMARY KEY, raw_email text,
  email text GENERATED ALWAYS AS (lower(raw_email)) STORED);
SELECT throws_ok($$ SELECT dedupe.watch('public.sec_generated', 'sec_generated', id_column => 'id',
  email => 'email', on_invalid => 'quarantine') $$, '0A000', NULL,
  'a generated identity column is refused in quarantine mode');
SELECT dedupe.watch('public.sec_generated', 'sec_generated', id_column => 'id', email => 'email');
SELECT lives_ok($$ INSERT INTO public.sec_generated (id, raw_email) VALUES (1, 'Gen@Example.com') $$,
  'a generated identity column works in reject mode');
SELECT is((SELECT email FROM dedupe.records WHERE source = 'sec_generated'), 'gen@example.com',
  '... staged from the value PostgreSQL computed');

DROP TABLE public.sec_generated;
SELECT is((SELECT watching FROM dedupe.sources WHERE source = 'sec_generated'), false,
  'DROP TABLE of a watched table ends its registration');
SELECT is((SELECT count(*) FROM dedupe.records WHERE source = 'sec_generated'), 0::bigint,
  '... and forgets its records');

-- Item 8: a quarantined row with an idempotency key could never be released.
CREATE TABLE public.sec_q (id int PRIMARY KEY, email text, request_id text);
SELECT dedupe.watch('public.sec_q', 'sec_q', id_column => 'id', email => 'email',
                    idempotency_key => 'request_id', on_invalid => 'quarantine');
INSERT INTO public.sec_q VALUES (1, 'broken', 'req-1');
UPDATE dedupe.quarantine SET row_data = jsonb_set(row_data, '{email}', '"fixed@example.com"')
 WHERE source = 'sec_q';
SELECT lives_ok($$ SELECT dedupe.release(quarantine_id) FROM dedupe.quarantine WHERE source = 'sec_q' $$,
  'a corrected quarantined row with an idempotency key is released');
SELECT is((SELECT email FROM dedupe.records WHERE source = 'sec_q' AND source_pk = '1'),
  'fixed@example.com', '... and staged');

-- Item 11: one junk name failed a whole batch at flush time without naming the row.
SELECT lives_ok(format($$ INSERT INTO public.sec_q VALUES (2, 'ok@example.com', NULL), (3, %L, NULL) $$,
  'x' || repeat('y', 3000) || '@example.com'), 'a row with an over-long value does not fail its batch');
CREATE TABLE public.sec_names (id int PRIMARY KEY, email text, first_name text, last_name text);
SELECT dedupe.watch('public.sec_names', 'sec_names', id_column => 'id', email => 'email',
                    first_name => 'first_name', last_name => 'last_name', on_invalid => 'quarantine');
INSERT INTO public.sec_names
SELECT g, 'n' || g || '@example.com', 'Ann', CASE WHEN g = 7 THEN repeat('Long', 1000) ELSE 'Lee' END
FROM generate_series(1, 10) g;
SELECT is((SELECT count(*) FROM dedupe.records WHERE source = 'sec_names'), 9::bigint,
  'the other nine rows of the batch are staged');
SELECT matches((SELECT source_pk || ': ' || reason FROM dedupe.quarantine WHERE source = 'sec_names'),
  '^7: last name longer than 500 bytes', 'the junk row is quarantined, named, with its reason');

SELECT * FROM finish();
ROLLBACK;

-- Hostile numeric and binary arguments (issue 13 items 3, 10, 14): every integer, float,
-- interval and timestamp argument either works or is refused with a documented SQLSTATE;
-- nothing crashes the backend, loops until statement_timeout or stores invalid text.
BEGIN;
SELECT plan(52);
SET LOCAL search_path = public, dedupe;
-- The bugs looped forever: a timeout turns a loop into a failed test, not a hung suite.
SET LOCAL statement_timeout = '20s';

-- Item 3: a bound of INT_MAX overflowed k + 1 in the banded Levenshtein and wrote out of
-- bounds (the postmaster then reset every session). A bound over the length is the length.
SELECT is(dedupe.levenshtein('John', 'John', 2147483647), 0, 'levenshtein with max_distance INT_MAX');
SELECT is(dedupe.levenshtein('John', 'John', 2147483646), 0, 'levenshtein with max_distance INT_MAX - 1');
SELECT is(dedupe.levenshtein('John', 'Jon', 2147483647), 1, 'INT_MAX still gives the exact distance');
SELECT is(dedupe.levenshtein('', 'abc', 2147483647), 3, 'INT_MAX with an empty string');
SELECT is(dedupe.levenshtein('Smith', 'Smyth', 1073741824), 1, 'a bound of 2^30');
SELECT throws_ok($$ SELECT dedupe.levenshtein('a', 'b', -2147483648) $$, '22023',
  'max_distance must not be negative', 'levenshtein refuses INT_MIN');
SELECT is(dedupe.fold('still alive'), 'still alive', 'the backend survived the huge bounds');

-- The other integer arguments of the similarity and phonetic functions.
SELECT throws_ok($$ SELECT dedupe.qgram_similarity('a', 'b', 2147483647) $$, '22023',
  'q must be between 1 and 3', 'qgram_similarity refuses q = INT_MAX');
SELECT throws_ok($$ SELECT dedupe.qgram_similarity('a', 'b', -2147483648) $$, '22023',
  'q must be between 1 and 3', 'qgram_similarity refuses q = INT_MIN');
SELECT is(dedupe.double_metaphone('Schmidt', 2147483647), dedupe.double_metaphone('Schmidt', 0),
  'double_metaphone max_length INT_MAX means unlimited, like 0');
SELECT throws_ok($$ SELECT dedupe.double_metaphone('Schmidt', -2147483648) $$, '22023',
  'max_length must not be negative', 'double_metaphone refuses a negative max_length');

-- Fuzzy search: the query constructors, and the index paths with the largest bound allowed.
SELECT throws_ok($$ SELECT dedupe.within('jon', 2147483647) $$, '22023',
  'max_distance must be between 0 and 1000000', 'within refuses INT_MAX');
SELECT throws_ok($$ SELECT dedupe.within('jon', -1) $$, '22023',
  'max_distance must be between 0 and 1000000', 'within refuses a negative bound');
SELECT throws_ok($$ SELECT '2147483648:jon'::dedupe.edit_query $$, '22023',
  NULL, 'edit_query input refuses a bound over INT_MAX');
SELECT throws_ok($$ SELECT dedupe.similar_to('jon', 'NaN') $$, '22023',
  'similarity threshold must be between 0 and 1', 'similar_to refuses NaN');
SELECT throws_ok($$ SELECT dedupe.similar_to('jon', 'Infinity') $$, '22023',
  'similarity threshold must be between 0 and 1', 'similar_to refuses infinity');
SELECT throws_ok($$ SELECT dedupe.similar_to('jon', -1) $$, '22023',
  'similarity threshold must be between 0 and 1', 'similar_to refuses a negative threshold');

CREATE TABLE sa_names (name text);
INSERT INTO sa_names VALUES ('Jo'), ('Jon'), ('John Smith'), (''), (repeat('x', 3000));
CREATE INDEX sa_gin ON sa_names USING gin (name dedupe.fuzzy_gin_ops);
CREATE INDEX sa_gist ON sa_names USING gist (name dedupe.fuzzy_gist_ops);
SET LOCAL enable_seqscan = off;
SET LOCAL enable_indexscan = off;  -- GIN through a bitmap scan
SELECT is((SELECT count(*) FROM sa_names WHERE name OPERATOR(dedupe.%) dedupe.within('jon', 1000000)),
  5::bigint, 'GIN: the largest bound matches every row');
SELECT is((SELECT count(*) FROM sa_names WHERE name OPERATOR(dedupe.%) dedupe.similar_to('jon', 0)),
  5::bigint, 'GIN: threshold 0 matches every row');
DROP INDEX sa_gin;
SET LOCAL enable_indexscan = on;
SET LOCAL enable_bitmapscan = off;  -- GiST through an index scan
SELECT is((SELECT count(*) FROM sa_names WHERE name OPERATOR(dedupe.%) dedupe.within('jon', 1000000)),
  5::bigint, 'GiST: the largest bound matches every row');
SELECT is((SELECT count(*) FROM (SELECT name FROM sa_names ORDER BY name OPERATOR(dedupe.<->) 'jon' LIMIT 2) t),
  2::bigint, 'GiST: nearest neighbours next to a 3000-character value');
RESET enable_seqscan;
RESET enable_indexscan;
RESET enable_bitmapscan;

-- Outreach and hashing: full int4/int8 ranges are input, not arithmetic.
SELECT throws_ok($$ SELECT dedupe._random_bytes(2147483647) $$, '22023',
  'random byte count must be between 0 and 1024', '_random_bytes refuses INT_MAX');
SELECT throws_ok($$ SELECT dedupe._random_bytes(-1) $$, '22023',
  'random byte count must be between 0 and 1024', '_random_bytes refuses a negative count');
SELECT ok(dedupe.is_valid_tracking_code(dedupe._derive_tracking_code(decode(repeat('ab', 32), 'hex'),
            -9223372036854775808, 'spring', 2147483647)),
  '_derive_tracking_code takes INT8_MIN and INT_MAX');
SELECT isnt(dedupe.match_key_hash_extended('(a:1,,)', -9223372036854775808),
            dedupe.match_key_hash_extended('(a:1,,)', 9223372036854775807),
  'match_key_hash_extended takes the extreme seeds');

-- Business time: infinite and huge instants and durations.
SELECT throws_ok($$ SELECT dedupe.business_due_at('infinity', '1 hour') $$, '22023',
  'business_due_at needs a finite start, not infinity', 'business_due_at refuses an infinite start');
SELECT throws_ok($$ SELECT dedupe.business_due_at(now(), '2147483647 days') $$, '22023',
  'invalid business hours: the duration must be between 0 and ten years',
  'business_due_at refuses INT_MAX days (day * USECS_PER_DAY overflowed int64)');
SELECT throws_ok($$ SELECT dedupe.business_due_at(now(), '-2147483648 days 2562047788:00:00') $$, '22023',
  'invalid business hours: the duration must be between 0 and ten years',
  'business_due_at refuses INT_MIN days');
SELECT throws_ok($$ SELECT dedupe.business_due_at('294276-12-31 12:00+00', '100 hours') $$, '22008',
  'timestamp out of range', 'a deadline past the end of the timestamp range is 22008');
SELECT throws_ok($$ SELECT dedupe.business_time_between('-infinity', 'infinity') $$, '22023',
  'business time needs finite instants, not -infinity .. infinity',
  'business_time_between refuses infinite instants');
SELECT throws_ok($$ SELECT dedupe.business_time_between('4713-01-01 BC', '294276-01-01') $$, '22023',
  NULL, 'business_time_between refuses a span of 300,000 years');
SELECT throws_ok($$ SELECT dedupe.business_time_between(now(), now() + interval '1 day', 'UTC', '09:00', '17:00', '{2147483647}') $$,
  '22023', NULL, 'business_time_between refuses a weekday outside 1..7');
SELECT is(dedupe.business_time_between('2026-11-20 16:00+00', '2026-11-23 16:00+00'), '8 hours'::interval,
  'business_time_between still answers a normal span');

-- Item 14: reports walked weeks or days up to an infinite as_of until statement_timeout.
-- One open merge_request item (business-hours SLA) makes review_queue_health walk days.
INSERT INTO dedupe.review_queue (kind, rule, owner, created_at, due_at)
VALUES ('merge_request', 'test', 'alice', '2026-11-02 10:00+00', '2026-11-03 10:00+00');
SELECT throws_ok($$ SELECT * FROM dedupe.review_queue_health('infinity') $$, '22023',
  'as_of must be a finite timestamp, not infinity', 'review_queue_health refuses infinity');
SELECT throws_ok($$ SELECT * FROM dedupe.review_queue_health('-infinity') $$, '22023',
  'as_of must be a finite timestamp, not -infinity', 'review_queue_health refuses -infinity');
SELECT throws_ok($$ SELECT * FROM dedupe.review_item_ages('infinity') $$, '22023',
  'as_of must be a finite timestamp, not infinity', 'review_item_ages refuses infinity');
SELECT throws_ok($$ SELECT * FROM dedupe.review_item_ages('200000-01-01') $$, '22023',
  NULL, 'review_item_ages refuses an as_of 200,000 years away');
SELECT is((SELECT open_items FROM dedupe.review_queue_health('2026-11-04 10:00+00')), 1::bigint,
  'review_queue_health still answers a finite as_of');
SELECT throws_ok($$ SELECT * FROM dedupe.review_growth(2147483647) $$, '22023',
  'weeks must be between 1 and 520, not 2147483647', 'review_growth refuses INT_MAX weeks');
SELECT throws_ok($$ SELECT * FROM dedupe.review_growth(-2147483648) $$, '22023',
  'weeks must be between 1 and 520, not -2147483648', 'review_growth refuses INT_MIN weeks');
SELECT throws_ok($$ SELECT * FROM dedupe.review_growth(8, 'infinity') $$, '22023',
  'as_of must be a finite timestamp, not infinity', 'review_growth refuses an infinite as_of');
SELECT is((SELECT count(*) FROM dedupe.review_growth(520, '2026-11-04 10:00+00')), 520::bigint,
  'review_growth answers the largest allowed span');
SELECT is((SELECT count(*) FROM dedupe.top_duplicate_sources(-2147483648)), 0::bigint,
  'top_duplicate_sources: a negative top is an empty top list');
SELECT lives_ok($$ SELECT * FROM dedupe.top_duplicate_sources(2147483647, '-infinity', 'infinity') $$,
  'top_duplicate_sources takes INT_MAX and infinite bounds (no walk over time)');
SELECT lives_ok($$ SELECT * FROM dedupe.review_resolution_times('-infinity', 'infinity') $$,
  'review_resolution_times takes infinite bounds');
SELECT throws_ok($$ SELECT * FROM dedupe.qa_sample('NaN') $$, '22023', NULL, 'qa_sample refuses NaN');
SELECT lives_ok($$ SELECT * FROM dedupe.qa_sample(100, -9223372036854775808, '-infinity', 'infinity') $$,
  'qa_sample takes INT8_MIN seeds and infinite periods');

-- Item 10: binary input (match_key_recv) accepted invalid UTF-8, which then reached
-- k::text and pg_dump output. A binary COPY is the way in for a client.
CREATE TABLE sa_keys (k dedupe.match_key);
CREATE FUNCTION pg_temp.copy_binary_key(key bytea) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  file bytea := '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea  -- header
                || '\x0001'::bytea || int4send(length(key)) || key                   -- one field
                || '\xffff'::bytea;                                                   -- trailer
BEGIN
  EXECUTE format('COPY sa_keys FROM PROGRAM %L (FORMAT binary)',
                 'echo ' || translate(encode(file, 'base64'), E'\n', '') || ' | base64 -d');
END $$;
SELECT lives_ok($$ SELECT pg_temp.copy_binary_key(dedupe.match_key_send('(a:x,,)')) $$,
  'binary COPY of a valid match_key works');
SELECT is((SELECT k::text FROM sa_keys), '(a:x,,)', 'and the key reads back');
SELECT throws_ok($$ SELECT pg_temp.copy_binary_key(overlay(dedupe.match_key_send('(a:x,,)') PLACING '\xff' FROM 5)) $$,
  '22021', 'invalid match_key: external_id is not valid UTF8', 'binary input refuses an invalid UTF-8 byte');
SELECT throws_ok($$ SELECT pg_temp.copy_binary_key(overlay(dedupe.match_key_send('(,,ab@x.io)') PLACING '\xc0af' FROM 3)) $$,
  '22021', 'invalid match_key: email is not valid UTF8', 'binary input refuses an overlong UTF-8 sequence');
SELECT is((SELECT count(*) FROM sa_keys), 1::bigint, 'no invalid key was stored');

SELECT * FROM finish();
ROLLBACK;

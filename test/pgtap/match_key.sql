-- dedupe.match_key: errors, NULLs, the exclusion constraint.
BEGIN;
SELECT plan(16);
SET LOCAL search_path = public, dedupe;

SELECT throws_ok($$ SELECT dedupe.match_key(NULL, NULL, NULL) $$, '23502', NULL, 'a key with no component is refused');
SELECT throws_ok($$ SELECT dedupe.match_key(' ', '', NULL) $$, '23502', NULL, 'blank components are absent');
SELECT throws_ok($$ SELECT dedupe.match_key(NULL, 'call me', NULL) $$, '22P02', NULL, 'invalid phone: 22P02');
SELECT throws_ok($$ SELECT dedupe.match_key(NULL, NULL, 'jane@') $$, '22P02', NULL, 'invalid email: 22P02');
SELECT throws_ok($$ SELECT dedupe.match_key(NULL, '415 555 0132', NULL, 'XX') $$, '22023', NULL, 'unknown region: 22023');
SELECT throws_ok($$ SELECT '(,,)'::dedupe.match_key $$, '23502', NULL, 'empty text form: 23502');
SELECT throws_ok($$ SELECT 'hubspot:1'::dedupe.match_key $$, '22P02', NULL, 'malformed text form: 22P02');
SELECT is(dedupe.try_match_key(NULL, NULL, NULL), NULL, 'try_match_key gives NULL instead of 23502');
SELECT is(dedupe.try_match_key('hubspot:1', 'bad', NULL), NULL, 'try_match_key gives NULL instead of 22P02');
SELECT is(dedupe.phone(dedupe.match_key('hubspot:1', NULL, NULL)), NULL, 'an absent component reads as NULL');
SELECT is(dedupe.match_key('hubspot:1', NULL, NULL, NULL)::text, '(hubspot:1,,)', 'a NULL region does not matter without a phone');
SELECT is(dedupe.external_id(NULL), NULL, 'accessors are STRICT');
SELECT ok(dedupe.match_key('hubspot:1', '(415) 555-0132', 'Jane.Doe@Gmail.com') && dedupe.match_key(NULL, '+1 415 555 0132', NULL),
  'Done-when: keys sharing a phone overlap');

CREATE TABLE tap_people (id int PRIMARY KEY, k dedupe.match_key, EXCLUDE USING gist (k WITH &&));
INSERT INTO tap_people VALUES (1, dedupe.match_key('hubspot:1', '(415) 555-0132', 'jane@x.com'));
SELECT throws_ok($$ INSERT INTO tap_people VALUES (2, dedupe.match_key('sf:2', '+1 415 555 0132', NULL)) $$,
  '23P01', NULL, 'a row sharing only the phone violates the exclusion constraint');
SELECT lives_ok($$ INSERT INTO tap_people VALUES (3, dedupe.match_key('sf:3', '+1 415 555 0199', 'john@x.com')) $$,
  'a row sharing nothing goes in');
SELECT throws_ok($$ UPDATE tap_people SET k = dedupe.match_key('sf:3', NULL, 'jane@x.com') WHERE id = 3 $$,
  '23P01', NULL, 'an update into a shared email is refused too');

SELECT * FROM finish();
ROLLBACK;

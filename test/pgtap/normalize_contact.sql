-- Contact normalizers: NULL handling, SQLSTATEs, the is_valid_* predicates.
BEGIN;
SELECT plan(19);

SELECT is(dedupe.normalize_email(' John.Doe+news@GoogleMail.com '), 'johndoe@gmail.com', 'Done-when email');
SELECT is(dedupe.normalize_phone('(415) 555-0132'), '+14155550132', 'Done-when US phone');
SELECT is(dedupe.normalize_phone('020 7946 0958', 'GB'), '+442079460958', 'Done-when GB phone');

SELECT is(dedupe.normalize_email(NULL), NULL, 'STRICT: NULL email gives NULL');
SELECT is(dedupe.normalize_phone(NULL), NULL, 'STRICT: NULL phone gives NULL');
SELECT is(dedupe.normalize_phone('(415) 555-0132', NULL), NULL, 'STRICT: NULL region gives NULL');
SELECT is(dedupe.normalize_domain(NULL), NULL, 'STRICT: NULL domain gives NULL');

SELECT throws_ok($$ SELECT dedupe.normalize_email('nobody') $$, '22P02',
  'invalid email address "nobody": missing ''@''', 'an address without @ names the problem');
SELECT throws_ok($$ SELECT dedupe.normalize_email('') $$, '22P02', NULL, 'empty email');
SELECT throws_ok($$ SELECT dedupe.normalize_phone('not a phone') $$, '22P02', NULL, 'text is not a phone');
SELECT throws_ok($$ SELECT dedupe.normalize_phone('+1 415', 'US') $$, '22P02', NULL, 'impossible phone');
SELECT throws_ok($$ SELECT dedupe.normalize_phone('415 555 0132', 'Narnia') $$, '22023', NULL, 'unknown region');
SELECT throws_ok($$ SELECT dedupe.normalize_domain('http://') $$, '22P02', NULL, 'URL without a host');

SELECT ok(dedupe.is_valid_email('a@example.com') AND NOT dedupe.is_valid_email('a@'), 'is_valid_email');
SELECT ok(NOT dedupe.is_valid_email(repeat('a', 1000000)), 'is_valid_email on 1 MB never raises');
SELECT ok(dedupe.is_valid_phone('+44 20 7946 0958') AND NOT dedupe.is_valid_phone('12'), 'is_valid_phone');
SELECT ok(NOT dedupe.is_valid_phone('020 7946 0958', 'XX'), 'is_valid_phone with an unknown region is false, not an error');
SELECT is(dedupe.phone_extension('(415) 555-0132'), NULL, 'no extension is NULL');
SELECT is(dedupe.normalize_email('Jane@Example.com'), dedupe.normalize_email('jane@EXAMPLE.COM'), 'case never matters');

SELECT * FROM finish();
ROLLBACK;

-- Email rules of issue 17 through SQL: the provider table is read from the extension
-- directory, and each group of the conformance test (test/unit/email_conformance_test.cpp)
-- behaves the same in the server. Refusals are 22P02 naming the problem.
BEGIN;
SELECT plan(16);

SELECT is(dedupe.normalize_email('"John Smith"@Example.com'), '"john smith"@example.com', 'quoted local part');
SELECT is(dedupe.normalize_email('"Abc\@def"@example.com'), '"abc@def"@example.com', 'quoted @, escape removed');
SELECT is(dedupe.normalize_email('"jane"@example.com'), 'jane@example.com', 'quotes that are not needed go');
SELECT is(dedupe.normalize_email('john..doe@gmail.com'), 'johndoe@gmail.com', 'Gmail ignores runs of dots');
SELECT throws_ok($$ SELECT dedupe.normalize_email('john..doe@example.com') $$, '22P02',
  'invalid email address "john..doe@example.com": misplaced ''.'' in the local part', 'elsewhere two dots need quotes');
SELECT throws_ok($$ SELECT dedupe.normalize_email('jane@example.c') $$, '22P02',
  'invalid email address "jane@example.c": one-letter top-level domain', 'one-letter TLD');
SELECT throws_like($$ SELECT dedupe.normalize_email('jane@©.com') $$, '%U+00A9 is not allowed in a host name (IDNA2008)%',
  'an IDNA2008-disallowed symbol is refused, not punycoded');
SELECT throws_ok($$ SELECT dedupe.normalize_email(U&'jane\00A0doe@example.com') $$, '22P02',
  U&'invalid email address "jane\00A0doe@example.com": a Unicode space (U+00A0) in the local part', 'no-break space');
SELECT is(dedupe.normalize_email('ｊａｎｅ@ｅｘａｍｐｌｅ．ｃｏｍ'), 'jane@example.com', 'full-width forms are ASCII');
SELECT ok(NOT dedupe.is_valid_email('jane＠example.com'), 'a full-width @ does not separate');
SELECT is(dedupe.normalize_email('Pelé@Bücher.DE'), 'pelé@xn--bcher-kva.de', 'UTF-8 mailbox, IDN domain in punycode');
SELECT is(ARRAY[dedupe.normalize_email('jane@me.com'), dedupe.normalize_email('jane@mac.com')],
  ARRAY['jane@icloud.com', 'jane@icloud.com'], 'Apple aliases fold (provider table loaded)');
SELECT is(ARRAY[dedupe.normalize_email('ivan.ivanov@ya.ru'), dedupe.normalize_email('ivan-ivanov+shop@yandex.kz')],
  ARRAY['ivan-ivanov@yandex.ru', 'ivan-ivanov@yandex.ru'], 'Yandex aliases, dots and tags fold');
SELECT isnt(dedupe.normalize_email('jane@hotmail.com'), dedupe.normalize_email('jane@outlook.com'),
  'Microsoft domains are separate mailboxes');
SELECT is(dedupe.normalize_email('jane+crm@acme.com'), 'jane+crm@acme.com', 'company tags stay');
SELECT ok(dedupe.is_freemail('jane@protonmail.ch') AND dedupe.is_freemail('jane@bk.ru')
  AND NOT dedupe.is_freemail('jane@acme.com'), 'is_freemail reads the table');

SELECT * FROM finish();
ROLLBACK;

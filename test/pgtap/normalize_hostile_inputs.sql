-- Every normalizer, fed empty, whitespace-only, 1 MB and odd Unicode strings: each call
-- returns or raises a documented SQLSTATE, and the session keeps working afterwards.
BEGIN;
SELECT plan(14);

CREATE TEMP TABLE hostile(label text, v text);
INSERT INTO hostile VALUES
  ('empty', ''), ('spaces', '   '), ('tabs and newlines', E'\t\n\r '),
  ('1 MB ascii', repeat('a', 1024 * 1024)), ('1 MB digits', repeat('5', 1024 * 1024)),
  ('1 MB at-signs', repeat('@', 1024 * 1024)), ('1 MB multibyte', repeat('ж', 512 * 1024)),
  ('combining marks', 'e' || repeat(U&'\0301', 1000)), ('rtl', U&'\05E9\05DC\05D5\05DD@\05D3\05D5\05D2\05DE\05D4.\05D9\05E9\05E8\05D0\05DC'),
  ('emoji', U&'\+01F600\+01F468\200D\+01F469\200D\+01F467@example.com'), ('zero width', U&'a\200Bb\FEFFc'),
  ('control chars', E'\x01\x02\x7f'), ('noncharacters', U&'\FFFE\FFFF'), ('private use', U&'\E000\F8FF'),
  ('mixed scripts', 'Ωmega Ивaн 山田 +1 (415) 555-0132 jane@例え.jp');

-- Runs expr on every hostile input; returns the outcomes that are neither a value nor a
-- documented error (22P02 bad text, 22023 bad parameter, 54000 size limit).
CREATE FUNCTION pg_temp.bad_outcomes(expr text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT label, v FROM hostile LOOP
    BEGIN
      EXECUTE format('SELECT %s', expr) USING r.v;
    EXCEPTION WHEN OTHERS THEN
      IF SQLSTATE NOT IN ('22P02', '22023', '54000') THEN
        RETURN NEXT r.label || ': ' || SQLSTATE || ' ' || SQLERRM;
      END IF;
    END;
  END LOOP;
END $$;

SELECT is_empty($$ SELECT pg_temp.bad_outcomes('dedupe.normalize_email($1)') $$, 'normalize_email');
SELECT is_empty($$ SELECT pg_temp.bad_outcomes('dedupe.is_valid_email($1)') $$, 'is_valid_email');
SELECT is_empty($$ SELECT pg_temp.bad_outcomes('dedupe.is_freemail($1), dedupe.is_role_email($1), dedupe.email_domain($1)') $$, 'email predicates');
SELECT is_empty($$ SELECT pg_temp.bad_outcomes('dedupe.normalize_phone($1)') $$, 'normalize_phone');
SELECT is_empty($$ SELECT pg_temp.bad_outcomes('dedupe.normalize_phone(''415 555 0132'', $1)') $$, 'normalize_phone with a hostile region');
SELECT is_empty($$ SELECT pg_temp.bad_outcomes('dedupe.is_valid_phone($1, $1)') $$, 'is_valid_phone');
SELECT is_empty($$ SELECT pg_temp.bad_outcomes('dedupe.phone_type($1), dedupe.phone_region($1), dedupe.phone_extension($1)') $$, 'phone facts');
SELECT is_empty($$ SELECT pg_temp.bad_outcomes('dedupe.normalize_domain($1)') $$, 'normalize_domain');
SELECT is_empty($$ SELECT pg_temp.bad_outcomes('dedupe.normalize_name($1)') $$, 'normalize_name');
SELECT is_empty($$ SELECT pg_temp.bad_outcomes('dedupe.normalize_company($1)') $$, 'normalize_company');
SELECT is_empty($$ SELECT pg_temp.bad_outcomes('dedupe.canonical_first_name($1)') $$, 'canonical_first_name');
SELECT is_empty($$ SELECT pg_temp.bad_outcomes('dedupe.double_metaphone($1)') $$, 'double_metaphone');
SELECT is_empty($$ SELECT pg_temp.bad_outcomes('dedupe.fold($1)') $$, 'fold');
SELECT is(dedupe.normalize_email('still@working.example'), 'still@working.example', 'the session still works');

SELECT * FROM finish();
ROLLBACK;

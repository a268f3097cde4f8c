-- Boundary guard behaviour: SQLSTATEs, unwinding, and a session that survives.
BEGIN;
SELECT plan(16);

SELECT throws_ok($$ SELECT dedupe._guard_selftest('dedupe_error') $$, '22023',
                 'selftest: dedupe::Error', 'dedupe::Error keeps its SQLSTATE and message');
SELECT throws_ok($$ SELECT dedupe._guard_selftest('std_exception') $$, 'XX000',
                 'selftest: std::runtime_error', 'std::exception becomes XX000 with its what()');
SELECT throws_ok($$ SELECT dedupe._guard_selftest('bad_alloc') $$, '53200',
                 NULL, 'std::bad_alloc becomes out_of_memory');
SELECT throws_ok($$ SELECT dedupe._guard_selftest('unknown') $$, 'XX000',
                 NULL, 'a non-std exception is still caught');
SELECT throws_ok($$ SELECT dedupe._guard_selftest('pg_error') $$, '22012',
                 'division by zero', 'a PostgreSQL error crosses C++ and keeps its SQLSTATE');

-- Inside one transaction, savepoints around each failure (what throws_ok does) leave
-- the transaction usable.
SELECT is(dedupe._guard_selftest('ok'), 0::bigint, 'the same transaction keeps working');
SELECT cmp_ok(dedupe._guard_selftest('destructors'), '>=', 5::bigint,
              'C++ destructors ran for every failure');
SELECT is(dedupe.fold('José Núñez'), 'jose nunez', 'fold works after the failures');

-- Many failures in a row leak nothing that breaks later calls.
CREATE FUNCTION pg_temp.fail_many(n int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE caught int := 0;
BEGIN
  FOR i IN 1..n LOOP
    BEGIN
      PERFORM dedupe._guard_selftest(CASE i % 3 WHEN 0 THEN 'pg_error' WHEN 1 THEN 'dedupe_error' ELSE 'std_exception' END);
    EXCEPTION WHEN OTHERS THEN caught := caught + 1;
    END;
  END LOOP;
  RETURN caught;
END $$;
SELECT is(pg_temp.fail_many(3000), 3000, '3000 guarded failures are all caught');
SELECT is(dedupe.fold('OK'), 'ok', 'and the backend still answers');

-- A message longer than the guard's buffer is cut at a character boundary, never inside one
CREATE FUNCTION pg_temp.long_error_message() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM dedupe._guard_selftest('x' || repeat('é', 700));
  RETURN NULL;
EXCEPTION WHEN invalid_parameter_value THEN
  RETURN SQLERRM;
END $$;
SELECT ok(octet_length(convert_from(convert_to(pg_temp.long_error_message(), 'UTF8'), 'UTF8')) BETWEEN 900 AND 1023,
  'a cut error message is still valid UTF-8');

-- Issue 13 item 16: a C++ exception thrown inside pg_call() left PG_exception_stack and
-- error_context_stack pointing into a dead frame; the session's next top-level ERROR then
-- jumped there and the backend crashed. A second session (dblink) takes that top-level error.
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT lives_ok($$ SELECT dblink_connect('guard_peer', format('host=%s port=%s dbname=%s',
                    split_part(current_setting('unix_socket_directories'), ',', 1),
                    current_setting('port'), current_database())) $$,
                'a second session connects');
SELECT is((SELECT v FROM dblink('guard_peer', 'SELECT dedupe._guard_selftest(''pg_call_throws'')') t(v bigint)),
          1::bigint, 'a C++ exception from inside pg_call() is caught by the C++ caller');
SELECT is(dblink_error_message('guard_peer'), 'OK', 'the call itself raised no error');
SELECT throws_ok($$ SELECT * FROM dblink('guard_peer', 'SELECT 1 / 0') t(v int) $$, '22012',
                 NULL, 'the next PostgreSQL error in that session is an ordinary error');
SELECT is((SELECT v FROM dblink('guard_peer', 'SELECT length(dedupe.fold(''still here''))') t(v int)),
          10, 'and that session still answers');
SELECT dblink_disconnect('guard_peer');

SELECT * FROM finish();
ROLLBACK;

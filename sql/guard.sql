-- The C++/PostgreSQL boundary: every failure kind reaches the client as an ERROR with its
-- SQLSTATE, and the session keeps working.
SELECT dedupe._guard_selftest('dedupe_error');
\echo :LAST_ERROR_SQLSTATE
SELECT dedupe._guard_selftest('std_exception');
\echo :LAST_ERROR_SQLSTATE
SELECT dedupe._guard_selftest('bad_alloc');
\echo :LAST_ERROR_SQLSTATE
SELECT dedupe._guard_selftest('unknown');
\echo :LAST_ERROR_SQLSTATE
SELECT dedupe._guard_selftest('pg_error');
\echo :LAST_ERROR_SQLSTATE
-- five failures, five C++ destructors run before PostgreSQL saw each error
SELECT dedupe._guard_selftest('destructors') AS destructors_run;
SELECT dedupe._guard_selftest('ok') AS still_working;
SELECT dedupe.fold('Žofie  Ελένη') AS folded;

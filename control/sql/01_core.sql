-- Library versions and the boundary self-test.

CREATE FUNCTION dedupe._icu_version() RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_icu_version'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe._icu_version() IS
  'internal: version of the ICU library pg_dedupe is linked with';

CREATE FUNCTION dedupe._libphonenumber_version() RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_libphonenumber_version'
  LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dedupe._libphonenumber_version() IS
  'internal: the libphonenumber version pg_dedupe was built against (it has no runtime version API)';

CREATE FUNCTION dedupe.library_versions(OUT library text, OUT version text) RETURNS SETOF record
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$ VALUES ('icu', dedupe._icu_version()), ('libphonenumber', dedupe._libphonenumber_version()) $$;
COMMENT ON FUNCTION dedupe.library_versions() IS
  'Versions of the libraries whose data the normalizers depend on (ICU, libphonenumber). '
  'Indexes on normalized or folded values need REINDEX after these libraries are upgraded.';

CREATE FUNCTION dedupe._guard_selftest(kind text) RETURNS bigint
  AS 'MODULE_PATHNAME', 'dedupe_guard_selftest'
  LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION dedupe._guard_selftest(text) IS
  'internal: raises a C++ exception or PostgreSQL error of the given kind (dedupe_error, '
  'std_exception, bad_alloc, unknown, pg_error) through the C++/PostgreSQL boundary guards; '
  'kind ''destructors'' returns how many guarded C++ destructors have run in this backend';
REVOKE ALL ON FUNCTION dedupe._guard_selftest(text) FROM PUBLIC;

CREATE FUNCTION dedupe.fold(text) RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_fold'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.fold(text) IS
  'Comparison-ready form: NFKC, any script transliterated to Latin ASCII (ICU), case-folded, '
  'whitespace collapsed. The form similarity functions and indexes compare.';

-- dedupe.match_key: the composite identity key (external_id + E.164 phone + email) as a
-- type with btree, hash, GIN and GiST support.

CREATE TYPE dedupe.match_key;

CREATE FUNCTION dedupe.match_key_in(cstring) RETURNS dedupe.match_key
  AS 'MODULE_PATHNAME', 'dedupe_match_key_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_out(dedupe.match_key) RETURNS cstring
  AS 'MODULE_PATHNAME', 'dedupe_match_key_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_recv(internal) RETURNS dedupe.match_key
  AS 'MODULE_PATHNAME', 'dedupe_match_key_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_send(dedupe.match_key) RETURNS bytea
  AS 'MODULE_PATHNAME', 'dedupe_match_key_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE dedupe.match_key (
  INPUT = dedupe.match_key_in, OUTPUT = dedupe.match_key_out,
  RECEIVE = dedupe.match_key_recv, SEND = dedupe.match_key_send,
  INTERNALLENGTH = VARIABLE, STORAGE = extended);
COMMENT ON TYPE dedupe.match_key IS
  'Composite identity of a contact: a source-namespaced external id, an E.164 phone and a '
  'normalized email, at least one present. Text form (external_id,phone,email), e.g. '
  '(hubspot:1,+14155550132,janedoe@gmail.com); && means "share a component".';
COMMENT ON FUNCTION dedupe.match_key_in(cstring) IS 'internal: text input of dedupe.match_key';
COMMENT ON FUNCTION dedupe.match_key_out(dedupe.match_key) IS 'internal: text output of dedupe.match_key';
COMMENT ON FUNCTION dedupe.match_key_recv(internal) IS 'internal: binary input of dedupe.match_key';
COMMENT ON FUNCTION dedupe.match_key_send(dedupe.match_key) IS 'internal: binary output of dedupe.match_key';

CREATE FUNCTION dedupe.match_key(external_id text, phone text, email text, region text DEFAULT 'US')
  RETURNS dedupe.match_key
  AS 'MODULE_PATHNAME', 'dedupe_match_key_make' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.match_key(text, text, text, text) IS
  'Builds a key from raw values: phone through dedupe.normalize_phone(phone, region), email '
  'through dedupe.normalize_email; external_id must be namespaced (''hubspot:123''). NULL or '
  'blank values are absent components. 22P02 for an invalid email, phone or external id; '
  '23502 when every component is absent.';

CREATE FUNCTION dedupe.try_match_key(external_id text, phone text, email text, region text DEFAULT 'US')
  RETURNS dedupe.match_key
  AS 'MODULE_PATHNAME', 'dedupe_try_match_key' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.try_match_key(text, text, text, text) IS
  'Like dedupe.match_key, but NULL instead of an error for values that make no valid key';

CREATE FUNCTION dedupe.external_id(dedupe.match_key) RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_match_key_external_id' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.external_id(dedupe.match_key) IS 'The key''s external id (source:id), or NULL';
CREATE FUNCTION dedupe.phone(dedupe.match_key) RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_match_key_phone' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.phone(dedupe.match_key) IS 'The key''s E.164 phone, or NULL';
CREATE FUNCTION dedupe.email(dedupe.match_key) RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_match_key_email' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.email(dedupe.match_key) IS 'The key''s normalized email, or NULL';

-- Comparison support functions
CREATE FUNCTION dedupe.match_key_cmp(dedupe.match_key, dedupe.match_key) RETURNS integer
  AS 'MODULE_PATHNAME', 'dedupe_match_key_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_eq(dedupe.match_key, dedupe.match_key) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_match_key_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_ne(dedupe.match_key, dedupe.match_key) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_match_key_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_lt(dedupe.match_key, dedupe.match_key) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_match_key_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_le(dedupe.match_key, dedupe.match_key) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_match_key_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_gt(dedupe.match_key, dedupe.match_key) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_match_key_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_ge(dedupe.match_key, dedupe.match_key) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_match_key_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_hash(dedupe.match_key) RETURNS integer
  AS 'MODULE_PATHNAME', 'dedupe_match_key_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_hash_extended(dedupe.match_key, bigint) RETURNS bigint
  AS 'MODULE_PATHNAME', 'dedupe_match_key_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_overlaps(dedupe.match_key, dedupe.match_key) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_match_key_overlaps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_contains(dedupe.match_key, dedupe.match_key) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_match_key_contains' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_contained(dedupe.match_key, dedupe.match_key) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_match_key_contained' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.match_key_cmp(dedupe.match_key, dedupe.match_key) IS
  'Total order of keys: external id, then phone, then email (absent first); btree support';
COMMENT ON FUNCTION dedupe.match_key_eq(dedupe.match_key, dedupe.match_key) IS 'implementation of = for match_key';
COMMENT ON FUNCTION dedupe.match_key_ne(dedupe.match_key, dedupe.match_key) IS 'implementation of <> for match_key';
COMMENT ON FUNCTION dedupe.match_key_lt(dedupe.match_key, dedupe.match_key) IS 'implementation of < for match_key';
COMMENT ON FUNCTION dedupe.match_key_le(dedupe.match_key, dedupe.match_key) IS 'implementation of <= for match_key';
COMMENT ON FUNCTION dedupe.match_key_gt(dedupe.match_key, dedupe.match_key) IS 'implementation of > for match_key';
COMMENT ON FUNCTION dedupe.match_key_ge(dedupe.match_key, dedupe.match_key) IS 'implementation of >= for match_key';
COMMENT ON FUNCTION dedupe.match_key_hash(dedupe.match_key) IS 'hash support (hash joins, hash aggregation)';
COMMENT ON FUNCTION dedupe.match_key_hash_extended(dedupe.match_key, bigint) IS 'seeded hash support (hash partitioning)';
COMMENT ON FUNCTION dedupe.match_key_overlaps(dedupe.match_key, dedupe.match_key) IS
  'implementation of &&: the keys share at least one component';
COMMENT ON FUNCTION dedupe.match_key_contains(dedupe.match_key, dedupe.match_key) IS
  'implementation of @>: every component of the right key is in the left key';
COMMENT ON FUNCTION dedupe.match_key_contained(dedupe.match_key, dedupe.match_key) IS
  'implementation of <@: every component of the left key is in the right key';

-- '=' and '&&' use PostgreSQL's eqsel/eqjoinsel: ANALYZE gathers most-common values and
-- n_distinct for the column (the btree opclass gives it an order), and eqsel evaluates the
-- operator itself against those values, so '&&' is estimated as "about as many rows as
-- share one key", which holds when components are mostly unique per row.
CREATE OPERATOR dedupe.= (LEFTARG = dedupe.match_key, RIGHTARG = dedupe.match_key,
  FUNCTION = dedupe.match_key_eq, COMMUTATOR = OPERATOR(dedupe.=), NEGATOR = OPERATOR(dedupe.<>),
  RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR dedupe.<> (LEFTARG = dedupe.match_key, RIGHTARG = dedupe.match_key,
  FUNCTION = dedupe.match_key_ne, COMMUTATOR = OPERATOR(dedupe.<>), NEGATOR = OPERATOR(dedupe.=),
  RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR dedupe.< (LEFTARG = dedupe.match_key, RIGHTARG = dedupe.match_key,
  FUNCTION = dedupe.match_key_lt, COMMUTATOR = OPERATOR(dedupe.>), NEGATOR = OPERATOR(dedupe.>=),
  RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR dedupe.<= (LEFTARG = dedupe.match_key, RIGHTARG = dedupe.match_key,
  FUNCTION = dedupe.match_key_le, COMMUTATOR = OPERATOR(dedupe.>=), NEGATOR = OPERATOR(dedupe.>),
  RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR dedupe.> (LEFTARG = dedupe.match_key, RIGHTARG = dedupe.match_key,
  FUNCTION = dedupe.match_key_gt, COMMUTATOR = OPERATOR(dedupe.<), NEGATOR = OPERATOR(dedupe.<=),
  RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR dedupe.>= (LEFTARG = dedupe.match_key, RIGHTARG = dedupe.match_key,
  FUNCTION = dedupe.match_key_ge, COMMUTATOR = OPERATOR(dedupe.<=), NEGATOR = OPERATOR(dedupe.<),
  RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR dedupe.&& (LEFTARG = dedupe.match_key, RIGHTARG = dedupe.match_key,
  FUNCTION = dedupe.match_key_overlaps, COMMUTATOR = OPERATOR(dedupe.&&),
  RESTRICT = eqsel, JOIN = eqjoinsel);
CREATE OPERATOR dedupe.@> (LEFTARG = dedupe.match_key, RIGHTARG = dedupe.match_key,
  FUNCTION = dedupe.match_key_contains, COMMUTATOR = OPERATOR(dedupe.<@),
  RESTRICT = eqsel, JOIN = eqjoinsel);
CREATE OPERATOR dedupe.<@ (LEFTARG = dedupe.match_key, RIGHTARG = dedupe.match_key,
  FUNCTION = dedupe.match_key_contained, COMMUTATOR = OPERATOR(dedupe.@>),
  RESTRICT = eqsel, JOIN = eqjoinsel);
COMMENT ON OPERATOR dedupe.= (dedupe.match_key, dedupe.match_key) IS 'keys are equal in every component';
COMMENT ON OPERATOR dedupe.<> (dedupe.match_key, dedupe.match_key) IS 'keys differ in some component';
COMMENT ON OPERATOR dedupe.< (dedupe.match_key, dedupe.match_key) IS 'less than (external id, phone, email order)';
COMMENT ON OPERATOR dedupe.<= (dedupe.match_key, dedupe.match_key) IS 'less than or equal';
COMMENT ON OPERATOR dedupe.> (dedupe.match_key, dedupe.match_key) IS 'greater than';
COMMENT ON OPERATOR dedupe.>= (dedupe.match_key, dedupe.match_key) IS 'greater than or equal';
COMMENT ON OPERATOR dedupe.&& (dedupe.match_key, dedupe.match_key) IS 'the keys share at least one component';
COMMENT ON OPERATOR dedupe.@> (dedupe.match_key, dedupe.match_key) IS 'the left key holds every component of the right';
COMMENT ON OPERATOR dedupe.<@ (dedupe.match_key, dedupe.match_key) IS 'every component of the left key is in the right';

CREATE OPERATOR CLASS dedupe.match_key_btree_ops DEFAULT FOR TYPE dedupe.match_key USING btree AS
  OPERATOR 1 dedupe.<, OPERATOR 2 dedupe.<=, OPERATOR 3 dedupe.=, OPERATOR 4 dedupe.>=,
  OPERATOR 5 dedupe.>, FUNCTION 1 dedupe.match_key_cmp(dedupe.match_key, dedupe.match_key);
CREATE OPERATOR CLASS dedupe.match_key_hash_ops DEFAULT FOR TYPE dedupe.match_key USING hash AS
  OPERATOR 1 dedupe.=, FUNCTION 1 dedupe.match_key_hash(dedupe.match_key),
  FUNCTION 2 dedupe.match_key_hash_extended(dedupe.match_key, bigint);

-- GIN: keys indexed under their tagged components.
CREATE FUNCTION dedupe.match_key_gin_extract_value(dedupe.match_key, internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'dedupe_match_key_gin_extract_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_gin_extract_query(dedupe.match_key, internal, int2, internal, internal, internal, internal)
  RETURNS internal
  AS 'MODULE_PATHNAME', 'dedupe_match_key_gin_extract_query' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_gin_consistent(internal, int2, dedupe.match_key, int4, internal, internal, internal, internal)
  RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_match_key_gin_consistent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.match_key_gin_extract_value(dedupe.match_key, internal, internal) IS 'GIN support';
COMMENT ON FUNCTION dedupe.match_key_gin_extract_query(dedupe.match_key, internal, int2, internal, internal, internal, internal) IS 'GIN support';
COMMENT ON FUNCTION dedupe.match_key_gin_consistent(internal, int2, dedupe.match_key, int4, internal, internal, internal, internal) IS 'GIN support';
CREATE OPERATOR CLASS dedupe.match_key_gin_ops DEFAULT FOR TYPE dedupe.match_key USING gin AS
  OPERATOR 1 dedupe.&&, OPERATOR 2 dedupe.@>, OPERATOR 3 dedupe.=,
  FUNCTION 1 pg_catalog.byteacmp(bytea, bytea),
  FUNCTION 2 dedupe.match_key_gin_extract_value(dedupe.match_key, internal, internal),
  FUNCTION 3 dedupe.match_key_gin_extract_query(dedupe.match_key, internal, int2, internal, internal, internal, internal),
  FUNCTION 4 dedupe.match_key_gin_consistent(internal, int2, dedupe.match_key, int4, internal, internal, internal, internal),
  STORAGE bytea;

-- GiST: what EXCLUDE USING gist (k WITH &&) needs.
CREATE FUNCTION dedupe.match_key_gist_consistent(internal, dedupe.match_key, int2, oid, internal) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_match_key_gist_consistent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_gist_union(internal, internal) RETURNS bytea
  AS 'MODULE_PATHNAME', 'dedupe_match_key_gist_union' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_gist_compress(internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'dedupe_match_key_gist_compress' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_gist_penalty(internal, internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'dedupe_match_key_gist_penalty' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_gist_picksplit(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'dedupe_match_key_gist_picksplit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.match_key_gist_same(bytea, bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'dedupe_match_key_gist_same' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.match_key_gist_consistent(internal, dedupe.match_key, int2, oid, internal) IS 'GiST support';
COMMENT ON FUNCTION dedupe.match_key_gist_union(internal, internal) IS 'GiST support';
COMMENT ON FUNCTION dedupe.match_key_gist_compress(internal) IS 'GiST support';
COMMENT ON FUNCTION dedupe.match_key_gist_penalty(internal, internal, internal) IS 'GiST support';
COMMENT ON FUNCTION dedupe.match_key_gist_picksplit(internal, internal) IS 'GiST support';
COMMENT ON FUNCTION dedupe.match_key_gist_same(bytea, bytea, internal) IS 'GiST support';
CREATE OPERATOR CLASS dedupe.match_key_gist_ops DEFAULT FOR TYPE dedupe.match_key USING gist AS
  OPERATOR 1 dedupe.&&, OPERATOR 3 dedupe.=,
  FUNCTION 1 dedupe.match_key_gist_consistent(internal, dedupe.match_key, int2, oid, internal),
  FUNCTION 2 dedupe.match_key_gist_union(internal, internal),
  FUNCTION 3 dedupe.match_key_gist_compress(internal),
  FUNCTION 5 dedupe.match_key_gist_penalty(internal, internal, internal),
  FUNCTION 6 dedupe.match_key_gist_picksplit(internal, internal),
  FUNCTION 7 dedupe.match_key_gist_same(bytea, bytea, internal),
  STORAGE bytea;

-- GIN opclass for the fuzzy-search operators: padded trigrams of the folded value, hashed to
-- int4, plus one length key per value; count and length filtering, then recheck.

CREATE FUNCTION dedupe.fuzzy_gin_extract_value(text, internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'dedupe_fuzzy_gin_extract_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.fuzzy_gin_extract_value(text, internal, internal) IS
  'GIN support (fuzzy_gin_ops): the keys of a value (hashed trigram occurrences, length key)';

CREATE FUNCTION dedupe.fuzzy_gin_extract_query(text, internal, smallint, internal, internal, internal, internal)
  RETURNS internal
  AS 'MODULE_PATHNAME', 'dedupe_fuzzy_gin_extract_query' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.fuzzy_gin_extract_query(text, internal, smallint, internal, internal, internal, internal) IS
  'GIN support (fuzzy_gin_ops): the keys of an edit_query or similarity_query (its trigram '
  'keys and the length keys of every admissible length)';

CREATE FUNCTION dedupe.fuzzy_gin_consistent(internal, smallint, text, integer, internal, internal, internal, internal)
  RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_fuzzy_gin_consistent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.fuzzy_gin_consistent(internal, smallint, text, integer, internal, internal, internal, internal) IS
  'GIN support (fuzzy_gin_ops): count filter (Gravano et al. 2001) for the row''s length; always rechecked';

CREATE FUNCTION dedupe.fuzzy_gin_triconsistent(internal, smallint, text, integer, internal, internal, internal)
  RETURNS "char"
  AS 'MODULE_PATHNAME', 'dedupe_fuzzy_gin_tri_consistent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.fuzzy_gin_triconsistent(internal, smallint, text, integer, internal, internal, internal) IS
  'GIN support (fuzzy_gin_ops): ternary count filter, which lets GIN skip through frequent keys';

CREATE OPERATOR CLASS dedupe.fuzzy_gin_ops FOR TYPE text USING gin AS
  OPERATOR 1 dedupe.% (text, dedupe.edit_query),
  OPERATOR 2 dedupe.% (text, dedupe.similarity_query),
  FUNCTION 1 btint4cmp(integer, integer),
  FUNCTION 2 dedupe.fuzzy_gin_extract_value(text, internal, internal),
  FUNCTION 3 dedupe.fuzzy_gin_extract_query(text, internal, smallint, internal, internal, internal, internal),
  FUNCTION 4 dedupe.fuzzy_gin_consistent(internal, smallint, text, integer, internal, internal, internal, internal),
  FUNCTION 6 dedupe.fuzzy_gin_triconsistent(internal, smallint, text, integer, internal, internal, internal),
  STORAGE integer;
COMMENT ON OPERATOR CLASS dedupe.fuzzy_gin_ops USING gin IS
  'Fuzzy search on text: col % dedupe.within(query, k) with no false negatives, and '
  'col % dedupe.similar_to(query, t). CREATE INDEX ON t USING gin (col dedupe.fuzzy_gin_ops)';

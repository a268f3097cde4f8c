-- Fuzzy search that GIN and GiST indexes answer. The threshold travels with the query:
--   WHERE name % dedupe.within('Jon Smyth', 2)        -- lev(fold(name), fold(query)) <= 2
--   WHERE name % dedupe.similar_to('José Núñez', 0.5) -- trigram similarity of folded forms
--   ORDER BY name <-> 'Jon Smyth' LIMIT 10            -- nearest by folded edit distance
-- (operators live in schema dedupe: put it on the search_path or write OPERATOR(dedupe.%)).
-- The operator functions fold the value (ICU for non-ASCII text) and run a dynamic program:
-- COST 25 tells the planner a sequential scan pays that for every row.

CREATE TYPE dedupe.edit_query;
CREATE FUNCTION dedupe.edit_query_in(cstring) RETURNS dedupe.edit_query
  AS 'MODULE_PATHNAME', 'dedupe_edit_query_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.edit_query_out(dedupe.edit_query) RETURNS cstring
  AS 'MODULE_PATHNAME', 'dedupe_edit_query_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE dedupe.edit_query (
  INPUT = dedupe.edit_query_in, OUTPUT = dedupe.edit_query_out,
  INTERNALLENGTH = VARIABLE, ALIGNMENT = int4, STORAGE = plain);
COMMENT ON TYPE dedupe.edit_query IS
  'An edit-distance search: a folded query and the largest Levenshtein distance k to accept. '
  'Text form ''k:query'' (''2:jon smyth''); build it with dedupe.within(query, k).';
COMMENT ON FUNCTION dedupe.edit_query_in(cstring) IS
  'Input of dedupe.edit_query: ''k:query'', the query folded with dedupe.fold(); 22P02 on bad syntax, 22023 for k outside 0..1000000';
COMMENT ON FUNCTION dedupe.edit_query_out(dedupe.edit_query) IS 'Output of dedupe.edit_query: ''k:folded query''';

CREATE TYPE dedupe.similarity_query;
CREATE FUNCTION dedupe.similarity_query_in(cstring) RETURNS dedupe.similarity_query
  AS 'MODULE_PATHNAME', 'dedupe_similarity_query_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dedupe.similarity_query_out(dedupe.similarity_query) RETURNS cstring
  AS 'MODULE_PATHNAME', 'dedupe_similarity_query_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE dedupe.similarity_query (
  INPUT = dedupe.similarity_query_in, OUTPUT = dedupe.similarity_query_out,
  INTERNALLENGTH = VARIABLE, ALIGNMENT = int4, STORAGE = plain);
COMMENT ON TYPE dedupe.similarity_query IS
  'A q-gram similarity search: a folded query and the smallest dedupe.qgram_similarity (q = 3) '
  'to accept. Text form ''t:query'' (''0.5:jose nunez''); build it with dedupe.similar_to(query, t).';
COMMENT ON FUNCTION dedupe.similarity_query_in(cstring) IS
  'Input of dedupe.similarity_query: ''t:query'', the query folded with dedupe.fold(); 22P02 on bad syntax, 22023 for t outside 0..1';
COMMENT ON FUNCTION dedupe.similarity_query_out(dedupe.similarity_query) IS
  'Output of dedupe.similarity_query: ''t:folded query''';

CREATE FUNCTION dedupe.within(query text, max_distance integer) RETURNS dedupe.edit_query
  AS 'MODULE_PATHNAME', 'dedupe_within' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.within(text, integer) IS
  'Right-hand side of col % dedupe.within(query, k): rows whose folded value is within '
  'Levenshtein distance k of the folded query. 22023 for k outside 0..1000000.';

CREATE FUNCTION dedupe.similar_to(query text, threshold real) RETURNS dedupe.similarity_query
  AS 'MODULE_PATHNAME', 'dedupe_similar_to' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.similar_to(text, real) IS
  'Right-hand side of col % dedupe.similar_to(query, t): rows whose folded value has '
  'dedupe.qgram_similarity(fold(value), fold(query), 3) >= t. 22023 for t outside 0..1.';

CREATE FUNCTION dedupe.fuzzy_within(value text, query dedupe.edit_query) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_fuzzy_within' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
  COST 25;
COMMENT ON FUNCTION dedupe.fuzzy_within(text, dedupe.edit_query) IS
  'Operator function of text % edit_query: dedupe.levenshtein(dedupe.fold(value), query, k) <= k';

CREATE FUNCTION dedupe.fuzzy_similar(value text, query dedupe.similarity_query) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_fuzzy_similar' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
  COST 25;
COMMENT ON FUNCTION dedupe.fuzzy_similar(text, dedupe.similarity_query) IS
  'Operator function of text % similarity_query: dedupe.qgram_similarity(dedupe.fold(value), query, 3) >= t';

CREATE FUNCTION dedupe.edit_distance(a text, b text) RETURNS double precision
  AS 'MODULE_PATHNAME', 'dedupe_edit_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
  COST 25;
COMMENT ON FUNCTION dedupe.edit_distance(text, text) IS
  'Levenshtein distance of dedupe.fold(a) and dedupe.fold(b), as double precision (the '
  'operator <-> that GiST nearest-neighbour search orders by). 54000 beyond 400,000,000 comparisons.';

CREATE FUNCTION dedupe.fuzzy_within_sel(internal, oid, internal, integer) RETURNS double precision
  AS 'MODULE_PATHNAME', 'dedupe_fuzzy_within_sel' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.fuzzy_within_sel(internal, oid, internal, integer) IS
  'Selectivity of text % edit_query: the operator run over the column''s most-common values '
  'and histogram; without statistics 0.0005 (k + 1)^2, or 0.5 when k >= the query length';

CREATE FUNCTION dedupe.fuzzy_similar_sel(internal, oid, internal, integer) RETURNS double precision
  AS 'MODULE_PATHNAME', 'dedupe_fuzzy_similar_sel' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.fuzzy_similar_sel(internal, oid, internal, integer) IS
  'Selectivity of text % similarity_query: the operator run over the column''s most-common '
  'values and histogram; without statistics 0.05 (1 - t)^4';

CREATE OPERATOR dedupe.% (
  LEFTARG = text, RIGHTARG = dedupe.edit_query, FUNCTION = dedupe.fuzzy_within,
  RESTRICT = dedupe.fuzzy_within_sel, JOIN = matchingjoinsel);
COMMENT ON OPERATOR dedupe.% (text, dedupe.edit_query) IS
  'Edit-distance search: value % dedupe.within(query, k) when the folded value is within '
  'Levenshtein distance k of the folded query (GIN fuzzy_gin_ops)';

CREATE OPERATOR dedupe.% (
  LEFTARG = text, RIGHTARG = dedupe.similarity_query, FUNCTION = dedupe.fuzzy_similar,
  RESTRICT = dedupe.fuzzy_similar_sel, JOIN = matchingjoinsel);
COMMENT ON OPERATOR dedupe.% (text, dedupe.similarity_query) IS
  'Similarity search: value % dedupe.similar_to(query, t) when the padded-trigram similarity '
  'of the folded forms is >= t (GIN fuzzy_gin_ops)';

CREATE OPERATOR dedupe.<-> (
  LEFTARG = text, RIGHTARG = text, FUNCTION = dedupe.edit_distance,
  COMMUTATOR = OPERATOR(dedupe.<->));
COMMENT ON OPERATOR dedupe.<-> (text, text) IS
  'Edit distance of the folded forms (dedupe.edit_distance); ORDER BY col <-> query LIMIT n '
  'is answered by a fuzzy_gist_ops index';

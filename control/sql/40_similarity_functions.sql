-- Similarity metrics on Unicode code points. They compare the strings as given (case- and
-- accent-sensitive, like python's jellyfish); wrap arguments in dedupe.fold() to compare the
-- comparison-ready forms the fuzzy-search operators use.

CREATE FUNCTION dedupe.levenshtein(a text, b text) RETURNS integer
  AS 'MODULE_PATHNAME', 'dedupe_levenshtein'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.levenshtein(text, text) IS
  'Levenshtein distance in code points (insert, delete, substitute cost 1 each): '
  'levenshtein(''Müller'', ''Muller'') = 1. 54000 when |a| * |b| exceeds 400,000,000.';

CREATE FUNCTION dedupe.levenshtein(a text, b text, max_distance integer) RETURNS integer
  AS 'MODULE_PATHNAME', 'dedupe_levenshtein_bounded'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.levenshtein(text, text, integer) IS
  'Bounded Levenshtein distance: the exact distance when it is <= max_distance, otherwise '
  'max_distance + 1, computed on a diagonal band with early exit (O(max_distance * length)). '
  '22023 for a negative max_distance.';

CREATE FUNCTION dedupe.damerau_levenshtein(a text, b text) RETURNS integer
  AS 'MODULE_PATHNAME', 'dedupe_damerau_levenshtein'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.damerau_levenshtein(text, text) IS
  'Optimal string alignment distance: Levenshtein plus transposition of two adjacent code '
  'points, no substring edited twice: (''martha'', ''marhta'') = 1, (''ca'', ''abc'') = 3 (the '
  'unrestricted variant, e.g. jellyfish''s, gives 2 there). 54000 when |a| * |b| exceeds 400,000,000.';

CREATE FUNCTION dedupe.jaro(a text, b text) RETURNS double precision
  AS 'MODULE_PATHNAME', 'dedupe_jaro'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.jaro(text, text) IS
  'Jaro similarity in [0, 1]; two empty strings score 1, one empty string 0. '
  '54000 when |a| * |b| exceeds 400,000,000.';

CREATE FUNCTION dedupe.jaro_winkler(a text, b text) RETURNS double precision
  AS 'MODULE_PATHNAME', 'dedupe_jaro_winkler'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.jaro_winkler(text, text) IS
  'Jaro-Winkler similarity: Jaro plus 0.1 per code point of common prefix (at most 4) times '
  '(1 - Jaro), applied when Jaro exceeds 0.7: (''MARTHA'', ''MARHTA'') = 0.961, '
  '(''DIXON'', ''DICKSONX'') = 0.813. 54000 when |a| * |b| exceeds 400,000,000.';

CREATE FUNCTION dedupe.qgram_similarity(a text, b text, q integer DEFAULT 3)
  RETURNS double precision
  AS 'MODULE_PATHNAME', 'dedupe_qgram_similarity'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.qgram_similarity(text, text, integer) IS
  'Jaccard similarity of the multisets of padded q-grams (q = 1, 2 or 3; default 3, as the '
  'fuzzy-search indexes use): each string gets q - 1 start and q - 1 end markers, so ''ab'' '
  'with q = 2 has the grams ^a, ab, b$; the score is common / (|A| + |B| - common). '
  'Two empty strings score 1. 22023 for any other q.';

CREATE FUNCTION dedupe.token_set_similarity(a text, b text) RETURNS double precision
  AS 'MODULE_PATHNAME', 'dedupe_token_set_similarity'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.token_set_similarity(text, text) IS
  'Order-insensitive similarity of the word tokens (split on anything not a letter or digit, '
  'duplicates dropped): each token is scored against its best partner on the other side with '
  'Jaro-Winkler and both directions are averaged, so ''Smith, John'' vs ''John Smith'' is 1. '
  '54000 when |a| * |b| exceeds 400,000,000.';

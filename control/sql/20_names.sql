-- Person and company names: normalization, nicknames, phonetic codes.

CREATE FUNCTION dedupe.normalize_name(text) RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_normalize_name'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.normalize_name(text) IS
  'Comparison-ready person name: fold() (NFKC, any script to Latin ASCII, case fold), '
  'apostrophes dropped (O''Brien -> obrien), other punctuation a space, leading honorifics '
  '(Mr, Dr, Prof, ...) and trailing suffixes (Jr, III, PhD, ...) removed as whole tokens, '
  'never the last remaining token. ''Dr. José Álvarez-Núñez Jr.'' -> ''jose alvarez nunez''.';

CREATE FUNCTION dedupe.normalize_company(text) RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_normalize_company'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.normalize_company(text) IS
  'Comparison-ready company name: transliterated and folded like names, & -> and, leading '
  '"The" and trailing legal forms (Inc, LLC, Ltd, GmbH, S.A., S.à r.l., Pty Ltd, ...) removed, '
  'never the last remaining token. ''ACME, Inc.'' and ''Acme Incorporated'' -> ''acme''.';

CREATE FUNCTION dedupe.canonical_first_name(text) RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_canonical_first_name'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.canonical_first_name(text) IS
  'The canonical given name of a (normalized) nickname: Bob, Rob, Bobby -> robert. A nickname of '
  'several names maps to the one with the most nicknames (ties: longer, then alphabetical); a name that is '
  'itself canonical only maps to a longer name. Unknown names return normalize_name(input). '
  'Data: github.com/carltonnorthern/nicknames (Apache-2.0).';

CREATE FUNCTION dedupe.first_name_variants(text) RETURNS text[]
  AS 'MODULE_PATHNAME', 'dedupe_first_name_variants'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.first_name_variants(text) IS
  'Every canonical given name a (normalized) name may stand for, canonical_first_name() first '
  'then alphabetical: al -> {alan, alanson, albert, ...}. Two first names may be the same person '
  'when their variant arrays overlap (&&).';

CREATE FUNCTION dedupe.double_metaphone(name text, max_length integer DEFAULT 4) RETURNS text[]
  AS 'MODULE_PATHNAME', 'dedupe_double_metaphone'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.double_metaphone(text, integer) IS
  'Double Metaphone codes {primary, alternate} of fold(name), so non-Latin and accented names '
  'get codes: Smith and Schmidt -> {SM0,XMT} and {XMT,SMT}. The whole string is one word '
  '(spaces and punctuation skipped), as in fuzzystrmatch''s dmetaphone(), which it equals on '
  'ASCII input at the default max_length 4; 0 means unlimited (22023 if negative).';

-- Batch matching for analysts and dbt models: candidate pairs, clusters and trained models
-- over a whole table or query. The mapping says which column plays which role:
--   '{"first_name": "given_name", "last_name": "surname", "date_of_birth": "dob"}'
-- Roles: external_id, email, phone, first_name, last_name, full_name, date_of_birth, company,
-- domain, house_number, street, locality, city, postcode, state, country, identifier.

CREATE TABLE dedupe.models (
  name text PRIMARY KEY,
  params jsonb NOT NULL,
  trained_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE dedupe.models IS
  'Fellegi-Sunter models for batch matching: lambda and per role and level the m and u '
  'probabilities (written by dedupe.train, or by hand for fixed weights)';
SELECT pg_catalog.pg_extension_config_dump('dedupe.models', '');

CREATE FUNCTION dedupe.candidate_pairs(
  source text, id_column name, mapping jsonb,
  min_score float8 DEFAULT 0, model text DEFAULT NULL, blocking text[] DEFAULT NULL)
RETURNS TABLE (id_a bigint, id_b bigint, score float8, match_weight float8, rule text,
               evidence text)
AS 'MODULE_PATHNAME', 'dedupe_candidate_pairs'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION dedupe.candidate_pairs(text, name, jsonb, float8, text, text[]) IS
  'Pairs of rows of a table or query (source: a table name or SELECT text) that blocking brings '
  'together, with their match probability (score), match weight (log2 odds) and the blocking rule '
  'that produced them first; id_a < id_b. Uses the stored model of that name, or trains one on the '
  'fly; blocking names the rules (default: every rule the mapping allows, see dedupe.blocking_rules()). '
  'evidence names the write path''s deterministic rule that applied: same_external_id, same_email, '
  'same_phone_names_agree (score 1: the trigger would link these rows too), or '
  'same_email_names_contradict / same_phone_names_contradict (the shared key is left out of the score)';

CREATE FUNCTION dedupe.cluster(
  source text, id_column name, mapping jsonb,
  threshold float8 DEFAULT 0.9, model text DEFAULT NULL, blocking text[] DEFAULT NULL)
RETURNS TABLE (id bigint, cluster_id bigint, cluster_size integer, min_link_score float8)
AS 'MODULE_PATHNAME', 'dedupe_cluster'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION dedupe.cluster(text, name, jsonb, float8, text, text[]) IS
  'Every row of a table or query with its cluster: connected components over the candidate pairs '
  'whose match probability is at least threshold. cluster_id is the smallest id in the cluster '
  '(stable between runs), min_link_score the lowest probability of a link inside it (NULL alone)';

CREATE FUNCTION dedupe.explain(
  source text, id_column name, mapping jsonb, id_a bigint, id_b bigint,
  model text DEFAULT NULL, threshold float8 DEFAULT 0.9, blocking text[] DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'dedupe_explain_batch_pair'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION dedupe.explain(text, name, jsonb, bigint, bigint, text, float8, text[]) IS
  'Why batch matching scores two rows of a table or query as it does: per mapped role both '
  'normalized values, the comparison level, m, u and the weight it adds (term-frequency adjusted), '
  'then the match weight, the write path rule that applied, the score (the one '
  'dedupe.candidate_pairs reports), the blocking rule that makes the pair a candidate (NULL: none) '
  'and the decision at threshold. Reads, trains (unless model is given) and blocks as '
  'dedupe.cluster does';

CREATE FUNCTION dedupe._estimate_model(source text, id_column name, mapping jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'dedupe_estimate_model'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION dedupe._estimate_model(text, name, jsonb) IS
  'internal: estimates a Fellegi-Sunter model from the rows (u from random pairs, m by EM)';

CREATE FUNCTION dedupe.train(name text, source text, id_column name, mapping jsonb)
RETURNS dedupe.models LANGUAGE sql VOLATILE AS $$
  INSERT INTO dedupe.models AS m (name, params, trained_at)
  VALUES ($1, dedupe._estimate_model($2, $3, $4), pg_catalog.clock_timestamp())
  ON CONFLICT ON CONSTRAINT models_pkey
  DO UPDATE SET params = excluded.params, trained_at = excluded.trained_at
  RETURNING m.*
$$;
COMMENT ON FUNCTION dedupe.train(text, text, name, jsonb) IS
  'Estimates a model from unlabeled rows and stores (or replaces) it in dedupe.models under name';

CREATE FUNCTION dedupe.blocking_rules(OUT rule text, OUT description text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'dedupe_blocking_rules'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.blocking_rules() IS
  'The blocking rules batch matching knows; each applies when the roles it needs are mapped';

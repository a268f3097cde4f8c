-- The write path's model estimated from the records it has seen, without labels, by batch's
-- estimation (u from random pairs, m by EM over blocked pairs, lambda from the sessions' share
-- of matches) over exactly the comparisons the write path makes (golden::record_builder():
-- the roles the matcher compares, the values as dedupe.records holds them). The result is
-- dedupe.models row write_path, with the number of valid records it was estimated on in
-- params->'estimate', so that later checks can tell when they doubled. Estimation runs on
-- demand (dedupe.estimate_write_path_model()) or, when dedupe.settings says
-- model_estimation = automatic (the default is manual: on the generated CRM feed an estimated
-- model links more namesakes than the cold-start one, see the README), off the write path: the matcher worker asks
-- dedupe._estimate_model_when_due() at most every dedupe.model_check_interval, and so does
-- CALL dedupe.match_pending(). Never in a writer's statement: EM over 100,000 records takes
-- seconds.
--
-- A prior shift learned from reviews (dedupe.learn_from_reviews) is not carried over: it was
-- measured against the old model's m and u, and says nothing about a model whose m, u and
-- lambda are all estimated anew. The decided review items are still there, so the new model is
-- recalibrated on them at once (when at least 50 were decided), as learn_from_reviews does.

CREATE FUNCTION dedupe._estimate_write_path_model() RETURNS jsonb
  AS 'MODULE_PATHNAME', 'dedupe_estimate_write_path_model'
  LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION dedupe._estimate_write_path_model() IS
  'internal: the write path''s model estimated from the valid records of dedupe.records (batch''s '
  'EM over the comparisons the write path makes), as jsonb in dedupe.models'' format; 55000 with '
  'fewer than 100 records (the callers apply model_estimation_min_records, default 1000)';

-- The minimum number of valid records, from dedupe.effective_settings (checked, at least 100).
CREATE FUNCTION dedupe._model_estimation_min_records() RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  setting constant text := (SELECT s.value FROM dedupe.effective_settings s
                             WHERE s.name = 'model_estimation_min_records');
BEGIN
  IF setting !~ '^\s*[0-9]{1,12}\s*$' OR setting::bigint < 100 THEN
    RAISE EXCEPTION 'dedupe.settings model_estimation_min_records must be a whole number of at least 100, not "%"', setting
      USING ERRCODE = '22023', HINT = 'the default is 1000; DELETE the row to use it';
  END IF;
  RETURN setting::bigint;
END $$;
COMMENT ON FUNCTION dedupe._model_estimation_min_records() IS
  'internal: the fewest valid records the write path''s model is estimated from (setting '
  'model_estimation_min_records, default 1000)';

-- Estimates, stores and audits; why: 'on demand', 'minimum reached' or 'records doubled'.
CREATE FUNCTION dedupe._store_write_path_estimate(why text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  minimum constant bigint := dedupe._model_estimation_min_records();
  valid_records bigint;
  previous jsonb;
  estimated jsonb;
  decided bigint;
  learned jsonb;
BEGIN
  -- One estimate at a time (the worker and an admin may both ask).
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('dedupe.estimate_write_path_model'));
  SELECT count(*) INTO valid_records FROM dedupe.records r WHERE r.valid;
  IF valid_records < minimum THEN
    RAISE EXCEPTION 'too few records to estimate the write path''s model: % valid, at least % are needed',
                    valid_records, minimum
      USING ERRCODE = '55000',
            HINT = 'the cold-start model stays in force; dedupe.settings model_estimation_min_records '
                   'sets the minimum (default 1000, at least 100)';
  END IF;
  SELECT m.params -> 'estimate' INTO previous FROM dedupe.models m WHERE m.name = 'write_path';
  estimated := dedupe._estimate_write_path_model();
  estimated := estimated || pg_catalog.jsonb_build_object('estimate', pg_catalog.jsonb_build_object(
                 'records', (estimated -> 'training' ->> 'records')::bigint,
                 'reason', why, 'at', pg_catalog.clock_timestamp()));
  INSERT INTO dedupe.models AS m (name, params, trained_at)
  VALUES ('write_path', estimated, pg_catalog.clock_timestamp())
  ON CONFLICT ON CONSTRAINT models_pkey
  DO UPDATE SET params = EXCLUDED.params, trained_at = EXCLUDED.trained_at;
  INSERT INTO dedupe.audit_log (actor, decision, rule, inputs, reason)
  VALUES (session_user, 'model_estimated', why,
          pg_catalog.jsonb_build_object(
            'records', estimated -> 'estimate' -> 'records',
            'previous_records', previous -> 'records',
            'lambda', estimated -> 'lambda',
            'cold_start_roles', estimated -> 'training' -> 'cold_start_roles'),
          pg_catalog.format('estimated the write path''s model from %s valid records (%s)',
                            estimated -> 'estimate' -> 'records', why));
  -- Recalibrate the new model's prior on the decided review items (see the top of this file).
  SELECT count(*) INTO decided FROM dedupe.review_queue q
   WHERE q.status IN ('approved', 'rejected') AND q.record_id IS NOT NULL
     AND q.kind IN ('ambiguous', 'high_value');
  IF decided >= 50 THEN
    learned := dedupe.learn_from_reviews(50);
  END IF;
  RETURN coalesce(learned, estimated);
END $$;
COMMENT ON FUNCTION dedupe._store_write_path_estimate(text) IS
  'internal: estimates the write path''s model, stores it as dedupe.models row write_path with the '
  'record count in params->''estimate'', audits it as model_estimated and recalibrates it on '
  'decided review items';

CREATE FUNCTION dedupe.estimate_write_path_model() RETURNS jsonb
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT dedupe._store_write_path_estimate('on demand')
$$;
COMMENT ON FUNCTION dedupe.estimate_write_path_model() IS
  'Estimates the write path''s Fellegi-Sunter model from the valid records of dedupe.records '
  'without labels (batch''s EM over the comparisons the write path makes), stores it as '
  'dedupe.models row write_path (replacing any), audits it as model_estimated and returns it; '
  'refuses with 55000 below model_estimation_min_records (1000) valid records';

-- Whether the records doubled since the last estimate (or reached the minimum, while the
-- cold-start model is in force); if so, estimates. Cheap when nothing is due: the record ids
-- issued so far bound the records, so the count runs only when they could have doubled.
CREATE FUNCTION dedupe._estimate_model_when_due() RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  mode constant text := (SELECT s.value FROM dedupe.effective_settings s
                          WHERE s.name = 'model_estimation');
  stored jsonb;
  last_records bigint;
  target bigint;
  issued bigint;
BEGIN
  IF mode = 'manual' THEN
    RETURN NULL;
  ELSIF mode IS DISTINCT FROM 'automatic' THEN
    RAISE EXCEPTION 'dedupe.settings model_estimation must be automatic or manual, not "%"', mode
      USING ERRCODE = '22023';
  END IF;
  SELECT m.params INTO stored FROM dedupe.models m WHERE m.name = 'write_path';
  -- A model someone stored (dedupe.train, or by hand) is theirs: only the cold-start model,
  -- recalibrated or not, and estimated models are replaced automatically.
  IF stored IS NOT NULL AND NOT stored ? 'estimate'
     AND stored ->> 'based_on' IS DISTINCT FROM 'cold_start' THEN
    RETURN NULL;
  END IF;
  last_records := coalesce((stored -> 'estimate' ->> 'records')::bigint, 0);
  target := greatest(2 * last_records, dedupe._model_estimation_min_records());
  SELECT CASE WHEN s.is_called THEN s.last_value ELSE 0 END INTO issued
    FROM dedupe.records_record_id_seq s;
  IF issued < target
     OR (SELECT count(*) FROM dedupe.records r WHERE r.valid) < target
     OR NOT pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtext('dedupe.estimate_write_path_model')) THEN
    RETURN NULL;
  END IF;
  RETURN dedupe._store_write_path_estimate(
           CASE WHEN last_records = 0 THEN 'minimum reached' ELSE 'records doubled' END);
END $$;
COMMENT ON FUNCTION dedupe._estimate_model_when_due() IS
  'internal: with model_estimation = automatic, estimates the write path''s model when the valid '
  'records reached model_estimation_min_records (cold start) or doubled since the last estimate; '
  'NULL when nothing was due. The matcher worker and dedupe.match_pending() call it';

REVOKE ALL ON FUNCTION dedupe.estimate_write_path_model() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dedupe.estimate_write_path_model() TO dedupe_admin;

-- Reviewers teach the matcher: decided review items are labelled pairs, and they say how often
-- a pair the model put at a given match probability really is one person. They are a biased
-- sample of pairs (the review band holds pairs whose names agree and little else does), so they
-- cannot re-estimate m and u: rejected namesakes would make every agreeing name look like chance.
-- What they can measure without bias is the model's calibration in the band: learning shifts
-- the model's prior odds (lambda) until the probabilities it gives the decided pairs add up to
-- the number approved, shrunk towards no shift by 20 pseudo-items, and keeps m and u as they are.

CREATE FUNCTION dedupe.write_path_model(cold_start boolean DEFAULT false) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'dedupe_write_path_model'
  LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION dedupe.write_path_model(boolean) IS
  'The Fellegi-Sunter model the write path scores candidates with: dedupe.models row write_path '
  'if there is one, else (and with cold_start => true) the built-in cold-start model; as jsonb '
  'in dedupe.models'' format';

CREATE FUNCTION dedupe.learn_from_reviews(min_items integer DEFAULT 50) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  current constant jsonb := dedupe.write_path_model();
  pseudo constant float8 := 20;
  prior_bits float8;
  approved bigint;
  rejected bigint;
  lo float8 := -30;
  hi float8 := 30;
  shift float8;
  learned jsonb;
  stored jsonb;
BEGIN
  IF min_items IS NULL OR min_items < 1 THEN
    RAISE EXCEPTION 'min_items must be at least 1, not %', coalesce(min_items::text, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  prior_bits := ln((current->>'lambda')::float8 / (1 - (current->>'lambda')::float8)) / ln(2);
  -- Each decided proposal about one record and one golden record, with a member of that golden
  -- record to compare the record with (after an approval the record is one of them), and the
  -- evidence (bits) the model in force finds between them beside its prior.
  CREATE TEMP TABLE pg_temp.dedupe_review_evidence ON COMMIT DROP AS
  WITH items AS (
    SELECT q.status, q.record_id,
           (SELECT min(l.record_id) FROM dedupe.record_links l
             WHERE l.golden_id = dedupe.surviving_golden(q.golden_id)
               AND l.record_id <> q.record_id) AS member
      FROM dedupe.review_queue q
     WHERE q.kind IN ('ambiguous', 'high_value') AND q.record_id IS NOT NULL
       AND q.status IN ('approved', 'rejected')),
  scored AS (
    SELECT i.status, (dedupe.explain(i.record_id, i.member)->>'score')::float8 AS p
      FROM items i WHERE i.member IS NOT NULL)
  SELECT status, ln(p / (1 - p)) / ln(2) - prior_bits AS evidence
    FROM scored WHERE p > 0 AND p < 1;
  SELECT count(*) FILTER (WHERE status = 'approved'), count(*) FILTER (WHERE status = 'rejected')
    INTO approved, rejected FROM pg_temp.dedupe_review_evidence;
  IF approved + rejected < min_items THEN
    DROP TABLE pg_temp.dedupe_review_evidence;
    RETURN NULL;
  END IF;
  -- The shift s (bits) at which the expected number of true pairs, sum 1 / (1 + 2^-(prior + s +
  -- evidence)), equals the number approved; monotone in s, so bisection finds it.
  FOR step IN 1..60 LOOP
    shift := (lo + hi) / 2;
    IF (SELECT sum(1 / (1 + power(2::float8, -(prior_bits + shift + evidence))))
          FROM pg_temp.dedupe_review_evidence) > approved THEN
      hi := shift;
    ELSE
      lo := shift;
    END IF;
  END LOOP;
  shift := shift * (approved + rejected) / (approved + rejected + pseudo);
  DROP TABLE pg_temp.dedupe_review_evidence;
  learned := pg_catalog.jsonb_set(current, '{lambda}',
               pg_catalog.to_jsonb(1 / (1 + power(2::float8, -(prior_bits + shift)))));
  learned := pg_catalog.jsonb_set(learned, '{training}', pg_catalog.jsonb_build_object(
               'method', 'reviews', 'approved', approved, 'rejected', rejected,
               'pseudo_count', pseudo, 'prior_shift_bits', round(shift::numeric, 3)));
  -- What the model was before: an estimate keeps its record count (dedupe._estimate_model_when_due
  -- compares it with the records), the cold-start model says so (automatic estimation may
  -- replace it, but not a model someone stored).
  SELECT m.params INTO stored FROM dedupe.models m WHERE m.name = 'write_path';
  IF stored ? 'estimate' THEN
    learned := learned || pg_catalog.jsonb_build_object('estimate', stored -> 'estimate');
  ELSIF stored IS NULL OR stored ->> 'based_on' = 'cold_start' THEN
    learned := learned || '{"based_on": "cold_start"}'::jsonb;
  END IF;
  INSERT INTO dedupe.models AS m (name, params, trained_at)
  VALUES ('write_path', learned, pg_catalog.clock_timestamp())
  ON CONFLICT ON CONSTRAINT models_pkey
  DO UPDATE SET params = EXCLUDED.params, trained_at = EXCLUDED.trained_at;
  INSERT INTO dedupe.audit_log (actor, decision, inputs, reason)
  VALUES (session_user, 'model_learned', learned->'training',
          pg_catalog.format('shifted the write path''s prior odds by %s bits to match %s approved and %s rejected review items',
                            round(shift::numeric, 3), approved, rejected));
  RETURN learned;
END $$;
COMMENT ON FUNCTION dedupe.learn_from_reviews(integer) IS
  'Recalibrates the write path''s model on decided review items (approved: true duplicates, '
  'rejected: different people): shifts its prior odds so that the match probabilities it gives '
  'those pairs add up to the number approved (shrunk by 20 pseudo-items), keeps m and u, stores '
  'it as dedupe.models row write_path and audits it; NULL when fewer than min_items items were '
  'decided. Runs by itself every 50 decisions (dedupe.approve / dedupe.reject).';

-- Every 50 decisions since the model was last learned, approve and reject learn again.
CREATE FUNCTION dedupe._learn_when_due() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF (SELECT count(*) FROM dedupe.review_queue q
       WHERE q.status IN ('approved', 'rejected') AND q.record_id IS NOT NULL
         AND q.kind IN ('ambiguous', 'high_value')
         AND q.resolved_at > coalesce((SELECT m.trained_at FROM dedupe.models m
                                        WHERE m.name = 'write_path'
                                          AND m.params->'training'->>'method' = 'reviews'),
                                       '-infinity')) >= 50 THEN
    PERFORM dedupe.learn_from_reviews(50);
  END IF;
END $$;
COMMENT ON FUNCTION dedupe._learn_when_due() IS
  'internal: runs dedupe.learn_from_reviews() when 50 items were decided since it last ran';

REVOKE ALL ON FUNCTION dedupe.learn_from_reviews(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dedupe.learn_from_reviews(integer) TO dedupe_admin;

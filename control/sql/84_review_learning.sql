-- Reviewers teach the matcher: decided review items are labelled pairs. Approved pairs say how
-- often each comparison level occurs among true duplicates (m), rejected ones how often among
-- the different people the matcher was unsure about (u). dedupe.learn_from_reviews() blends
-- those counts into the built-in model (20 pseudo-observations of it per role, so a handful of
-- decisions nudges and hundreds decide) and stores the result as the write path's model.

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
  prior constant jsonb := dedupe.write_path_model(cold_start => true);
  pseudo constant float8 := 20;
  approved bigint;
  rejected bigint;
  learned jsonb;
BEGIN
  IF min_items IS NULL OR min_items < 1 THEN
    RAISE EXCEPTION 'min_items must be at least 1, not %', coalesce(min_items::text, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  -- Each decided proposal about one record and one golden record, with a member of that golden
  -- record to compare the record with (after an approval the record is one of them).
  CREATE TEMP TABLE pg_temp.dedupe_review_levels ON COMMIT DROP AS
  WITH items AS (
    SELECT q.status, q.record_id,
           (SELECT min(l.record_id) FROM dedupe.record_links l
             WHERE l.golden_id = dedupe.surviving_golden(q.golden_id)
               AND l.record_id <> q.record_id) AS member
      FROM dedupe.review_queue q
     WHERE q.kind IN ('ambiguous', 'high_value') AND q.record_id IS NOT NULL
       AND q.status IN ('approved', 'rejected'))
  SELECT i.status, c->>'attribute' AS role, c->>'verdict' AS level
    FROM items i, pg_catalog.jsonb_array_elements(dedupe.explain(i.record_id, i.member)->'comparisons') c
   WHERE i.member IS NOT NULL AND c->>'verdict' NOT IN ('missing', 'ignored');
  SELECT count(*) FILTER (WHERE status = 'approved'), count(*) FILTER (WHERE status = 'rejected')
    INTO approved, rejected
    FROM (SELECT DISTINCT q.item_id, q.status FROM dedupe.review_queue q
           WHERE q.kind IN ('ambiguous', 'high_value') AND q.record_id IS NOT NULL
             AND q.status IN ('approved', 'rejected')) d;
  IF approved + rejected < min_items THEN
    DROP TABLE pg_temp.dedupe_review_levels;
    RETURN NULL;
  END IF;
  WITH counts AS (
    SELECT role, level, count(*) FILTER (WHERE status = 'approved') AS a,
           count(*) FILTER (WHERE status = 'rejected') AS r
      FROM pg_temp.dedupe_review_levels GROUP BY 1, 2),
  totals AS (SELECT role, sum(a) AS ta, sum(r) AS tr FROM counts GROUP BY 1),
  blended AS (
    SELECT c.ord, c.v->>'role' AS role,
           pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
             'level', l.v->>'level',
             'm', (coalesce(n.a, 0) + pseudo * (l.v->>'m')::float8) / (coalesce(t.ta, 0) + pseudo),
             'u', (coalesce(n.r, 0) + pseudo * (l.v->>'u')::float8) / (coalesce(t.tr, 0) + pseudo))
             ORDER BY l.ord) AS levels
      FROM pg_catalog.jsonb_array_elements(prior->'comparisons') WITH ORDINALITY c(v, ord)
      CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(c.v->'levels') WITH ORDINALITY l(v, ord)
      LEFT JOIN counts n ON n.role = c.v->>'role' AND n.level = l.v->>'level'
      LEFT JOIN totals t ON t.role = c.v->>'role'
     GROUP BY c.ord, c.v->>'role')
  SELECT pg_catalog.jsonb_build_object(
           'format', 1, 'lambda', prior->'lambda', 'dependence', prior->'dependence',
           'comparisons', (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('role', role, 'levels', levels)
                                                       ORDER BY ord) FROM blended),
           'training', pg_catalog.jsonb_build_object('method', 'reviews', 'approved', approved,
                                                     'rejected', rejected, 'pseudo_count', pseudo))
    INTO learned;
  DROP TABLE pg_temp.dedupe_review_levels;
  INSERT INTO dedupe.models AS m (name, params, trained_at)
  VALUES ('write_path', learned, pg_catalog.clock_timestamp())
  ON CONFLICT ON CONSTRAINT models_pkey
  DO UPDATE SET params = EXCLUDED.params, trained_at = EXCLUDED.trained_at;
  INSERT INTO dedupe.audit_log (actor, decision, inputs, reason)
  VALUES (session_user, 'model_learned', learned->'training',
          pg_catalog.format('re-estimated the write path''s model from %s approved and %s rejected review items',
                            approved, rejected));
  RETURN learned;
END $$;
COMMENT ON FUNCTION dedupe.learn_from_reviews(integer) IS
  'Re-estimates the write path''s model from decided review items (approved: true duplicates, '
  'rejected: different people) blended with the built-in model, stores it as dedupe.models '
  'row write_path and audits it; NULL when fewer than min_items items were decided. Runs by '
  'itself every 50 decisions (dedupe.approve / dedupe.reject).';

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

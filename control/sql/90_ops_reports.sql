-- Operations reports for analysts and dashboards: duplicate rates, review-queue health
-- against SLAs, automation health, the weekly QA sample and pipeline accuracy. Read-only;
-- functions take an as_of / period so a report can be reproduced for any past moment.
-- Report functions are SECURITY DEFINER (read-only, pinned search_path) so dedupe_auditor
-- can run them without SELECT on the staging tables; EXECUTE is for dedupe_admin and
-- dedupe_auditor only.

-- The elapsed counterpart of dedupe.business_due_at: how much of [start, finish) falls in
-- the business window. Days are walked in the zone's local calendar (timestamp without
-- time zone), so DST days have their real length and the session's TimeZone plays no part.
CREATE FUNCTION dedupe.business_time_between(start timestamptz, finish timestamptz,
  time_zone text DEFAULT 'UTC', opens_at time DEFAULT '09:00', closes_at time DEFAULT '17:00',
  working_days integer[] DEFAULT '{1,2,3,4,5}') RETURNS interval
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  -- One row per calendar day: an infinite or huge span would walk days until statement_timeout.
  IF NOT (pg_catalog.isfinite(start) AND pg_catalog.isfinite(finish)) THEN
    RAISE EXCEPTION 'business time needs finite instants, not % .. %', start, finish
      USING ERRCODE = '22023', HINT = 'Pass the instants that bound the period.';
  END IF;
  -- Days, not finish - start: that interval overflows silently over ~292,000 years.
  IF (finish AT TIME ZONE time_zone)::date - (start AT TIME ZONE time_zone)::date > 36525 THEN
    RAISE EXCEPTION 'business time is counted over at most 100 years, not % .. %', start, finish
      USING ERRCODE = '22023', HINT = 'Split the period and add the parts.';
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.unnest(working_days) d WHERE d NOT BETWEEN 1 AND 7) THEN
    RAISE EXCEPTION 'working days are ISO weekdays 1 (Monday) to 7 (Sunday), not %', working_days
      USING ERRCODE = '22023';
  END IF;
  -- Summed as seconds so the result reads in hours ('26:00:00'), never as calendar days.
  RETURN (
  SELECT pg_catalog.make_interval(secs => coalesce(pg_catalog.sum(pg_catalog.date_part('epoch',
           greatest(least(finish, w.closes) - greatest(start, w.opens), interval '0'))), 0))
  FROM pg_catalog.generate_series((start AT TIME ZONE time_zone)::date::timestamp,
                                  (finish AT TIME ZONE time_zone)::date::timestamp,
                                  interval '1 day') d(day)
  CROSS JOIN LATERAL (
    SELECT (d.day + opens_at) AT TIME ZONE time_zone AS opens,
           -- closes_at 00:00 means midnight at the end of the day, as in business_due_at
           (d.day + CASE WHEN closes_at = time '00:00' THEN interval '1 day'
                         ELSE closes_at - time '00:00' END) AT TIME ZONE time_zone AS closes) w
  WHERE finish > start AND pg_catalog.date_part('isodow', d.day) = ANY (working_days));
END $$;
COMMENT ON FUNCTION dedupe.business_time_between(timestamptz, timestamptz, text, time, time, integer[]) IS
  'Business time between two instants: only opens_at..closes_at on working_days (ISO 1 = Monday '
  '.. 7 = Sunday) in time_zone count; 0 when finish is not after start. The inverse of '
  'dedupe.business_due_at (business_time_between(s, business_due_at(s, d)) = d for s inside the window). '
  'Refuses (22023) infinite instants, spans over 100 years and weekdays outside 1..7.';

-- Time on an SLA clock: business time where the kind's policy says business hours, wall-clock
-- time otherwise (and for kinds without a policy). Never negative; in hours, not days.
CREATE FUNCTION dedupe._sla_elapsed(kind text, start timestamptz, finish timestamptz) RETURNS interval
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce(
    (SELECT CASE WHEN p.business_hours
                 THEN dedupe.business_time_between(start, finish, p.time_zone, p.opens_at,
                                                   p.closes_at, p.working_days)
                 ELSE pg_catalog.make_interval(secs => greatest(pg_catalog.date_part('epoch', finish - start), 0)) END
       FROM dedupe.effective_sla_policies p WHERE p.kind = _sla_elapsed.kind),
    pg_catalog.make_interval(secs => greatest(pg_catalog.date_part('epoch', finish - start), 0)))
$$;
COMMENT ON FUNCTION dedupe._sla_elapsed(text, timestamptz, timestamptz) IS
  'internal: time between two instants on the SLA clock of a review kind (business or wall-clock)';

-- Duplicates. A record is a duplicate when its golden record already had a member written
-- before it: every member of a golden record except the first is one. Measured on today's
-- links, so merges count and unmerges or rejections stop counting; records still waiting
-- in review are written but not (yet) duplicates.
CREATE VIEW dedupe.record_duplicates AS
SELECT r.record_id, r.source, r.source_pk, r.created_at, l.golden_id, g.owner, l.rule, l.linked_at,
       CASE WHEN l.golden_id IS NULL THEN false
            ELSE pg_catalog.row_number() OVER (PARTITION BY l.golden_id
                                               ORDER BY r.created_at, r.record_id) > 1
       END AS is_duplicate
FROM dedupe.records r
LEFT JOIN dedupe.record_links l USING (record_id)
LEFT JOIN dedupe.golden_records g USING (golden_id);
COMMENT ON VIEW dedupe.record_duplicates IS
  'Every staged record with its golden record and owner; is_duplicate when the golden record '
  'already had an earlier member (by created_at, then record_id). The base of the duplicate-rate reports.';

CREATE VIEW dedupe.duplicate_rate_by_source AS
SELECT source, pg_catalog.count(*) AS records, pg_catalog.count(*) FILTER (WHERE is_duplicate) AS duplicates,
       pg_catalog.round(pg_catalog.count(*) FILTER (WHERE is_duplicate)::numeric / pg_catalog.count(*), 4) AS duplicate_rate
FROM dedupe.record_duplicates GROUP BY source;
COMMENT ON VIEW dedupe.duplicate_rate_by_source IS
  'Per source: records written, records that joined an existing golden record, and their ratio';

CREATE VIEW dedupe.duplicate_rate_by_owner AS
SELECT owner, pg_catalog.count(*) AS records, pg_catalog.count(*) FILTER (WHERE is_duplicate) AS duplicates,
       pg_catalog.round(pg_catalog.count(*) FILTER (WHERE is_duplicate)::numeric / pg_catalog.count(*), 4) AS duplicate_rate
FROM dedupe.record_duplicates GROUP BY owner;
COMMENT ON VIEW dedupe.duplicate_rate_by_owner IS
  'Per owner of the golden record: records written, duplicates, ratio (owner NULL: records not '
  'linked yet, e.g. waiting in review)';

CREATE FUNCTION dedupe.duplicate_rate_over_time(bucket text DEFAULT 'day', time_zone text DEFAULT 'UTC')
RETURNS TABLE (period_start date, records bigint, duplicates bigint, duplicate_rate numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF bucket IS NULL OR bucket NOT IN ('day', 'week', 'month') THEN
    RAISE EXCEPTION 'bucket must be day, week or month, not %', coalesce(bucket, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
  SELECT pg_catalog.date_trunc(bucket, d.created_at AT TIME ZONE time_zone)::date,
         pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE d.is_duplicate),
         pg_catalog.round(pg_catalog.count(*) FILTER (WHERE d.is_duplicate)::numeric / pg_catalog.count(*), 4)
  FROM dedupe.record_duplicates d GROUP BY 1 ORDER BY 1;
END $$;
COMMENT ON FUNCTION dedupe.duplicate_rate_over_time(text, text) IS
  'Duplicate rate per day, ISO week (starting Monday) or month of records.created_at in the '
  'given time zone; 22023 for another bucket';

CREATE VIEW dedupe.duplicate_rate_by_day AS
SELECT * FROM dedupe.duplicate_rate_over_time('day', 'UTC');
COMMENT ON VIEW dedupe.duplicate_rate_by_day IS
  'Duplicate rate per UTC day of writing (dedupe.duplicate_rate_over_time for another zone)';

CREATE VIEW dedupe.duplicate_rate_by_week AS
SELECT * FROM dedupe.duplicate_rate_over_time('week', 'UTC');
COMMENT ON VIEW dedupe.duplicate_rate_by_week IS
  'Duplicate rate per ISO week (Monday, UTC) of writing';

CREATE FUNCTION dedupe.top_duplicate_sources(top integer DEFAULT 10,
  since timestamptz DEFAULT '-infinity', until timestamptz DEFAULT 'infinity')
RETURNS TABLE (rank bigint, source text, duplicates bigint, share_of_duplicates numeric,
               records bigint, duplicate_rate numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  WITH per_source AS (
    SELECT d.source, pg_catalog.count(*) FILTER (WHERE d.is_duplicate) AS duplicates, pg_catalog.count(*) AS records
    FROM dedupe.record_duplicates d
    WHERE d.created_at >= since AND d.created_at < until
    GROUP BY d.source)
  SELECT pg_catalog.rank() OVER (ORDER BY p.duplicates DESC), p.source, p.duplicates,
         pg_catalog.round(p.duplicates::numeric / nullif(pg_catalog.sum(p.duplicates) OVER (), 0), 4),
         p.records, pg_catalog.round(p.duplicates::numeric / p.records, 4)
  FROM per_source p
  WHERE p.duplicates > 0
  ORDER BY p.duplicates DESC, p.source
  LIMIT greatest(top, 0)
$$;
COMMENT ON FUNCTION dedupe.top_duplicate_sources(integer, timestamptz, timestamptz) IS
  'The sources that write the most duplicates among records created in [since, until): their '
  'count, share of all duplicates, and the source''s own duplicate rate';

-- Reports that walk days or weeks up to as_of would walk forever from 'infinity'.
CREATE FUNCTION dedupe._check_as_of(as_of timestamptz) RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF as_of IS NULL OR NOT pg_catalog.isfinite(as_of) THEN
    RAISE EXCEPTION 'as_of must be a finite timestamp, not %', coalesce(as_of::text, 'NULL')
      USING ERRCODE = '22023', HINT = 'Pass the moment the report describes, e.g. now().';
  END IF;
END $$;
COMMENT ON FUNCTION dedupe._check_as_of(timestamptz) IS
  'internal: refuses (22023) a NULL or infinite as_of of a report';

-- Review-queue health. An item counts as open at as_of when it was created by then and not
-- resolved before it, so past Monday mornings can be reproduced.
CREATE FUNCTION dedupe.review_item_ages(as_of timestamptz DEFAULT pg_catalog.now())
RETURNS TABLE (item_id bigint, kind text, owner text, created_at timestamptz, due_at timestamptz,
               business_hours boolean, age interval, time_left interval, overdue_by interval,
               overdue boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM dedupe._check_as_of(as_of);
  RETURN QUERY
  SELECT q.item_id, q.kind, q.owner, q.created_at, q.due_at, coalesce(p.business_hours, false),
         dedupe._sla_elapsed(q.kind, q.created_at, as_of),
         dedupe._sla_elapsed(q.kind, as_of, q.due_at),
         dedupe._sla_elapsed(q.kind, q.due_at, as_of),
         dedupe._sla_elapsed(q.kind, q.due_at, as_of) > interval '0'
  FROM dedupe.review_queue q LEFT JOIN dedupe.effective_sla_policies p USING (kind)
  WHERE q.created_at <= as_of AND (q.status = 'open' OR q.resolved_at > as_of)
  ORDER BY q.due_at, q.item_id;
END $$;
COMMENT ON FUNCTION dedupe.review_item_ages(timestamptz) IS
  'Review items open at as_of with their age, time left and time overdue on their kind''s SLA '
  'clock: business time when dedupe.effective_sla_policies says business_hours (a deadline passed on '
  'Friday evening is not overdue until Monday''s opening), wall-clock time otherwise';

CREATE FUNCTION dedupe.review_queue_health(as_of timestamptz DEFAULT pg_catalog.now())
RETURNS TABLE (kind text, owner text, open_items bigint, overdue_items bigint, oldest_age interval,
               max_overdue_by interval, next_due_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM dedupe._check_as_of(as_of);
  RETURN QUERY
  SELECT a.kind, a.owner, pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE a.overdue),
         pg_catalog.max(a.age), pg_catalog.max(a.overdue_by) FILTER (WHERE a.overdue),
         pg_catalog.min(a.due_at) FILTER (WHERE NOT a.overdue)
  FROM dedupe.review_item_ages(as_of) a
  GROUP BY a.kind, a.owner
  ORDER BY pg_catalog.count(*) FILTER (WHERE a.overdue) DESC, a.kind, a.owner;
END $$;
COMMENT ON FUNCTION dedupe.review_queue_health(timestamptz) IS
  'Open review items per kind and owner at as_of: how many, how many overdue (SLA clock of the '
  'kind), the oldest age, the worst lateness and the next deadline';

CREATE FUNCTION dedupe.review_resolution_times(since timestamptz DEFAULT '-infinity',
  until timestamptz DEFAULT 'infinity')
RETURNS TABLE (kind text, resolved_items bigint, approved bigint, rejected bigint,
               median_time_to_resolution interval, p90_time_to_resolution interval,
               resolved_within_sla numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT q.kind, pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE q.status = 'approved'),
         pg_catalog.count(*) FILTER (WHERE q.status = 'rejected'),
         pg_catalog.percentile_cont(0.5) WITHIN GROUP (ORDER BY q.resolved_at - q.created_at),
         pg_catalog.percentile_cont(0.9) WITHIN GROUP (ORDER BY q.resolved_at - q.created_at),
         pg_catalog.round(pg_catalog.count(*) FILTER (WHERE q.resolved_at <= q.due_at)::numeric / pg_catalog.count(*), 4)
  FROM dedupe.review_queue q
  WHERE q.status <> 'open' AND q.resolved_at >= since AND q.resolved_at < until
  GROUP BY q.kind ORDER BY q.kind
$$;
COMMENT ON FUNCTION dedupe.review_resolution_times(timestamptz, timestamptz) IS
  'Review items resolved in [since, until) per kind: counts, median and 90th percentile of '
  'wall-clock time from creation to resolution, and the share resolved by the deadline';

-- Automation health: a matching rule that breaks shows up first as a jump in review items.
CREATE FUNCTION dedupe.review_growth(weeks integer DEFAULT 8, as_of timestamptz DEFAULT pg_catalog.now(),
  growth_threshold numeric DEFAULT 0.2, time_zone text DEFAULT 'UTC')
RETURNS TABLE (week_start date, review_items bigint, records_written bigint, review_rate numeric,
               previous_week_items bigint, growth numeric, growing boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF weeks IS NULL OR weeks < 1 OR weeks > 520 THEN
    RAISE EXCEPTION 'weeks must be between 1 and 520, not %', coalesce(weeks::text, 'NULL')
      USING ERRCODE = '22023', HINT = '520 weeks are ten years.';
  END IF;
  PERFORM dedupe._check_as_of(as_of);
  IF growth_threshold IS NULL OR growth_threshold < 0 THEN
    RAISE EXCEPTION 'growth_threshold must be a non-negative ratio (0.2 = 20%% more)' USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
  WITH week AS (  -- complete ISO weeks before as_of's week, one extra for the first comparison
    SELECT w::date AS start_day
    FROM pg_catalog.generate_series(
           pg_catalog.date_trunc('week', as_of AT TIME ZONE time_zone) - (weeks + 1) * interval '1 week',
           pg_catalog.date_trunc('week', as_of AT TIME ZONE time_zone) - interval '1 week',
           interval '1 week') w),
  counted AS (
    SELECT k.start_day,
           (SELECT pg_catalog.count(*) FROM dedupe.review_queue q
             WHERE q.created_at >= k.start_day::timestamp AT TIME ZONE time_zone
               AND q.created_at < (k.start_day + 7)::timestamp AT TIME ZONE time_zone) AS items,
           (SELECT pg_catalog.count(*) FROM dedupe.records r
             WHERE r.created_at >= k.start_day::timestamp AT TIME ZONE time_zone
               AND r.created_at < (k.start_day + 7)::timestamp AT TIME ZONE time_zone) AS written
    FROM week k),
  compared AS (
    SELECT c.*, pg_catalog.lag(c.items) OVER (ORDER BY c.start_day) AS previous FROM counted c)
  SELECT c.start_day, c.items, c.written,
         pg_catalog.round(c.items::numeric / nullif(c.written, 0), 4), c.previous,
         pg_catalog.round((c.items - c.previous)::numeric / nullif(c.previous, 0), 4),
         c.items > c.previous AND (c.previous = 0 OR (c.items - c.previous)::numeric / c.previous > growth_threshold)
  FROM compared c WHERE c.previous IS NOT NULL
  ORDER BY c.start_day;
END $$;
COMMENT ON FUNCTION dedupe.review_growth(integer, timestamptz, numeric, text) IS
  'Review items opened per complete ISO week before as_of (the last `weeks` weeks), next to '
  'records written and the week before; growing is true when items rose by more than '
  'growth_threshold (any rise from zero counts)';

-- Links the matcher made on its own, as opposed to new golden records and human decisions
-- (approved:..., rejected:..., merged, unmerged).
CREATE FUNCTION dedupe._is_automated_link(rule text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT pg_catalog.strpos(rule, ':') = 0 AND rule NOT IN ('merged', 'unmerged')
$$;
COMMENT ON FUNCTION dedupe._is_automated_link(text) IS
  'internal: true for a record_links rule the matcher applied by itself (same_email, ...)';

CREATE FUNCTION dedupe.qa_sample(percent numeric DEFAULT 1, seed bigint DEFAULT 0,
  period_start timestamptz DEFAULT pg_catalog.now() - interval '7 days',
  period_end timestamptz DEFAULT pg_catalog.now())
RETURNS TABLE (record_id bigint, source text, source_pk text, golden_id bigint, rule text,
               score double precision, linked_at timestamptz, compared_with bigint, explanation jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF percent IS NULL OR percent <= 0 OR percent > 100 THEN
    RAISE EXCEPTION 'percent must be in (0, 100], not %', coalesce(percent::text, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  -- Membership is a hash of (record, seed): the same seed gives the same sample, and a link
  -- added later never pushes an earlier one out.
  RETURN QUERY
  SELECT l.record_id, r.source, r.source_pk, l.golden_id, l.rule, l.score, l.linked_at, m.record_id,
         dedupe.explain(l.record_id, m.record_id)
  FROM dedupe.record_links l
  JOIN dedupe.records r USING (record_id)
  LEFT JOIN LATERAL (
    SELECT o.record_id FROM dedupe.record_links lo JOIN dedupe.records o USING (record_id)
    WHERE lo.golden_id = l.golden_id AND o.record_id <> l.record_id
    ORDER BY o.created_at, o.record_id LIMIT 1) m ON true
  WHERE dedupe._is_automated_link(l.rule)
    AND l.linked_at >= period_start AND l.linked_at < period_end
    AND (pg_catalog.hashint8extended(l.record_id, seed) & 9223372036854775807) % 1000000
        < pg_catalog.round(percent * 10000)
  ORDER BY l.record_id;
END $$;
COMMENT ON FUNCTION dedupe.qa_sample(numeric, bigint, timestamptz, timestamptz) IS
  'A reproducible random sample (percent of links, chosen by a seeded hash of the record id) '
  'of the links the matcher made on its own in [period_start, period_end), each with '
  'dedupe.explain() against the golden record''s earliest other member, for the weekly audit';

CREATE FUNCTION dedupe.pipeline_accuracy(tbl regclass DEFAULT NULL)
RETURNS TABLE (source text, relid regclass, rows bigint, linked_rows bigint, people bigint,
               rows_in_shared_golden bigint, rows_double_counted bigint, excess_rows bigint,
               double_count_rate numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF tbl IS NOT NULL AND NOT EXISTS (SELECT FROM dedupe.sources s WHERE s.relid = tbl) THEN
    RAISE EXCEPTION 'table % is not watched by pg_dedupe', tbl USING ERRCODE = '42704',
      HINT = 'dedupe.watch() registers a table; dedupe.sources lists the watched ones.';
  END IF;
  RETURN QUERY
  WITH member AS (
    SELECT r.source, r.record_id, l.golden_id,
           pg_catalog.count(*) OVER (PARTITION BY l.golden_id) AS golden_members,
           pg_catalog.count(*) OVER (PARTITION BY l.golden_id, r.source) AS same_source_members
    FROM dedupe.records r JOIN dedupe.record_links l USING (record_id))
  SELECT s.source, s.relid,
         (SELECT pg_catalog.count(*) FROM dedupe.records r WHERE r.source = s.source),
         pg_catalog.count(m.record_id), pg_catalog.count(DISTINCT m.golden_id),
         pg_catalog.count(*) FILTER (WHERE m.golden_members > 1),
         pg_catalog.count(*) FILTER (WHERE m.same_source_members > 1),
         pg_catalog.count(m.record_id) - pg_catalog.count(DISTINCT m.golden_id),
         pg_catalog.round(pg_catalog.count(*) FILTER (WHERE m.same_source_members > 1)::numeric
                          / nullif((SELECT pg_catalog.count(*) FROM dedupe.records r WHERE r.source = s.source), 0), 4)
  FROM dedupe.sources s LEFT JOIN member m ON m.source = s.source
  WHERE tbl IS NULL OR s.relid = tbl
  GROUP BY s.source, s.relid ORDER BY s.source;
END $$;
COMMENT ON FUNCTION dedupe.pipeline_accuracy(regclass) IS
  'How a watched table over-counts people: its rows, linked rows, distinct golden records '
  '(people), rows whose golden record has more than one member in any source, rows whose '
  'golden record has several rows in this table (double-counted by a count(*) over it), the '
  'excess rows (linked rows - people) and the double-counted share. NULL: every watched table.';

REVOKE ALL ON dedupe.record_duplicates, dedupe.duplicate_rate_by_source, dedupe.duplicate_rate_by_owner,
  dedupe.duplicate_rate_by_day, dedupe.duplicate_rate_by_week FROM PUBLIC;
GRANT SELECT ON dedupe.record_duplicates, dedupe.duplicate_rate_by_source, dedupe.duplicate_rate_by_owner,
  dedupe.duplicate_rate_by_day, dedupe.duplicate_rate_by_week TO dedupe_admin, dedupe_auditor;
REVOKE ALL ON FUNCTION dedupe._sla_elapsed(text, timestamptz, timestamptz), dedupe._check_as_of(timestamptz),
  dedupe.duplicate_rate_over_time(text, text), dedupe.top_duplicate_sources(integer, timestamptz, timestamptz),
  dedupe.review_item_ages(timestamptz), dedupe.review_queue_health(timestamptz),
  dedupe.review_resolution_times(timestamptz, timestamptz),
  dedupe.review_growth(integer, timestamptz, numeric, text),
  dedupe.qa_sample(numeric, bigint, timestamptz, timestamptz), dedupe.pipeline_accuracy(regclass) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dedupe.duplicate_rate_over_time(text, text), dedupe.top_duplicate_sources(integer, timestamptz, timestamptz),
  dedupe.review_item_ages(timestamptz), dedupe.review_queue_health(timestamptz),
  dedupe.review_resolution_times(timestamptz, timestamptz),
  dedupe.review_growth(integer, timestamptz, numeric, text),
  dedupe.qa_sample(numeric, bigint, timestamptz, timestamptz), dedupe.pipeline_accuracy(regclass)
  TO dedupe_admin, dedupe_auditor;

-- Webhook failure rate, next to the duplicate-rate reports (90_ops_reports.sql): per source
-- and day or week, how many deliveries were accepted, how many were refused and why, and how
-- many were replays. A replay is a sender retrying an event we already have, not a failure:
-- failure_rate = refused other than replays / (accepted + those refusals).

CREATE FUNCTION dedupe.webhook_failure_rate(bucket text DEFAULT 'day', time_zone text DEFAULT 'UTC',
  since timestamptz DEFAULT '-infinity', until timestamptz DEFAULT 'infinity')
RETURNS TABLE (source text, period_start date, attempts bigint, accepted bigint, refused bigint,
               replays bigint, failure_rate numeric, refused_by_reason jsonb)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF bucket IS NULL OR bucket NOT IN ('day', 'week', 'month') THEN
    RAISE EXCEPTION 'bucket must be day, week or month, not %', coalesce(bucket, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
  WITH per_reason AS (
    SELECT e.source, pg_catalog.date_trunc(bucket, e.received_at AT TIME ZONE time_zone)::date AS period,
           e.outcome, e.reason, pg_catalog.count(*) AS n
    FROM dedupe.webhook_events e
    WHERE e.received_at >= since AND e.received_at < until
    GROUP BY 1, 2, 3, 4)
  SELECT p.source, p.period, pg_catalog.sum(p.n)::bigint,
         coalesce(pg_catalog.sum(p.n) FILTER (WHERE p.outcome = 'accepted'), 0)::bigint,
         coalesce(pg_catalog.sum(p.n) FILTER (WHERE p.outcome = 'refused' AND p.reason <> 'replayed_event_id'), 0)::bigint,
         coalesce(pg_catalog.sum(p.n) FILTER (WHERE p.reason = 'replayed_event_id'), 0)::bigint,
         pg_catalog.round(coalesce(pg_catalog.sum(p.n) FILTER (WHERE p.outcome = 'refused' AND p.reason <> 'replayed_event_id'), 0)
                          / nullif(pg_catalog.sum(p.n) FILTER (WHERE p.reason IS DISTINCT FROM 'replayed_event_id'), 0), 4),
         coalesce(pg_catalog.jsonb_object_agg(p.reason, p.n ORDER BY p.reason)
                    FILTER (WHERE p.outcome = 'refused' AND p.reason <> 'replayed_event_id'), '{}')
  FROM per_reason p GROUP BY 1, 2 ORDER BY 2, 1;
END $$;
COMMENT ON FUNCTION dedupe.webhook_failure_rate(text, text, timestamptz, timestamptz) IS
  'Webhook deliveries per source and day, ISO week (starting Monday) or month of received_at in '
  'the given time zone: attempts, accepted, refused (replays excluded) with a count per reason, '
  'replays, and failure_rate = refused / (accepted + refused); 22023 for another bucket';

CREATE VIEW dedupe.webhook_failure_rate_by_day AS
SELECT * FROM dedupe.webhook_failure_rate('day', 'UTC');
COMMENT ON VIEW dedupe.webhook_failure_rate_by_day IS
  'Webhook failure rate per source and UTC day (dedupe.webhook_failure_rate for another zone)';

CREATE VIEW dedupe.webhook_failure_rate_by_week AS
SELECT * FROM dedupe.webhook_failure_rate('week', 'UTC');
COMMENT ON VIEW dedupe.webhook_failure_rate_by_week IS
  'Webhook failure rate per source and ISO week (Monday, UTC)';

REVOKE ALL ON dedupe.webhook_failure_rate_by_day, dedupe.webhook_failure_rate_by_week FROM PUBLIC;
GRANT SELECT ON dedupe.webhook_failure_rate_by_day, dedupe.webhook_failure_rate_by_week
  TO dedupe_admin, dedupe_auditor;
REVOKE ALL ON FUNCTION dedupe.webhook_failure_rate(text, text, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dedupe.webhook_failure_rate(text, text, timestamptz, timestamptz)
  TO dedupe_admin, dedupe_auditor;

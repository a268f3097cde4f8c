-- Deferred matching (dedupe.watch(..., matching => 'deferred')): the writing transaction
-- normalizes, validates, claims idempotency keys, stages and audits its rows and puts their
-- records in dedupe.match_queue; the pg_dedupe matcher worker (or CALL dedupe.match_pending())
-- takes them in batches and matches them with the write path's one matcher. A batch is taken
-- with DELETE ... FOR UPDATE SKIP LOCKED in the transaction that matches it, so a crash rolls
-- the batch back into the queue: no record is matched twice or lost.

CREATE TABLE dedupe.match_queue (
  record_id        bigint PRIMARY KEY REFERENCES dedupe.records ON DELETE CASCADE,
  actor            name NOT NULL,           -- the writer; the matcher's audit rows name it
  identity_changed boolean NOT NULL DEFAULT false,
  queued_at        timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  -- A batch the worker failed to match: each of its records counts an attempt and is retried
  -- alone; at 3 it stays here, set aside, until dedupe.retry_failed_matches().
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text
);
COMMENT ON TABLE dedupe.match_queue IS
  'Records of deferred sources written but not matched yet (one row per record, oldest first); '
  'the matcher worker or dedupe.match_pending() removes a row in the transaction that matches it. '
  'A record the worker failed to match 3 times (attempts, last_error) is set aside';
CREATE INDEX match_queue_queued_at_idx ON dedupe.match_queue (queued_at, record_id);
-- The records to retry (attempts > 0, rare) by an index of their own: each batch looks for one
-- first, and without it that look-up read the whole queue, every batch of a backlog.
CREATE INDEX match_queue_retry_idx ON dedupe.match_queue (queued_at, record_id) WHERE attempts > 0;
-- Queued records are state: a restore keeps them queued, and the worker matches them.
SELECT pg_catalog.pg_extension_config_dump('dedupe.match_queue', '');

CREATE TABLE dedupe.match_batches (
  finished_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  records     integer NOT NULL,
  duration    interval NOT NULL,
  max_lag     interval NOT NULL,   -- from the oldest record's queued_at to the batch's end
  backend_pid integer NOT NULL DEFAULT pg_catalog.pg_backend_pid()
);
COMMENT ON TABLE dedupe.match_batches IS
  'Batches of deferred matching done in the last hour (older rows are pruned): the throughput '
  'and lag that dedupe.matching_lag reports';
CREATE INDEX match_batches_finished_at_idx ON dedupe.match_batches (finished_at);

CREATE FUNCTION dedupe._match_queued(batch_size integer) RETURNS integer
  AS 'MODULE_PATHNAME', 'dedupe_match_queued'
  LANGUAGE C VOLATILE STRICT SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dedupe._match_queued(integer) IS
  'internal: takes up to batch_size of the oldest queued records no other session holds, matches '
  'them in the caller''s transaction and returns how many it took (0: nothing left to take)';

-- Transaction control forbids SECURITY DEFINER and SET clauses here: the procedure runs with
-- the caller's rights, and dedupe._match_queued (dedupe_admin) switches to the owner's.
CREATE PROCEDURE dedupe.match_pending(batch_size integer DEFAULT 1000)
LANGUAGE plpgsql AS $$
DECLARE
  n integer;
BEGIN
  IF batch_size IS NULL OR batch_size OPERATOR(pg_catalog.<) 1
     OR batch_size OPERATOR(pg_catalog.>) 100000 THEN
    RAISE EXCEPTION 'batch_size must be between 1 and 100000, not %', coalesce(batch_size::text, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  LOOP
    n := dedupe._match_queued(batch_size);
    EXIT WHEN n OPERATOR(pg_catalog.=) 0;
    COMMIT;
  END LOOP;
  -- Where no matcher worker runs, this is where the model is re-estimated when the records
  -- doubled (control/sql/86_model_estimation.sql).
  PERFORM dedupe._estimate_model_when_due();
END $$;
COMMENT ON PROCEDURE dedupe.match_pending(integer) IS
  'Matches every queued record of deferred sources in this session, one transaction per batch '
  '(for servers without the matcher worker, and for tests), then re-estimates the write path''s '
  'model if the records doubled (dedupe.settings model_estimation); CALL it outside a transaction block';

CREATE FUNCTION dedupe.wait_for_matching(timeout interval DEFAULT '30 seconds') RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  started timestamptz := pg_catalog.clock_timestamp();
  nap double precision := 0.01;
BEGIN
  IF timeout IS NULL OR timeout < interval '0' OR timeout > interval '1 day' THEN
    RAISE EXCEPTION 'timeout must be between 0 and 1 day, not %', coalesce(timeout::text, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  LOOP
    IF NOT EXISTS (SELECT FROM dedupe.match_queue q WHERE q.queued_at <= started) THEN
      RETURN true;
    END IF;
    IF pg_catalog.clock_timestamp() >= started + timeout THEN
      RETURN false;
    END IF;
    PERFORM pg_catalog.pg_sleep(nap);
    nap := least(nap * 2, 0.2);
  END LOOP;
END $$;
COMMENT ON FUNCTION dedupe.wait_for_matching(interval) IS
  'Waits until every record queued for deferred matching before the call (and committed) is '
  'matched: true, or false when the timeout passes first. Call it outside the writing '
  'transaction, in READ COMMITTED';

CREATE VIEW dedupe.matching_lag AS
SELECT q.queue_depth, q.oldest_unmatched,
       pg_catalog.clock_timestamp() - q.oldest_unmatched AS oldest_age,
       round(coalesce(b.records, 0) / 60.0, 1) AS rows_per_second,
       b.max_lag AS max_lag_last_minute,
       (SELECT max(finished_at) FROM dedupe.match_batches) AS last_batch_at,
       pg_catalog.current_setting('dedupe.max_match_delay', true) AS max_match_delay,
       (SELECT count(*) FROM pg_catalog.pg_stat_activity a
         WHERE a.backend_type = 'pg_dedupe matcher' AND a.datname = pg_catalog.current_database())
         AS workers,
       q.set_aside
FROM (SELECT count(*) AS queue_depth, min(queued_at) AS oldest_unmatched,
             count(*) FILTER (WHERE attempts >= 3) AS set_aside FROM dedupe.match_queue) q,
     (SELECT sum(records) AS records, max(max_lag) AS max_lag FROM dedupe.match_batches
       WHERE finished_at > pg_catalog.clock_timestamp() - interval '1 minute') b;
COMMENT ON VIEW dedupe.matching_lag IS
  'Deferred matching at a glance: records queued, the oldest one and its age, rows matched per '
  'second over the last minute and the longest queue-to-match time of that minute, the last '
  'batch, the configured delay, the matcher workers connected to this database, and the records '
  'set aside after 3 failed attempts (dedupe.match_queue.last_error says why)';

-- After the cause of a failure is mended: the records set aside are tried again.
CREATE FUNCTION dedupe.retry_failed_matches() RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  WITH retried AS (UPDATE dedupe.match_queue q SET attempts = 0 WHERE q.attempts > 0 RETURNING 1)
  SELECT count(*) FROM retried
$$;
COMMENT ON FUNCTION dedupe.retry_failed_matches() IS
  'Puts the queued records whose matching failed (dedupe.match_queue.attempts > 0, set aside at '
  '3) back in line for the matcher worker; returns how many';
REVOKE ALL ON FUNCTION dedupe.retry_failed_matches() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dedupe.retry_failed_matches() TO dedupe_admin;

GRANT SELECT ON dedupe.match_queue, dedupe.match_batches TO dedupe_admin;
GRANT SELECT ON dedupe.matching_lag TO dedupe_admin, dedupe_auditor;
REVOKE ALL ON PROCEDURE dedupe.match_pending(integer) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE dedupe.match_pending(integer) TO dedupe_admin;

-- Routes: where an accepted webhook event goes. A route names the watched source (a table
-- registered by dedupe.watch) and how the JSON payload maps onto its columns, so
-- dedupe.ingest_webhook() verifies, records and inserts the row in one call, and the watch
-- triggers normalize, validate, match and audit it like any other write.
--
-- Security (see also src/pg/webhook_delivery.cpp): ingest_webhook runs with the extension
-- owner's rights because it reads the secrets. The row it writes is inserted with the rights
-- of the watched table's owner, in a security-restricted operation, so the table's triggers,
-- defaults, constraints and its column types' input functions run as the role that created
-- them, never as the extension owner. The intake role can reach only the tables dedupe_admin
-- routed, and only through that mapping; the statement is built from quoted identifiers and
-- the values are typed by the built-in jsonb_populate_record, never spliced into SQL text.

CREATE TABLE dedupe.webhook_routes (
  source          text PRIMARY KEY CHECK (source ~ '^[A-Za-z0-9_.-]{1,63}$'),
  watched_source  text NOT NULL REFERENCES dedupe.sources ON UPDATE CASCADE,
  columns         jsonb NOT NULL DEFAULT '{}',
  constants       jsonb NOT NULL DEFAULT '{}',
  event_id_column name,
  required        name[] NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
  updated_at      timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE dedupe.webhook_routes IS
  'Per webhook source: the watched source (dedupe.sources) its accepted events are inserted into; '
  'columns maps a column to a top-level key ("email") or a path (["contact", "email"], array '
  'elements by index); constants gives columns fixed JSON values (the source name); '
  'event_id_column receives the event id (default: the watched source''s idempotency_key column); '
  'required lists mapped columns the payload must fill. Validated when written; dedupe_admin '
  'writes it, or calls dedupe.route_webhook().';
CREATE INDEX webhook_routes_watched_idx ON dedupe.webhook_routes (watched_source);
SELECT pg_catalog.pg_extension_config_dump('dedupe.webhook_routes', '');

-- Runs as the writer (dedupe_admin): casting a constant runs the column type's input
-- function with the rights of the role that chose to route this table.
CREATE FUNCTION dedupe._webhook_routes_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  w dedupe.sources;
  col text;
  spec jsonb;
  att record;
  targets text[] := '{}';
BEGIN
  SELECT * INTO w FROM dedupe.sources s WHERE s.source = NEW.watched_source;
  IF NOT FOUND OR NOT w.watching THEN
    RAISE EXCEPTION 'webhook route "%": source "%" is not watched', NEW.source, NEW.watched_source
      USING ERRCODE = '55000', HINT = 'Route events to a table registered with dedupe.watch().';
  END IF;
  IF NEW.columns IS NULL OR pg_catalog.jsonb_typeof(NEW.columns) <> 'object'
     OR NEW.constants IS NULL OR pg_catalog.jsonb_typeof(NEW.constants) <> 'object' THEN
    RAISE EXCEPTION 'webhook route "%": columns and constants must be JSON objects', NEW.source
      USING ERRCODE = '22023';
  END IF;
  FOR col, spec IN SELECT e.key, e.value FROM pg_catalog.jsonb_each(NEW.columns) e LOOP
    IF NOT ((pg_catalog.jsonb_typeof(spec) = 'string' AND spec #>> '{}' <> '')
            OR (pg_catalog.jsonb_typeof(spec) = 'array' AND pg_catalog.jsonb_array_length(spec) > 0
                AND NOT EXISTS (SELECT FROM pg_catalog.jsonb_array_elements(spec) p
                                 WHERE pg_catalog.jsonb_typeof(p) <> 'string'))) THEN
      RAISE EXCEPTION 'webhook route "%": the path of column "%" must be a key or an array of keys, not %',
        NEW.source, col, spec USING ERRCODE = '22023';
    END IF;
    targets := targets || col;
  END LOOP;
  FOR col IN SELECT e.key FROM pg_catalog.jsonb_each(NEW.constants) e LOOP
    IF col = ANY (targets) THEN
      RAISE EXCEPTION 'webhook route "%": column "%" is both mapped and a constant', NEW.source, col
        USING ERRCODE = '42701';
    END IF;
    targets := targets || col;
  END LOOP;
  NEW.event_id_column := coalesce(NEW.event_id_column, w.idempotency_key);
  IF NEW.event_id_column::text = ANY (targets) THEN
    RAISE EXCEPTION 'webhook route "%": column "%" receives the event id and cannot be mapped too',
      NEW.source, NEW.event_id_column USING ERRCODE = '42701';
  END IF;
  IF NEW.required IS NULL OR EXISTS (SELECT FROM pg_catalog.unnest(NEW.required) r
                                      WHERE r IS NULL OR NOT NEW.columns ? r) THEN
    RAISE EXCEPTION 'webhook route "%": every required column must be mapped in columns', NEW.source
      USING ERRCODE = '22023';
  END IF;
  IF NEW.event_id_column IS NOT NULL THEN
    targets := targets || NEW.event_id_column::text;
  END IF;
  IF pg_catalog.cardinality(targets) = 0 THEN
    RAISE EXCEPTION 'webhook route "%" maps no column', NEW.source USING ERRCODE = '22023';
  END IF;

  FOREACH col IN ARRAY targets LOOP
    SELECT a.attname, a.atttypid, a.attgenerated, a.attidentity, t.typcategory INTO att
      FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = w.relid AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'webhook route "%": column "%" does not exist in %', NEW.source, col, w.relid
        USING ERRCODE = '42703';
    END IF;
    IF att.attgenerated <> '' OR att.attidentity = 'a' THEN
      RAISE EXCEPTION 'webhook route "%": column "%" of % is generated and cannot be written', NEW.source, col, w.relid
        USING ERRCODE = '428C9';
    END IF;
    IF att.atttypid = 'dedupe.match_key'::regtype THEN
      RAISE EXCEPTION 'webhook route "%": column "%" has type dedupe.match_key', NEW.source, col
        USING ERRCODE = '42804', HINT = 'The watch trigger fills the key column; map the identity columns.';
    END IF;
    IF col = NEW.event_id_column AND att.typcategory <> 'S' THEN
      RAISE EXCEPTION 'webhook route "%": column "%" receives the event id but has type %, expected a string type',
        NEW.source, col, att.atttypid::regtype USING ERRCODE = '42804';
    END IF;
    IF NEW.constants ? col THEN
      BEGIN
        EXECUTE pg_catalog.format('SELECT (pg_catalog.jsonb_populate_record(NULL::%s, $1)).%I', w.relid, col)
          USING pg_catalog.jsonb_build_object(col, NEW.constants -> col);
      EXCEPTION WHEN data_exception THEN
        RAISE EXCEPTION 'webhook route "%": constant % does not fit column "%" of type %', NEW.source,
          NEW.constants -> col, col, att.atttypid::regtype USING ERRCODE = '42804', DETAIL = SQLERRM;
      END;
    END IF;
  END LOOP;
  IF NOT w.id_column::text = ANY (targets) AND NOT EXISTS (
       SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = w.relid AND a.attname = w.id_column
          AND (a.atthasdef OR a.attidentity <> '')) THEN
    RAISE EXCEPTION 'webhook route "%": the id column "%" of % is neither mapped nor has a default',
      NEW.source, w.id_column, w.relid USING ERRCODE = '23502',
      HINT = 'Map it from the payload, or give it a default (an identity column or a sequence).';
  END IF;
  NEW.updated_at := pg_catalog.now();
  RETURN NEW;
END $$;
COMMENT ON FUNCTION dedupe._webhook_routes_check() IS
  'internal: validates a webhook route when written: the source is watched (55000), its columns '
  'exist (42703), can be written (428C9) and fit (42804: the key column, a non-string event id '
  'column, a constant its type refuses), no column is mapped twice (42701), the id column gets a value';
CREATE TRIGGER webhook_routes_check BEFORE INSERT OR UPDATE ON dedupe.webhook_routes
  FOR EACH ROW EXECUTE FUNCTION dedupe._webhook_routes_check();

CREATE FUNCTION dedupe.route_webhook(source text, watched_source text, columns jsonb,
  constants jsonb DEFAULT '{}', event_id_column name DEFAULT NULL, required name[] DEFAULT '{}')
RETURNS dedupe.webhook_routes LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
  INSERT INTO dedupe.webhook_routes AS r (source, watched_source, columns, constants, event_id_column, required)
  VALUES (source, watched_source, columns, coalesce(constants, '{}'), event_id_column, coalesce(required, '{}'))
  ON CONFLICT ON CONSTRAINT webhook_routes_pkey DO UPDATE SET
    watched_source = EXCLUDED.watched_source, columns = EXCLUDED.columns, constants = EXCLUDED.constants,
    event_id_column = EXCLUDED.event_id_column, required = EXCLUDED.required
  RETURNING *
$$;
COMMENT ON FUNCTION dedupe.route_webhook(text, text, jsonb, jsonb, name, name[]) IS
  'Creates or replaces the route of a webhook source: accepted events become rows of the watched '
  'source''s table, columns mapped from payload keys or paths, plus constants and the event id. '
  'Validated as dedupe.webhook_routes is (55000, 42703, 428C9, 42804, 42701, 23502, 22023).';

-- Reads one route's values out of a payload, as a JSON object of column -> value for
-- jsonb_populate_record. A key that is absent or null leaves the column to its default; a
-- path through a scalar, or an object or array for a scalar column, is unreadable (22023).
CREATE FUNCTION dedupe._webhook_row(r dedupe.webhook_routes, tbl regclass, doc jsonb, event_id text)
RETURNS jsonb LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  col text;
  spec jsonb;
  path text[];
  v jsonb;
  k integer;
  result jsonb := '{}';
BEGIN
  IF pg_catalog.jsonb_typeof(doc) <> 'object' THEN
    RAISE EXCEPTION 'the payload is a JSON %, not an object', pg_catalog.jsonb_typeof(doc) USING ERRCODE = '22023';
  END IF;
  FOR col, spec IN SELECT e.key, e.value FROM pg_catalog.jsonb_each(r.columns) e LOOP
    path := CASE pg_catalog.jsonb_typeof(spec) WHEN 'string' THEN ARRAY[spec #>> '{}']
            ELSE ARRAY(SELECT pg_catalog.jsonb_array_elements_text(spec)) END;
    v := doc;
    FOR k IN 1 .. pg_catalog.cardinality(path) LOOP
      IF pg_catalog.jsonb_typeof(v) = 'object' THEN
        v := v -> path[k];
      ELSIF pg_catalog.jsonb_typeof(v) = 'array' AND path[k] ~ '^[0-9]{1,9}$' THEN
        v := v -> path[k]::integer;
      ELSIF pg_catalog.jsonb_typeof(v) = 'null' THEN
        v := NULL;
      ELSE
        RAISE EXCEPTION 'column "%": the payload holds a JSON % at %, not an object', col,
          pg_catalog.jsonb_typeof(v), pg_catalog.array_to_string(path[1:k], '.') USING ERRCODE = '22023';
      END IF;
      EXIT WHEN v IS NULL;
    END LOOP;
    IF v IS NULL OR pg_catalog.jsonb_typeof(v) = 'null' THEN
      IF col = ANY (r.required) THEN
        RAISE EXCEPTION 'column "%": the payload has no value at %', col,
          pg_catalog.array_to_string(path, '.') USING ERRCODE = '22004';
      END IF;
      CONTINUE;
    END IF;
    IF pg_catalog.jsonb_typeof(v) IN ('object', 'array') AND NOT EXISTS (
         SELECT FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
          WHERE a.attrelid = tbl AND a.attname = col
            AND (t.typcategory IN ('A', 'C') OR pg_catalog.format_type(t.oid, NULL) IN ('json', 'jsonb'))) THEN
      RAISE EXCEPTION 'column "%": the payload holds a JSON % at %, the column takes a single value', col,
        pg_catalog.jsonb_typeof(v), pg_catalog.array_to_string(path, '.') USING ERRCODE = '22023';
    END IF;
    result := result || pg_catalog.jsonb_build_object(col, v);
  END LOOP;
  result := result || r.constants;
  IF r.event_id_column IS NOT NULL THEN
    result := result || pg_catalog.jsonb_build_object(r.event_id_column, event_id);
  END IF;
  RETURN result;
END $$;
COMMENT ON FUNCTION dedupe._webhook_row(dedupe.webhook_routes, regclass, jsonb, text) IS
  'internal: the column values a route reads from a payload (22023 or 22004 when it cannot)';

CREATE FUNCTION dedupe._webhook_insert(tbl regclass, id_column name, columns text[], "row" jsonb)
RETURNS text AS 'MODULE_PATHNAME', 'dedupe_webhook_insert' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION dedupe._webhook_insert(regclass, name, text[], jsonb) IS
  'internal: inserts the columns of row into tbl with the rights of tbl''s owner in a '
  'security-restricted operation; the new row''s id as text, or NULL when its triggers kept it out';

CREATE TYPE dedupe.webhook_outcome AS (
  outcome      text,    -- accepted, or why the event was refused
  event_log_id bigint,  -- its row in dedupe.webhook_events
  target       regclass,
  row_id       text,    -- the id column of the row written (or quarantined)
  record_id    bigint,
  golden_id    bigint,
  delivery     text,    -- not_routed, linked, queued, in_review, flagged, quarantined, skipped_replay
  detail       text
);
COMMENT ON TYPE dedupe.webhook_outcome IS
  'What dedupe.ingest_webhook() did with one delivery: the outcome, the event log row and, for a '
  'routed event, where the row went and the golden record it was matched to';

-- Returns the outcome instead of raising for a refused event: an error would roll back the
-- caller's transaction and with it the record of the attempt.
CREATE FUNCTION dedupe.ingest_webhook(source text, event_id text, payload bytea, signature text,
  sent_at timestamptz) RETURNS dedupe.webhook_outcome
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  s dedupe.webhook_secrets;
  r dedupe.webhook_routes;
  w dedupe.sources;
  res dedupe.webhook_outcome;
  reason text;
  stage text;
  doc jsonb;
  cols jsonb;
  audit_before bigint;
  state text;
  message text;
  kept_out record;
BEGIN
  IF source IS NULL OR payload IS NULL THEN
    RAISE EXCEPTION 'ingest_webhook needs a source and a payload' USING ERRCODE = '22023';
  END IF;
  SELECT * INTO s FROM dedupe.webhook_secrets ws WHERE ws.source = ingest_webhook.source;
  IF NOT FOUND THEN
    reason := 'unknown_source';
  ELSIF event_id IS NULL OR pg_catalog.btrim(event_id) = '' THEN
    reason := 'missing_event_id';
  ELSE
    reason := dedupe._webhook_problem(payload, signature, s.secret, sent_at, s.max_age,
      CASE WHEN s.previous_expires_at > pg_catalog.clock_timestamp() THEN s.previous_secret END);
  END IF;
  IF reason IS NULL THEN
    SELECT * INTO r FROM dedupe.webhook_routes wr WHERE wr.source = ingest_webhook.source;
    -- One subtransaction: the claim of the event id and the row stand or fall together, so a
    -- refused delivery leaves no half-inserted row and does not use up the event id.
    BEGIN
      stage := 'claim';
      -- The partial unique index decides replays, also between concurrent deliveries.
      INSERT INTO dedupe.webhook_events (source, event_id, sent_at, outcome, payload, payload_sha256)
      VALUES (source, event_id, sent_at, 'accepted', payload, pg_catalog.sha256(payload))
      RETURNING id INTO res.event_log_id;
      res.outcome := 'accepted';
      res.delivery := 'not_routed';
      IF r.source IS NOT NULL THEN
        stage := 'route';
        SELECT * INTO w FROM dedupe.sources ws WHERE ws.source = r.watched_source AND ws.watching;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'the route leads to source "%", which is not watched', r.watched_source
            USING ERRCODE = '55000';
        END IF;
        res.target := w.relid;
        stage := 'json';
        doc := pg_catalog.convert_from(payload, 'UTF8')::jsonb;
        stage := 'mapping';
        cols := dedupe._webhook_row(r, w.relid, doc, event_id);
        stage := 'insert';
        SELECT CASE WHEN q.is_called THEN q.last_value ELSE q.last_value - 1 END INTO audit_before
          FROM dedupe.audit_log_id_seq q;
        res.row_id := dedupe._webhook_insert(w.relid, w.id_column,
          ARRAY(SELECT pg_catalog.jsonb_object_keys(cols)), cols);
        stage := 'report';
        IF res.row_id IS NULL THEN
          -- The watch trigger kept the row out; its audit row in this transaction says why.
          SELECT a.decision, a.source_pk, a.reason INTO kept_out FROM dedupe.audit_log a
           WHERE a.id > audit_before AND a.txid = pg_catalog.pg_current_xact_id() AND a.source = w.source
             AND a.decision IN ('quarantined', 'replayed')
           ORDER BY a.id DESC LIMIT 1;
          res.row_id := kept_out.source_pk;
          res.delivery := CASE kept_out.decision WHEN 'quarantined' THEN 'quarantined' ELSE 'skipped_replay' END;
          res.detail := kept_out.reason;
        ELSE
          SELECT rec.record_id, l.golden_id,
                 CASE WHEN NOT rec.valid THEN 'flagged'
                      -- a deferred source: the matcher worker links it after commit
                      WHEN EXISTS (SELECT FROM dedupe.match_queue mq
                                    WHERE mq.record_id = rec.record_id) THEN 'queued'
                      WHEN EXISTS (SELECT FROM dedupe.review_queue q
                                    WHERE q.record_id = rec.record_id AND q.status = 'open') THEN 'in_review'
                      ELSE 'linked' END,
                 rec.invalid_reason
            INTO res.record_id, res.golden_id, res.delivery, res.detail
            FROM dedupe.records rec LEFT JOIN dedupe.record_links l ON l.record_id = rec.record_id
           WHERE rec.source = w.source AND rec.source_pk = res.row_id;
        END IF;
      END IF;
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
      IF stage = 'claim' AND state = '23505' THEN
        reason := 'replayed_event_id';
      ELSIF stage IN ('claim', 'report') OR pg_catalog.left(state, 2) IN ('40', '53', '54', '57', '58', 'XX') THEN
        RAISE;  -- not the event's fault: the caller retries
      ELSE
        reason := CASE stage WHEN 'route' THEN 'route_unavailable' WHEN 'json' THEN 'invalid_json'
                             WHEN 'mapping' THEN 'unmapped_payload'
                             ELSE CASE WHEN pg_catalog.left(state, 2) = '22' THEN 'unmapped_payload'
                                       ELSE 'row_rejected' END END;
        res.detail := state || ': ' || message;
      END IF;
    END;
  END IF;
  IF reason IS NULL THEN
    RETURN res;
  END IF;
  INSERT INTO dedupe.webhook_events (source, event_id, sent_at, outcome, reason, payload, detail, payload_sha256)
  VALUES (source, event_id, sent_at, 'refused', reason,
          CASE WHEN res.detail IS NOT NULL THEN payload END, res.detail, pg_catalog.sha256(payload))
  RETURNING id INTO res.event_log_id;
  RETURN ROW(reason, res.event_log_id, res.target, NULL, NULL, NULL, NULL, res.detail)::dedupe.webhook_outcome;
END $$;
COMMENT ON FUNCTION dedupe.ingest_webhook(text, text, bytea, text, timestamptz) IS
  'Verifies a webhook delivery against the source''s secret (or, during a rotation, the previous '
  'one until it expires), records the attempt in dedupe.webhook_events and, when the source has a '
  'route (dedupe.webhook_routes), inserts the mapped row into the watched table in the same '
  'transaction, with the rights of that table''s owner. outcome: accepted, or why it was refused: '
  'unknown_source, missing_event_id, missing_signature, missing_timestamp, future_timestamp, '
  'stale_timestamp, malformed_signature, signature_mismatch, replayed_event_id, invalid_json, '
  'unmapped_payload, row_rejected, route_unavailable (the last four keep the payload and a '
  'detail). delivery: not_routed, linked (golden_id), queued (a deferred source: matched after '
  'commit), in_review, flagged, quarantined, '
  'skipped_replay. Refusals are returned, not raised; 22023 only for a NULL source or payload.';

REVOKE ALL ON dedupe.webhook_routes FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON dedupe.webhook_routes TO dedupe_admin;
REVOKE ALL ON FUNCTION dedupe.ingest_webhook(text, text, bytea, text, timestamptz),
  dedupe.route_webhook(text, text, jsonb, jsonb, name, name[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dedupe.ingest_webhook(text, text, bytea, text, timestamptz)
  TO dedupe_admin, dedupe_webhook_intake;
GRANT EXECUTE ON FUNCTION dedupe.route_webhook(text, text, jsonb, jsonb, name, name[]) TO dedupe_admin;

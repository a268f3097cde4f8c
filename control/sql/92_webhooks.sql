-- Signed webhook intake. A sender signs the raw payload with HMAC-SHA256 under a secret it
-- shares with us; we accept an event only when the signature matches, the timestamp is
-- fresh and its event id was never accepted before. Every attempt, accepted or refused, is
-- one append-only row in dedupe.webhook_events. Secrets never leave dedupe.webhook_secrets:
-- not into events, audit rows, error messages or logs.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'dedupe_webhook_intake') THEN
    CREATE ROLE dedupe_webhook_intake NOLOGIN;
  END IF;
END $$;

CREATE FUNCTION dedupe.hmac_sha256(data bytea, key bytea) RETURNS bytea
  AS 'MODULE_PATHNAME', 'dedupe_hmac_sha256' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.hmac_sha256(bytea, bytea) IS
  'HMAC-SHA256 of data under key (OpenSSL libcrypto; RFC 2104, test vectors of RFC 4231)';

CREATE FUNCTION dedupe._webhook_signature_problem(payload bytea, signature text, secret bytea) RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_webhook_signature_problem' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe._webhook_signature_problem(bytea, text, bytea) IS
  'internal: NULL when signature (hex or base64, optional sha256= prefix) is HMAC-SHA256(secret, '
  'payload), compared in constant time; otherwise malformed_signature or signature_mismatch';

CREATE FUNCTION dedupe._webhook_signature_problem(payload bytea, signature text, secret bytea,
  previous_secret bytea) RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_webhook_signature_problem_rotating' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dedupe._webhook_signature_problem(bytea, text, bytea, bytea) IS
  'internal: as the three-argument form, valid under secret or previous_secret (a rotation); '
  'both HMACs are computed and compared in constant time. previous_secret NULL checks secret only';

CREATE FUNCTION dedupe.webhook_clock_skew() RETURNS interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$ SELECT interval '30 seconds' $$;
COMMENT ON FUNCTION dedupe.webhook_clock_skew() IS
  'How far in the future a webhook''s sent_at may be (the sender''s clock running ahead of the '
  'database''s): 30 seconds. Later timestamps are refused as future_timestamp.';

-- Why a webhook is refused, or NULL. Cheap checks first; the signature last.
CREATE FUNCTION dedupe._webhook_problem(payload bytea, signature text, secret bytea,
  sent_at timestamptz, max_age interval, previous_secret bytea DEFAULT NULL) RETURNS text
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF payload IS NULL OR secret IS NULL THEN
    RAISE EXCEPTION 'webhook verification needs a payload and a secret' USING ERRCODE = '22023';
  END IF;
  IF max_age IS NULL OR max_age <= interval '0' THEN
    RAISE EXCEPTION 'max_age must be a positive interval' USING ERRCODE = '22023';
  END IF;
  IF signature IS NULL OR pg_catalog.btrim(signature) = '' THEN
    RETURN 'missing_signature';
  ELSIF sent_at IS NULL THEN
    RETURN 'missing_timestamp';
  ELSIF sent_at > pg_catalog.clock_timestamp() + dedupe.webhook_clock_skew() THEN
    RETURN 'future_timestamp';
  ELSIF sent_at < pg_catalog.clock_timestamp() - max_age THEN
    RETURN 'stale_timestamp';
  END IF;
  RETURN dedupe._webhook_signature_problem(payload, signature, secret, previous_secret);
END $$;
COMMENT ON FUNCTION dedupe._webhook_problem(bytea, text, bytea, timestamptz, interval, bytea) IS
  'internal: why a webhook fails verification (missing_signature, missing_timestamp, '
  'future_timestamp, stale_timestamp, malformed_signature, signature_mismatch) or NULL';

CREATE FUNCTION dedupe.verify_webhook(payload bytea, signature text, secret bytea, sent_at timestamptz,
  max_age interval DEFAULT '5 minutes') RETURNS boolean
LANGUAGE sql VOLATILE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT dedupe._webhook_problem(payload, signature, secret, sent_at, max_age) IS NULL
$$;
COMMENT ON FUNCTION dedupe.verify_webhook(bytea, text, bytea, timestamptz, interval) IS
  'true when signature is HMAC-SHA256(secret, payload) as 64 hex digits or base64 (optional '
  'sha256= prefix; constant-time comparison) and sent_at lies within max_age before now and at '
  'most dedupe.webhook_clock_skew() (30 s) after it. A missing or malformed signature is false; '
  'a NULL payload or secret, or max_age <= 0, raises 22023. The HMAC covers the payload only: '
  'take sent_at from inside the signed payload, not from an unsigned header.';

CREATE TABLE dedupe.webhook_secrets (
  source     text PRIMARY KEY CHECK (source ~ '^[A-Za-z0-9_.-]{1,63}$'),
  secret     bytea NOT NULL CHECK (pg_catalog.octet_length(secret) >= 16),
  max_age    interval NOT NULL DEFAULT '5 minutes' CHECK (max_age > interval '0'),
  created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  updated_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  -- A rotation: the secret being replaced stays valid until previous_expires_at, so
  -- deliveries the sender signed before it switched are not refused.
  previous_secret     bytea CHECK (pg_catalog.octet_length(previous_secret) >= 16),
  previous_expires_at timestamptz,
  CHECK ((previous_secret IS NULL) = (previous_expires_at IS NULL))
);
COMMENT ON TABLE dedupe.webhook_secrets IS
  'The shared secret (at least 16 bytes) and freshness window of each webhook sender, and during '
  'a rotation the secret it replaces with the instant it stops being accepted. Readable '
  'and writable only by dedupe_admin and the extension owner; dedupe.ingest_webhook() reads it '
  'with the owner''s rights.';
SELECT pg_catalog.pg_extension_config_dump('dedupe.webhook_secrets', '');

-- Runs as the caller (dedupe_admin may update the table); nothing user-defined is involved.
CREATE FUNCTION dedupe.rotate_webhook_secret(source text, new_secret bytea,
  overlap interval DEFAULT '1 day') RETURNS timestamptz
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  expires timestamptz;
BEGIN
  IF overlap IS NULL OR overlap <= interval '0' OR overlap > interval '90 days' THEN
    RAISE EXCEPTION 'overlap must lie between 0 and 90 days, not %', coalesce(overlap::text, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  IF new_secret IS NULL OR pg_catalog.octet_length(new_secret) < 16 THEN
    RAISE EXCEPTION 'a webhook secret needs at least 16 bytes' USING ERRCODE = '22023';
  END IF;
  expires := pg_catalog.clock_timestamp() + overlap;
  UPDATE dedupe.webhook_secrets w
     SET previous_secret = w.secret, previous_expires_at = expires, secret = new_secret,
         updated_at = pg_catalog.now()
   WHERE w.source = rotate_webhook_secret.source AND w.secret <> new_secret;
  IF NOT FOUND THEN
    IF EXISTS (SELECT FROM dedupe.webhook_secrets w WHERE w.source = rotate_webhook_secret.source) THEN
      RAISE EXCEPTION 'the new secret of webhook source "%" is the one in use', source USING ERRCODE = '22023';
    END IF;
    RAISE EXCEPTION 'webhook source "%" has no secret to rotate', source USING ERRCODE = '42704',
      HINT = 'INSERT its first secret into dedupe.webhook_secrets.';
  END IF;
  RETURN expires;
END $$;
COMMENT ON FUNCTION dedupe.rotate_webhook_secret(text, bytea, interval) IS
  'Rotation without downtime: new_secret becomes the source''s secret and the one it replaces '
  'stays valid for overlap (default a day, at most 90 days); returns when the old one expires. '
  'A third secret replaces the previous one: at most two are valid at once.';

CREATE SEQUENCE dedupe.webhook_events_id_seq;
CREATE TABLE dedupe.webhook_events (
  id                bigint PRIMARY KEY DEFAULT pg_catalog.nextval('dedupe.webhook_events_id_seq'),
  source            text NOT NULL,
  event_id          text,
  received_at       timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  sent_at           timestamptz,
  outcome           text NOT NULL CHECK (outcome IN ('accepted', 'refused')),
  reason            text CHECK ((outcome = 'accepted') = (reason IS NULL)),
  -- Kept when accepted, and when the signature held but delivery refused the event (not JSON,
  -- not readable by the route, rejected by the watched table): nothing authentic is lost.
  payload           bytea CHECK (outcome = 'accepted' OR payload IS NULL
                                 OR reason IN ('invalid_json', 'unmapped_payload', 'row_rejected',
                                               'route_unavailable')),
  detail            text,  -- why delivery refused it: SQLSTATE and message
  payload_sha256    bytea NOT NULL,
  backend_pid       integer NOT NULL DEFAULT pg_catalog.pg_backend_pid(),
  application_name  text NOT NULL DEFAULT pg_catalog.current_setting('application_name'),
  session_user_name name NOT NULL DEFAULT SESSION_USER
);
COMMENT ON TABLE dedupe.webhook_events IS
  'Append-only record of every webhook delivery attempt: source, event id, when it was sent and '
  'received, accepted or refused and why, the payload''s SHA-256 (the payload itself when accepted '
  'or when a verified event could not be delivered, with the detail) and the worker (backend pid, application_name, session user). UPDATE, DELETE and '
  'TRUNCATE are refused; dedupe.purge_webhook_events() is the one way to remove old rows.';
CREATE UNIQUE INDEX webhook_events_accepted_once ON dedupe.webhook_events (source, event_id)
  WHERE outcome = 'accepted';
CREATE INDEX webhook_events_received_idx ON dedupe.webhook_events USING brin (received_at);
ALTER SEQUENCE dedupe.webhook_events_id_seq OWNED BY dedupe.webhook_events.id;
COMMENT ON SEQUENCE dedupe.webhook_events_id_seq IS 'Ids of dedupe.webhook_events (dumped with the table)';
-- The append-only guards refuse UPDATE, DELETE and TRUNCATE only: a restore's COPY passes.
SELECT pg_catalog.pg_extension_config_dump('dedupe.webhook_events', '');
SELECT pg_catalog.pg_extension_config_dump('dedupe.webhook_events_id_seq', '');

CREATE FUNCTION dedupe._webhook_events_guard() RETURNS trigger
  AS 'MODULE_PATHNAME', 'dedupe_webhook_events_guard' LANGUAGE C;
COMMENT ON FUNCTION dedupe._webhook_events_guard() IS
  'internal: refuses UPDATE, DELETE and TRUNCATE on dedupe.webhook_events except inside '
  'dedupe.purge_webhook_events()';
CREATE TRIGGER webhook_events_append_only BEFORE UPDATE OR DELETE ON dedupe.webhook_events
  FOR EACH ROW EXECUTE FUNCTION dedupe._webhook_events_guard();
CREATE TRIGGER webhook_events_no_truncate BEFORE TRUNCATE ON dedupe.webhook_events
  FOR EACH STATEMENT EXECUTE FUNCTION dedupe._webhook_events_guard();

CREATE FUNCTION dedupe.purge_webhook_events(older_than interval) RETURNS bigint
  AS 'MODULE_PATHNAME', 'dedupe_purge_webhook_events'
  LANGUAGE C VOLATILE STRICT SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dedupe.purge_webhook_events(interval) IS
  'The one way to remove webhook events (retention; accepted payloads may hold personal data): '
  'deletes events received more than older_than ago and audits the purge. older_than must be at '
  'least a day and longer than every source''s max_age plus the clock skew, so a purged event '
  'id is too old to be accepted again (22023 otherwise). Execute is granted to dedupe_admin only.';

REVOKE ALL ON dedupe.webhook_secrets, dedupe.webhook_events FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON dedupe.webhook_secrets TO dedupe_admin;
GRANT SELECT ON dedupe.webhook_events TO dedupe_admin, dedupe_auditor;
-- hmac_sha256 and verify_webhook (and the helpers it calls) stay executable by everyone:
-- they hold no secret of ours, the caller brings its own.
REVOKE ALL ON FUNCTION dedupe._webhook_events_guard(), dedupe.purge_webhook_events(interval),
  dedupe.rotate_webhook_secret(text, bytea, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dedupe.purge_webhook_events(interval),
  dedupe.rotate_webhook_secret(text, bytea, interval) TO dedupe_admin;
GRANT USAGE ON SCHEMA dedupe TO dedupe_webhook_intake;

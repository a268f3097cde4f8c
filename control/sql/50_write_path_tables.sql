-- Write path: registered sources, the staging identity table, quarantine, idempotency keys
-- and the append-only audit log.
--
-- pg_dump and state: every table here that holds state (configuration and operational data)
-- is registered with pg_extension_config_dump, so a dump restores its rows after CREATE
-- EXTENSION. Ids come from explicit sequences owned by their column and registered too: an
-- identity column's sequence is not a member of the extension, so pg_dump would not carry its
-- position and new ids would collide with restored ones. pg_dump orders the data of config
-- tables by their foreign keys (records after sources, links after records and golden records).

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'dedupe_admin') THEN
    CREATE ROLE dedupe_admin NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'dedupe_auditor') THEN
    CREATE ROLE dedupe_auditor NOLOGIN;
  END IF;
END $$;

CREATE TABLE dedupe.sources (
  source          text PRIMARY KEY CHECK (source ~ '^[A-Za-z0-9_.-]{1,63}$'),
  relid           regclass NOT NULL UNIQUE,
  id_column       name NOT NULL,
  external_id     name,
  email           name,
  phone           name,
  first_name      name,
  last_name       name,
  full_name       name,
  company         name,
  domain          name,
  country         name,
  region          text NOT NULL DEFAULT 'US',
  idempotency_key name,
  on_invalid      text NOT NULL DEFAULT 'reject' CHECK (on_invalid IN ('reject', 'quarantine', 'flag')),
  key_column      name,
  attributes      name[] NOT NULL DEFAULT '{}',  -- further columns copied as golden attributes
  roles           jsonb NOT NULL DEFAULT '{}',  -- further matching roles: {"date_of_birth": "dob", ...}
  created_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
  updated_at      timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE dedupe.sources IS
  'Watched CRM-mirror tables and how their columns map to identity roles; written by dedupe.watch()';
SELECT pg_catalog.pg_extension_config_dump('dedupe.sources', '');

CREATE SEQUENCE dedupe.records_record_id_seq;
CREATE TABLE dedupe.records (
  record_id      bigint PRIMARY KEY DEFAULT pg_catalog.nextval('dedupe.records_record_id_seq'),
  source         text NOT NULL REFERENCES dedupe.sources ON UPDATE CASCADE,
  source_pk      text NOT NULL,
  key            dedupe.match_key,
  valid          boolean NOT NULL,
  invalid_reason text,
  external_id    text,
  email          text,
  phone          text,
  first_name     text,
  last_name      text,
  full_name      text,
  company        text,
  domain         text,
  country        text,
  attributes     jsonb NOT NULL DEFAULT '{}',  -- the mapped extra columns (lead score, ARR,
                                               -- address, product, ...) as text values
  roles          jsonb NOT NULL DEFAULT '{}',  -- further matching roles (date_of_birth, street,
                                               -- postcode, city, ...), normalized as batch does
  name_block     text,  -- Double Metaphone of last_name ':' initial of the canonical first
                        -- name (Bob -> r): the block fuzzy matching searches (computed
                        -- with the normalization: name_block in src/core/normalize/record)
  created_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
  updated_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
  UNIQUE (source, source_pk)
);
COMMENT ON TABLE dedupe.records IS
  'One row per watched row: its identity key and normalized attributes; the one place matching reads';
-- fastupdate off: the matcher looks keys up right after writing them, and a GIN pending
-- list is scanned linearly by every look-up until VACUUM merges it.
CREATE INDEX records_key_idx ON dedupe.records USING gin (key) WITH (fastupdate = off);
CREATE INDEX records_full_name_idx ON dedupe.records (full_name);
CREATE INDEX records_name_block_idx ON dedupe.records (name_block, record_id);
-- The matcher's blocks over the further roles (dedupe._role_blocks): containment look-ups.
-- Partial: records of tables that map no further role are not in it, and its size tells the
-- planner that a look-up here is cheap.
CREATE INDEX records_roles_idx ON dedupe.records USING gin (roles jsonb_path_ops)
  WITH (fastupdate = off) WHERE roles <> '{}'::jsonb;
ALTER SEQUENCE dedupe.records_record_id_seq OWNED BY dedupe.records.record_id;
COMMENT ON SEQUENCE dedupe.records_record_id_seq IS 'Ids of dedupe.records (dumped with the table)';
SELECT pg_catalog.pg_extension_config_dump('dedupe.records', '');
SELECT pg_catalog.pg_extension_config_dump('dedupe.records_record_id_seq', '');

CREATE SEQUENCE dedupe.quarantine_quarantine_id_seq;
CREATE TABLE dedupe.quarantine (
  quarantine_id  bigint PRIMARY KEY DEFAULT pg_catalog.nextval('dedupe.quarantine_quarantine_id_seq'),
  source         text NOT NULL REFERENCES dedupe.sources ON UPDATE CASCADE,
  source_pk      text,
  row_data       jsonb NOT NULL,
  reason         text NOT NULL,
  quarantined_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  quarantined_by name NOT NULL DEFAULT CURRENT_USER,
  released_at    timestamptz,
  released_by    name
);
COMMENT ON TABLE dedupe.quarantine IS
  'Rows a source with on_invalid = quarantine refused, kept whole with the reason; see dedupe.release()';
CREATE INDEX quarantine_open_idx ON dedupe.quarantine (source) WHERE released_at IS NULL;
ALTER SEQUENCE dedupe.quarantine_quarantine_id_seq OWNED BY dedupe.quarantine.quarantine_id;
COMMENT ON SEQUENCE dedupe.quarantine_quarantine_id_seq IS 'Ids of dedupe.quarantine (dumped with the table)';
SELECT pg_catalog.pg_extension_config_dump('dedupe.quarantine', '');
SELECT pg_catalog.pg_extension_config_dump('dedupe.quarantine_quarantine_id_seq', '');

CREATE TABLE dedupe.idempotency_keys (
  source       text NOT NULL REFERENCES dedupe.sources ON UPDATE CASCADE ON DELETE CASCADE,
  key          text NOT NULL,
  source_pk    text,
  processed_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  PRIMARY KEY (source, key)
);
COMMENT ON TABLE dedupe.idempotency_keys IS
  'Idempotency keys already processed per source; a second write with one is skipped and audited as replayed';
CREATE INDEX idempotency_keys_age_idx ON dedupe.idempotency_keys (processed_at);
SELECT pg_catalog.pg_extension_config_dump('dedupe.idempotency_keys', '');

CREATE SEQUENCE dedupe.audit_log_id_seq;
CREATE TABLE dedupe.audit_log (
  id               bigint PRIMARY KEY DEFAULT pg_catalog.nextval('dedupe.audit_log_id_seq'),
  at               timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  txid             xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
  actor            name NOT NULL DEFAULT CURRENT_USER,
  session_user_name name NOT NULL DEFAULT SESSION_USER,
  application_name text NOT NULL DEFAULT pg_catalog.current_setting('application_name'),
  backend_pid      integer NOT NULL DEFAULT pg_catalog.pg_backend_pid(),
  source           text,
  source_pk        text,
  record_id        bigint,
  decision         text NOT NULL,
  rule             text,
  score            double precision,
  inputs           jsonb,
  reason           text
);
COMMENT ON TABLE dedupe.audit_log IS
  'Append-only log of every decision (normalized, flagged, quarantined, replayed, released, deleted, '
  'purged, and golden-record decisions). UPDATE, DELETE and TRUNCATE are refused for every role; '
  'only dedupe.purge_audit_log() removes old rows, and it audits itself. Readable by dedupe_auditor.';
-- BRIN: the log is append-only, so 'at' follows the physical order and a block-range index
-- serves retention purges at a fraction of a btree's cost per insert.
CREATE INDEX audit_log_at_idx ON dedupe.audit_log USING brin (at);
CREATE INDEX audit_log_source_pk_idx ON dedupe.audit_log (source, source_pk);
ALTER SEQUENCE dedupe.audit_log_id_seq OWNED BY dedupe.audit_log.id;
COMMENT ON SEQUENCE dedupe.audit_log_id_seq IS 'Ids of dedupe.audit_log (dumped with the table)';
-- The audit log's guards refuse UPDATE, DELETE and TRUNCATE only: a restore's COPY passes.
SELECT pg_catalog.pg_extension_config_dump('dedupe.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('dedupe.audit_log_id_seq', '');

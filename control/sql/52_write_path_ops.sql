-- Quarantine release, retention, and the append-only guard of dedupe.audit_log.

CREATE FUNCTION dedupe.release(quarantine_id bigint) RETURNS void LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  q dedupe.quarantine;
  src dedupe.sources;
  n bigint;
BEGIN
  SELECT * INTO q FROM dedupe.quarantine qq WHERE qq.quarantine_id = release.quarantine_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'quarantined row % does not exist', quarantine_id USING ERRCODE = '42704';
  END IF;
  IF q.released_at IS NOT NULL THEN
    RAISE EXCEPTION 'quarantined row % was already released at %', quarantine_id, q.released_at
      USING ERRCODE = '55000';
  END IF;
  SELECT * INTO src FROM dedupe.sources s WHERE s.source = q.source;
  IF NOT src.watching THEN
    RAISE EXCEPTION 'source % is no longer watched', q.source USING ERRCODE = '55000';
  END IF;
  -- Re-insert through the table's own triggers: a row that is still invalid is quarantined
  -- again (or rejected), so release never lets an unvalidated row in.
  EXECUTE format('INSERT INTO %s SELECT * FROM pg_catalog.jsonb_populate_record(NULL::%s, $1)',
                 src.relid, src.relid) USING q.row_data;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n = 0 THEN
    RAISE EXCEPTION 'quarantined row % is still invalid: %', quarantine_id,
      (SELECT qq.reason FROM dedupe.quarantine qq WHERE qq.source = q.source
        ORDER BY qq.quarantine_id DESC LIMIT 1)
      USING ERRCODE = '23514', HINT = 'Correct dedupe.quarantine.row_data, then release it again.';
  END IF;
  UPDATE dedupe.quarantine SET released_at = pg_catalog.clock_timestamp(), released_by = CURRENT_USER
   WHERE dedupe.quarantine.quarantine_id = release.quarantine_id;
  PERFORM dedupe._audit(q.source, q.source_pk, 'released', q.row_data,
                        'released from quarantine ' || quarantine_id);
END $$;
COMMENT ON FUNCTION dedupe.release(bigint) IS
  'Re-inserts a quarantined row (after you corrected dedupe.quarantine.row_data) into its table '
  'through the watch triggers, and marks it released';

CREATE FUNCTION dedupe.purge_idempotency_keys(older_than interval) RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n bigint;
BEGIN
  IF older_than IS NULL OR older_than < interval '0' THEN
    RAISE EXCEPTION 'older_than must be a non-negative interval' USING ERRCODE = '22023';
  END IF;
  DELETE FROM dedupe.idempotency_keys WHERE processed_at < pg_catalog.clock_timestamp() - older_than;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM dedupe._audit(NULL, NULL, 'idempotency_keys_purged',
                        pg_catalog.jsonb_build_object('older_than', older_than, 'rows', n), NULL);
  RETURN n;
END $$;
COMMENT ON FUNCTION dedupe.purge_idempotency_keys(interval) IS
  'Forgets processed idempotency keys older than the given age (their retention); returns how many';

CREATE FUNCTION dedupe.audit_log_guard() RETURNS trigger
  AS 'MODULE_PATHNAME', 'dedupe_audit_log_guard'
  LANGUAGE C;
COMMENT ON FUNCTION dedupe.audit_log_guard() IS
  'internal: refuses UPDATE, DELETE and TRUNCATE on dedupe.audit_log except inside dedupe.purge_audit_log()';
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON dedupe.audit_log
  FOR EACH ROW EXECUTE FUNCTION dedupe.audit_log_guard();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON dedupe.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION dedupe.audit_log_guard();

CREATE FUNCTION dedupe.purge_audit_log(older_than interval) RETURNS bigint
  AS 'MODULE_PATHNAME', 'dedupe_purge_audit_log'
  LANGUAGE C VOLATILE STRICT SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dedupe.purge_audit_log(interval) IS
  'The one way to remove audit rows: deletes rows older than the given age (at least 30 days) and '
  'records the purge itself in the audit log. Execute is granted to dedupe_admin only.';
REVOKE ALL ON FUNCTION dedupe.purge_audit_log(interval) FROM PUBLIC;

-- ALTER TABLE anywhere in the database, checked at its end:
--  * the audit log: disabling its guard triggers would defeat them, so any ALTER TABLE of it
--    is refused, for its owner too (superusers can still disable event triggers: append-only
--    holds for every role below superuser);
--  * a watched table attached as a partition: rows written through the parent would end no
--    statement on it (see dedupe._check_watchable), so that is refused too.
-- It fires for every role's DDL: SECURITY DEFINER, reading only catalogs and dedupe.sources,
-- so a role with no rights on schema dedupe can alter its own tables.
CREATE FUNCTION dedupe._check_altered_tables() RETURNS event_trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  partition regclass;
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_event_trigger_ddl_commands() c
              WHERE c.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                AND c.objid OPERATOR(pg_catalog.=) 'dedupe.audit_log'::pg_catalog.regclass) THEN
    RAISE EXCEPTION 'dedupe.audit_log is append-only: % is refused', tg_tag
      USING ERRCODE = '42501';
  END IF;
  SELECT s.relid INTO partition FROM dedupe.sources s
    JOIN pg_catalog.pg_class r ON r.oid OPERATOR(pg_catalog.=) s.relid::pg_catalog.oid
   WHERE s.watching AND r.relispartition LIMIT 1;
  IF partition IS NOT NULL THEN
    RAISE EXCEPTION 'watched table % cannot become a partition', partition USING ERRCODE = '0A000',
      HINT = 'Call dedupe.unwatch() first; partitioned tables are not supported yet.';
  END IF;
END $$;
COMMENT ON FUNCTION dedupe._check_altered_tables() IS
  'internal: event trigger function refusing ALTER TABLE on dedupe.audit_log and the attachment '
  'of a watched table as a partition';
CREATE EVENT TRIGGER dedupe_check_altered_tables ON ddl_command_end WHEN TAG IN ('ALTER TABLE')
  EXECUTE FUNCTION dedupe._check_altered_tables();

-- DROP TABLE of a watched table (or a DROP SCHEMA / DROP OWNED that takes it along) fires no
-- DML trigger: the registration stops watching and the table's records and their golden
-- records' memberships go with it, audited. SECURITY DEFINER: the role dropping its table
-- has no rights on dedupe.*; the function reads only the catalog's list of dropped objects.
CREATE FUNCTION dedupe._forget_dropped_tables() RETURNS event_trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  src text;
BEGIN
  FOR src IN
    SELECT s.source FROM dedupe.sources s
      JOIN pg_catalog.pg_event_trigger_dropped_objects() d
        ON d.objid OPERATOR(pg_catalog.=) s.relid::pg_catalog.oid AND d.objsubid = 0
       AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
     WHERE s.watching
  LOOP
    UPDATE dedupe.sources SET watching = false, updated_at = pg_catalog.now() WHERE source = src;
    PERFORM dedupe._forget_records(src, NULL);
    PERFORM dedupe._audit(src, NULL, 'unwatched', NULL, 'the watched table was dropped');
  END LOOP;
END $$;
COMMENT ON FUNCTION dedupe._forget_dropped_tables() IS
  'internal: event trigger function: a dropped watched table stops being watched and its '
  'records are forgotten';
CREATE EVENT TRIGGER dedupe_forget_dropped_tables ON sql_drop
  EXECUTE FUNCTION dedupe._forget_dropped_tables();

-- Privileges: configuration is written only by the extension owner and dedupe_admin; the
-- triggers switch to the owner's rights, so writers of watched tables need no grants here.
REVOKE ALL ON ALL TABLES IN SCHEMA dedupe FROM PUBLIC;
GRANT USAGE ON SCHEMA dedupe TO dedupe_admin, dedupe_auditor;
GRANT SELECT, INSERT, UPDATE, DELETE ON dedupe.sources TO dedupe_admin;
GRANT SELECT ON dedupe.records, dedupe.quarantine, dedupe.idempotency_keys TO dedupe_admin;
GRANT UPDATE (row_data, released_at, released_by) ON dedupe.quarantine TO dedupe_admin;
GRANT DELETE ON dedupe.records, dedupe.idempotency_keys TO dedupe_admin;
GRANT SELECT ON dedupe.audit_log TO dedupe_admin, dedupe_auditor;
GRANT EXECUTE ON FUNCTION dedupe.purge_audit_log(interval) TO dedupe_admin;
REVOKE ALL ON FUNCTION dedupe.watch(regclass, text, name, name, name, name, name, name, name, name,
  name, name, text, name, text, name, name[], jsonb, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION dedupe.unwatch(regclass, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION dedupe.release(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION dedupe.purge_idempotency_keys(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dedupe.watch(regclass, text, name, name, name, name, name, name, name,
  name, name, name, text, name, text, name, name[], jsonb, text), dedupe.unwatch(regclass, boolean), dedupe.release(bigint),
  dedupe.purge_idempotency_keys(interval) TO dedupe_admin;

CREATE FUNCTION dedupe._audit(source text, source_pk text, decision text, inputs jsonb, reason text)
RETURNS void AS 'MODULE_PATHNAME', 'dedupe_audit'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dedupe._audit(text, text, text, jsonb, text) IS
  'internal: appends one audit row with the caller recorded as actor (used by the SQL-level '
  'functions of pg_dedupe; executable by dedupe_admin)';
REVOKE ALL ON FUNCTION dedupe._audit(text, text, text, jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dedupe._audit(text, text, text, jsonb, text) TO dedupe_admin;

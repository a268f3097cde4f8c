-- Registration of watched tables: dedupe.watch() / dedupe.unwatch().

ALTER TABLE dedupe.sources ADD COLUMN watching boolean NOT NULL DEFAULT true;
-- immediate: rows are matched into golden records in the writing transaction; deferred: the
-- writing transaction stages, validates and audits them and puts them in dedupe.match_queue,
-- and the matcher worker (or CALL dedupe.match_pending()) matches them after commit.
ALTER TABLE dedupe.sources ADD COLUMN matching text NOT NULL DEFAULT 'immediate'
  CHECK (matching IN ('immediate', 'deferred'));

CREATE FUNCTION dedupe.watch_trigger() RETURNS trigger
  AS 'MODULE_PATHNAME', 'dedupe_watch_trigger'
  LANGUAGE C SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dedupe.watch_trigger() IS
  'BEFORE INSERT OR UPDATE row trigger installed by dedupe.watch(): skips replays of a processed '
  'idempotency key, quarantines invalid rows (on_invalid = quarantine) and fills the key column';

CREATE FUNCTION dedupe.watch_stage_trigger() RETURNS trigger
  AS 'MODULE_PATHNAME', 'dedupe_watch_stage_trigger'
  LANGUAGE C SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dedupe.watch_stage_trigger() IS
  'AFTER INSERT OR UPDATE row trigger installed by dedupe.watch(): normalizes and validates the '
  'row as PostgreSQL wrote it and stages it for dedupe.records, so a row that was not written '
  '(ON CONFLICT DO NOTHING, a BEFORE trigger returning NULL) leaves no record';

CREATE FUNCTION dedupe.watch_flush_trigger() RETURNS trigger
  AS 'MODULE_PATHNAME', 'dedupe_watch_flush_trigger'
  LANGUAGE C SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dedupe.watch_flush_trigger() IS
  'AFTER INSERT OR UPDATE statement trigger installed by dedupe.watch(): writes the rows the row '
  'trigger staged to dedupe.records and dedupe.audit_log, many rows per statement';

CREATE FUNCTION dedupe.watch_delete_trigger() RETURNS trigger
  AS 'MODULE_PATHNAME', 'dedupe_watch_delete_trigger'
  LANGUAGE C SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dedupe.watch_delete_trigger() IS
  'AFTER DELETE row trigger installed by dedupe.watch(): removes the staged record and audits it';

CREATE FUNCTION dedupe._more_role_names() RETURNS text[]
  AS 'MODULE_PATHNAME', 'dedupe_more_role_names'
  LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dedupe._more_role_names() IS
  'internal: the matching roles dedupe.watch(roles => ...) accepts beyond the identity fields '
  '(the core''s role table)';

CREATE FUNCTION dedupe._stage_existing_rows(tbl regclass) RETURNS bigint
  AS 'MODULE_PATHNAME', 'dedupe_stage_existing_rows'
  LANGUAGE C VOLATILE STRICT SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dedupe._stage_existing_rows(regclass) IS
  'internal: stages the rows a table holds when dedupe.watch() installs its triggers (reading '
  'them with the caller''s rights; NOTICE every 100,000 rows) and forgets records of rows that '
  'are gone; returns the number of rows staged';

CREATE FUNCTION dedupe._is_known_region(region text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_is_known_region'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe._is_known_region(text) IS
  'internal: true when libphonenumber knows the ISO 3166-1 alpha-2 region code';

CREATE FUNCTION dedupe.watch_truncate_trigger() RETURNS trigger
  AS 'MODULE_PATHNAME', 'dedupe_watch_truncate_trigger'
  LANGUAGE C SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dedupe.watch_truncate_trigger() IS
  'AFTER TRUNCATE statement trigger installed by dedupe.watch(): TRUNCATE fires no row '
  'triggers, so this removes the source''s staged records and audits it';

-- Checks that a mapped column exists and has a type the role can use. kind: 'any',
-- 'string' (type category S: text, varchar, char, name, citext, ...) or 'match_key'.
CREATE FUNCTION dedupe._check_mapped_column(tbl regclass, role text, col name, kind text)
RETURNS void LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  coltype oid;
BEGIN
  IF col IS NULL THEN RETURN; END IF;
  IF kind = 'match_key' AND EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = tbl
                                       AND a.attname = col AND a.attgenerated <> '') THEN
    RAISE EXCEPTION 'column "%" mapped as % is a generated column', col, role USING ERRCODE = '0A000',
      HINT = 'dedupe.watch() fills the key column itself: map a plain dedupe.match_key column.';
  END IF;
  SELECT a.atttypid INTO coltype FROM pg_catalog.pg_attribute a
   WHERE a.attrelid = tbl AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
  IF coltype IS NULL THEN
    RAISE EXCEPTION 'column "%" mapped as % does not exist in table %', col, role, tbl
      USING ERRCODE = '42703';
  END IF;
  IF kind = 'string' AND (SELECT t.typcategory FROM pg_catalog.pg_type t WHERE t.oid = coltype) <> 'S' THEN
    RAISE EXCEPTION 'column "%" mapped as % has type %, expected a string type', col, role, coltype::regtype
      USING ERRCODE = '42804';
  END IF;
  IF kind = 'match_key' AND coltype <> 'dedupe.match_key'::regtype THEN
    RAISE EXCEPTION 'column "%" mapped as % has type %, expected dedupe.match_key', col, role, coltype::regtype
      USING ERRCODE = '42804';
  END IF;
END $$;
COMMENT ON FUNCTION dedupe._check_mapped_column(regclass, text, name, text) IS
  'internal: validates one column mapping of dedupe.watch()';

-- The shapes of table the triggers can keep dedupe.records in step with, checked once by
-- dedupe.watch(): a plain table that is no partition (rows written through a partitioned
-- parent fire the partition's row triggers but only the parent's statement triggers, and
-- TRUNCATE, DETACH or DROP of a partition fire none of the parent's), an id column that
-- identifies a row by itself, and no generated column where the BEFORE trigger needs a value
-- (PostgreSQL computes generated columns after BEFORE triggers run).
CREATE FUNCTION dedupe._check_watchable(tbl regclass, id_column name, identity_columns name[],
  on_invalid text, key_column name)
RETURNS void LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  kind "char";
  id_attnum int2;
  generated name;
BEGIN
  SELECT c.relkind INTO kind FROM pg_catalog.pg_class c WHERE c.oid = tbl;
  IF kind = 'p' THEN
    RAISE EXCEPTION '% is a partitioned table', tbl USING ERRCODE = '0A000',
      HINT = 'Watch a plain table; partitioned tables are not supported yet.';
  ELSIF kind IS DISTINCT FROM 'r' THEN
    RAISE EXCEPTION '% is not a table', tbl USING ERRCODE = '42809';
  ELSIF (SELECT c.relispartition FROM pg_catalog.pg_class c WHERE c.oid = tbl) THEN
    RAISE EXCEPTION '% is a partition', tbl USING ERRCODE = '0A000',
      HINT = 'Watch a plain table; partitioned tables are not supported yet.';
  END IF;
  SELECT a.attnum INTO id_attnum FROM pg_catalog.pg_attribute a
   WHERE a.attrelid = tbl AND a.attname = id_column AND NOT a.attisdropped;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_index i
                  WHERE i.indrelid = tbl AND i.indisunique AND i.indisvalid AND i.indnkeyatts = 1
                    AND i.indkey[0] = id_attnum AND i.indpred IS NULL AND i.indexprs IS NULL) THEN
    RAISE EXCEPTION 'id_column "%" does not identify a row of % by itself', id_column, tbl
      USING ERRCODE = '42P10',
      HINT = 'Map a column with a primary key or unique index of its own; one record is kept per id.';
  END IF;
  SELECT a.attname INTO generated FROM pg_catalog.pg_attribute a
   WHERE a.attrelid = tbl AND a.attgenerated <> '' AND NOT a.attisdropped
     AND (a.attname = id_column OR ((on_invalid = 'quarantine' OR key_column IS NOT NULL)
                                     AND a.attname = ANY (identity_columns)))
   LIMIT 1;
  IF generated IS NOT NULL THEN
    RAISE EXCEPTION 'column "%" of % is a generated column', generated, tbl USING ERRCODE = '0A000',
      HINT = 'Generated columns are computed after BEFORE triggers, which need the id column, and '
             'the identity columns in quarantine mode or with a key column; map the columns they '
             'are computed from.';
  END IF;
END $$;
COMMENT ON FUNCTION dedupe._check_watchable(regclass, name, name[], text, name) IS
  'internal: refuses the table shapes the watch triggers cannot keep dedupe.records in step with';

-- The triggers dedupe.watch() installs, by name: dropped together wherever they go.
CREATE FUNCTION dedupe._drop_watch_triggers(tbl regclass) RETURNS void LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['dedupe_watch', 'dedupe_watch_stage', 'dedupe_watch_flush',
                           'dedupe_watch_delete', 'dedupe_watch_truncate'] LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', t, tbl);
  END LOOP;
END $$;
COMMENT ON FUNCTION dedupe._drop_watch_triggers(regclass) IS
  'internal: removes the triggers dedupe.watch() installed on a table';

CREATE FUNCTION dedupe.watch(
  tbl regclass, source text,
  id_column name, external_id name DEFAULT NULL, email name DEFAULT NULL, phone name DEFAULT NULL,
  first_name name DEFAULT NULL, last_name name DEFAULT NULL, full_name name DEFAULT NULL,
  company name DEFAULT NULL, domain name DEFAULT NULL, country name DEFAULT NULL,
  region text DEFAULT 'US', idempotency_key name DEFAULT NULL, on_invalid text DEFAULT 'reject',
  key_column name DEFAULT NULL, attributes name[] DEFAULT NULL, roles jsonb DEFAULT NULL,
  matching text DEFAULT 'immediate')
RETURNS dedupe.sources LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp SET client_min_messages = warning AS $$
DECLARE
  result dedupe.sources;
  args text;
  staged bigint;
  bad_role text;
BEGIN
  IF on_invalid IS NULL OR on_invalid NOT IN ('reject', 'quarantine', 'flag') THEN
    RAISE EXCEPTION 'on_invalid must be reject, quarantine or flag, not %', coalesce(on_invalid, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  IF matching IS NULL OR matching NOT IN ('immediate', 'deferred') THEN
    RAISE EXCEPTION 'matching must be immediate or deferred, not %', coalesce(matching, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  IF region IS NULL OR NOT dedupe._is_known_region(region) THEN
    RAISE EXCEPTION 'unknown phone region "%"', region USING ERRCODE = '22023',
      HINT = 'Use an ISO 3166-1 alpha-2 code such as US, GB or DE.';
  END IF;
  IF id_column IS NULL THEN
    RAISE EXCEPTION 'id_column is required' USING ERRCODE = '22023';
  END IF;
  IF coalesce(external_id, email, phone) IS NULL THEN
    RAISE EXCEPTION 'a watched table needs at least one identity column'
      USING ERRCODE = '22023', HINT = 'Map external_id, email or phone.';
  END IF;
  PERFORM dedupe._check_mapped_column(tbl, 'id_column', id_column, 'any');
  PERFORM dedupe._check_watchable(tbl, id_column, ARRAY[external_id, email, phone, first_name,
    last_name, full_name, company, domain, country] ||
    ARRAY(SELECT r.value::name FROM pg_catalog.jsonb_each_text(coalesce(roles, '{}')) r),
    on_invalid, key_column);
  PERFORM dedupe._check_mapped_column(tbl, 'external_id', external_id, 'any');
  PERFORM dedupe._check_mapped_column(tbl, 'email', email, 'string');
  PERFORM dedupe._check_mapped_column(tbl, 'phone', phone, 'string');
  PERFORM dedupe._check_mapped_column(tbl, 'first_name', first_name, 'string');
  PERFORM dedupe._check_mapped_column(tbl, 'last_name', last_name, 'string');
  PERFORM dedupe._check_mapped_column(tbl, 'full_name', full_name, 'string');
  PERFORM dedupe._check_mapped_column(tbl, 'company', company, 'string');
  PERFORM dedupe._check_mapped_column(tbl, 'domain', domain, 'string');
  PERFORM dedupe._check_mapped_column(tbl, 'country', country, 'string');
  PERFORM dedupe._check_mapped_column(tbl, 'idempotency_key', idempotency_key, 'any');
  PERFORM dedupe._check_mapped_column(tbl, 'key_column', key_column, 'match_key');
  PERFORM dedupe._check_mapped_column(tbl, 'attributes', a, 'any') FROM unnest(attributes) a;
  IF array_position(attributes, NULL) IS NOT NULL THEN
    RAISE EXCEPTION 'attributes must not contain NULL' USING ERRCODE = '22004';
  END IF;
  IF roles IS NOT NULL AND pg_catalog.jsonb_typeof(roles) <> 'object' THEN
    RAISE EXCEPTION 'roles must be a JSON object of role: column' USING ERRCODE = '22023';
  END IF;
  SELECT r.key INTO bad_role FROM pg_catalog.jsonb_each(coalesce(roles, '{}')) r
   WHERE r.key <> ALL (dedupe._more_role_names()) OR pg_catalog.jsonb_typeof(r.value) <> 'string'
   LIMIT 1;
  IF bad_role IS NOT NULL THEN
    RAISE EXCEPTION 'roles maps "%", which is not a further matching role to a column name', bad_role
      USING ERRCODE = '22023',
      HINT = 'Roles: ' || pg_catalog.array_to_string(dedupe._more_role_names(), ', ') ||
             '; each mapped to a column name, e.g. {"date_of_birth": "dob"}.';
  END IF;
  PERFORM dedupe._check_mapped_column(tbl, r.key, r.value::name, 'any')
     FROM pg_catalog.jsonb_each_text(coalesce(roles, '{}')) r;

  INSERT INTO dedupe.sources AS s (source, relid, id_column, external_id, email, phone, first_name,
      last_name, full_name, company, domain, country, region, idempotency_key, on_invalid, key_column,
      attributes, roles, matching)
  VALUES (watch.source, tbl, watch.id_column, watch.external_id, watch.email, watch.phone,
      watch.first_name, watch.last_name, watch.full_name, watch.company, watch.domain, watch.country,
      upper(watch.region), watch.idempotency_key, watch.on_invalid, watch.key_column,
      coalesce(ARRAY(SELECT DISTINCT a FROM unnest(watch.attributes) a ORDER BY a), '{}'),
      coalesce(watch.roles, '{}'), watch.matching)
  ON CONFLICT ON CONSTRAINT sources_pkey DO UPDATE SET
      relid = EXCLUDED.relid, id_column = EXCLUDED.id_column, external_id = EXCLUDED.external_id,
      email = EXCLUDED.email, phone = EXCLUDED.phone, first_name = EXCLUDED.first_name,
      last_name = EXCLUDED.last_name, full_name = EXCLUDED.full_name, company = EXCLUDED.company,
      domain = EXCLUDED.domain, country = EXCLUDED.country, region = EXCLUDED.region,
      idempotency_key = EXCLUDED.idempotency_key, on_invalid = EXCLUDED.on_invalid,
      key_column = EXCLUDED.key_column, attributes = EXCLUDED.attributes, roles = EXCLUDED.roles,
      matching = EXCLUDED.matching, watching = true, updated_at = pg_catalog.now()
  RETURNING * INTO result;

  -- The trigger carries its whole mapping in its arguments: no lookup per row.
  args := pg_catalog.concat_ws(', ',
    quote_literal(result.source), quote_literal(result.on_invalid), quote_literal(result.region),
    quote_literal('id_column=' || result.id_column),
    quote_literal('external_id=' || result.external_id), quote_literal('email=' || result.email),
    quote_literal('phone=' || result.phone), quote_literal('first_name=' || result.first_name),
    quote_literal('last_name=' || result.last_name), quote_literal('full_name=' || result.full_name),
    quote_literal('company=' || result.company), quote_literal('domain=' || result.domain),
    quote_literal('country=' || result.country),
    quote_literal('idempotency_key=' || result.idempotency_key),
    quote_literal('key_column=' || result.key_column),
    quote_literal('matching=' || result.matching),
    (SELECT string_agg(quote_literal('attribute=' || a), ', ' ORDER BY a) FROM unnest(result.attributes) a),
    (SELECT string_agg(quote_literal('role:' || r.key || '=' || r.value), ', ' ORDER BY r.key)
       FROM pg_catalog.jsonb_each_text(result.roles) r));
  PERFORM dedupe._drop_watch_triggers(tbl);
  EXECUTE format('CREATE TRIGGER dedupe_watch_truncate AFTER TRUNCATE ON %s FOR EACH STATEMENT '
                 'EXECUTE FUNCTION dedupe.watch_truncate_trigger(%s)', tbl, quote_literal(result.source));
  EXECUTE format('CREATE TRIGGER dedupe_watch BEFORE INSERT OR UPDATE ON %s FOR EACH ROW '
                 'EXECUTE FUNCTION dedupe.watch_trigger(%s)', tbl, args);
  EXECUTE format('CREATE TRIGGER dedupe_watch_stage AFTER INSERT OR UPDATE ON %s FOR EACH ROW '
                 'EXECUTE FUNCTION dedupe.watch_stage_trigger(%s)', tbl, args);
  EXECUTE format('CREATE TRIGGER dedupe_watch_flush AFTER INSERT OR UPDATE ON %s '
                 'FOR EACH STATEMENT EXECUTE FUNCTION dedupe.watch_flush_trigger()', tbl);
  EXECUTE format('CREATE TRIGGER dedupe_watch_delete AFTER DELETE ON %s FOR EACH ROW '
                 'EXECUTE FUNCTION dedupe.watch_delete_trigger(%s)', tbl, quote_literal(result.source));

  -- The rows already there (all of them when the table was watched before, under whatever
  -- mapping): upserted by id, so records keep their links and the human decisions about them.
  staged := dedupe._stage_existing_rows(tbl);
  PERFORM dedupe._audit(result.source, NULL, 'watched',
                        pg_catalog.to_jsonb(result) || pg_catalog.jsonb_build_object('rows_staged', staged), NULL);
  RETURN result;
END $$;
COMMENT ON FUNCTION dedupe.watch(regclass, text, name, name, name, name, name, name, name, name, name,
  name, text, name, text, name, name[], jsonb, text) IS
  'Registers a CRM-mirror table as a validated source: maps its columns to identity roles and installs '
  'the triggers that normalize, validate, de-duplicate by idempotency key and audit every write. '
  'on_invalid: reject (error 23514), quarantine (row kept in dedupe.quarantine) or flag. attributes: '
  'further columns (lead score, ARR, product, address) copied into dedupe.records.attributes and, by '
  'survivorship, into the golden record, where owner and high-value rules can test them. roles: '
  'further matching roles as batch names them ({"date_of_birth": "dob", "postcode": "zip", ...}), '
  'compared by the matcher. matching: immediate (golden records in the writing transaction) or '
  'deferred (dedupe.match_queue, matched after commit by the pg_dedupe matcher worker or '
  'CALL dedupe.match_pending()). Re-watching a source updates its mapping and re-stages its rows.';

-- SECURITY DEFINER: forgetting records deletes from dedupe.records and recomputes golden
-- records, which dedupe_admin may not do directly; it acts only on a registered, watched table.
CREATE FUNCTION dedupe.unwatch(tbl regclass, forget_records boolean DEFAULT false) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp SET client_min_messages = warning AS $$
DECLARE
  src text;
BEGIN
  SELECT s.source INTO src FROM dedupe.sources s WHERE s.relid = tbl AND s.watching;
  IF src IS NULL THEN
    RAISE EXCEPTION 'table % is not watched', tbl USING ERRCODE = '42704';
  END IF;
  PERFORM dedupe._drop_watch_triggers(tbl);
  -- The registration stays (quarantined rows and the audit log refer to it). So do the
  -- records, with their golden records, confirmations and overrides, unless asked: watching
  -- the table again brings them up to date instead of starting over.
  UPDATE dedupe.sources SET watching = false, updated_at = pg_catalog.now() WHERE source = src;
  IF forget_records THEN
    PERFORM dedupe._forget_records(src, NULL);  -- golden records follow their members
  END IF;
  PERFORM dedupe._audit(src, NULL, 'unwatched',
                        pg_catalog.jsonb_build_object('forget_records', forget_records), NULL);
END $$;
COMMENT ON FUNCTION dedupe.unwatch(regclass, boolean) IS
  'Removes the dedupe triggers from a watched table. Its records and golden-record links stay '
  '(a later dedupe.watch() re-stages the table and keeps human decisions) unless forget_records '
  'is true; the registration, quarantine and audit history always stay';

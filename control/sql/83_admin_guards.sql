-- Guards on what dedupe_admin may write directly: the grants above allow editing tables whose
-- rows other state depends on; these keep such edits from breaking the write path silently.

-- A source's name lives on in the watched table's trigger arguments and in the audit log,
-- which an ON UPDATE CASCADE cannot reach: renaming it (or pointing it at another table while
-- that table's triggers still carry the name) made every later write fail with 23503. Moving a
-- source is unwatch + watch; watch() may point an unwatched registration at a new table.
CREATE FUNCTION dedupe._sources_keep_identity() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.source IS DISTINCT FROM OLD.source THEN
    RAISE EXCEPTION 'source "%" cannot be renamed', OLD.source USING ERRCODE = '55000',
      DETAIL = 'The watched table''s triggers and the audit log refer to it by name.',
      HINT = 'Call dedupe.unwatch() on the table and dedupe.watch() it again under the new name.';
  END IF;
  IF NEW.relid IS DISTINCT FROM OLD.relid AND OLD.watching THEN
    RAISE EXCEPTION 'source "%" is watching table %', OLD.source, OLD.relid USING ERRCODE = '55000',
      HINT = 'Call dedupe.unwatch() on that table first, then dedupe.watch() the new one.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION dedupe._sources_keep_identity() IS
  'internal: refuses renaming a source, and moving a watching source to another table (55000)';
REVOKE ALL ON FUNCTION dedupe._sources_keep_identity() FROM PUBLIC;
CREATE TRIGGER sources_keep_identity BEFORE UPDATE OF source, relid ON dedupe.sources
  FOR EACH ROW EXECUTE FUNCTION dedupe._sources_keep_identity();

-- A staged record goes when its watched row goes (DELETE, TRUNCATE, unwatch): then its golden
-- record is recomputed and the removal audited. A direct DELETE did neither.
REVOKE DELETE ON dedupe.records FROM dedupe_admin;

-- Human control of golden records: review decisions, merge, unmerge, confirm, ownership.
-- SECURITY DEFINER (they write tables writers cannot), executable by dedupe_admin; every
-- action is one audit row attributed to the session user.

CREATE FUNCTION dedupe._open_item(item bigint) RETURNS dedupe.review_queue
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  q dedupe.review_queue;
BEGIN
  SELECT * INTO q FROM dedupe.review_queue r WHERE r.item_id = item FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'review item % does not exist', item USING ERRCODE = '42704';
  END IF;
  IF q.status <> 'open' THEN
    RAISE EXCEPTION 'review item % is already %', item, q.status USING ERRCODE = '55000';
  END IF;
  RETURN q;
END $$;
COMMENT ON FUNCTION dedupe._open_item(bigint) IS 'internal: locks an open review item or raises 42704/55000';

CREATE FUNCTION dedupe._close_item(item bigint, status text) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
  UPDATE dedupe.review_queue SET status = _close_item.status, resolved_at = pg_catalog.clock_timestamp(),
         resolved_by = session_user WHERE item_id = item
$$;
COMMENT ON FUNCTION dedupe._close_item(bigint, text) IS 'internal: closes a review item';

-- A decision locks the golden records an item names before the item itself: a concurrent
-- merge locks golden records first and then moves the items that name them, so the other
-- order would deadlock. A merge may move the item while we wait: then read it again.
CREATE FUNCTION dedupe._lock_review(item bigint) RETURNS dedupe.review_queue
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  seen dedupe.review_queue;
  q dedupe.review_queue;
BEGIN
  FOR attempt IN 1..5 LOOP
    SELECT * INTO seen FROM dedupe.review_queue r WHERE r.item_id = item;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'review item % does not exist', item USING ERRCODE = '42704';
    END IF;
    IF dedupe._lock_golden_records(ARRAY(
         SELECT DISTINCT dedupe.surviving_golden(c) FROM unnest(seen.conflicting || seen.golden_id) c
          WHERE dedupe.surviving_golden(c) IS NOT NULL)) = '{}' THEN
      q := dedupe._open_item(item);
      IF (q.golden_id, q.conflicting) IS NOT DISTINCT FROM (seen.golden_id, seen.conflicting) THEN
        RETURN q;
      END IF;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'review item % keeps changing under concurrent merges', item USING ERRCODE = '55000',
    HINT = 'Try again.';
END $$;
COMMENT ON FUNCTION dedupe._lock_review(bigint) IS
  'internal: locks the golden records an open review item names, then the item (42704/55000)';

CREATE FUNCTION dedupe.approve(item bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  q dedupe.review_queue := dedupe._lock_review(item);
  target bigint := dedupe.surviving_golden(q.golden_id);
  other bigint;
BEGIN
  IF q.kind IN ('conflict', 'merge_request') THEN
    -- The evidence was right about all of them: one person (each as it is today, after merges).
    target := (SELECT min(dedupe.surviving_golden(c)) FROM unnest(q.conflicting) c);
    FOR other IN SELECT DISTINCT dedupe.surviving_golden(c) FROM unnest(q.conflicting) c LOOP
      IF other <> target THEN
        PERFORM dedupe._merge(target, other, 'approved review item ' || item);
      END IF;
    END LOOP;
  END IF;
  IF q.record_id IS NOT NULL THEN
    target := dedupe._link(q.record_id, target, 'approved:' || q.rule, 1.0, session_user,
                           pg_catalog.jsonb_build_object('item_id', item));
  END IF;
  PERFORM dedupe._close_item(item, 'approved');
  PERFORM dedupe._learn_when_due();  -- reviewers teach the matcher (84_review_learning.sql)
  RETURN target;
END $$;
COMMENT ON FUNCTION dedupe.approve(bigint) IS
  'Accepts a review item: the record joins the proposed golden record (conflict and merge '
  'request: the golden records named are merged first). Returns the golden record.';

CREATE FUNCTION dedupe.reject(item bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  q dedupe.review_queue := dedupe._lock_review(item);
  golden bigint;
BEGIN
  IF q.record_id IS NOT NULL THEN
    INSERT INTO dedupe.distinct_pairs (record_id, golden_id, decided_by)
    SELECT DISTINCT q.record_id, dedupe.surviving_golden(c), session_user
      FROM unnest(coalesce(q.conflicting, '{}') || q.golden_id) c
     WHERE dedupe.surviving_golden(c) IS NOT NULL
    ON CONFLICT DO NOTHING;
    -- A record still in a golden record of its own (an update made it look like someone
    -- else) stays there; one that joined a golden record the item names (a conflict the model
    -- found joins the one it matches best while the merge waits) leaves it; either way a
    -- record without one starts one.
    SELECT l.golden_id INTO golden FROM dedupe.record_links l WHERE l.record_id = q.record_id;
    IF golden = ANY (ARRAY(SELECT dedupe.surviving_golden(c)
                             FROM unnest(coalesce(q.conflicting, '{}') || q.golden_id) c)) THEN
      DELETE FROM dedupe.record_links l WHERE l.record_id = q.record_id;
      PERFORM dedupe._recompute_golden(golden);
      golden := NULL;
    END IF;
    IF golden IS NULL THEN
      golden := dedupe._link(q.record_id, NULL, 'rejected:' || q.rule, 1.0, session_user,
                             pg_catalog.jsonb_build_object('item_id', item));
    END IF;
  END IF;
  PERFORM dedupe._close_item(item, 'rejected');
  PERFORM dedupe._learn_when_due();
  INSERT INTO dedupe.audit_log (actor, record_id, decision, rule, score, inputs)
  VALUES (session_user, q.record_id, 'review_rejected', q.rule, q.score,
          pg_catalog.jsonb_build_object('item_id', item, 'distinct_from', coalesce(q.conflicting, '{}') || q.golden_id));
  RETURN golden;
END $$;
COMMENT ON FUNCTION dedupe.reject(bigint) IS
  'Declines a review item: the record is a different person (it gets its own golden record) and '
  'the pair is remembered in dedupe.distinct_pairs so it is not proposed again';

CREATE FUNCTION dedupe.reassign(item bigint, owner text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  q dedupe.review_queue := dedupe._open_item(item);
BEGIN
  IF owner IS NULL OR owner = '' THEN
    RAISE EXCEPTION 'a review item needs an owner' USING ERRCODE = '22023';
  END IF;
  UPDATE dedupe.review_queue r SET owner = reassign.owner WHERE r.item_id = item;
  INSERT INTO dedupe.audit_log (actor, record_id, decision, inputs)
  VALUES (session_user, q.record_id, 'review_reassigned',
          pg_catalog.jsonb_build_object('item_id', item, 'from', q.owner, 'to', owner));
END $$;
COMMENT ON FUNCTION dedupe.reassign(bigint, text) IS 'Gives an open review item to another owner';

CREATE FUNCTION dedupe._merge(keep bigint, absorb bigint, reason text,
  actor name DEFAULT session_user, rule text DEFAULT 'manual') RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF keep = absorb THEN RETURN; END IF;
  UPDATE dedupe.record_links SET golden_id = keep, rule = 'merged', linked_by = actor,
         linked_at = pg_catalog.clock_timestamp() WHERE golden_id = absorb;
  UPDATE dedupe.review_queue SET golden_id = keep WHERE golden_id = absorb;
  UPDATE dedupe.review_queue SET conflicting = pg_catalog.array_replace(conflicting, absorb, keep)
   WHERE absorb = ANY (conflicting) AND status = 'open';
  -- A human's overrides follow the person; where both records had one, the survivor's stays.
  UPDATE dedupe.golden_overrides o SET golden_id = keep WHERE o.golden_id = absorb
     AND NOT EXISTS (SELECT FROM dedupe.golden_overrides k WHERE k.golden_id = keep AND k.attribute = o.attribute);
  PERFORM dedupe._recompute_golden(keep);
  PERFORM dedupe._recompute_golden(absorb);  -- no members left: deleted
  INSERT INTO dedupe.golden_merges (absorbed_id, kept_id, merged_by, reason)
  VALUES (absorb, keep, actor, reason);
  INSERT INTO dedupe.audit_log (actor, decision, rule, inputs, reason)
  VALUES (actor, 'golden_merged', rule,
          pg_catalog.jsonb_build_object('kept', keep, 'absorbed', absorb), reason);
END $$;
COMMENT ON FUNCTION dedupe._merge(bigint, bigint, text, name, text) IS
  'internal: moves every link of one golden record to another; the caller holds both locked';

-- Golden records that the deterministic rules name together (a new record's email is one's
-- members', its phone with agreeing names another's) hold one person, as batch's clusters say
-- of the same rows: the matcher merges them into the oldest (unless the setting
-- merge_on_evidence is off: every such merge waits for a human). Not when a human called members of
-- them different people (dedupe.distinct_pairs: a rejected item, an unmerge), and not while
-- another transaction holds one (a link or merge in flight): a writer waiting there could
-- deadlock, so that record's conflict goes to a human instead. Returns the survivor, NULL when
-- nothing was merged (and nothing stays locked).
CREATE FUNCTION dedupe._merge_on_evidence(record bigint, goldens bigint[], actor name)
RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  keep bigint := (SELECT min(g) FROM unnest(goldens) g);
  other bigint;
BEGIN
  IF NOT (SELECT s.value::boolean FROM dedupe.effective_settings s WHERE s.name = 'merge_on_evidence') THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT FROM dedupe.record_links l JOIN dedupe.distinct_pairs d USING (record_id)
              WHERE l.golden_id = ANY (goldens)
                AND dedupe.surviving_golden(d.golden_id) = ANY (goldens)
                AND dedupe.surviving_golden(d.golden_id) <> l.golden_id) THEN
    RETURN NULL;
  END IF;
  BEGIN
    IF (SELECT count(*) FROM (SELECT FROM dedupe.golden_records g WHERE g.golden_id = ANY (goldens)
                               ORDER BY g.golden_id FOR UPDATE NOWAIT) l)
       < (SELECT count(DISTINCT g) FROM unnest(goldens) g) THEN
      RAISE no_data_found;  -- one went since the candidates were read: undo the locks taken
    END IF;
    FOR other IN SELECT DISTINCT g FROM unnest(goldens) g WHERE g <> keep ORDER BY g LOOP
      PERFORM dedupe._merge(keep, other,
                            pg_catalog.format('record %s: the rules name both golden records', record),
                            actor, 'evidence_names_several_golden_records');
    END LOOP;
  EXCEPTION WHEN lock_not_available OR no_data_found THEN
    RETURN NULL;
  END;
  RETURN keep;
END $$;
COMMENT ON FUNCTION dedupe._merge_on_evidence(bigint, bigint[], name) IS
  'internal: merges the golden records the rules name together for a record into the oldest; '
  'NULL when merge_on_evidence is off, a human kept members of them apart or another transaction holds one';

-- Follows dedupe.golden_merges from a golden id to the record that holds its members today.
CREATE FUNCTION dedupe.surviving_golden(golden bigint) RETURNS bigint
LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
  WITH RECURSIVE chain(id, depth) AS (
    SELECT golden, 0
    UNION ALL
    SELECT m.kept_id, c.depth + 1 FROM chain c JOIN dedupe.golden_merges m ON m.absorbed_id = c.id
    WHERE c.depth < 1000)
  SELECT c.id FROM chain c
  WHERE EXISTS (SELECT FROM dedupe.golden_records g WHERE g.golden_id = c.id)
  ORDER BY c.depth DESC LIMIT 1
$$;
COMMENT ON FUNCTION dedupe.surviving_golden(bigint) IS
  'The golden record that holds a golden id''s members today, following merges '
  '(dedupe.golden_merges); NULL when it no longer exists (its members were deleted)';

CREATE FUNCTION dedupe.merge(golden_a bigint, golden_b bigint, reason text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'a merge needs a reason' USING ERRCODE = '22023';
  END IF;
  IF golden_a = golden_b THEN
    RAISE EXCEPTION 'cannot merge golden record % with itself', golden_a USING ERRCODE = '22023';
  END IF;
  -- Both locked before any link moves, and both still there once locked (55000 otherwise).
  PERFORM dedupe._golden_gone(m) FROM unnest(dedupe._lock_golden_records(ARRAY[golden_a, golden_b])) m;
  PERFORM dedupe._merge(least(golden_a, golden_b), greatest(golden_a, golden_b), reason);
  RETURN least(golden_a, golden_b);
END $$;
COMMENT ON FUNCTION dedupe.merge(bigint, bigint, text) IS
  'Merges two golden records into the older one (its id survives); values are recomputed';

CREATE FUNCTION dedupe.unmerge(record_id bigint, reason text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  old bigint;
  locked bigint;
  fresh bigint;
BEGIN
  -- The golden record first, then the link (a merge takes them in that order too); a merge
  -- that moved the record while we waited sends us round again.
  FOR attempt IN 1..5 LOOP
    SELECT l.golden_id INTO old FROM dedupe.record_links l WHERE l.record_id = unmerge.record_id;
    IF old IS NULL THEN
      RAISE EXCEPTION 'record % is not linked to a golden record', record_id USING ERRCODE = '42704';
    END IF;
    IF dedupe._lock_golden_records(ARRAY[old]) = '{}' THEN
      SELECT l.golden_id INTO locked FROM dedupe.record_links l WHERE l.record_id = unmerge.record_id FOR UPDATE;
      EXIT WHEN locked = old;
    END IF;
    old := NULL;
  END LOOP;
  IF old IS NULL THEN
    RAISE EXCEPTION 'record % keeps moving under concurrent merges', record_id USING ERRCODE = '55000',
      HINT = 'Try again.';
  END IF;
  INSERT INTO dedupe.distinct_pairs (record_id, golden_id, decided_by)
  VALUES (record_id, old, session_user) ON CONFLICT DO NOTHING;
  DELETE FROM dedupe.record_links l WHERE l.record_id = unmerge.record_id;
  PERFORM dedupe._recompute_golden(old);
  fresh := dedupe._link(record_id, NULL, 'unmerged', 1.0, session_user,
                        pg_catalog.jsonb_build_object('from_golden_id', old, 'reason', reason));
  RETURN fresh;
END $$;
COMMENT ON FUNCTION dedupe.unmerge(bigint, text) IS
  'Takes a record out of its golden record (recomputed, or deleted if empty) into a new golden '
  'record of its own; the pair is remembered as distinct. Returns the new golden record.';

CREATE FUNCTION dedupe.confirm(golden bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  UPDATE dedupe.golden_records g SET status = 'confirmed', updated_at = pg_catalog.now()
   WHERE g.golden_id = golden;
  IF NOT FOUND THEN
    PERFORM dedupe._golden_gone(golden);
  END IF;
  INSERT INTO dedupe.audit_log (actor, decision, inputs)
  VALUES (session_user, 'golden_confirmed', pg_catalog.jsonb_build_object('golden_id', golden));
END $$;
COMMENT ON FUNCTION dedupe.confirm(bigint) IS 'Marks a golden record confirmed by a human';

CREATE FUNCTION dedupe.assign_owner(golden bigint, owner text, reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  before text;
BEGIN
  IF owner IS NULL OR owner = '' OR reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'assign_owner needs an owner and a reason' USING ERRCODE = '22023';
  END IF;
  SELECT g.owner INTO before FROM dedupe.golden_records g WHERE g.golden_id = golden FOR UPDATE;
  IF NOT FOUND THEN
    PERFORM dedupe._golden_gone(golden);
  END IF;
  UPDATE dedupe.golden_records g SET owner = assign_owner.owner WHERE g.golden_id = golden;
  INSERT INTO dedupe.audit_log (actor, decision, inputs, reason)
  VALUES (session_user, 'owner_assigned',
          pg_catalog.jsonb_build_object('golden_id', golden, 'from', before, 'to', owner), reason);
END $$;
COMMENT ON FUNCTION dedupe.assign_owner(bigint, text, text) IS
  'The one way to change a golden record''s owner once set; audited with the reason';

CREATE FUNCTION dedupe.override_value(golden bigint, attribute text, value text, reason text)
RETURNS dedupe.golden_records
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  before text;
  result dedupe.golden_records;
BEGIN
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'an override needs a reason' USING ERRCODE = '22023';
  END IF;
  IF attribute IS NULL OR attribute !~ '^[A-Za-z_][A-Za-z0-9_]*$'
     OR attribute IN ('golden_id', 'key', 'full_name', 'attributes', 'owner', 'status', 'created_at', 'updated_at') THEN
    RAISE EXCEPTION 'cannot override attribute "%"', attribute USING ERRCODE = '22023',
      HINT = 'Override an identity column (email, phone, first_name, ...) or an extra attribute; '
             'owner and status have dedupe.assign_owner() and dedupe.confirm().';
  END IF;
  PERFORM FROM dedupe.golden_records g WHERE g.golden_id = golden FOR UPDATE;
  IF NOT FOUND THEN
    PERFORM dedupe._golden_gone(golden);
  END IF;
  SELECT o.value INTO before FROM dedupe.golden_overrides o
   WHERE o.golden_id = golden AND o.attribute = override_value.attribute;
  IF value IS NULL THEN
    DELETE FROM dedupe.golden_overrides o WHERE o.golden_id = golden AND o.attribute = override_value.attribute;
  ELSE
    INSERT INTO dedupe.golden_overrides AS o (golden_id, attribute, value, set_by, reason)
    VALUES (golden, override_value.attribute, override_value.value, session_user, override_value.reason)
    ON CONFLICT ON CONSTRAINT golden_overrides_pkey DO UPDATE SET value = EXCLUDED.value, set_by = EXCLUDED.set_by,
      set_at = pg_catalog.clock_timestamp(), reason = EXCLUDED.reason;
  END IF;
  PERFORM dedupe._recompute_golden(golden);
  INSERT INTO dedupe.audit_log (actor, decision, rule, inputs, reason)
  VALUES (session_user, CASE WHEN value IS NULL THEN 'override_cleared' ELSE 'value_overridden' END, 'manual',
          pg_catalog.jsonb_build_object('golden_id', golden, 'attribute', attribute, 'from', before, 'to', value),
          reason);
  SELECT * INTO result FROM dedupe.golden_records g WHERE g.golden_id = golden;
  RETURN result;
END $$;
COMMENT ON FUNCTION dedupe.override_value(bigint, text, text, text) IS
  'A human sets a golden record''s value for one attribute (identity column or extra attribute), '
  'beating every survivorship rule and canonical source until cleared with value NULL; audited '
  'with the reason. Returns the recomputed golden record.';

CREATE FUNCTION dedupe.request_merge(golden_a bigint, golden_b bigint, reason text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  item bigint;
BEGIN
  PERFORM dedupe._golden_gone(m) FROM unnest(dedupe._lock_golden_records(ARRAY[golden_a, golden_b])) m;
  INSERT INTO dedupe.review_queue (kind, golden_id, conflicting, rule, details, owner, due_at)
  SELECT 'merge_request', g.golden_id, ARRAY[golden_a, golden_b], 'merge_requested',
         pg_catalog.jsonb_build_object('reason', reason), g.owner, dedupe._due_at('merge_request')
    FROM dedupe.golden_records g WHERE g.golden_id = least(golden_a, golden_b)
  RETURNING item_id INTO item;
  IF item IS NULL THEN
    RAISE EXCEPTION 'golden record % does not exist', least(golden_a, golden_b) USING ERRCODE = '42704';
  END IF;
  INSERT INTO dedupe.audit_log (actor, decision, inputs, reason)
  VALUES (session_user, 'merge_requested', pg_catalog.jsonb_build_object('item_id', item,
          'golden_ids', ARRAY[golden_a, golden_b]), reason);
  RETURN item;
END $$;
COMMENT ON FUNCTION dedupe.request_merge(bigint, bigint, text) IS
  'Asks the owner to merge two golden records: a merge_request review item due in 8 business hours by default';

REVOKE ALL ON FUNCTION dedupe._open_item(bigint), dedupe._close_item(bigint, text), dedupe._lock_review(bigint),
  dedupe._merge(bigint, bigint, text, name, text), dedupe._merge_on_evidence(bigint, bigint[], name),
  dedupe.approve(bigint), dedupe.reject(bigint),
  dedupe.reassign(bigint, text), dedupe.merge(bigint, bigint, text), dedupe.unmerge(bigint, text),
  dedupe.confirm(bigint), dedupe.assign_owner(bigint, text, text),
  dedupe.request_merge(bigint, bigint, text), dedupe.override_value(bigint, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dedupe.approve(bigint), dedupe.reject(bigint), dedupe.reassign(bigint, text),
  dedupe.merge(bigint, bigint, text), dedupe.unmerge(bigint, text), dedupe.confirm(bigint),
  dedupe.assign_owner(bigint, text, text), dedupe.request_merge(bigint, bigint, text),
  dedupe.override_value(bigint, text, text, text) TO dedupe_admin;

-- Golden records: deadlines, explanations, survivorship, ownership, and applying decisions.

CREATE FUNCTION dedupe.business_due_at(start timestamptz, duration interval,
  time_zone text DEFAULT 'UTC', opens_at time DEFAULT '09:00', closes_at time DEFAULT '17:00',
  working_days integer[] DEFAULT '{1,2,3,4,5}') RETURNS timestamptz
  AS 'MODULE_PATHNAME', 'dedupe_business_due_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.business_due_at(timestamptz, interval, text, time, time, integer[]) IS
  'The instant after `duration` of business time from `start`: only opens_at..closes_at on '
  'working_days (ISO 1 = Monday .. 7 = Sunday) in time_zone count (ICU calendars, so DST is '
  'right). 22023 for an unknown zone, an empty window or a duration in months.';

-- A record's further roles (date of birth, address parts, identifier) as the matcher's C++
-- reads them: role=value pairs joined by the ASCII unit separator.
-- No SET search_path (every name is qualified), so it is inlined into the candidate queries
-- rather than called once per candidate row.
CREATE FUNCTION dedupe._roles_text(roles jsonb) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT pg_catalog.string_agg(e.key OPERATOR(pg_catalog.||) '=' OPERATOR(pg_catalog.||) e.value,
                               pg_catalog.chr(31) ORDER BY e.key)
  FROM pg_catalog.jsonb_each_text(roles) e
$$;
COMMENT ON FUNCTION dedupe._roles_text(jsonb) IS
  'internal: a record''s further matching roles as text for the matcher';

-- The blocks of the further roles in which the matcher looks for candidates: the same date of
-- birth, the same identifier, the same postcode and street, the same house number and street,
-- the same house number and postcode.
-- A block whose roles the record lacks (absent or JSON null) is left out; the order is fixed.
-- One expression of immutable functions (jsonb_set, not the stable jsonb_build_object), without
-- a subquery and without SET search_path, so the planner inlines it into the matcher's
-- statements (as a subquery it was a separate SQL function, set up again on
-- every execution of the matcher's per-record statement: 0.15 ms a record at 100k records).
-- Every name in it is schema-qualified instead.
CREATE FUNCTION dedupe._role_blocks(roles jsonb) RETURNS jsonb[] LANGUAGE sql IMMUTABLE
PARALLEL SAFE AS $$
  SELECT pg_catalog.array_remove(ARRAY[
    CASE WHEN roles OPERATOR(pg_catalog.->) 'date_of_birth' OPERATOR(pg_catalog.<>) 'null'::pg_catalog.jsonb
         THEN pg_catalog.jsonb_set('{}', '{date_of_birth}', roles OPERATOR(pg_catalog.->) 'date_of_birth') END,
    CASE WHEN roles OPERATOR(pg_catalog.->) 'identifier' OPERATOR(pg_catalog.<>) 'null'::pg_catalog.jsonb
         THEN pg_catalog.jsonb_set('{}', '{identifier}', roles OPERATOR(pg_catalog.->) 'identifier') END,
    CASE WHEN roles OPERATOR(pg_catalog.->) 'postcode' OPERATOR(pg_catalog.<>) 'null'::pg_catalog.jsonb
          AND roles OPERATOR(pg_catalog.->) 'street' OPERATOR(pg_catalog.<>) 'null'::pg_catalog.jsonb
         THEN pg_catalog.jsonb_set(pg_catalog.jsonb_set('{}', '{postcode}', roles OPERATOR(pg_catalog.->) 'postcode'),
                                    '{street}', roles OPERATOR(pg_catalog.->) 'street') END,
    CASE WHEN roles OPERATOR(pg_catalog.->) 'house_number' OPERATOR(pg_catalog.<>) 'null'::pg_catalog.jsonb
          AND roles OPERATOR(pg_catalog.->) 'street' OPERATOR(pg_catalog.<>) 'null'::pg_catalog.jsonb
         THEN pg_catalog.jsonb_set(pg_catalog.jsonb_set('{}', '{house_number}', roles OPERATOR(pg_catalog.->) 'house_number'),
                                    '{street}', roles OPERATOR(pg_catalog.->) 'street') END,
    CASE WHEN roles OPERATOR(pg_catalog.->) 'house_number' OPERATOR(pg_catalog.<>) 'null'::pg_catalog.jsonb
          AND roles OPERATOR(pg_catalog.->) 'postcode' OPERATOR(pg_catalog.<>) 'null'::pg_catalog.jsonb
         THEN pg_catalog.jsonb_set(pg_catalog.jsonb_set('{}', '{house_number}', roles OPERATOR(pg_catalog.->) 'house_number'),
                                    '{postcode}', roles OPERATOR(pg_catalog.->) 'postcode') END],
    NULL::pg_catalog.jsonb)
$$;
COMMENT ON FUNCTION dedupe._role_blocks(jsonb) IS
  'internal: the further-role blocks (date of birth, identifier, postcode and street, house '
  'number and street, house number and postcode) the '
  'matcher searches for candidates';

-- STABLE: the decision depends on dedupe.effective_settings and dedupe.models.
CREATE FUNCTION dedupe._explain_pair(
  a_external_id text, a_email text, a_phone text, a_first_name text, a_last_name text, a_company text, a_domain text,
  b_external_id text, b_email text, b_phone text, b_first_name text, b_last_name text, b_company text, b_domain text,
  a_roles text, b_roles text)
  RETURNS jsonb AS 'MODULE_PATHNAME', 'dedupe_explain_pair' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION dedupe._explain_pair(text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text) IS
  'internal: the matcher''s comparisons and decision for two sets of normalized attributes';

CREATE FUNCTION dedupe.explain(record_a bigint, record_b bigint) RETURNS jsonb
LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
  SELECT dedupe._explain_pair(a.external_id, a.email, a.phone, a.first_name, a.last_name, a.company, a.domain,
                              b.external_id, b.email, b.phone, b.first_name, b.last_name, b.company, b.domain,
                              dedupe._roles_text(a.roles), dedupe._roles_text(b.roles))
  FROM dedupe.records a, dedupe.records b
  WHERE a.record_id = record_a AND b.record_id = record_b
$$;
COMMENT ON FUNCTION dedupe.explain(bigint, bigint) IS
  'Why the matcher would link two staged records or not: every comparison (value, similarity, '
  'contribution, verdict), the rule that fires, the score and the decision';

CREATE FUNCTION dedupe.explain_golden(record_id bigint, golden_id bigint) RETURNS jsonb
LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
  SELECT pg_catalog.jsonb_agg(dedupe.explain(explain_golden.record_id, l.record_id) ||
                              pg_catalog.jsonb_build_object('member', l.record_id) ORDER BY l.record_id)
  FROM dedupe.record_links l
  WHERE l.golden_id = explain_golden.golden_id AND l.record_id <> explain_golden.record_id
$$;
COMMENT ON FUNCTION dedupe.explain_golden(bigint, bigint) IS
  'dedupe.explain() of a record against every member of a golden record';

CREATE FUNCTION dedupe._due_at(kind text) RETURNS timestamptz
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  p dedupe.effective_sla_policies;
BEGIN
  -- plpgsql, not SQL: the plan is cached for the session instead of rebuilt per review item
  SELECT * INTO p FROM dedupe.effective_sla_policies s WHERE s.kind = _due_at.kind;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF p.business_hours THEN
    RETURN dedupe.business_due_at(pg_catalog.clock_timestamp(), p.duration, p.time_zone,
                                  p.opens_at, p.closes_at, p.working_days);
  END IF;
  RETURN pg_catalog.clock_timestamp() + p.duration;
END $$;
COMMENT ON FUNCTION dedupe._due_at(text) IS 'internal: the SLA deadline of a new review item of this kind';

-- A number for the numeric comparisons of rules; NULL (the condition fails) for non-numbers
-- rather than an error inside someone's INSERT.
CREATE FUNCTION dedupe._as_number(value text) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE WHEN value ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$'
              THEN value::numeric END
$$;
COMMENT ON FUNCTION dedupe._as_number(text) IS 'internal: the text as a number, NULL when it is not one';

CREATE FUNCTION dedupe.condition_holds(value text, op text, pattern text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce(CASE op
    WHEN '~' THEN value OPERATOR(pg_catalog.~) pattern
    WHEN '=' THEN value = pattern
    WHEN '<>' THEN value <> pattern
    WHEN '<' THEN dedupe._as_number(value) < dedupe._as_number(pattern)
    WHEN '<=' THEN dedupe._as_number(value) <= dedupe._as_number(pattern)
    WHEN '>' THEN dedupe._as_number(value) > dedupe._as_number(pattern)
    WHEN '>=' THEN dedupe._as_number(value) >= dedupe._as_number(pattern) END, false)
$$;
COMMENT ON FUNCTION dedupe.condition_holds(text, text, text) IS
  'One condition of an owner or high-value rule: value op pattern, where op is ~ (regex), =, <> '
  '(text) or <, <=, >, >= (numeric; a value that is not a number fails). NULL values fail.';

-- A golden record or staged record as one flat document: identity columns win over extra
-- attributes of the same name.
CREATE FUNCTION dedupe._rule_document(identity jsonb, attributes jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce(attributes, '{}') || pg_catalog.jsonb_strip_nulls(identity - 'attributes')
$$;
COMMENT ON FUNCTION dedupe._rule_document(jsonb, jsonb) IS
  'internal: the values owner and high-value rules test (identity columns over extra attributes)';

CREATE FUNCTION dedupe._owner_for(g dedupe.golden_records) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  doc jsonb := dedupe._rule_document(pg_catalog.to_jsonb(g), g.attributes);
BEGIN
  RETURN coalesce(
    (SELECT min(r.owner) FROM dedupe.owner_rules r
      GROUP BY r.priority
      HAVING bool_and(dedupe.condition_holds(doc ->> r.attribute, r.op, r.pattern))
      ORDER BY r.priority LIMIT 1),
    (SELECT s.value FROM dedupe.effective_settings s WHERE s.name = 'default_owner'));
END $$;
COMMENT ON FUNCTION dedupe._owner_for(dedupe.golden_records) IS
  'internal: the owner dedupe.owner_rules give a golden record (first rule, by priority, whose '
  'conditions all hold)';

-- The owner a new golden record is written with: when no owner rule exists, what
-- dedupe._owner_for() chooses whatever the values (the default owner); '' (chosen from its
-- values once they are written) otherwise. A new golden record then needs no second row
-- version for its owner in the common case.
CREATE FUNCTION dedupe._owner_unless_rules() RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE WHEN EXISTS (SELECT FROM dedupe.owner_rules) THEN ''
              ELSE dedupe._owner_for(NULL::dedupe.golden_records) END
$$;
COMMENT ON FUNCTION dedupe._owner_unless_rules() IS
  'internal: the owner of a new golden record when no owner rule exists (the default owner), '
  'else the empty string (chosen by dedupe._owner_for() from its values)';

CREATE FUNCTION dedupe.is_high_value(document jsonb) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT EXISTS (SELECT FROM dedupe.high_value_rules r
                 GROUP BY r.priority
                 HAVING bool_and(dedupe.condition_holds(document ->> r.attribute, r.op, r.pattern)))
$$;
COMMENT ON FUNCTION dedupe.is_high_value(jsonb) IS
  'Whether a record''s values (identity columns and extra attributes as one JSON object) meet a rule '
  'of dedupe.high_value_rules';

CREATE FUNCTION dedupe._review_is_high_value(record bigint, goldens bigint[]) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM dedupe.high_value_rules) THEN RETURN false; END IF;
  RETURN EXISTS (SELECT FROM dedupe.records r WHERE r.record_id = record
                  AND dedupe.is_high_value(dedupe._rule_document(pg_catalog.to_jsonb(r), r.attributes)))
      OR EXISTS (SELECT FROM dedupe.golden_records g WHERE g.golden_id = ANY (goldens)
                  AND dedupe.is_high_value(dedupe._rule_document(pg_catalog.to_jsonb(g), g.attributes)));
END $$;
COMMENT ON FUNCTION dedupe._review_is_high_value(bigint, bigint[]) IS
  'internal: whether a review item about this record and these golden records concerns a high-value person';

-- Recomputes the surviving values of golden records that have members from their linked
-- records (dedupe._recompute_golden also removes one left without members). Static SQL (one
-- cached plan), every step partitioned by golden record: each attribute's rule only changes the
-- sort keys, source priority and recency always break ties. The matcher recomputes the existing
-- golden records a statement's rows joined once, here, after its last link (0.04 ms a golden
-- record at 2,000).
CREATE FUNCTION dedupe._recompute_goldens(goldens bigint[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  WITH member_values AS (
    SELECT l.golden_id, a.extra, a.attribute, a.value, p.priority,
           coalesce(p.canonical, false) AS canonical, r.updated_at, r.record_id,
           count(*) OVER (PARTITION BY l.golden_id, a.extra, a.attribute, a.value) AS frequency
    FROM dedupe.record_links l
    JOIN dedupe.records r USING (record_id)
    LEFT JOIN dedupe.source_priority p USING (source)
    CROSS JOIN LATERAL (VALUES (false, 'external_id', r.external_id), (false, 'email', r.email),
                               (false, 'phone', r.phone), (false, 'first_name', r.first_name),
                               (false, 'last_name', r.last_name), (false, 'company', r.company),
                               (false, 'domain', r.domain), (false, 'country', r.country)
                        UNION ALL
                        SELECT true, e.key, e.value FROM pg_catalog.jsonb_each_text(r.attributes) e
                       ) a(extra, attribute, value)
    WHERE l.golden_id = ANY (goldens) AND a.value IS NOT NULL),
  overrides AS (
    SELECT o.golden_id,
           o.attribute NOT IN ('external_id', 'email', 'phone', 'first_name', 'last_name', 'company',
                               'domain', 'country') AS extra, o.attribute, o.value
    FROM dedupe.golden_overrides o WHERE o.golden_id = ANY (goldens)),
  survivors AS (
    SELECT o.golden_id, o.extra, o.attribute, o.value FROM overrides o
    UNION ALL
    (SELECT DISTINCT ON (v.golden_id, v.extra, v.attribute) v.golden_id, v.extra, v.attribute, v.value
    FROM member_values v LEFT JOIN dedupe.survivorship_rules s USING (attribute)
    WHERE NOT EXISTS (SELECT FROM overrides o WHERE o.golden_id = v.golden_id AND o.extra = v.extra
                                                AND o.attribute = v.attribute)
    ORDER BY v.golden_id, v.extra, v.attribute,
             v.canonical DESC,  -- a canonical source's value is never replaced by another's
             CASE WHEN s.rule = 'most_frequent' THEN v.frequency END DESC NULLS LAST,
             CASE WHEN s.rule = 'most_complete' THEN pg_catalog.length(v.value) END DESC NULLS LAST,
             CASE WHEN s.rule = 'most_recent' THEN v.updated_at END DESC NULLS LAST,
             v.priority NULLS LAST, v.updated_at DESC, v.record_id)),
  -- One pass over the survivors, one new row version per golden record, and none when nothing
  -- changed.
  chosen AS (
    SELECT golden_id,
           max(value) FILTER (WHERE NOT extra AND attribute = 'external_id') AS external_id,
           max(value) FILTER (WHERE NOT extra AND attribute = 'email') AS email,
           max(value) FILTER (WHERE NOT extra AND attribute = 'phone') AS phone,
           max(value) FILTER (WHERE NOT extra AND attribute = 'first_name') AS first_name,
           max(value) FILTER (WHERE NOT extra AND attribute = 'last_name') AS last_name,
           max(value) FILTER (WHERE NOT extra AND attribute = 'company') AS company,
           max(value) FILTER (WHERE NOT extra AND attribute = 'domain') AS domain,
           max(value) FILTER (WHERE NOT extra AND attribute = 'country') AS country,
           coalesce(pg_catalog.jsonb_object_agg(attribute, value) FILTER (WHERE extra), '{}') AS attributes
    FROM survivors GROUP BY golden_id)
  UPDATE dedupe.golden_records g SET
    external_id = c.external_id, email = c.email, phone = c.phone, first_name = c.first_name,
    last_name = c.last_name, company = c.company, domain = c.domain, country = c.country,
    attributes = c.attributes,
    full_name = nullif(pg_catalog.concat_ws(' ', c.first_name, c.last_name), ''),
    key = CASE WHEN (g.external_id, g.phone, g.email) IS NOT DISTINCT FROM (c.external_id, c.phone, c.email)
                    AND g.key IS NOT NULL
               THEN g.key ELSE dedupe.try_match_key(c.external_id, c.phone, c.email) END,
    updated_at = pg_catalog.now()
  FROM chosen c
  -- golden_id = ANY (goldens) as well: the plan is generic, and without a condition of its own
  -- on golden_records it hashes the whole table once it guesses many chosen rows (a sequential
  -- scan per recomputation, the write path's cost growing with the golden records).
  WHERE g.golden_id = c.golden_id AND g.golden_id = ANY (goldens)
    AND (g.external_id, g.email, g.phone, g.first_name, g.last_name, g.company, g.domain, g.country, g.attributes)
        IS DISTINCT FROM
        (c.external_id, c.email, c.phone, c.first_name, c.last_name, c.company, c.domain, c.country, c.attributes);
END $$;
COMMENT ON FUNCTION dedupe._recompute_goldens(bigint[]) IS
  'internal: survivorship for many golden records with members at once: recomputes their values '
  'from the linked records per dedupe.golden_overrides, dedupe.source_priority (canonical sources '
  'first) and dedupe.survivorship_rules';

-- One golden record after any change of its members: removed when none is left, else the same
-- survivorship (one place for it; about 0.15 ms more than a plan made for a single golden record).
CREATE FUNCTION dedupe._recompute_golden(golden bigint) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM dedupe.record_links l WHERE l.golden_id = golden) THEN
    UPDATE dedupe.review_queue q SET golden_id = NULL WHERE q.golden_id = golden;
    DELETE FROM dedupe.golden_records g WHERE g.golden_id = golden;
    RETURN;
  END IF;
  PERFORM dedupe._recompute_goldens(ARRAY[golden]);
END $$;
COMMENT ON FUNCTION dedupe._recompute_golden(bigint) IS
  'internal: survivorship: recomputes the golden values from the linked records per '
  'dedupe.golden_overrides, dedupe.source_priority (canonical sources first) and '
  'dedupe.survivorship_rules; deletes the golden record when it has no members left';


-- Deletes staged records of a source (one source_pk, or all when NULL); the golden records
-- they belonged to are recomputed from the members left (or removed). Separate statements,
-- so the cascade from records to record_links has happened before the recomputation.
CREATE FUNCTION dedupe._forget_records(src text, pk text) RETURNS SETOF bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  touched bigint[];
  removed bigint[];
  g bigint;
BEGIN
  SELECT array_agg(DISTINCT l.golden_id) INTO touched
    FROM dedupe.records r JOIN dedupe.record_links l USING (record_id)
   WHERE r.source = src AND (pk IS NULL OR r.source_pk = pk);
  WITH gone AS (DELETE FROM dedupe.records r WHERE r.source = src AND (pk IS NULL OR r.source_pk = pk)
                RETURNING r.record_id)
  SELECT array_agg(record_id) INTO removed FROM gone;
  FOREACH g IN ARRAY coalesce(touched, '{}') LOOP
    PERFORM dedupe._recompute_golden(g);
  END LOOP;
  RETURN QUERY SELECT unnest(removed);
END $$;
COMMENT ON FUNCTION dedupe._forget_records(text, text) IS
  'internal: removes staged records of a watched source and recomputes their golden records';
REVOKE ALL ON FUNCTION dedupe._forget_records(text, text) FROM PUBLIC;

-- Golden records change hands only under row locks: merges lock both sides FOR UPDATE (in id
-- order), links lock their target FOR KEY SHARE. A lock that finds the row gone (merged away
-- meanwhile) answers in pg_dedupe's words instead of a constraint name.
-- VOLATILE: a fresh snapshot, so it sees the merge whose lock its caller just waited for.
CREATE FUNCTION dedupe._golden_gone(golden bigint) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  kept bigint;
BEGIN
  SELECT m.kept_id INTO kept FROM dedupe.golden_merges m WHERE m.absorbed_id = golden;
  IF FOUND THEN
    kept := coalesce(dedupe.surviving_golden(golden), kept);
    RAISE EXCEPTION 'golden record % was already merged into %', golden, kept USING ERRCODE = '55000',
      HINT = pg_catalog.format('Act on golden record %s (dedupe.surviving_golden(%s)).', kept, golden);
  END IF;
  RAISE EXCEPTION 'golden record % does not exist', golden USING ERRCODE = '42704';
END $$;
COMMENT ON FUNCTION dedupe._golden_gone(bigint) IS
  'internal: raises 55000 (merged into another golden record) or 42704 (no such golden record)';

CREATE FUNCTION dedupe._lock_golden_records(goldens bigint[]) RETURNS bigint[]
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  locked bigint[];
BEGIN
  -- ORDER BY below FOR UPDATE: rows are locked in id order, so two merges never wait in a cycle
  SELECT pg_catalog.array_agg(l.golden_id) INTO locked
    FROM (SELECT gr.golden_id FROM dedupe.golden_records gr WHERE gr.golden_id = ANY (goldens)
          ORDER BY gr.golden_id FOR UPDATE) l;
  RETURN ARRAY(SELECT g FROM unnest(goldens) g WHERE g IS NULL OR NOT g = ANY (coalesce(locked, '{}')));
END $$;
COMMENT ON FUNCTION dedupe._lock_golden_records(bigint[]) IS
  'internal: locks golden records FOR UPDATE in id order; returns those that no longer exist';

-- The golden record a link to `golden` should reach: golden itself, locked FOR KEY SHARE so no
-- merge can absorb it before the link commits, or the survivor of a merge that got there
-- first (the writer matched against its members, who are the survivor's now). NULL: deleted.
CREATE FUNCTION dedupe._live_golden(golden bigint) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  FOR hop IN 1..1000 LOOP
    PERFORM FROM dedupe.golden_records g WHERE g.golden_id = golden FOR KEY SHARE;
    IF FOUND THEN RETURN golden; END IF;
    SELECT m.kept_id INTO golden FROM dedupe.golden_merges m WHERE m.absorbed_id = golden;
    IF NOT FOUND THEN RETURN NULL; END IF;
  END LOOP;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION dedupe._live_golden(bigint) IS
  'internal: locks a golden record FOR KEY SHARE, following merges to the survivor; NULL when deleted';

-- Links a record to a golden record (a new one when golden is NULL), recomputes it, audits.
-- A record that leaves a golden record it was the only member of (an update made it someone
-- else's, or a human approved that) takes that golden record along: it is absorbed, with a
-- golden_merges row, so references issued for it follow.
-- recompute => false (the matcher): a record that joins an existing golden record with an
-- owner leaves its recomputation to the caller, who recomputes every golden record a statement
-- joined in one pass (dedupe._recompute_goldens) before anything reads their values.
CREATE FUNCTION dedupe._link(record bigint, golden bigint, rule text, score double precision,
  actor name, explanation jsonb) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  g dedupe.golden_records;
  rec dedupe.records;
  wanted bigint := golden;
  previous bigint;
BEGIN
  SELECT * INTO rec FROM dedupe.records r WHERE r.record_id = record;
  SELECT l.golden_id INTO previous FROM dedupe.record_links l WHERE l.record_id = record;
  IF golden IS NOT NULL THEN
    IF previous IS NOT NULL AND previous <> golden THEN
      PERFORM dedupe._golden_gone(m) FROM unnest(dedupe._lock_golden_records(ARRAY[golden, previous])) m;
    ELSE
      golden := dedupe._live_golden(golden);
      IF golden IS NULL THEN PERFORM dedupe._golden_gone(wanted); END IF;
    END IF;
  END IF;
  IF golden IS NULL THEN
    INSERT INTO dedupe.golden_records (owner) VALUES (dedupe._owner_unless_rules())
    RETURNING golden_id INTO golden;
  END IF;
  INSERT INTO dedupe.record_links (record_id, golden_id, rule, score, linked_by)
  VALUES (record, golden, rule, score, actor)
  ON CONFLICT (record_id) DO UPDATE SET golden_id = EXCLUDED.golden_id, rule = EXCLUDED.rule,
    score = EXCLUDED.score, linked_at = pg_catalog.clock_timestamp(), linked_by = EXCLUDED.linked_by;
  PERFORM dedupe._recompute_golden(golden);
  -- The owner is chosen once, from the values the golden record starts with.
  SELECT * INTO g FROM dedupe.golden_records gg WHERE gg.golden_id = golden;
  IF g.owner = '' THEN
    UPDATE dedupe.golden_records gg SET owner = dedupe._owner_for(g) WHERE gg.golden_id = golden;
  END IF;
  INSERT INTO dedupe.audit_log (actor, source, source_pk, record_id, decision, rule, score, inputs)
  VALUES (actor, rec.source, rec.source_pk, record, 'linked', rule, score,
          coalesce(explanation, '{}') || pg_catalog.jsonb_build_object('golden_id', golden));
  IF previous IS NOT NULL AND previous <> golden THEN
    IF EXISTS (SELECT FROM dedupe.record_links l WHERE l.golden_id = previous) THEN
      PERFORM dedupe._recompute_golden(previous);
    ELSE
      PERFORM dedupe._merge(golden, previous,
                            pg_catalog.format('its only member, record %s, joined golden record %s', record, golden));
    END IF;
  END IF;
  RETURN golden;
END $$;
COMMENT ON FUNCTION dedupe._link(bigint, bigint, text, double precision, name, jsonb) IS
  'internal: links a record to a golden record (NULL: a new one), recomputes it (unless the '
  'caller will) and audits it';

-- The values a golden record whose only member is this record has: what survivorship
-- (dedupe._recompute_goldens) gives a single member, so a new person's golden record is written
-- once, with its values, instead of empty and then updated (a second row version and a second
-- entry for every key component in golden_records_key_idx).
CREATE FUNCTION dedupe._sole_member_values(records bigint[])
RETURNS TABLE (record_id bigint, key dedupe.match_key, external_id text, email text, phone text,
               first_name text, last_name text, full_name text, company text, domain text,
               country text, attributes jsonb)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT r.record_id, dedupe.try_match_key(r.external_id, r.phone, r.email), r.external_id,
         r.email, r.phone, r.first_name, r.last_name,
         nullif(pg_catalog.concat_ws(' ', r.first_name, r.last_name), ''), r.company, r.domain,
         r.country,
         coalesce((SELECT pg_catalog.jsonb_object_agg(e.key, e.value)
                   FROM pg_catalog.jsonb_each_text(r.attributes) e WHERE e.value IS NOT NULL), '{}')
  FROM dedupe.records r WHERE r.record_id = ANY (records)
$$;
COMMENT ON FUNCTION dedupe._sole_member_values(bigint[]) IS
  'internal: the surviving values of a golden record whose only member is the given record';

-- Records the matcher has no candidate for at all (no other record shares a key component,
-- the full name or the name block) each start their own golden record: the same rows
-- dedupe._link(record, NULL, 'new_golden_record:no_candidate', ...) would write one by one,
-- in three statements for the whole set. A bulk load of new people takes this path.
CREATE FUNCTION dedupe._new_golden_records(records bigint[], actor name, explanation jsonb)
RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  created bigint[];
  initial_owner text := dedupe._owner_unless_rules();
BEGIN
  WITH fresh AS (
    SELECT v.*, r.source, r.source_pk,
           pg_catalog.nextval('dedupe.golden_records_golden_id_seq') AS golden_id
    FROM dedupe.records r JOIN dedupe._sole_member_values(records) v USING (record_id)
    ORDER BY r.record_id),
  golden AS (
    INSERT INTO dedupe.golden_records (golden_id, key, external_id, email, phone, first_name, last_name,
                                       full_name, company, domain, country, attributes, owner)
    SELECT f.golden_id, f.key, f.external_id, f.email, f.phone, f.first_name, f.last_name,
           f.full_name, f.company, f.domain, f.country, f.attributes, initial_owner
    FROM fresh f RETURNING golden_records.golden_id),
  links AS (
    INSERT INTO dedupe.record_links (record_id, golden_id, rule, score, linked_by)
    SELECT f.record_id, f.golden_id, 'new_golden_record:no_candidate', 0, actor FROM fresh f),
  audit AS (
    INSERT INTO dedupe.audit_log (actor, source, source_pk, record_id, decision, rule, score, inputs)
    SELECT actor, f.source, f.source_pk, f.record_id, 'linked', 'new_golden_record:no_candidate', 0,
           coalesce(explanation, '{}') || pg_catalog.jsonb_build_object('golden_id', f.golden_id)
    FROM fresh f ORDER BY f.record_id)
  SELECT pg_catalog.array_agg(g.golden_id) INTO created FROM golden g;
  -- Owners from the values each golden record starts with, as dedupe._link() does.
  IF initial_owner = '' THEN
    UPDATE dedupe.golden_records g SET owner = dedupe._owner_for(g) WHERE g.golden_id = ANY (created);
  END IF;
  RETURN coalesce(pg_catalog.array_length(created, 1), 0);
END $$;
COMMENT ON FUNCTION dedupe._new_golden_records(bigint[], name, jsonb) IS
  'internal: a new golden record for each record that has no match candidate, set-based';
REVOKE ALL ON FUNCTION dedupe._new_golden_records(bigint[], name, jsonb) FROM PUBLIC;

-- The plain decisions of one flush, written set-based: records that were in no golden record
-- join an existing one or start a new one, as dedupe._link(record, golden, ...) would one by
-- one. goldens[i] > 0 names an existing golden record (followed through merges and locked FOR
-- KEY SHARE, in id order, as _link does); goldens[i] = -k names the k-th new golden record of
-- this call, shared by every record that names it. A new golden record of one member is written
-- with its values (dedupe._sole_member_values); links, audit rows and the survivorship of the
-- others are one statement each. Returns the new golden records' ids, the k-th at position k.
CREATE FUNCTION dedupe._link_many(records bigint[], goldens bigint[], rules text[],
  scores double precision[], actors name[], explanations jsonb[]) RETURNS bigint[]
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  fresh bigint[];
  settled bigint[];
  targets bigint[];
  initial_owner text;
BEGIN
  -- A statement with nothing to do is skipped (its condition is a simple expression, no
  -- executor): a single-row INSERT joins a golden record or starts one, seldom both.
  fresh := '{}';
  settled := '{}';
  IF 0 > ANY (goldens) THEN
    initial_owner := dedupe._owner_unless_rules();
    WITH stand_in AS MATERIALIZED (
      SELECT -u.g AS k, min(u.r) AS record_id, count(*) AS members
      FROM unnest(records, goldens) u(r, g) WHERE u.g < 0 GROUP BY -u.g ORDER BY -u.g),
    numbered AS MATERIALIZED (
      SELECT s.*, pg_catalog.nextval('dedupe.golden_records_golden_id_seq') AS golden_id
      FROM stand_in s),
    created AS (
      INSERT INTO dedupe.golden_records (golden_id, key, external_id, email, phone, first_name,
                                         last_name, full_name, company, domain, country, attributes, owner)
      SELECT n.golden_id, v.key, v.external_id, v.email, v.phone, v.first_name, v.last_name,
             v.full_name, v.company, v.domain, v.country, coalesce(v.attributes, '{}'),
             initial_owner
      FROM numbered n
      LEFT JOIN dedupe._sole_member_values(ARRAY(SELECT o.record_id FROM numbered o WHERE o.members = 1)) v
        ON v.record_id = n.record_id
      ORDER BY n.k)
    SELECT coalesce(pg_catalog.array_agg(n.golden_id ORDER BY n.k), '{}'),
           coalesce(pg_catalog.array_agg(n.golden_id) FILTER (WHERE n.members = 1), '{}')
      INTO fresh, settled FROM numbered n;
    IF pg_catalog.array_length(fresh, 1) IS DISTINCT FROM
       (SELECT max(-g) FROM unnest(goldens) g WHERE g < 0) THEN
      RAISE EXCEPTION 'new golden records must be named -1, -2, ... without gaps' USING ERRCODE = 'XX000';
    END IF;
  END IF;
  IF 0 < ANY (goldens) THEN
    -- A golden record merged away since the matcher read it: its survivor (rare: one look-up each).
    WITH locked AS MATERIALIZED (
      SELECT gr.golden_id FROM dedupe.golden_records gr
      WHERE gr.golden_id IN (SELECT g FROM unnest(goldens) g WHERE g > 0)
      ORDER BY gr.golden_id FOR KEY SHARE)
    SELECT pg_catalog.array_agg(CASE WHEN u.g < 0 THEN fresh[-u.g]
                                     WHEN l.golden_id IS NOT NULL THEN u.g
                                     ELSE dedupe._live_golden(u.g) END ORDER BY u.i)
      INTO targets FROM unnest(goldens) WITH ORDINALITY u(g, i) LEFT JOIN locked l ON l.golden_id = u.g;
    IF pg_catalog.array_position(targets, NULL) IS NOT NULL THEN
      PERFORM dedupe._golden_gone(u.g) FROM unnest(goldens, targets) u(g, t) WHERE u.t IS NULL;
    END IF;
  ELSE
    targets := ARRAY(SELECT fresh[-u.g] FROM unnest(goldens) WITH ORDINALITY u(g, i) ORDER BY u.i);
  END IF;
  WITH input AS (
    SELECT * FROM unnest(records, targets, rules, scores, actors, explanations)
      WITH ORDINALITY i(record_id, golden_id, rule, score, actor, explanation, n)),
  links AS (
    INSERT INTO dedupe.record_links (record_id, golden_id, rule, score, linked_by)
    SELECT i.record_id, i.golden_id, i.rule, i.score, i.actor FROM input i ORDER BY i.n
    ON CONFLICT (record_id) DO UPDATE SET golden_id = EXCLUDED.golden_id, rule = EXCLUDED.rule,
      score = EXCLUDED.score, linked_at = pg_catalog.clock_timestamp(), linked_by = EXCLUDED.linked_by)
  INSERT INTO dedupe.audit_log (actor, source, source_pk, record_id, decision, rule, score, inputs)
  SELECT i.actor, r.source, r.source_pk, i.record_id, 'linked', i.rule, i.score,
         coalesce(i.explanation, '{}') || pg_catalog.jsonb_build_object('golden_id', i.golden_id)
  FROM input i JOIN dedupe.records r ON r.record_id = i.record_id ORDER BY i.n;
  -- Survivorship for the golden records joined that can change: not for those just written
  -- with their only member's values, nor for one whose new members bring no value it lacks
  -- (each of theirs missing or equal to the surviving one: whatever the rules, such a member
  -- can only win with the value that already won; a known person's email sent again). EXCEPT
  -- hashes; NOT t = ANY (settled) compared every target with every new golden record.
  targets := ARRAY(
    SELECT u.t FROM unnest(records, targets) u(r, t)
    JOIN dedupe.records m ON m.record_id = u.r
    JOIN dedupe.golden_records g ON g.golden_id = u.t
    WHERE (coalesce(m.external_id, g.external_id), coalesce(m.email, g.email),
           coalesce(m.phone, g.phone), coalesce(m.first_name, g.first_name),
           coalesce(m.last_name, g.last_name), coalesce(m.company, g.company),
           coalesce(m.domain, g.domain), coalesce(m.country, g.country))
          IS DISTINCT FROM
          (g.external_id, g.email, g.phone, g.first_name, g.last_name, g.company, g.domain, g.country)
       OR (m.attributes OPERATOR(pg_catalog.<>) '{}'::jsonb
           AND EXISTS (SELECT FROM pg_catalog.jsonb_each_text(m.attributes) e
                       WHERE e.value IS NOT NULL
                         AND e.value IS DISTINCT FROM g.attributes OPERATOR(pg_catalog.->>) e.key))
    EXCEPT SELECT s FROM unnest(settled) s ORDER BY 1);
  IF pg_catalog.cardinality(targets) > 0 THEN
    PERFORM dedupe._recompute_goldens(targets);
  END IF;
  -- The owner is chosen once, from the values a new golden record starts with.
  IF pg_catalog.cardinality(fresh) > 0 AND initial_owner = '' THEN
    UPDATE dedupe.golden_records g SET owner = dedupe._owner_for(g)
     WHERE g.golden_id = ANY (fresh) AND g.owner = '';
  END IF;
  RETURN fresh;
END $$;
COMMENT ON FUNCTION dedupe._link_many(bigint[], bigint[], text[], double precision[], name[], jsonb[]) IS
  'internal: links many records, each to an existing golden record or to one of the new golden '
  'records it creates, audits and recomputes them, set-based';
REVOKE ALL ON FUNCTION dedupe._link_many(bigint[], bigint[], text[], double precision[], name[], jsonb[])
  FROM PUBLIC;

-- A linked record whose identity changed so that it no longer belongs to its golden record
-- leaves it (the matcher then links, reviews or starts a new golden record for it).
CREATE FUNCTION dedupe._detach(record bigint, actor name, explanation jsonb) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  old bigint;
  rec dedupe.records;
BEGIN
  SELECT * INTO rec FROM dedupe.records r WHERE r.record_id = record;
  DELETE FROM dedupe.record_links l WHERE l.record_id = record RETURNING l.golden_id INTO old;
  IF old IS NULL THEN RETURN NULL; END IF;
  PERFORM dedupe._recompute_golden(old);
  INSERT INTO dedupe.audit_log (actor, source, source_pk, record_id, decision, rule, inputs, reason)
  VALUES (actor, rec.source, rec.source_pk, record, 'unlinked', 'identity_changed',
          coalesce(explanation, '{}') || pg_catalog.jsonb_build_object('from_golden_id', old),
          'an update changed the record''s identity and it no longer matches its golden record');
  RETURN old;
END $$;
COMMENT ON FUNCTION dedupe._detach(bigint, name, jsonb) IS
  'internal: takes a record whose identity changed out of its golden record (recomputed) and audits it';
REVOKE ALL ON FUNCTION dedupe._detach(bigint, name, jsonb) FROM PUBLIC;

CREATE FUNCTION dedupe._open_review(record bigint, kind text, golden bigint, conflicting bigint[],
  rule text, score double precision, actor name, explanation jsonb) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  item bigint;
  rec dedupe.records;
BEGIN
  SELECT * INTO rec FROM dedupe.records r WHERE r.record_id = record;
  golden := dedupe._live_golden(golden);  -- merged away meanwhile: its survivor
  -- A doubt about a high-value person is escalated to its own kind and tighter SLA.
  IF kind IN ('ambiguous', 'conflict')
     AND dedupe._review_is_high_value(record, coalesce(conflicting, '{}') || golden) THEN
    explanation := coalesce(explanation, '{}') || pg_catalog.jsonb_build_object('escalated_from', kind);
    kind := 'high_value';
  END IF;
  INSERT INTO dedupe.review_queue (kind, record_id, golden_id, conflicting, rule, score, details, owner, due_at)
  VALUES (kind, record, golden, conflicting, rule, score, explanation,
          coalesce((SELECT g.owner FROM dedupe.golden_records g WHERE g.golden_id = golden),
                   (SELECT s.value FROM dedupe.effective_settings s WHERE s.name = 'default_owner')),
          dedupe._due_at(kind))
  ON CONFLICT (record_id) WHERE status = 'open' AND record_id IS NOT NULL DO UPDATE
    SET kind = EXCLUDED.kind, golden_id = EXCLUDED.golden_id, conflicting = EXCLUDED.conflicting,
        rule = EXCLUDED.rule, score = EXCLUDED.score, details = EXCLUDED.details
  RETURNING item_id INTO item;
  INSERT INTO dedupe.audit_log (actor, source, source_pk, record_id, decision, rule, score, inputs)
  VALUES (actor, rec.source, rec.source_pk, record, 'review_opened', rule, score,
          coalesce(explanation, '{}') || pg_catalog.jsonb_build_object('item_id', item, 'kind', kind,
            'golden_id', golden, 'conflicting', conflicting));
  RETURN item;
END $$;
COMMENT ON FUNCTION dedupe._open_review(bigint, text, bigint, bigint[], text, double precision, name, jsonb) IS
  'internal: puts a record in the review queue with its owner and SLA deadline, and audits it';

REVOKE ALL ON FUNCTION dedupe._golden_gone(bigint), dedupe._lock_golden_records(bigint[]),
  dedupe._live_golden(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION dedupe._recompute_golden(bigint), dedupe._recompute_goldens(bigint[]),
  dedupe._link(bigint, bigint, text, double precision, name, jsonb),
  dedupe._open_review(bigint, text, bigint, bigint[], text, double precision, name, jsonb) FROM PUBLIC;

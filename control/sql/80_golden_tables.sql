-- Golden records: one per person, the records linked to it, the review queue, and the
-- policies (SLA, owners, source priority, survivorship) that drive them.

-- Configuration tables hold only what an admin set; the built-in defaults live in the
-- dedupe.effective_* views, which readers use. So the install script inserts no rows a
-- restore of pg_dump's copy of the table would collide with.
CREATE TABLE dedupe.settings (
  name  text PRIMARY KEY,
  value text NOT NULL
);
COMMENT ON TABLE dedupe.settings IS
  'Golden-record settings an admin changed: default_owner (default unassigned), review_threshold '
  '(0.8) and auto_link_threshold (0.9), both match probabilities; merge_on_evidence (on: golden '
  'records the rules name together for one row are merged; off: a conflict item asks); '
  'model_estimation (manual, or automatic: re-estimate the write path''s model off the write path '
  'each time the records double) and model_estimation_min_records (1000); a missing row means the default '
  '(dedupe.effective_settings)';
SELECT pg_catalog.pg_extension_config_dump('dedupe.settings', '');

CREATE VIEW dedupe.effective_settings AS
SELECT coalesce(s.name, d.name) AS name, coalesce(s.value, d.value) AS value,
       s.name IS NULL AS is_default
FROM dedupe.settings s
FULL JOIN (VALUES ('default_owner', 'unassigned'), ('review_threshold', '0.8'),
                  ('auto_link_threshold', '0.9'), ('merge_on_evidence', 'on'),
                  ('model_estimation', 'manual'), ('model_estimation_min_records', '1000'))
          d(name, value) ON d.name = s.name;
COMMENT ON VIEW dedupe.effective_settings IS
  'The golden-record settings in force: each built-in default (default_owner unassigned, '
  'review_threshold 0.8, auto_link_threshold 0.9: match probabilities; merge_on_evidence on; '
  'model_estimation manual, '
  'model_estimation_min_records 1000) unless dedupe.settings overrides it';

CREATE SEQUENCE dedupe.golden_records_golden_id_seq;
CREATE TABLE dedupe.golden_records (
  golden_id   bigint PRIMARY KEY DEFAULT pg_catalog.nextval('dedupe.golden_records_golden_id_seq'),
  key         dedupe.match_key,
  external_id text,
  email       text,
  phone       text,
  first_name  text,
  last_name   text,
  full_name   text,
  company     text,
  domain      text,
  country     text,
  attributes  jsonb NOT NULL DEFAULT '{}',  -- surviving values of the sources' extra columns
  owner       text NOT NULL,
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed')),
  created_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
  updated_at  timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE dedupe.golden_records IS
  'One row per person: surviving attribute values of its linked records, owner and status '
  '(pending until a human confirms it; physical mail waits for confirmed)';
CREATE INDEX golden_records_key_idx ON dedupe.golden_records USING gin (key);
ALTER SEQUENCE dedupe.golden_records_golden_id_seq OWNED BY dedupe.golden_records.golden_id;
COMMENT ON SEQUENCE dedupe.golden_records_golden_id_seq IS 'Ids of dedupe.golden_records (dumped with the table)';
SELECT pg_catalog.pg_extension_config_dump('dedupe.golden_records', '');
SELECT pg_catalog.pg_extension_config_dump('dedupe.golden_records_golden_id_seq', '');

CREATE TABLE dedupe.record_links (
  record_id bigint PRIMARY KEY REFERENCES dedupe.records ON DELETE CASCADE,
  golden_id bigint NOT NULL REFERENCES dedupe.golden_records,
  rule      text NOT NULL,
  score     double precision NOT NULL,
  linked_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  linked_by name NOT NULL
);
COMMENT ON TABLE dedupe.record_links IS 'Which golden record each staged record belongs to, by which rule';
CREATE INDEX record_links_golden_idx ON dedupe.record_links (golden_id);
SELECT pg_catalog.pg_extension_config_dump('dedupe.record_links', '');

CREATE SEQUENCE dedupe.review_queue_item_id_seq;
CREATE TABLE dedupe.review_queue (
  item_id     bigint PRIMARY KEY DEFAULT pg_catalog.nextval('dedupe.review_queue_item_id_seq'),
  kind        text NOT NULL CHECK (kind IN ('ambiguous', 'merge_request', 'conflict', 'high_value')),
  record_id   bigint REFERENCES dedupe.records ON DELETE CASCADE,
  golden_id   bigint REFERENCES dedupe.golden_records ON DELETE SET NULL,
  conflicting bigint[],
  rule        text NOT NULL,
  score       double precision,
  details     jsonb,
  owner       text NOT NULL,
  due_at      timestamptz NOT NULL,
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'rejected')),
  created_at  timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  resolved_at timestamptz,
  resolved_by name
);
COMMENT ON TABLE dedupe.review_queue IS
  'Decisions a human must make (no silent merges): kind, the record and golden record(s) in '
  'question, why, the owner and the SLA deadline';
CREATE INDEX review_queue_open_idx ON dedupe.review_queue (owner, due_at) WHERE status = 'open';
CREATE UNIQUE INDEX review_queue_one_open_per_record ON dedupe.review_queue (record_id)
  WHERE status = 'open' AND record_id IS NOT NULL;
ALTER SEQUENCE dedupe.review_queue_item_id_seq OWNED BY dedupe.review_queue.item_id;
COMMENT ON SEQUENCE dedupe.review_queue_item_id_seq IS 'Ids of dedupe.review_queue (dumped with the table)';
SELECT pg_catalog.pg_extension_config_dump('dedupe.review_queue', '');
SELECT pg_catalog.pg_extension_config_dump('dedupe.review_queue_item_id_seq', '');

CREATE TABLE dedupe.golden_merges (
  absorbed_id bigint PRIMARY KEY,  -- the golden record that no longer exists
  kept_id     bigint NOT NULL,     -- where its members went (may itself be merged later)
  merged_at   timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  merged_by   name NOT NULL,
  reason      text
);
COMMENT ON TABLE dedupe.golden_merges IS
  'Where each merged-away golden record went, so references issued before a merge (mail '
  'tracking codes, exports) resolve to the survivor; see dedupe.surviving_golden()';
CREATE INDEX golden_merges_kept_idx ON dedupe.golden_merges (kept_id);
SELECT pg_catalog.pg_extension_config_dump('dedupe.golden_merges', '');

CREATE TABLE dedupe.distinct_pairs (
  record_id  bigint NOT NULL REFERENCES dedupe.records ON DELETE CASCADE,
  golden_id  bigint NOT NULL REFERENCES dedupe.golden_records ON DELETE CASCADE,
  decided_by name NOT NULL,
  decided_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  PRIMARY KEY (record_id, golden_id)
);
COMMENT ON TABLE dedupe.distinct_pairs IS
  'A human decided this record is not this golden record''s person: never proposed again';
SELECT pg_catalog.pg_extension_config_dump('dedupe.distinct_pairs', '');

CREATE TABLE dedupe.sla_policies (
  kind           text PRIMARY KEY CHECK (kind IN ('ambiguous', 'merge_request', 'conflict', 'high_value')),
  duration       interval NOT NULL CHECK (duration > interval '0'),
  business_hours boolean NOT NULL DEFAULT false,
  time_zone      text NOT NULL DEFAULT 'UTC',
  opens_at       time NOT NULL DEFAULT '09:00',
  closes_at      time NOT NULL DEFAULT '17:00',
  working_days   integer[] NOT NULL DEFAULT '{1,2,3,4,5}'  -- ISO: 1 = Monday .. 7 = Sunday
);
COMMENT ON TABLE dedupe.sla_policies IS
  'How long each kind of review item may wait, where an admin changed the default '
  '(dedupe.effective_sla_policies): wall-clock, or business hours in a time zone';
SELECT pg_catalog.pg_extension_config_dump('dedupe.sla_policies', '');

CREATE VIEW dedupe.effective_sla_policies AS
SELECT p.kind, p.duration, p.business_hours, p.time_zone, p.opens_at, p.closes_at, p.working_days,
       false AS is_default
FROM dedupe.sla_policies p
UNION ALL
SELECT d.kind, d.duration, d.business_hours, 'UTC'::text, '09:00'::time, '17:00'::time,
       '{1,2,3,4,5}'::integer[], true
FROM (VALUES ('ambiguous', '1 hour'::interval, false), ('merge_request', '8 hours'::interval, true),
             ('conflict', '4 hours'::interval, false), ('high_value', '30 minutes'::interval, false))
     d(kind, duration, business_hours)
WHERE NOT EXISTS (SELECT FROM dedupe.sla_policies p WHERE p.kind = d.kind);
COMMENT ON VIEW dedupe.effective_sla_policies IS
  'The SLA of each review kind in force: the row of dedupe.sla_policies, else the built-in default '
  '(ambiguous 1 hour, merge_request 8 business hours Mon-Fri 09:00-17:00 UTC, conflict 4 hours, '
  'high_value 30 minutes)';

-- Conditions over a golden record's values, shared by owner and high-value rules: attribute
-- is one of the identity columns or a key of golden_records.attributes; op compares the value
-- with pattern: '~' (POSIX regex), '=', '<>', or numerically '<', '<=', '>', '>='.
CREATE DOMAIN dedupe.condition_op AS text
  CHECK (VALUE IN ('~', '=', '<>', '<', '<=', '>', '>='));
COMMENT ON DOMAIN dedupe.condition_op IS
  'How a rule compares an attribute with its pattern: ~ (regex), =, <> (text), <, <=, >, >= (numeric)';

CREATE FUNCTION dedupe._condition_is_valid(op text, pattern text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE WHEN op = '~' THEN ('' OPERATOR(pg_catalog.~) pattern) IS NOT NULL  -- compiles, or 2201B
              WHEN op IN ('=', '<>') THEN true
              ELSE pattern OPERATOR(pg_catalog.~) '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$' END
$$;
COMMENT ON FUNCTION dedupe._condition_is_valid(text, text) IS
  'internal: whether a rule condition can be evaluated (its regex compiles, its numeric operand is a number)';

CREATE TABLE dedupe.owner_rules (
  priority  integer NOT NULL,
  attribute text NOT NULL CHECK (attribute ~ '^[A-Za-z_][A-Za-z0-9_]*$'),
  pattern   text NOT NULL,
  owner     text NOT NULL CHECK (owner <> ''),
  op        dedupe.condition_op NOT NULL DEFAULT '~',
  -- a bad regex or a non-number fails here, at configuration time, not inside a writer's INSERT
  CHECK (dedupe._condition_is_valid(op, pattern)),
  PRIMARY KEY (priority, attribute, op)
);
COMMENT ON TABLE dedupe.owner_rules IS
  'Who owns a new golden record. Rows with the same priority form one rule: all their conditions '
  '(attribute op pattern, e.g. country ~ ''^(DE|AT)$'' and lead_score >= 80) must hold; the '
  'lowest-priority rule that holds wins, dedupe.settings.default_owner otherwise. Assignment happens '
  'once; dedupe.assign_owner() changes it.';
SELECT pg_catalog.pg_extension_config_dump('dedupe.owner_rules', '');

-- One rule, one owner: rows of the same priority must agree on it.
CREATE FUNCTION dedupe._owner_rules_agree() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT FROM dedupe.owner_rules r WHERE r.priority = NEW.priority AND r.owner <> NEW.owner) THEN
    RAISE EXCEPTION 'owner rule % already gives owner %', NEW.priority,
      (SELECT min(r.owner) FROM dedupe.owner_rules r WHERE r.priority = NEW.priority AND r.owner <> NEW.owner)
      USING ERRCODE = '23P01', HINT = 'Rows with the same priority form one rule with one owner.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION dedupe._owner_rules_agree() IS
  'internal: rows of dedupe.owner_rules with the same priority must name the same owner';
CREATE TRIGGER owner_rules_agree AFTER INSERT OR UPDATE ON dedupe.owner_rules
  FOR EACH ROW EXECUTE FUNCTION dedupe._owner_rules_agree();

CREATE TABLE dedupe.high_value_rules (
  priority  integer NOT NULL,
  attribute text NOT NULL CHECK (attribute ~ '^[A-Za-z_][A-Za-z0-9_]*$'),
  pattern   text NOT NULL,
  op        dedupe.condition_op NOT NULL DEFAULT '>=',
  -- a bad regex or a non-number fails here, at configuration time, not inside a writer's INSERT
  CHECK (dedupe._condition_is_valid(op, pattern)),
  PRIMARY KEY (priority, attribute, op)
);
COMMENT ON TABLE dedupe.high_value_rules IS
  'What makes a record high value (e.g. arr >= 100000, or lead_score >= 90 and country = US): rows '
  'with the same priority must all hold; any rule that holds for the record, its golden record or a '
  'conflicting golden record turns an ambiguous or conflict review item into kind high_value (its own '
  'SLA, 30 minutes by default). Empty by default: nothing is high value.';
SELECT pg_catalog.pg_extension_config_dump('dedupe.high_value_rules', '');

CREATE TABLE dedupe.source_priority (
  source   text PRIMARY KEY REFERENCES dedupe.sources ON UPDATE CASCADE ON DELETE CASCADE,
  priority integer NOT NULL,  -- lower wins; the system of record gets the lowest
  canonical boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE dedupe.source_priority IS
  'Survivorship order of sources (lower priority wins; sources not listed come last). A canonical '
  'source (the system of record) is authoritative: where one of its records has a value, no value '
  'from a non-canonical source replaces it, whatever the attribute''s rule; only a human override '
  '(dedupe.override_value) does.';
SELECT pg_catalog.pg_extension_config_dump('dedupe.source_priority', '');

CREATE TABLE dedupe.survivorship_rules (
  attribute text PRIMARY KEY CHECK (attribute ~ '^[A-Za-z_][A-Za-z0-9_]*$'),
  rule      text NOT NULL CHECK (rule IN ('source_priority', 'most_recent', 'most_complete', 'most_frequent'))
);
COMMENT ON TABLE dedupe.survivorship_rules IS
  'Per attribute (an identity column or a key of the records'' extra attributes), how the golden '
  'value is chosen among linked records (an attribute without a row: source_priority, then most '
  'recent). Every rule keeps source priority as its tie-break.';
SELECT pg_catalog.pg_extension_config_dump('dedupe.survivorship_rules', '');

CREATE TABLE dedupe.golden_overrides (
  golden_id bigint NOT NULL REFERENCES dedupe.golden_records ON DELETE CASCADE,
  attribute text NOT NULL CHECK (attribute ~ '^[A-Za-z_][A-Za-z0-9_]*$'),
  value     text NOT NULL,
  set_by    name NOT NULL,
  set_at    timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  reason    text NOT NULL,
  PRIMARY KEY (golden_id, attribute)
);
COMMENT ON TABLE dedupe.golden_overrides IS
  'Values a human set on a golden record (dedupe.override_value); they beat every survivorship rule '
  'until cleared, and follow the golden record through merges';
SELECT pg_catalog.pg_extension_config_dump('dedupe.golden_overrides', '');

REVOKE ALL ON dedupe.settings, dedupe.effective_settings, dedupe.effective_sla_policies, dedupe.golden_records, dedupe.record_links, dedupe.review_queue, dedupe.golden_merges,
  dedupe.golden_overrides,
  dedupe.distinct_pairs, dedupe.sla_policies, dedupe.owner_rules, dedupe.high_value_rules,
  dedupe.source_priority, dedupe.survivorship_rules FROM PUBLIC;
GRANT SELECT ON dedupe.golden_records, dedupe.record_links, dedupe.review_queue, dedupe.golden_merges,
  dedupe.golden_overrides TO dedupe_admin, dedupe_auditor;
GRANT SELECT, INSERT, UPDATE, DELETE ON dedupe.settings, dedupe.sla_policies, dedupe.owner_rules,
  dedupe.high_value_rules, dedupe.source_priority, dedupe.survivorship_rules TO dedupe_admin;
GRANT SELECT ON dedupe.effective_settings, dedupe.effective_sla_policies TO dedupe_admin;

-- Outreach gate and mail tracking. Physical mail (or any channel) goes only to golden
-- records a human confirmed, with no open review item, and with what the channel needs to
-- reach them. Each mail piece gets a short tracking code that maps back to the golden
-- record, following merges, when the piece is scanned or returned.

CREATE TABLE dedupe.outreach_channels (
  channel             text PRIMARY KEY CHECK (channel ~ '^[a-z][a-z0-9_]{0,31}$'),
  required_attributes text[] NOT NULL CHECK (pg_catalog.cardinality(required_attributes) > 0),
  description         text
);
COMMENT ON TABLE dedupe.outreach_channels IS
  'Channels an admin added or redefined (the built-in mail, email and phone apply unless a row '
  'here redefines them; dedupe.effective_outreach_channels): what a golden record must have to be '
  'reachable on a channel: each required attribute is a golden-record column (email, phone, '
  'names, company, domain, country) or a key of golden_records.attributes (street, postcode, '
  'city, ...), non-blank';
SELECT pg_catalog.pg_extension_config_dump('dedupe.outreach_channels', '');

-- The built-in channels live here, not as rows of the table, so a restored dump of the table
-- never collides with them (see 50_write_path_tables.sql).
CREATE VIEW dedupe.effective_outreach_channels AS
SELECT c.channel, c.required_attributes, c.description, false AS is_default
FROM dedupe.outreach_channels c
UNION ALL
SELECT d.channel, d.required_attributes, d.description, true
FROM (VALUES ('mail', '{street,postcode,city}'::text[], 'Physical mail: a postal address'),
             ('email', '{email}'::text[], 'Email: an address'),
             ('phone', '{phone}'::text[], 'Phone calls: a number')) d(channel, required_attributes, description)
WHERE NOT EXISTS (SELECT FROM dedupe.outreach_channels c WHERE c.channel = d.channel);
COMMENT ON VIEW dedupe.effective_outreach_channels IS
  'The outreach channels in force: the built-in mail (street, postcode, city), email (email) and '
  'phone (phone), each unless dedupe.outreach_channels redefines it, and the channels added there';

-- The one place that knows where golden-record attributes live: identity values are
-- columns, everything else (street, postcode, city, ARR, ...) is a key of
-- golden_records.attributes (the surviving values of the sources' extra columns).
-- Deliberately without SET search_path, so the planner inlines it: the outreach list of
-- 100,000 golden records takes 0.25 s instead of 2 s. Every operator and function in the body
-- is therefore schema-qualified, so no search_path can redirect it.
CREATE FUNCTION dedupe._golden_attribute(g dedupe.golden_records, attribute text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  -- Trimmed, and NULL when blank: array_remove compares with the type's own equality, where
  -- NULLIF would look '=' up by name.
  SELECT (pg_catalog.array_remove(ARRAY[pg_catalog.btrim(CASE
    WHEN attribute OPERATOR(pg_catalog.=) 'external_id' THEN g.external_id
    WHEN attribute OPERATOR(pg_catalog.=) 'email' THEN g.email
    WHEN attribute OPERATOR(pg_catalog.=) 'phone' THEN g.phone
    WHEN attribute OPERATOR(pg_catalog.=) 'first_name' THEN g.first_name
    WHEN attribute OPERATOR(pg_catalog.=) 'last_name' THEN g.last_name
    WHEN attribute OPERATOR(pg_catalog.=) 'full_name' THEN g.full_name
    WHEN attribute OPERATOR(pg_catalog.=) 'company' THEN g.company
    WHEN attribute OPERATOR(pg_catalog.=) 'domain' THEN g.domain
    WHEN attribute OPERATOR(pg_catalog.=) 'country' THEN g.country
    ELSE g.attributes OPERATOR(pg_catalog.->>) attribute END)], ''))[1]
$$;
COMMENT ON FUNCTION dedupe._golden_attribute(dedupe.golden_records, text) IS
  'internal: a golden record''s surviving value of an identity column or of a key of its '
  'attributes; NULL when missing or blank';

-- Which golden records each open review item is about: its own, the conflicting ones, and
-- the golden record of the record it holds. The gate's one definition of "under review".
CREATE VIEW dedupe._open_review_subjects AS
SELECT q.item_id, q.kind, q.golden_id FROM dedupe.review_queue q
 WHERE q.status = 'open' AND q.golden_id IS NOT NULL
UNION
SELECT q.item_id, q.kind, c.golden_id FROM dedupe.review_queue q, pg_catalog.unnest(q.conflicting) c(golden_id)
 WHERE q.status = 'open' AND c.golden_id IS NOT NULL
UNION
SELECT q.item_id, q.kind, l.golden_id FROM dedupe.review_queue q JOIN dedupe.record_links l USING (record_id)
 WHERE q.status = 'open';
COMMENT ON VIEW dedupe._open_review_subjects IS
  'internal: (open review item, golden record it touches) pairs; the outreach gate holds those golden records';

-- Every reason a golden record is held on a channel; empty when it may be contacted.
CREATE FUNCTION dedupe._hold_reasons(g dedupe.golden_records, channel text) RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT pg_catalog.array_remove(ARRAY[
    CASE WHEN g.status <> 'confirmed' THEN 'not confirmed (status ' || g.status || ')' END,
    (SELECT 'open review item' || CASE WHEN pg_catalog.count(*) > 1 THEN 's ' ELSE ' ' END
            || pg_catalog.string_agg(s.item_id || ' (' || s.kind || ')', ', ' ORDER BY s.item_id)
       FROM dedupe._open_review_subjects s WHERE s.golden_id = g.golden_id),
    (SELECT 'no deliverable ' || c.channel || ' address: missing '
            || pg_catalog.string_agg(a.attribute, ', ' ORDER BY a.n)
       FROM dedupe.effective_outreach_channels c, pg_catalog.unnest(c.required_attributes) WITH ORDINALITY a(attribute, n)
      WHERE c.channel = _hold_reasons.channel AND dedupe._golden_attribute(g, a.attribute) IS NULL
      GROUP BY c.channel)], NULL)
$$;
COMMENT ON FUNCTION dedupe._hold_reasons(dedupe.golden_records, text) IS
  'internal: why a golden record may not be contacted on a channel (empty array: it may)';

-- Set-based (one anti-join with the review subjects) rather than _hold_reasons per row, so
-- the list of a million golden records is one scan; test/pgtap/ops_outreach.sql checks the
-- two agree.
CREATE VIEW dedupe.outreach_ready AS
SELECT c.channel, g.golden_id, g.owner, g.full_name, g.company, g.country,
       (SELECT pg_catalog.jsonb_object_agg(a.attribute, dedupe._golden_attribute(g, a.attribute))
          FROM pg_catalog.unnest(c.required_attributes) a(attribute)) AS address,
       g.updated_at
FROM dedupe.golden_records g CROSS JOIN dedupe.effective_outreach_channels c
WHERE g.status = 'confirmed'
  AND NOT EXISTS (SELECT FROM dedupe._open_review_subjects s WHERE s.golden_id = g.golden_id)
  AND NOT EXISTS (SELECT FROM pg_catalog.unnest(c.required_attributes) a(attribute)
                   WHERE dedupe._golden_attribute(g, a.attribute) IS NULL);
COMMENT ON VIEW dedupe.outreach_ready IS
  'Golden records that may be contacted, one row per channel (WHERE channel = ''mail'' for '
  'physical mail): confirmed, no open review item touching them, and every attribute the '
  'channel requires present (address holds them); dedupe.hold_reason() says why others are held';

CREATE FUNCTION dedupe.hold_reason(golden bigint, channel text DEFAULT 'mail') RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  g dedupe.golden_records;
  survivor bigint;
BEGIN
  IF NOT EXISTS (SELECT FROM dedupe.effective_outreach_channels c WHERE c.channel = hold_reason.channel) THEN
    RAISE EXCEPTION 'unknown outreach channel "%"', channel USING ERRCODE = '42704',
      HINT = 'dedupe.effective_outreach_channels lists the channels.';
  END IF;
  SELECT * INTO g FROM dedupe.golden_records gg WHERE gg.golden_id = golden;
  IF NOT FOUND THEN
    survivor := dedupe.surviving_golden(golden);
    IF survivor IS NOT NULL THEN
      RETURN 'merged into golden record ' || survivor;
    END IF;
    RAISE EXCEPTION 'golden record % does not exist', golden USING ERRCODE = '42704';
  END IF;
  RETURN nullif(pg_catalog.array_to_string(dedupe._hold_reasons(g, channel), '; '), '');
END $$;
COMMENT ON FUNCTION dedupe.hold_reason(bigint, text) IS
  'Why a golden record may not be contacted on a channel (default mail), every reason joined '
  'by ''; ''; NULL when it is in dedupe.outreach_ready. A merged-away id is held: use its survivor.';

-- Tracking codes.
CREATE SEQUENCE dedupe.tracking_keys_key_id_seq AS integer;
CREATE TABLE dedupe.tracking_keys (
  key_id     integer PRIMARY KEY DEFAULT pg_catalog.nextval('dedupe.tracking_keys_key_id_seq'),
  secret     bytea NOT NULL CHECK (pg_catalog.octet_length(secret) >= 16),
  created_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
COMMENT ON TABLE dedupe.tracking_keys IS
  'HMAC keys tracking codes are derived from (the newest is used; created on first use from '
  'OpenSSL''s random generator). Readable only by dedupe_admin and the extension owner. '
  'Rotating (inserting a new key) changes new codes only; issued codes stay in dedupe.mail_pieces.';
ALTER SEQUENCE dedupe.tracking_keys_key_id_seq OWNED BY dedupe.tracking_keys.key_id;
COMMENT ON SEQUENCE dedupe.tracking_keys_key_id_seq IS 'Ids of dedupe.tracking_keys (dumped with the table)';
-- Dumped because issuing codes needs the keys: a dump of the database holds these secrets.
SELECT pg_catalog.pg_extension_config_dump('dedupe.tracking_keys', '');
SELECT pg_catalog.pg_extension_config_dump('dedupe.tracking_keys_key_id_seq', '');

CREATE SEQUENCE dedupe.mail_pieces_piece_id_seq;
CREATE TABLE dedupe.mail_pieces (
  piece_id          bigint PRIMARY KEY DEFAULT pg_catalog.nextval('dedupe.mail_pieces_piece_id_seq'),
  code              text NOT NULL UNIQUE,
  golden_id         bigint NOT NULL,  -- as issued; after a merge, dedupe.surviving_golden() finds the person
  campaign          text NOT NULL CHECK (campaign <> ''),
  channel           text NOT NULL,
  status            text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sent', 'delivered', 'returned')),
  issued_at         timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  issued_by         name NOT NULL,
  status_changed_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  UNIQUE (golden_id, campaign)
);
COMMENT ON TABLE dedupe.mail_pieces IS
  'One row per tracking code issued: the golden record and campaign it was issued for, and the '
  'piece''s status (pending -> sent -> delivered | returned, enforced by a trigger)';
CREATE INDEX mail_pieces_campaign_idx ON dedupe.mail_pieces (campaign, status);
ALTER SEQUENCE dedupe.mail_pieces_piece_id_seq OWNED BY dedupe.mail_pieces.piece_id;
COMMENT ON SEQUENCE dedupe.mail_pieces_piece_id_seq IS 'Ids of dedupe.mail_pieces (dumped with the table)';
SELECT pg_catalog.pg_extension_config_dump('dedupe.mail_pieces', '');
SELECT pg_catalog.pg_extension_config_dump('dedupe.mail_pieces_piece_id_seq', '');

CREATE FUNCTION dedupe._mail_piece_transition() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.code <> OLD.code OR NEW.golden_id <> OLD.golden_id OR NEW.campaign <> OLD.campaign
     OR NEW.channel <> OLD.channel THEN
    RAISE EXCEPTION 'mail piece %: code, golden record, campaign and channel never change', OLD.piece_id
      USING ERRCODE = '55000';
  END IF;
  IF NEW.status <> OLD.status THEN
    IF NOT (OLD.status, NEW.status) IN (('pending', 'sent'), ('sent', 'delivered'), ('sent', 'returned')) THEN
      RAISE EXCEPTION 'mail piece % cannot go from % to %', OLD.piece_id, OLD.status, NEW.status
        USING ERRCODE = '55000', HINT = 'A piece goes pending -> sent -> delivered or returned.';
    END IF;
    NEW.status_changed_at := pg_catalog.clock_timestamp();
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION dedupe._mail_piece_transition() IS
  'internal: BEFORE UPDATE trigger of dedupe.mail_pieces enforcing the status transitions';
CREATE TRIGGER mail_piece_transition BEFORE UPDATE ON dedupe.mail_pieces
  FOR EACH ROW EXECUTE FUNCTION dedupe._mail_piece_transition();

CREATE FUNCTION dedupe.normalize_tracking_code(text) RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_normalize_tracking_code' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.normalize_tracking_code(text) IS
  'A scanned or typed tracking code in its printed form XXXX-XXXX-XXX (any case; O read as 0, '
  'I and L as 1; hyphens and spaces ignored). 22P02 when a character is not in the alphabet, '
  'the length is wrong or the check character does not match (a misread or mistyped character).';

CREATE FUNCTION dedupe.is_valid_tracking_code(text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_is_valid_tracking_code' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.is_valid_tracking_code(text) IS
  'true when dedupe.normalize_tracking_code() accepts the text (well formed, check character holds)';

CREATE FUNCTION dedupe._derive_tracking_code(key bytea, golden bigint, campaign text, attempt integer)
RETURNS text AS 'MODULE_PATHNAME', 'dedupe_derive_tracking_code' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe._derive_tracking_code(bytea, bigint, text, integer) IS
  'internal: the tracking code of a golden record in a campaign: 50 bits of HMAC-SHA256 under '
  'the key in Crockford base32 and an ISO 7064 hybrid (MOD 33,32) check character';

CREATE FUNCTION dedupe._random_bytes(n integer) RETURNS bytea
  AS 'MODULE_PATHNAME', 'dedupe_random_bytes' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe._random_bytes(integer) IS
  'internal: n (0..1024) bytes from OpenSSL''s cryptographically secure random generator';

-- Golden ids whose members now live in `golden`: itself and everything merged into it.
CREATE FUNCTION dedupe._absorbed_into(golden bigint) RETURNS SETOF bigint
LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
  WITH RECURSIVE absorbed(id, depth) AS (
    SELECT golden, 0
    UNION ALL
    SELECT m.absorbed_id, a.depth + 1 FROM absorbed a JOIN dedupe.golden_merges m ON m.kept_id = a.id
    WHERE a.depth < 1000)
  SELECT DISTINCT id FROM absorbed
$$;
COMMENT ON FUNCTION dedupe._absorbed_into(bigint) IS
  'internal: a golden id and every golden id merged into it, directly or through earlier merges';

CREATE FUNCTION dedupe.tracking_code(golden bigint, campaign text, channel text DEFAULT 'mail') RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  g dedupe.golden_records;
  reasons text[];
  key bytea;
  issued text;
  piece bigint;
BEGIN
  IF campaign IS NULL OR pg_catalog.btrim(campaign) = '' THEN
    RAISE EXCEPTION 'a tracking code needs a campaign' USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT FROM dedupe.effective_outreach_channels c WHERE c.channel = tracking_code.channel) THEN
    RAISE EXCEPTION 'unknown outreach channel "%"', channel USING ERRCODE = '42704',
      HINT = 'dedupe.effective_outreach_channels lists the channels.';
  END IF;
  -- Locking the golden record serializes issuing for one person.
  SELECT * INTO g FROM dedupe.golden_records gg WHERE gg.golden_id = golden FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'golden record % does not exist', golden USING ERRCODE = '42704',
      HINT = coalesce('It was merged into golden record ' || dedupe.surviving_golden(golden) || '; issue codes to it.',
                      'dedupe.golden_records lists the golden records.');
  END IF;
  -- One piece per person and campaign, also when the code went to a record merged in since.
  SELECT p.code INTO issued FROM dedupe.mail_pieces p
   WHERE p.campaign = tracking_code.campaign AND p.golden_id IN (SELECT dedupe._absorbed_into(golden))
   ORDER BY p.piece_id LIMIT 1;
  IF issued IS NOT NULL THEN
    RETURN issued;
  END IF;
  reasons := dedupe._hold_reasons(g, channel);
  IF pg_catalog.cardinality(reasons) > 0 THEN
    RAISE EXCEPTION 'golden record % is held for %', golden, channel USING ERRCODE = '55000',
      DETAIL = pg_catalog.array_to_string(reasons, '; '),
      HINT = 'Only records in dedupe.outreach_ready get tracking codes; dedupe.hold_reason() explains.';
  END IF;
  SELECT k.secret INTO key FROM dedupe.tracking_keys k ORDER BY k.key_id DESC LIMIT 1;
  IF key IS NULL THEN
    INSERT INTO dedupe.tracking_keys (secret) VALUES (dedupe._random_bytes(32)) RETURNING secret INTO key;
  END IF;
  -- 50-bit codes practically never collide; if one does, the next attempt derives another.
  FOR attempt IN 0..9 LOOP
    INSERT INTO dedupe.mail_pieces (code, golden_id, campaign, channel, issued_by)
    VALUES (dedupe._derive_tracking_code(key, golden, campaign, attempt), golden, campaign, channel, session_user)
    ON CONFLICT (code) DO NOTHING
    RETURNING piece_id, code INTO piece, issued;
    EXIT WHEN piece IS NOT NULL;
  END LOOP;
  IF piece IS NULL THEN
    RAISE EXCEPTION 'no free tracking code for golden record % in campaign %', golden, campaign
      USING ERRCODE = 'XX000';
  END IF;
  INSERT INTO dedupe.audit_log (actor, decision, inputs)
  VALUES (session_user, 'tracking_code_issued', pg_catalog.jsonb_build_object('piece_id', piece,
          'golden_id', golden, 'campaign', campaign, 'channel', channel));
  RETURN issued;
END $$;
COMMENT ON FUNCTION dedupe.tracking_code(bigint, text, text) IS
  'The tracking code to print on a golden record''s piece of a campaign (XXXX-XXXX-XXX), '
  'recorded in dedupe.mail_pieces as pending. Issuing again returns the same code (also after '
  'the record absorbed another in a merge). Refuses held records (55000, reasons in DETAIL).';

CREATE FUNCTION dedupe.reconcile_tracking(code text, event text)
RETURNS TABLE (golden_id bigint, issued_to bigint, campaign text, status text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  -- A mistyped code fails here, before anything is looked up (22P02).
  printed text := dedupe.normalize_tracking_code(code);
  p dedupe.mail_pieces;
  survivor bigint;
BEGIN
  IF event IS NULL OR event NOT IN ('sent', 'delivered', 'returned') THEN
    RAISE EXCEPTION 'a mail event is sent, delivered or returned, not %', coalesce(event, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  IF printed IS NULL THEN
    RAISE EXCEPTION 'a tracking code is required' USING ERRCODE = '22023';
  END IF;
  SELECT * INTO p FROM dedupe.mail_pieces mp WHERE mp.code = printed FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown tracking code %', printed USING ERRCODE = '42704',
      HINT = 'The code is well formed but was never issued by dedupe.tracking_code().';
  END IF;
  survivor := dedupe.surviving_golden(p.golden_id);
  -- Scanning the same event twice is harmless; any other move follows the transitions.
  IF p.status <> event THEN
    UPDATE dedupe.mail_pieces mp SET status = event WHERE mp.piece_id = p.piece_id;
    INSERT INTO dedupe.audit_log (actor, decision, inputs)
    VALUES (session_user, 'mail_piece_' || event, pg_catalog.jsonb_build_object('piece_id', p.piece_id,
            'issued_to', p.golden_id, 'golden_id', survivor, 'campaign', p.campaign, 'from', p.status));
  END IF;
  RETURN QUERY SELECT survivor, p.golden_id, p.campaign, event;
END $$;
COMMENT ON FUNCTION dedupe.reconcile_tracking(text, text) IS
  'Records a scanned mail event (sent, delivered, returned) for a tracking code and returns the '
  'golden record it belongs to today (following merges; NULL if its members were deleted). '
  '22P02 for a mistyped code (check character), 42704 for a code never issued, 55000 for a move '
  'the status order forbids; repeating the current status changes nothing.';

REVOKE ALL ON dedupe.outreach_channels, dedupe.effective_outreach_channels, dedupe.tracking_keys, dedupe.mail_pieces, dedupe.outreach_ready,
  dedupe._open_review_subjects FROM PUBLIC;
GRANT SELECT ON dedupe.outreach_channels, dedupe.effective_outreach_channels, dedupe.mail_pieces,
  dedupe.outreach_ready TO dedupe_admin, dedupe_auditor;
GRANT INSERT, UPDATE, DELETE ON dedupe.outreach_channels TO dedupe_admin;
GRANT SELECT, INSERT ON dedupe.tracking_keys TO dedupe_admin;
GRANT USAGE ON SEQUENCE dedupe.tracking_keys_key_id_seq TO dedupe_admin;  -- inserting a key draws an id
REVOKE ALL ON FUNCTION dedupe._golden_attribute(dedupe.golden_records, text),
  dedupe._hold_reasons(dedupe.golden_records, text), dedupe._derive_tracking_code(bytea, bigint, text, integer),
  dedupe._random_bytes(integer), dedupe._absorbed_into(bigint), dedupe._mail_piece_transition(),
  dedupe.hold_reason(bigint, text), dedupe.tracking_code(bigint, text, text),
  dedupe.reconcile_tracking(text, text) FROM PUBLIC;
-- The view calls _golden_attribute as the querying user (PostgreSQL checks functions in
-- views that way).
GRANT EXECUTE ON FUNCTION dedupe._golden_attribute(dedupe.golden_records, text), dedupe.hold_reason(bigint, text)
  TO dedupe_admin, dedupe_auditor;
GRANT EXECUTE ON FUNCTION dedupe.tracking_code(bigint, text, text), dedupe.reconcile_tracking(text, text)
  TO dedupe_admin;

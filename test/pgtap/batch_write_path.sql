-- Batch and write path agree on the deterministic cases: the same rows, once through a
-- watched table (trigger -> golden records) and once through dedupe.cluster on the same
-- table, end up together or apart alike; dedupe.explain and dedupe.candidate_pairs agree.
BEGIN;
SELECT plan(14);
SET LOCAL client_min_messages = warning;

CREATE TABLE agree_contacts (id int PRIMARY KEY, crm_id text, email text, phone text,
                             first_name text, last_name text, country text);
SELECT is((dedupe.watch('agree_contacts', 'agree', id_column => 'id', external_id => 'crm_id',
                        email => 'email', phone => 'phone', first_name => 'first_name',
                        last_name => 'last_name', country => 'country')).source, 'agree',
          'the table is watched');
INSERT INTO agree_contacts (id, crm_id, email, phone, first_name, last_name) VALUES
  -- the same email written two ways, names agree: linked
  (1, NULL, 'Jane.Doe@example.com', NULL, 'Jane', 'Doe'),
  (2, NULL, ' JANE.DOE@EXAMPLE.COM', '(415) 555-0101', 'J.', 'Doe'),
  -- colleagues behind one switchboard (different names): apart
  (3, NULL, 'alice@globex.com', '+1 212 555 0100', 'Alice', 'Zhang'),
  (4, NULL, 'bob@globex.com', '212.555.0100', 'Robert', 'Miller'),
  -- the same switchboard, agreeing names (Bob = Robert): linked to row 4 only
  (5, NULL, 'rmiller@home.net', '(212) 555-0100', 'Bob', 'Miller'),
  -- Alice's email under a contradicting name: a shared mailbox is no evidence on either path
  (6, NULL, 'alice@globex.com', NULL, 'Carlos', 'Mendes'),
  -- the same CRM id: linked whatever the names say
  (7, 'C-77', 'kim@one.org', NULL, 'Kim', 'Park'),
  (8, 'C-77', 'kpark@two.org', NULL, 'Kimberly', 'Parker'),
  -- another CRM id that differs in case only: another record (both paths compare ids as written)
  (9, 'c-77', 'lee@three.org', NULL, 'Lee', 'Wong');
-- a London number written nationally and internationally: read in the row's country
INSERT INTO agree_contacts VALUES (10, NULL, NULL, '020 7946 0018', 'Oliver', 'Twist', 'GB'),
                                  (11, NULL, NULL, '+44 20 7946 0018', 'Oliver', 'Twist', 'gb');
-- Strangers around them, so the model trained on the fly has something to learn from.
INSERT INTO agree_contacts (id, crm_id, email, phone, first_name, last_name)
SELECT 100 + g, NULL, 'p' || g || '@mail' || (g % 7) || '.com', '+1 303 555 ' || lpad(g::text, 4, '0'),
       (ARRAY['Ann', 'Ben', 'Cleo', 'Dan', 'Eve', 'Finn', 'Gus', 'Hana'])[1 + g % 8],
       'Surname' || chr(97 + g % 26) || chr(97 + (g / 26) % 26) || chr(97 + (g / 676) % 26)
FROM generate_series(1, 300) g;

-- Write path: which rows share a golden record.
CREATE TEMP TABLE golden_of AS
SELECT c.id, l.golden_id
FROM agree_contacts c
JOIN dedupe.records r ON r.source = 'agree' AND r.source_pk = c.id::text
LEFT JOIN dedupe.record_links l ON l.record_id = r.record_id;
-- Batch: the same table through dedupe.cluster with defaults.
CREATE TEMP TABLE cluster_of AS
SELECT id::int, cluster_id FROM dedupe.cluster('agree_contacts', 'id',
  '{"external_id": "crm_id", "email": "email", "phone": "phone", "first_name": "first_name", "last_name": "last_name", "country": "country"}');
CREATE TEMP VIEW together AS
SELECT a.id AS a, b.id AS b,
       ga.golden_id IS NOT NULL AND ga.golden_id = gb.golden_id AS write_path,
       ca.cluster_id = cb.cluster_id AS batch
FROM agree_contacts a JOIN agree_contacts b ON a.id < b.id
JOIN golden_of ga ON ga.id = a.id JOIN golden_of gb ON gb.id = b.id
JOIN cluster_of ca ON ca.id = a.id JOIN cluster_of cb ON cb.id = b.id;

SELECT results_eq($$SELECT a, b FROM together WHERE write_path AND a < 100 ORDER BY a, b$$,
  $$VALUES (1, 2), (4, 5), (7, 8), (10, 11)$$, 'write path: same email, same phone with agreeing names, same CRM id');
SELECT results_eq($$SELECT a, b FROM together WHERE batch AND a < 100 ORDER BY a, b$$,
  $$VALUES (1, 2), (4, 5), (7, 8), (10, 11)$$, 'batch: the same four pairs');
SELECT is((SELECT count(*) FROM together WHERE write_path <> batch), 0::bigint,
  'no pair of the 311 rows on which the two paths disagree');
SELECT is((SELECT count(*) FROM dedupe.review_queue q JOIN dedupe.records r USING (record_id)
           WHERE r.source = 'agree' AND r.source_pk = '6'), 0::bigint,
  'the write path neither links nor queues the contradicting email');

-- candidate_pairs names the write path's rule behind each deterministic verdict.
CREATE TEMP TABLE pairs AS
SELECT * FROM dedupe.candidate_pairs('agree_contacts', 'id',
  '{"external_id": "crm_id", "email": "email", "phone": "phone", "first_name": "first_name", "last_name": "last_name", "country": "country"}')
WHERE id_a < 100 AND id_b < 100;
SELECT results_eq($$SELECT id_a::int, id_b::int, evidence, score >= 0.9 FROM pairs WHERE evidence IS NOT NULL ORDER BY 1, 2$$,
  $$VALUES (1, 2, 'same_email', true), (3, 4, 'same_phone_names_contradict', false),
           (3, 5, 'same_phone_names_contradict', false), (3, 6, 'same_email_names_contradict', false),
           (4, 5, 'same_phone_names_agree', true), (7, 8, 'same_external_id', true),
           (10, 11, 'same_phone_names_agree', true)$$,
  'evidence per pair: the write path''s links reach the threshold, contradicted keys do not');
SELECT is((SELECT score FROM pairs WHERE (id_a, id_b) = (1, 2)), 1::float8, 'a write-path link scores 1');

-- dedupe.explain over the same source: comparison by comparison, and the same score.
\set m '\'{"external_id": "crm_id", "email": "email", "phone": "phone", "first_name": "first_name", "last_name": "last_name", "country": "country"}\''
CREATE TEMP TABLE explained AS
SELECT p.id_a, p.id_b, p.score, p.match_weight,
       dedupe.explain('agree_contacts', 'id', :m, p.id_a, p.id_b) AS e
FROM pairs p;
SELECT is((SELECT count(*) FROM explained WHERE (e->>'score')::float8 <> score
             OR (e->>'match_weight')::float8 <> match_weight), 0::bigint,
  'dedupe.explain gives every candidate pair the score and weight dedupe.candidate_pairs gives it');
SELECT is((SELECT count(*) FROM explained WHERE e->>'decision' <> CASE WHEN score >= 0.9 THEN 'link' ELSE 'no_link' END), 0::bigint,
  'its decision is the threshold''s');
SELECT results_eq($$SELECT c->>'role', c->>'value_a', c->>'value_b', c->>'level', (c->>'ignored')::bool
                    FROM explained, jsonb_array_elements(e->'comparisons') c WHERE (id_a, id_b) = (3, 6)$$,
  $$VALUES ('external_id', NULL, NULL, 'null', NULL::bool),
           ('email', 'alice@globex.com', 'alice@globex.com', 'exact', true),
           ('phone', '+12125550100', NULL, 'null', NULL),
           ('first_name', 'alice', 'carlos', 'else', NULL),
           ('last_name', 'zhang', 'mendes', 'else', NULL),
           ('country', NULL, NULL, 'null', NULL)$$,
  'the shared email behind contradicting names is shown, and left out');
SELECT is((SELECT e->>'write_path_rule' FROM explained WHERE (id_a, id_b) = (3, 6)), 'same_email_names_contradict',
  'the rule is named');
SELECT ok((SELECT abs((e->>'match_weight')::float8 - (e->>'prior_weight')::float8 + (e->>'dependence_correction')::float8
                      - (SELECT sum((c->>'weight')::float8) FROM jsonb_array_elements(e->'comparisons') c)) < 1e-9
           FROM explained WHERE (id_a, id_b) = (4, 5)),
  'the match weight is the prior plus the comparisons'' weights');

SELECT throws_ok($$SELECT dedupe.explain('agree_contacts', 'id', '{"email": "email"}', 1, 999)$$,
  '22023', 'no row of the source has id 999', 'explaining an id the source lacks is 22023');
SELECT throws_ok($$SELECT dedupe.explain('agree_contacts', 'id', '{"email": "email"}', 1, NULL)$$,
  '22004', 'id_b must not be NULL', 'a NULL id is 22004');

SELECT * FROM finish();
ROLLBACK;

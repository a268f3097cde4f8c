-- dedupe.match_key: construction, text form, accessors, operators and the indexes that
-- answer them.
SET search_path = public, dedupe;

SELECT dedupe.match_key('hubspot:1', '(415) 555-0132', 'Jane.Doe@Gmail.com') AS key;
SELECT dedupe.match_key('hubspot:1', '(415) 555-0132', 'Jane.Doe@Gmail.com')
    && dedupe.match_key(NULL, '+1 415 555 0132', NULL) AS shares_phone;
SELECT k::text::dedupe.match_key = k AS round_trips, dedupe.external_id(k), dedupe.phone(k), dedupe.email(k)
FROM (SELECT dedupe.match_key('hubspot:1', '020 7946 0958', NULL, 'GB') AS k) s;
SELECT k AS quoted, dedupe.external_id(k) AS external_id
FROM (SELECT '("csv:a,b (x) \"q\" \\",,)'::dedupe.match_key AS k) s;

-- errors
SELECT dedupe.match_key(NULL, NULL, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT dedupe.match_key('hubspot:1', NULL, 'not-an-email');
\echo :LAST_ERROR_SQLSTATE
SELECT dedupe.match_key('123', NULL, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT '(,4155550132,)'::dedupe.match_key;
\echo :LAST_ERROR_SQLSTATE
SELECT dedupe.try_match_key(NULL, '12', 'x') IS NULL AS try_gives_null;

-- operators
SELECT a.k AS a, b.k AS b, a.k = b.k AS eq, a.k < b.k AS lt, a.k && b.k AS overlaps,
       a.k @> b.k AS contains, a.k <@ b.k AS contained
FROM (VALUES ('(hubspot:1,+14155550132,jane@x.com)'::dedupe.match_key)) a(k),
     (VALUES ('(hubspot:1,,)'::dedupe.match_key), ('(,+14155550132,)'), ('(sf:9,,jane@y.com)'),
             ('(hubspot:1,+14155550132,jane@x.com)')) b(k);
SELECT k FROM (VALUES ('(b:1,,)'::dedupe.match_key), ('(,,z@x.co)'), ('(a:1,,)'), ('(,+15550100000,)'),
                      ('(a:1,+15550100000,)')) v(k) ORDER BY k;
SELECT count(DISTINCT k) AS distinct_keys FROM (VALUES ('(a:1,,)'::dedupe.match_key), ('(a:1,,)'), ('(a:2,,)')) v(k);

-- indexes
CREATE TABLE keys_t (id int PRIMARY KEY, k dedupe.match_key);
INSERT INTO keys_t SELECT g, dedupe.match_key('crm:' || g, CASE WHEN g % 3 = 0 THEN '+1415555' || lpad((g % 10000)::text, 4, '0') END,
                                      'user' || (g % 4000) || '@example.com')
FROM generate_series(1, 8000) g;
CREATE INDEX keys_t_gin ON keys_t USING gin (k);
CREATE UNIQUE INDEX keys_t_btree ON keys_t (k);
ANALYZE keys_t;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM keys_t WHERE k && '(crm:5,,user7@example.com)';
SELECT id FROM keys_t WHERE k && '(crm:5,,user7@example.com)' ORDER BY id;
EXPLAIN (COSTS OFF) SELECT id FROM keys_t WHERE k = '(crm:5,,user5@example.com)';
SELECT id FROM keys_t WHERE k = '(crm:5,,user5@example.com)';
RESET enable_seqscan;

-- the exclusion constraint: no two rows share any component
CREATE TABLE people (id int PRIMARY KEY, k dedupe.match_key, EXCLUDE USING gist (k WITH &&));
INSERT INTO people VALUES (1, dedupe.match_key('hubspot:1', '(415) 555-0132', 'jane@x.com'));
INSERT INTO people VALUES (2, dedupe.match_key('sf:2', '+1 415 555 0132', 'other@x.com'));
\echo :LAST_ERROR_SQLSTATE
INSERT INTO people VALUES (3, dedupe.match_key('sf:3', '+1 415 555 0199', 'other@x.com'));
SELECT id, k FROM people ORDER BY id;
DROP TABLE people, keys_t;

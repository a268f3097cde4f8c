-- Golden records: one person from three sources, a near duplicate, a shared switchboard.
SET search_path = public, dedupe;
CREATE TABLE hs (id int PRIMARY KEY, email text, phone text, first_name text, last_name text, company text);
CREATE TABLE sf (LIKE hs INCLUDING ALL);
CREATE TABLE ev (LIKE hs INCLUDING ALL);
SELECT count(dedupe.watch(t::regclass, s, id_column => 'id', email => 'email', phone => 'phone',
                          first_name => 'first_name', last_name => 'last_name', company => 'company')) AS watched
FROM (VALUES ('hs', 'g_hubspot'), ('sf', 'g_salesforce'), ('ev', 'g_events')) v(t, s);
INSERT INTO dedupe.source_priority VALUES ('g_salesforce', 1), ('g_hubspot', 2), ('g_events', 3);

INSERT INTO hs VALUES (1, ' Jane.Doe+promo@GoogleMail.com ', '(415) 555-0132', 'Jane', 'Doe', 'Acme');
INSERT INTO sf VALUES (1, 'janedoe@gmail.com', '+1 415 555 0132', 'Jane', 'Doe', 'ACME, Inc.');
INSERT INTO ev VALUES (1, 'JANEDOE@gmail.com', '415.555.0132', 'J.', 'Doe', 'Acme Corp');
INSERT INTO hs VALUES (2, 'jon@a.com', NULL, 'Jon', 'Smyth', NULL), (3, 'john@b.com', NULL, 'John', 'Smith', NULL);
INSERT INTO sf VALUES (10, 'alice@globex.com', '+1 212 555 0100', 'Alice', 'Zhang', 'Globex'),
                      (11, 'bob@globex.com', '+1 212 555 0100', 'Robert', 'Miller', 'Globex');

SELECT golden_id, key, first_name, last_name, company, owner, status FROM dedupe.golden_records ORDER BY golden_id;
SELECT r.source, r.source_pk, l.golden_id, l.rule FROM dedupe.record_links l JOIN dedupe.records r USING (record_id)
ORDER BY l.golden_id, r.record_id;
SELECT item_id, kind, r.source_pk, q.golden_id, q.rule, q.owner, q.due_at > now() AS due_in_future
FROM dedupe.review_queue q JOIN dedupe.records r USING (record_id);
SELECT c->>'attribute' AS attribute, c->>'left' AS "left", c->>'right' AS "right", c->>'verdict' AS verdict
FROM jsonb_array_elements(dedupe.explain(4, 5)->'comparisons') c;
SELECT dedupe.explain(4, 5)->>'decision' AS decision, dedupe.explain(4, 5)->>'rule' AS rule;
SELECT dedupe.business_due_at('2026-11-20 16:00+00', '8 hours', 'Europe/Berlin') AT TIME ZONE 'Europe/Berlin' AS due_berlin_local;
SELECT dedupe.business_due_at('2026-11-20 16:00+00', '8 hours', 'Mars/Base');
\echo :LAST_ERROR_SQLSTATE
SELECT dedupe.unwatch(t::regclass, forget_records => true) FROM (VALUES ('hs'), ('sf'), ('ev')) v(t);
SELECT count(*) AS golden_records_left FROM dedupe.golden_records;
DROP TABLE hs, sf, ev;

-- The write path's SQL surface: watch(), what each on_invalid mode does to a row, the
-- idempotency replay, and the audit trail those decisions leave.
CREATE TABLE crm_leads (
  id bigint PRIMARY KEY, hubspot_id text, email text, phone text, first_name text,
  last_name text, company text, country text, request_id text, identity dedupe.match_key);

SELECT source, relid, id_column, email, phone, region, on_invalid, key_column
FROM dedupe.watch('crm_leads', 'hubspot', id_column => 'id', external_id => 'hubspot_id',
                  email => 'email', phone => 'phone', first_name => 'first_name',
                  last_name => 'last_name', company => 'company', country => 'country',
                  idempotency_key => 'request_id', key_column => 'identity');

INSERT INTO crm_leads (id, hubspot_id, email, phone, first_name, last_name, company, request_id)
VALUES (1, '501', ' Jane.Doe+news@GoogleMail.com ', '(415) 555-0132', 'Dr. Jane', 'Doe-Smith', 'ACME, Inc.', 'r1');
INSERT INTO crm_leads (id, email, phone, first_name, last_name, country, request_id)
VALUES (2, 'j.bloggs@example.co.uk', '020 7946 0958', 'Joe', 'Bloggs', 'gb', 'r2');
SELECT id, identity FROM crm_leads ORDER BY id;
SELECT source, source_pk, valid, external_id, email, phone, first_name, last_name, full_name, company, country
FROM dedupe.records ORDER BY record_id;

-- reject (the default): the statement fails, naming source, row and reason
INSERT INTO crm_leads (id, first_name) VALUES (3, 'Nobody');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO crm_leads (id, email) VALUES (4, 'jane@@example.com');
\echo :LAST_ERROR_SQLSTATE

-- an idempotency key seen before: the row is skipped, the first write stands
INSERT INTO crm_leads (id, email, request_id) VALUES (5, 'other@example.com', 'r1');
SELECT id, email FROM crm_leads WHERE request_id = 'r1';

-- quarantine: the row stays out of the table but nothing is lost
SELECT on_invalid FROM dedupe.watch('crm_leads', 'hubspot', id_column => 'id', email => 'email',
                                    phone => 'phone', on_invalid => 'quarantine');
INSERT INTO crm_leads (id, email, first_name) VALUES (6, 'kim@', 'Kim');
SELECT quarantine_id, source, source_pk, row_data->>'email' AS email, reason FROM dedupe.quarantine;
UPDATE dedupe.quarantine SET row_data = jsonb_set(row_data, '{email}', '"kim@example.com"');
SELECT dedupe.release(1);
SELECT id, email FROM crm_leads WHERE id = 6;

-- flag: the row is kept and marked invalid
SELECT on_invalid FROM dedupe.watch('crm_leads', 'hubspot', id_column => 'id', email => 'email', on_invalid => 'flag');
INSERT INTO crm_leads (id, email) VALUES (7, 'no-at-sign');
SELECT source_pk, valid, invalid_reason FROM dedupe.records WHERE source_pk = '7';
DELETE FROM crm_leads WHERE id = 7;

-- every decision, in order
SELECT row_number() OVER (ORDER BY id) AS n, actor, source_pk, decision, reason
FROM dedupe.audit_log WHERE source = 'hubspot' ORDER BY id;

-- append-only, for the owner too
DELETE FROM dedupe.audit_log;
\echo :LAST_ERROR_SQLSTATE
TRUNCATE dedupe.audit_log;
\echo :LAST_ERROR_SQLSTATE

SELECT dedupe.unwatch('crm_leads');
SELECT count(*) AS triggers_left FROM pg_trigger WHERE tgrelid = 'crm_leads'::regclass AND NOT tgisinternal;
DROP TABLE crm_leads;

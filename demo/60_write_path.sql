-- The write path: one dedupe.watch() call turns a CRM-mirror table into a validated source.
\echo '== watch a CRM-mirror table (invalid rows go to quarantine), then import FEBRL people into it'
CREATE TABLE crm_contacts (
  id bigint PRIMARY KEY, email text, first_name text, last_name text, city text,
  import_key text, identity dedupe.match_key);
SELECT source, on_invalid, key_column
FROM dedupe.watch('crm_contacts', 'febrl_import', id_column => 'id', email => 'email',
                  first_name => 'first_name', last_name => 'last_name',
                  idempotency_key => 'import_key', key_column => 'identity',
                  on_invalid => 'quarantine');

-- A partner CSV writes emails as messy sources do; rows without a surname get no email.
INSERT INTO crm_contacts (id, email, first_name, last_name, city, import_key)
SELECT id,
       CASE WHEN first_name IS NOT NULL AND last_name IS NOT NULL
            THEN ' ' || initcap(first_name) || '.' || initcap(last_name) || '+partner@GoogleMail.com' END,
       first_name, last_name, city, 'csv-2026-11-23:' || id
FROM crm_leads;

SELECT (SELECT count(*) FROM crm_contacts) AS entered,
       (SELECT count(*) FROM dedupe.quarantine WHERE source = 'febrl_import') AS quarantined;

\echo '== what the trigger staged: raw email next to its normalized form and the identity key'
SELECT c.email AS raw_email, r.email AS normalized, c.identity
FROM crm_contacts c JOIN dedupe.records r ON r.source = 'febrl_import' AND r.source_pk = c.id::text
ORDER BY c.id LIMIT 5;

\echo '== the quarantine keeps whole rows with their reason, for correction and dedupe.release()'
SELECT quarantine_id, source_pk, row_data->>'first_name' AS first_name,
       row_data->>'last_name' AS last_name, reason
FROM dedupe.quarantine WHERE source = 'febrl_import' ORDER BY quarantine_id LIMIT 3;

\echo '== the partner re-sends the first 100 rows with the same import keys: all skipped'
INSERT INTO crm_contacts (id, email, first_name, last_name, import_key)
SELECT id + 100000, 'resent@example.com', first_name, last_name, 'csv-2026-11-23:' || id
FROM crm_leads WHERE id <= 100;
SELECT count(*) AS rows_with_resent_email FROM crm_contacts WHERE email = 'resent@example.com';

\echo '== every decision is in the append-only audit log'
SELECT decision, count(*) FROM dedupe.audit_log WHERE source = 'febrl_import'
GROUP BY decision ORDER BY decision;
\echo '== even the owner cannot rewrite it'
\set ON_ERROR_STOP 0
DELETE FROM dedupe.audit_log;
\set ON_ERROR_STOP 1

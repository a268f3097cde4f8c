\echo '== fold(): the comparison-ready form every matcher and index uses'
SELECT v AS raw, dedupe.fold(v) AS folded
FROM (VALUES ('Žofie Dvořáková'), ('José Núñez'), ('Ελένη Παπαδοπούλου'), ('Дмитрий Иванов'),
             ('  STRAßE   Müller ')) AS t(v);
SELECT first_name, last_name, dedupe.fold(first_name || ' ' || last_name) AS folded
FROM crm_leads ORDER BY id LIMIT 5;

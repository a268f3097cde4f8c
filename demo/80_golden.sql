-- Golden records: every row written above was matched as it was written.
SET search_path = public, dedupe;
\echo '== golden records: FEBRL rows (with typos, swapped and missing values) folded into people'
SELECT (SELECT count(*) FROM crm_contacts) AS rows_written,
       (SELECT count(DISTINCT golden_id) FROM dedupe.record_links l JOIN dedupe.records r USING (record_id)
         WHERE r.source = 'febrl_import') AS golden_records,
       (SELECT count(*) FROM dedupe.review_queue q JOIN dedupe.records r USING (record_id)
         WHERE r.source = 'febrl_import' AND q.status = 'open') AS waiting_for_review,
       (SELECT count(DISTINCT split_part(rec_id, '-', 2)) FROM crm_leads l JOIN crm_contacts c USING (id)) AS true_people;

\echo '== why the matcher did what it did: rules that fired'
SELECT rule, count(*) FROM dedupe.record_links l JOIN dedupe.records r USING (record_id)
WHERE r.source = 'febrl_import' GROUP BY rule ORDER BY count(*) DESC;

\echo '== the review queue: ambiguous identities with an owner and a deadline (no silent merges)'
SELECT q.item_id, q.kind, r.first_name || ' ' || r.last_name AS record, g.first_name || ' ' || g.last_name AS proposed,
       round(q.score::numeric, 3) AS score, q.owner, round(extract(epoch FROM q.due_at - q.created_at) / 60) AS sla_minutes
FROM dedupe.review_queue q JOIN dedupe.records r USING (record_id) JOIN dedupe.golden_records g USING (golden_id)
WHERE q.status = 'open' ORDER BY q.item_id LIMIT 5;

\echo '== explain one of them'
SELECT c->>'attribute' AS attribute, c->>'left' AS record, c->>'right' AS member,
       c->>'similarity' AS similarity, c->>'verdict' AS verdict
FROM (SELECT q.record_id, (SELECT min(l.record_id) FROM dedupe.record_links l WHERE l.golden_id = q.golden_id) AS member
      FROM dedupe.review_queue q WHERE q.status = 'open' ORDER BY q.item_id LIMIT 1) s,
     jsonb_array_elements(dedupe.explain(s.record_id, s.member)->'comparisons') c
WHERE c->>'verdict' <> 'missing';

\echo '== a reviewer approves the first item; the audit log records it'
SELECT dedupe.approve((SELECT min(item_id) FROM dedupe.review_queue WHERE status = 'open')) AS linked_to_golden;
SELECT decision, count(*) FROM dedupe.audit_log WHERE decision IN ('linked', 'review_opened') GROUP BY 1 ORDER BY 1;

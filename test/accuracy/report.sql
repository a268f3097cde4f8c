-- The harness's table: pairwise precision, recall, F1 per data set and method.
\echo 'FEBRL accuracy (pairwise; ground truth from rec_id, read only by the harness)'
SELECT dataset, method, records, true_pairs, predicted_pairs AS predicted, correct_pairs AS correct,
       round(precision, 4) AS precision, round(recall, 4) AS recall,
       round(2 * precision * recall / nullif(precision + recall, 0), 4) AS f1,
       round(seconds::numeric, 2) AS seconds
FROM (SELECT *, CASE WHEN predicted_pairs = 0 THEN 1 ELSE correct_pairs::numeric / predicted_pairs END AS precision,
             correct_pairs::numeric / nullif(true_pairs, 0) AS recall
      FROM accuracy_results) r
ORDER BY run_order;

-- Generated people (test/bench/batch_generate.py: typos, nicknames, swapped names, email
-- aliases, reformatted phones, people who moved, missing values) with other columns than
-- FEBRL's: dedupe.cluster with default settings on several mappings, each next to a naive
-- baseline restricted to the same columns. Variables: name, file. The ground truth
-- (`person`) is read only by this harness.
\set QUIET on
SET client_min_messages = warning;
CREATE TABLE IF NOT EXISTS accuracy_results (
  dataset text, method text, records int, true_pairs bigint, predicted_pairs bigint,
  correct_pairs bigint, seconds float8, run_order serial);
DROP TABLE IF EXISTS people, clusters, baseline_pairs;
CREATE TABLE people (id bigint PRIMARY KEY, person int, first_name text, last_name text,
  date_of_birth date, email text, phone text, street text, city text, postcode text);
\set copy '\\copy people FROM ' :'file' ' WITH (FORMAT csv, HEADER true)'
:copy
CREATE TEMP TABLE truth AS SELECT sum(c * (c - 1) / 2) AS pairs
FROM (SELECT count(*) AS c FROM people GROUP BY person) g;

\set run_cluster 'SELECT clock_timestamp() AS t0 \\gset \\\\ CREATE TABLE clusters AS SELECT * FROM dedupe.cluster(''people'', ''id'', :''mapping''); SELECT extract(epoch FROM clock_timestamp() - :''t0'') AS secs \\gset \\\\ INSERT INTO accuracy_results (dataset, method, records, true_pairs, predicted_pairs, correct_pairs, seconds) SELECT :''name'', :''method'', (SELECT count(*) FROM people), (SELECT pairs FROM truth), (SELECT coalesce(sum(c * (c - 1) / 2), 0) FROM (SELECT count(*) c FROM clusters GROUP BY cluster_id) g), (SELECT coalesce(sum(c * (c - 1) / 2), 0) FROM (SELECT count(*) c FROM clusters JOIN people USING (id) GROUP BY cluster_id, person) g), :secs; DROP TABLE clusters;'
-- Baselines are pairs (like the FEBRL baseline); :baseline is the SELECT of (a, b) pairs.
\set run_baseline 'SELECT clock_timestamp() AS t0 \\gset \\\\ CREATE TABLE baseline_pairs AS ' :baseline '; SELECT extract(epoch FROM clock_timestamp() - :''t0'') AS secs \\gset \\\\ INSERT INTO accuracy_results (dataset, method, records, true_pairs, predicted_pairs, correct_pairs, seconds) SELECT :''name'', :''method'', (SELECT count(*) FROM people), (SELECT pairs FROM truth), (SELECT count(*) FROM baseline_pairs), (SELECT count(*) FROM baseline_pairs p JOIN people x ON x.id = p.a JOIN people y ON y.id = p.b WHERE x.person = y.person), :secs; DROP TABLE baseline_pairs;'

\set method 'dedupe.cluster, all columns'
\set mapping '{"first_name": "first_name", "last_name": "last_name", "date_of_birth": "date_of_birth", "email": "email", "phone": "phone", "street": "street", "city": "city", "postcode": "postcode"}'
:run_cluster
\set method 'baseline: exact email | phone digits | names + date of birth'
\set baseline 'SELECT a.id AS a, b.id AS b FROM people a JOIN people b ON a.id < b.id AND lower(a.email) = lower(b.email) UNION SELECT a.id, b.id FROM people a JOIN people b ON a.id < b.id AND regexp_replace(a.phone, ''\\D'', '''', ''g'') = regexp_replace(b.phone, ''\\D'', '''', ''g'') UNION SELECT a.id, b.id FROM people a JOIN people b ON a.id < b.id AND lower(a.first_name) = lower(b.first_name) AND lower(a.last_name) = lower(b.last_name) AND a.date_of_birth = b.date_of_birth'
:run_baseline

\set method 'dedupe.cluster, names + date of birth + city'
\set mapping '{"first_name": "first_name", "last_name": "last_name", "date_of_birth": "date_of_birth", "city": "city"}'
:run_cluster
\set method 'baseline: exact names+dob | dob+city | names+city'
\set baseline 'SELECT a.id AS a, b.id AS b FROM people a JOIN people b ON a.id < b.id AND lower(a.first_name) = lower(b.first_name) AND lower(a.last_name) = lower(b.last_name) AND a.date_of_birth = b.date_of_birth UNION SELECT a.id, b.id FROM people a JOIN people b ON a.id < b.id AND a.date_of_birth = b.date_of_birth AND lower(a.city) = lower(b.city) UNION SELECT a.id, b.id FROM people a JOIN people b ON a.id < b.id AND lower(a.first_name) = lower(b.first_name) AND lower(a.last_name) = lower(b.last_name) AND lower(a.city) = lower(b.city)'
:run_baseline

\set method 'dedupe.cluster, email + phone + names (a CRM contact)'
\set mapping '{"first_name": "first_name", "last_name": "last_name", "email": "email", "phone": "phone"}'
:run_cluster
\set method 'baseline: exact email | phone digits + last name'
\set baseline 'SELECT a.id AS a, b.id AS b FROM people a JOIN people b ON a.id < b.id AND lower(a.email) = lower(b.email) UNION SELECT a.id, b.id FROM people a JOIN people b ON a.id < b.id AND regexp_replace(a.phone, ''\\D'', '''', ''g'') = regexp_replace(b.phone, ''\\D'', '''', ''g'') AND lower(a.last_name) = lower(b.last_name)'
:run_baseline

\set method 'dedupe.cluster, email only'
\set mapping '{"email": "email"}'
:run_cluster
\set method 'baseline: exact email (lower case)'
\set baseline 'SELECT a.id AS a, b.id AS b FROM people a JOIN people b ON a.id < b.id AND lower(a.email) = lower(b.email)'
:run_baseline
DROP TABLE people;

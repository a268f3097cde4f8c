-- One FEBRL data set: load, cluster with defaults (three mappings), baseline, metrics.
-- Variables: name, file_a, file_b ('' for a deduplication set).
\set QUIET on
SET client_min_messages = warning;
CREATE TABLE IF NOT EXISTS accuracy_results (
  dataset text, method text, records int, true_pairs bigint, predicted_pairs bigint,
  correct_pairs bigint, seconds float8, run_order serial);

DROP TABLE IF EXISTS raw_rows, people, clusters, baseline_pairs;
CREATE TABLE raw_rows (rec_id text, given_name text, surname text, street_number text,
  address_1 text, address_2 text, suburb text, postcode text, state text, date_of_birth text,
  soc_sec_id text, part int DEFAULT 1);
\set copy_a '\\copy raw_rows (rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id) FROM ' :'file_a' ' WITH (FORMAT csv, HEADER true)'
:copy_a
SELECT :'file_b' <> '' AS linkage \gset
\if :linkage
  ALTER TABLE raw_rows ALTER COLUMN part SET DEFAULT 2;
  \set copy_b '\\copy raw_rows (rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id) FROM ' :'file_b' ' WITH (FORMAT csv, HEADER true)'
  :copy_b
\endif

-- The matcher sees the people; `entity` (from rec_id) is the ground truth, read only below.
CREATE TABLE people AS
SELECT row_number() OVER (ORDER BY part, rec_id) AS id,
       substring(btrim(rec_id) from 'rec-([0-9]+)-') AS entity,
       nullif(btrim(given_name), '') AS given_name, nullif(btrim(surname), '') AS surname,
       nullif(btrim(street_number), '') AS street_number, nullif(btrim(address_1), '') AS address_1,
       nullif(btrim(address_2), '') AS address_2, nullif(btrim(suburb), '') AS suburb,
       nullif(btrim(postcode), '') AS postcode, nullif(btrim(state), '') AS state,
       nullif(btrim(date_of_birth), '') AS date_of_birth, nullif(btrim(soc_sec_id), '') AS soc_sec_id
FROM raw_rows;

CREATE TEMP TABLE truth AS SELECT sum(c * (c - 1) / 2) AS pairs
FROM (SELECT count(*) AS c FROM people GROUP BY entity) g;

-- Runs dedupe.cluster with the default threshold and a trained-on-the-fly model, and records
-- pairwise figures. :method names the mapping.
\set run_cluster 'SELECT clock_timestamp() AS t0 \\gset \\\\ CREATE TABLE clusters AS SELECT * FROM dedupe.cluster(''people'', ''id'', :''mapping''); SELECT extract(epoch FROM clock_timestamp() - :''t0'') AS secs \\gset \\\\ INSERT INTO accuracy_results (dataset, method, records, true_pairs, predicted_pairs, correct_pairs, seconds) SELECT :''name'', :''method'', (SELECT count(*) FROM people), (SELECT pairs FROM truth), (SELECT coalesce(sum(c * (c - 1) / 2), 0) FROM (SELECT count(*) c FROM clusters GROUP BY cluster_id) g), (SELECT coalesce(sum(c * (c - 1) / 2), 0) FROM (SELECT count(*) c FROM clusters JOIN people USING (id) GROUP BY cluster_id, entity) g), :secs; DROP TABLE clusters;'

\set method 'dedupe.cluster, all columns but soc_sec_id'
\set mapping '{"first_name": "given_name", "last_name": "surname", "house_number": "street_number", "street": "address_1", "locality": "address_2", "city": "suburb", "postcode": "postcode", "state": "state", "date_of_birth": "date_of_birth"}'
:run_cluster
\set method 'dedupe.cluster, names + date of birth + city only'
\set mapping '{"first_name": "given_name", "last_name": "surname", "city": "suburb", "date_of_birth": "date_of_birth"}'
:run_cluster
\set method 'dedupe.cluster, all columns, soc_sec_id as identifier'
\set mapping '{"first_name": "given_name", "last_name": "surname", "house_number": "street_number", "street": "address_1", "locality": "address_2", "city": "suburb", "postcode": "postcode", "state": "state", "date_of_birth": "date_of_birth", "identifier": "soc_sec_id"}'
:run_cluster

-- Baseline (issue 7): union of exact matches on (soc_sec_id), (given_name, surname,
-- date_of_birth), (date_of_birth, postcode), (given_name, surname, postcode); as pairs.
SELECT clock_timestamp() AS t0 \gset
CREATE TABLE baseline_pairs AS
SELECT a.id AS a, b.id AS b FROM people a JOIN people b ON a.id < b.id AND a.soc_sec_id = b.soc_sec_id
UNION
SELECT a.id, b.id FROM people a JOIN people b ON a.id < b.id AND a.given_name = b.given_name
  AND a.surname = b.surname AND a.date_of_birth = b.date_of_birth
UNION
SELECT a.id, b.id FROM people a JOIN people b ON a.id < b.id AND a.date_of_birth = b.date_of_birth
  AND a.postcode = b.postcode
UNION
SELECT a.id, b.id FROM people a JOIN people b ON a.id < b.id AND a.given_name = b.given_name
  AND a.surname = b.surname AND a.postcode = b.postcode;
SELECT extract(epoch FROM clock_timestamp() - :'t0') AS secs \gset
INSERT INTO accuracy_results (dataset, method, records, true_pairs, predicted_pairs, correct_pairs, seconds)
SELECT :'name', 'baseline: union of 4 exact rules (uses soc_sec_id)', (SELECT count(*) FROM people),
  (SELECT pairs FROM truth), (SELECT count(*) FROM baseline_pairs),
  (SELECT count(*) FROM baseline_pairs p JOIN people x ON x.id = p.a JOIN people y ON y.id = p.b
    WHERE x.entity = y.entity), :secs;
-- The same baseline restricted to the reduced mapping's columns (names, date of birth, city):
-- exact (given_name, surname, date_of_birth), (date_of_birth, suburb), (given_name, surname, suburb).
SELECT clock_timestamp() AS t0 \gset
DROP TABLE baseline_pairs;
CREATE TABLE baseline_pairs AS
SELECT a.id AS a, b.id AS b FROM people a JOIN people b ON a.id < b.id AND a.given_name = b.given_name
  AND a.surname = b.surname AND a.date_of_birth = b.date_of_birth
UNION
SELECT a.id, b.id FROM people a JOIN people b ON a.id < b.id AND a.date_of_birth = b.date_of_birth
  AND a.suburb = b.suburb
UNION
SELECT a.id, b.id FROM people a JOIN people b ON a.id < b.id AND a.given_name = b.given_name
  AND a.surname = b.surname AND a.suburb = b.suburb;
SELECT extract(epoch FROM clock_timestamp() - :'t0') AS secs \gset
INSERT INTO accuracy_results (dataset, method, records, true_pairs, predicted_pairs, correct_pairs, seconds)
SELECT :'name', 'baseline on names + date of birth + city (3 exact rules)', (SELECT count(*) FROM people),
  (SELECT pairs FROM truth), (SELECT count(*) FROM baseline_pairs),
  (SELECT count(*) FROM baseline_pairs p JOIN people x ON x.id = p.a JOIN people y ON y.id = p.b
    WHERE x.entity = y.entity), :secs;
DROP TABLE raw_rows, people, baseline_pairs;

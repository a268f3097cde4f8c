-- Load FEBRL dataset 3 (5,000 synthetic people, 3,000 of them duplicates) as a CRM-mirror
-- table. FEBRL has no emails or phones, so the demo derives contact fields the way messy
-- sources write them: mixed case, provider aliases, national and international phone formats.
\echo '== loading 5,000 FEBRL person records into crm_leads'
CREATE TEMP TABLE febrl_raw (rec_id text, given_name text, surname text, street_number text,
  address_1 text, address_2 text, suburb text, postcode text, state text,
  date_of_birth text, soc_sec_id text);
\copy febrl_raw FROM 'test/data/febrl/dataset3.csv' WITH (FORMAT csv, HEADER true)

CREATE TABLE crm_leads AS
SELECT row_number() OVER (ORDER BY rec_id) AS id,
       nullif(btrim(rec_id), '') AS rec_id,
       nullif(btrim(given_name), '') AS first_name,
       nullif(btrim(surname), '') AS last_name,
       nullif(btrim(suburb), '') AS city,
       nullif(btrim(postcode), '') AS postcode,
       nullif(btrim(state), '') AS state,
       nullif(btrim(date_of_birth), '') AS date_of_birth
FROM febrl_raw;
ALTER TABLE crm_leads ADD PRIMARY KEY (id);
SELECT count(*) AS leads FROM crm_leads;

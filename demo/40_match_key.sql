-- The identity key: one value per person that PostgreSQL can index and enforce.
SET search_path = public, dedupe;
\echo '== keys from raw values; && finds identities that share a component'
SELECT dedupe.match_key('hubspot:1', '(415) 555-0132', 'Jane.Doe@Gmail.com') AS hubspot_key,
       dedupe.match_key(NULL, '+1 415 555 0132', NULL) AS phone_only,
       dedupe.match_key('hubspot:1', '(415) 555-0132', 'Jane.Doe@Gmail.com')
         && dedupe.match_key(NULL, '+1 415 555 0132', NULL) AS same_person;

\echo '== no two rows may share a component: the second insert is refused (23P01)'
CREATE TABLE demo_people (id int PRIMARY KEY, k dedupe.match_key, EXCLUDE USING gist (k WITH &&));
INSERT INTO demo_people VALUES (1, dedupe.match_key('hubspot:1', '(415) 555-0132', 'jane@acme.com'));
\set ON_ERROR_STOP 0
INSERT INTO demo_people VALUES (2, dedupe.match_key('salesforce:9', '+1 415 555 0132', NULL));
\set ON_ERROR_STOP 1
DROP TABLE demo_people;

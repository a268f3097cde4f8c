-- Person and company names: exact outputs.
\pset null '(null)'

-- done-when equalities
SELECT dedupe.normalize_name('Dr. José Álvarez-Núñez Jr.') = 'jose alvarez nunez' AS name_done;
SELECT dedupe.normalize_company('ACME, Inc.') = dedupe.normalize_company('Acme Incorporated') AS company_done;

SELECT v AS raw, dedupe.normalize_name(v) AS name
FROM (VALUES ('Dr. José Álvarez-Núñez Jr.'), ('Žofie'), ('Zofie'), ('ZOFIE'), ('O''Brien'),
             ('Smith-Jones, Mary Ann'), ('Prof. Dr. Anna Weber, Ph.D.'), ('Martin Luther King, Jr.'),
             ('Дмитрий Иванов'), ('Ελένη Παπαδοπούλου'), ('J.R.R. Tolkien'), ('Dr'), ('  '),
             (NULL)) AS t(v);

SELECT v AS raw, dedupe.normalize_company(v) AS company
FROM (VALUES ('ACME, Inc.'), ('Acme Incorporated'), ('The Acme Company'), ('Müller GmbH & Co. KG'),
             ('Société Générale S.A.'), ('Dupont S.à r.l.'), ('Koala Pty Ltd'), ('Johnson & Johnson'),
             ('Smith & Co.'), ('ООО «Ромашка»'), ('Co.'), (NULL)) AS t(v);

SELECT v AS raw, dedupe.canonical_first_name(v) AS canonical, dedupe.first_name_variants(v) AS variants
FROM (VALUES ('Bob'), ('Rob'), ('Bobby'), ('Robert'), ('Liz'), ('Peggy'), ('Mr. Jimmy'), ('Michael'),
             ('Ann'), ('Žofie'), (NULL)) AS t(v);

SELECT v AS raw, dedupe.double_metaphone(v) AS codes, dedupe.double_metaphone(v, 0) AS unlimited
FROM (VALUES ('Smith'), ('Schmidt'), ('Thompson'), ('Xavier'), ('Jose'), ('Gnome'), ('Knight'),
             ('Caesar'), ('Jankelowicz'), ('Dvořák'), ('Дмитрий'), ('Ελένη'), (''), (NULL)) AS t(v);

-- a negative max_length is an error
SELECT dedupe.double_metaphone('Smith', -1);
\echo :LAST_ERROR_SQLSTATE

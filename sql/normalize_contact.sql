-- Contact normalizers: the issue's examples, provider rules, phones of several countries,
-- domains, and the SQLSTATEs of bad input.
SELECT dedupe.normalize_email(' John.Doe+news@GoogleMail.com ') AS gmail,
       dedupe.normalize_email('Jane.Roe+crm@Outlook.com') AS outlook,
       dedupe.normalize_email('jane-shopping@yahoo.com') AS yahoo,
       dedupe.normalize_email('Jane.Roe+crm@Acme.com') AS company,
       dedupe.normalize_email('Info@Bücher.DE') AS idn;
SELECT v AS email, dedupe.is_valid_email(v) AS valid, dedupe.is_freemail(v) AS freemail,
       dedupe.is_role_email(v) AS role, dedupe.email_domain(v) AS domain
FROM (VALUES ('sales@acme.com'), ('jane@gmx.de'), ('x@GoogleMail.com')) AS t(v);
SELECT dedupe.normalize_email('jane@@example.com');
\echo :LAST_ERROR_SQLSTATE
SELECT dedupe.normalize_email('jane@localhost');
\echo :LAST_ERROR_SQLSTATE

SELECT dedupe.normalize_phone('(415) 555-0132') AS us,
       dedupe.normalize_phone('020 7946 0958', 'GB') AS gb,
       dedupe.normalize_phone('030 1234567', 'de') AS de,
       dedupe.normalize_phone('011 44 20 7946 0958') AS via_idd,
       dedupe.normalize_phone('1-800-FLOWERS') AS vanity;
SELECT v AS phone, dedupe.normalize_phone(v) AS e164, dedupe.phone_extension(v) AS ext,
       dedupe.phone_type(v) AS type, dedupe.phone_region(v) AS region,
       dedupe.is_valid_phone(v) AS valid
FROM (VALUES ('(415) 555-0132 ext. 42'), ('+44 7400 123456'), ('+61 2 9876 5432')) AS t(v);
SELECT dedupe.normalize_phone('12');
\echo :LAST_ERROR_SQLSTATE
SELECT dedupe.normalize_phone('020 7946 0958', 'XX');
\echo :LAST_ERROR_SQLSTATE

SELECT v AS input, dedupe.normalize_domain(v) AS domain
FROM (VALUES ('https://www.Example.co.uk/about?x=1'), ('jane@Acme.COM'), ('Bücher.de')) AS t(v);
SELECT dedupe.normalize_domain('localhost');
\echo :LAST_ERROR_SQLSTATE

SELECT library FROM dedupe.library_versions() ORDER BY 1;

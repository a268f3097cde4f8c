-- Contact normalizers on the messy values real sources send.
\echo '== emails: provider aliases fold to one mailbox'
SELECT raw, dedupe.normalize_email(raw) AS normalized, dedupe.is_freemail(raw) AS freemail,
       dedupe.is_role_email(raw) AS role
FROM (VALUES (' John.Doe+news@GoogleMail.com '), ('johndoe@gmail.com'), ('Jane-shopping@Yahoo.com'),
             ('Sales@Acme.com'), ('info@Bücher.de')) AS t(raw);

\echo '== phones: every format to E.164, with type and region'
SELECT raw, region, dedupe.normalize_phone(raw, region) AS e164, dedupe.phone_type(raw, region) AS type,
       dedupe.phone_region(raw, region) AS belongs_to, dedupe.phone_extension(raw, region) AS ext
FROM (VALUES ('(415) 555-0132', 'US'), ('+1 415.555.0132 x 7', 'US'), ('020 7946 0958', 'GB'),
             ('07400 123456', 'GB'), ('030 1234567', 'DE'), ('1-800-FLOWERS', 'US')) AS t(raw, region);

\echo '== names and companies: one spelling per person and per firm'
SELECT raw, dedupe.normalize_name(raw) AS name
FROM (VALUES ('Dr. José Álvarez-Núñez Jr.'), ('JOSE ALVAREZ NUNEZ'), ('Дмитрий Иванов')) AS t(raw);
SELECT raw, dedupe.normalize_company(raw) AS company, dedupe.normalize_domain(site) AS domain
FROM (VALUES ('ACME, Inc.', 'https://www.acme.com/about'), ('Acme Incorporated', 'acme.com'),
             ('Müller & Söhne GmbH', 'http://müller-söhne.de')) AS t(raw, site);

-- Contact normalizers: emails, phones (libphonenumber), domains (ICU UTS #46).

CREATE FUNCTION dedupe.normalize_email(text) RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_normalize_email'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.normalize_email(text) IS
  'Canonical mailbox for matching: trimmed, lower-cased, IDN domain in punycode, provider '
  'aliases folded (Gmail/Googlemail: dots and +tag dropped, googlemail.com -> gmail.com; '
  'Outlook/Hotmail/Live, iCloud/me/mac, Fastmail, Proton: +tag dropped; Yahoo: -tag dropped). '
  '22P02 naming the problem when the input is not an address.';

CREATE FUNCTION dedupe.is_valid_email(text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_is_valid_email'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.is_valid_email(text) IS
  'True when dedupe.normalize_email() accepts the input; never raises';

CREATE FUNCTION dedupe.email_domain(text) RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_email_domain'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.email_domain(text) IS
  'Domain of the normalized address (punycode, googlemail.com -> gmail.com); 22P02 if invalid';

CREATE FUNCTION dedupe.is_freemail(text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_is_freemail'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.is_freemail(text) IS
  'True for consumer mailbox providers (gmail.com, yahoo.com, outlook.com, gmx.de, ...): such a '
  'domain says nothing about the company; 22P02 if the address is invalid';

CREATE FUNCTION dedupe.is_role_email(text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_is_role_email'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.is_role_email(text) IS
  'True for team mailboxes (info@, sales@, support@, noreply@, ...) that do not identify a '
  'person; 22P02 if the address is invalid';

CREATE FUNCTION dedupe.normalize_phone(phone text, region text DEFAULT 'US') RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_normalize_phone'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.normalize_phone(text, text) IS
  'E.164 form via libphonenumber: national and international formats, trunk prefixes, '
  'international call prefixes and vanity letters understood, extensions dropped (see '
  'dedupe.phone_extension). region (ISO 3166-1 alpha-2) applies to numbers without a country '
  'code. 22P02 for unparseable or impossible numbers, 22023 for an unknown region.';

CREATE FUNCTION dedupe.is_valid_phone(phone text, region text DEFAULT 'US') RETURNS boolean
  AS 'MODULE_PATHNAME', 'dedupe_is_valid_phone'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.is_valid_phone(text, text) IS
  'True when libphonenumber finds the number valid (an assigned number range), which is '
  'stricter than dedupe.normalize_phone (a possible length); never raises';

CREATE FUNCTION dedupe.phone_type(phone text, region text DEFAULT 'US') RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_phone_type'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.phone_type(text, text) IS
  'mobile, fixed_line, fixed_line_or_mobile, toll_free, premium_rate, shared_cost, voip, '
  'personal_number, pager, uan, voicemail or unknown; errors as dedupe.normalize_phone';

CREATE FUNCTION dedupe.phone_region(phone text, region text DEFAULT 'US') RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_phone_region'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.phone_region(text, text) IS
  'The region the number belongs to (GB for +44 20 7946 0958; ZZ when none can be told); '
  'errors as dedupe.normalize_phone';

CREATE FUNCTION dedupe.phone_extension(phone text, region text DEFAULT 'US') RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_phone_extension'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.phone_extension(text, text) IS
  'The extension ("ext. 12", "x12", "#12") the E.164 form drops; NULL when there is none';

CREATE FUNCTION dedupe.normalize_domain(text) RETURNS text
  AS 'MODULE_PATHNAME', 'dedupe_normalize_domain'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dedupe.normalize_domain(text) IS
  'The host a company is known by, from a URL, an email address or a bare domain: lower-cased, '
  'www. dropped, IDN to punycode (UTS #46). 22P02 when no valid host name is found.';

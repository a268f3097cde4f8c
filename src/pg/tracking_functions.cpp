// SQL entry points of mail tracking codes: parsing what was scanned or typed, deriving a
// code from the key, and the random key itself (control/sql/91_outreach.sql).
#include "core/error.hpp"
#include "core/ops/hmac.hpp"
#include "core/ops/tracking_code.hpp"
#include "pg/datum_io.hpp"
#include "pg/datum_io.hpp"

// dedupe.normalize_tracking_code(text) -> text: the printed form, or 22P02.
DEDUPE_FUNCTION(dedupe_normalize_tracking_code) {
  return dedupe::pg::text_datum(dedupe::ops::parse_tracking_code(dedupe::pg::text_arg(fcinfo, 0)));
}

// dedupe.is_valid_tracking_code(text) -> boolean
DEDUPE_FUNCTION(dedupe_is_valid_tracking_code) {
  try {
    dedupe::ops::parse_tracking_code(dedupe::pg::text_arg(fcinfo, 0));
  } catch (const dedupe::Error&) {
    PG_RETURN_BOOL(false);
  }
  PG_RETURN_BOOL(true);
}

// dedupe._derive_tracking_code(key bytea, golden bigint, campaign text, attempt integer)
DEDUPE_FUNCTION(dedupe_derive_tracking_code) {
  return dedupe::pg::text_datum(
      dedupe::ops::derive_tracking_code(dedupe::pg::bytea_arg(fcinfo, 0), PG_GETARG_INT64(1),
                                        dedupe::pg::text_arg(fcinfo, 2), PG_GETARG_INT32(3)));
}

// dedupe._random_bytes(n integer) -> bytea, from OpenSSL's CSPRNG.
DEDUPE_FUNCTION(dedupe_random_bytes) {
  const int32 n = PG_GETARG_INT32(0);
  if (n < 0 || n > 1024)
    throw dedupe::Error(dedupe::sqlstate::kInvalidParameterValue,
                        "random byte count must be between 0 and 1024");
  return dedupe::pg::bytea_datum(dedupe::ops::random_bytes(static_cast<size_t>(n)));
}

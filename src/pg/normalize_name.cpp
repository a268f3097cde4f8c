// dedupe.normalize_name(text) and dedupe.normalize_company(text).
#include "pg/datum_io.hpp"

#include "core/normalize/company.hpp"
#include "core/normalize/name.hpp"

DEDUPE_FUNCTION(dedupe_normalize_name) {
  return dedupe::pg::text_datum(dedupe::normalize_name(dedupe::pg::text_arg(fcinfo, 0)));
}

DEDUPE_FUNCTION(dedupe_normalize_company) {
  return dedupe::pg::text_datum(dedupe::normalize_company(dedupe::pg::text_arg(fcinfo, 0)));
}

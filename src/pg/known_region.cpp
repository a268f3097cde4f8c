// dedupe._is_known_region(text): lets dedupe.watch() refuse an unknown default phone region
// at registration instead of at the first write.
#include "core/normalize/phone.hpp"
#include "pg/datum_io.hpp"

DEDUPE_FUNCTION(dedupe_is_known_region) {
  return BoolGetDatum(dedupe::is_known_region(dedupe::pg::text_arg(fcinfo, 0)));
}

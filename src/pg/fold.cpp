// dedupe.fold(text): the comparison-ready form used by similarity functions and indexes.
#include "pg/datum_io.hpp"

#include "core/normalize/fold.hpp"

DEDUPE_FUNCTION(dedupe_fold) {
  return dedupe::pg::text_datum(dedupe::fold(dedupe::pg::text_arg(fcinfo, 0)));
}

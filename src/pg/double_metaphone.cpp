// dedupe.double_metaphone(text, integer): {primary, alternate} phonetic codes.
#include "pg/datum_io.hpp"

#include "core/similarity/double_metaphone.hpp"

DEDUPE_FUNCTION(dedupe_double_metaphone) {
  const int32 max_length = PG_GETARG_INT32(1);
  if (max_length < 0)
    throw dedupe::Error(dedupe::sqlstate::kInvalidParameterValue, "max_length must not be negative",
                        "max_length was " + std::to_string(max_length),
                        "use 0 for codes of unlimited length");
  const dedupe::PhoneticCodes codes =
      dedupe::double_metaphone(dedupe::pg::text_arg(fcinfo, 0), static_cast<size_t>(max_length));
  return dedupe::pg::text_array_datum({codes.primary, codes.alternate});
}

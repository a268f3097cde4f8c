// dedupe.match_key operators: total order (btree), hashing, overlap and containment.
#include "pg/match_key_datum.hpp"

extern "C" {
#include "common/hashfn.h"
}

namespace {

int compare_args(FunctionCallInfo fcinfo) {
  return dedupe::compare(dedupe::pg::match_key_arg(fcinfo, 0),
                         dedupe::pg::match_key_arg(fcinfo, 1));
}

}  // namespace

DEDUPE_FUNCTION(dedupe_match_key_cmp) { return Int32GetDatum(compare_args(fcinfo)); }
DEDUPE_FUNCTION(dedupe_match_key_eq) { return BoolGetDatum(compare_args(fcinfo) == 0); }
DEDUPE_FUNCTION(dedupe_match_key_ne) { return BoolGetDatum(compare_args(fcinfo) != 0); }
DEDUPE_FUNCTION(dedupe_match_key_lt) { return BoolGetDatum(compare_args(fcinfo) < 0); }
DEDUPE_FUNCTION(dedupe_match_key_le) { return BoolGetDatum(compare_args(fcinfo) <= 0); }
DEDUPE_FUNCTION(dedupe_match_key_gt) { return BoolGetDatum(compare_args(fcinfo) > 0); }
DEDUPE_FUNCTION(dedupe_match_key_ge) { return BoolGetDatum(compare_args(fcinfo) >= 0); }

// Equal keys have identical binary forms, so hashing the bytes agrees with '='.
DEDUPE_FUNCTION(dedupe_match_key_hash) {
  const std::string_view bytes = dedupe::pg::match_key_bytes(fcinfo, 0);
  return hash_any(reinterpret_cast<const unsigned char*>(bytes.data()),
                  static_cast<int>(bytes.size()));
}

DEDUPE_FUNCTION(dedupe_match_key_hash_extended) {
  const std::string_view bytes = dedupe::pg::match_key_bytes(fcinfo, 0);
  return hash_any_extended(reinterpret_cast<const unsigned char*>(bytes.data()),
                           static_cast<int>(bytes.size()), PG_GETARG_INT64(1));
}

DEDUPE_FUNCTION(dedupe_match_key_overlaps) {
  return BoolGetDatum(
      dedupe::overlaps(dedupe::pg::match_key_arg(fcinfo, 0), dedupe::pg::match_key_arg(fcinfo, 1)));
}

DEDUPE_FUNCTION(dedupe_match_key_contains) {
  return BoolGetDatum(
      dedupe::contains(dedupe::pg::match_key_arg(fcinfo, 0), dedupe::pg::match_key_arg(fcinfo, 1)));
}

DEDUPE_FUNCTION(dedupe_match_key_contained) {
  return BoolGetDatum(
      dedupe::contains(dedupe::pg::match_key_arg(fcinfo, 1), dedupe::pg::match_key_arg(fcinfo, 0)));
}

// dedupe.match_key values as PostgreSQL datums: a varlena holding core/key's binary form.
#pragma once

#include <string_view>

#include "core/key/match_key.hpp"
#include "pg/guard.hpp"

namespace dedupe::pg {

// The binary form of argument n (detoasted; valid for the rest of the call).
std::string_view match_key_bytes(FunctionCallInfo fcinfo, int n);

// Argument n read in place. Stored values were validated on the way in, so a decoding
// failure here means corruption and raises 22P02 rather than crashing.
inline MatchKeyView match_key_arg(FunctionCallInfo fcinfo, int n) {
  return decode_view(match_key_bytes(fcinfo, n));
}

// A palloc'd varlena for a validated key.
Datum match_key_datum(const MatchKey& key);

}  // namespace dedupe::pg

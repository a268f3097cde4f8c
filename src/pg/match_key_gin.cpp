// GIN support for dedupe.match_key: each key is indexed under its components, tagged with
// the component they are (so a phone never equals an email). Strategies:
//   1  &&  share a component       (exact: no recheck)
//   2  @>  contains the query's    (exact: no recheck)
//   3  =   equal                   (all query components present, then recheck)
#include <vector>

#include "pg/match_key_datum.hpp"

extern "C" {
#include "access/gin.h"
#include "access/stratnum.h"
}

namespace {

constexpr StrategyNumber kOverlap = 1, kContains = 2, kEqual = 3;

// The GIN keys of a key: bytea values '<component number><component bytes>'.
Datum* component_keys(const dedupe::MatchKeyView& key, int32* nkeys) {
  std::vector<std::string_view> parts;
  std::vector<char> tags;
  for (int i = 0; i < dedupe::kComponents; ++i) {
    if (!key.parts[i]) continue;
    parts.push_back(*key.parts[i]);
    tags.push_back(static_cast<char>('0' + i));
  }
  return dedupe::pg::pg_call([&] {
    Datum* keys = static_cast<Datum*>(palloc(sizeof(Datum) * (parts.size() + 1)));
    for (size_t i = 0; i < parts.size(); ++i) {
      const size_t len = 1 + parts[i].size();
      bytea* b = static_cast<bytea*>(palloc(VARHDRSZ + len));
      SET_VARSIZE(b, VARHDRSZ + len);
      VARDATA(b)[0] = tags[i];
      memcpy(VARDATA(b) + 1, parts[i].data(), parts[i].size());
      keys[i] = PointerGetDatum(b);
    }
    *nkeys = static_cast<int32>(parts.size());
    return keys;
  });
}

}  // namespace

DEDUPE_FUNCTION(dedupe_match_key_gin_extract_value) {
  int32* nkeys = reinterpret_cast<int32*>(PG_GETARG_POINTER(1));
  return PointerGetDatum(component_keys(dedupe::pg::match_key_arg(fcinfo, 0), nkeys));
}

DEDUPE_FUNCTION(dedupe_match_key_gin_extract_query) {
  int32* nkeys = reinterpret_cast<int32*>(PG_GETARG_POINTER(1));
  const StrategyNumber strategy = PG_GETARG_UINT16(2);
  if (strategy != kOverlap && strategy != kContains && strategy != kEqual)
    throw dedupe::Error(dedupe::sqlstate::kInternalError,
                        "match_key GIN: unknown strategy " + std::to_string(strategy));
  // Every valid key has a component, so each strategy needs at least one match: the
  // default search mode is right.
  return PointerGetDatum(component_keys(dedupe::pg::match_key_arg(fcinfo, 0), nkeys));
}

DEDUPE_FUNCTION(dedupe_match_key_gin_consistent) {
  const bool* check = reinterpret_cast<bool*>(PG_GETARG_POINTER(0));
  const StrategyNumber strategy = PG_GETARG_UINT16(1);
  const int32 nkeys = PG_GETARG_INT32(3);
  bool* recheck = reinterpret_cast<bool*>(PG_GETARG_POINTER(5));
  int matched = 0;
  for (int32 i = 0; i < nkeys; ++i) matched += check[i] ? 1 : 0;
  *recheck = strategy == kEqual;
  if (strategy == kOverlap) return BoolGetDatum(matched > 0);
  return BoolGetDatum(matched == nkeys);
}

// GIN support for dedupe.fuzzy_gin_ops: keys are the hashed padded trigrams of fold(value)
// plus one length key; the consistent functions apply the count and length filters of
// core/similarity/count_filter.hpp and always ask for a recheck.
#include "pg/fuzzy_query.hpp"

#include <cstring>

#include "core/similarity/count_filter.hpp"
#include "core/similarity/fuzzy_keys.hpp"
#include "core/similarity/metrics.hpp"
#include "pg/datum_io.hpp"

extern "C" {
#include "access/gin.h"
}

namespace {

using dedupe::fuzzy::Tri;
static_assert(static_cast<int>(Tri::kFalse) == GIN_FALSE &&
              static_cast<int>(Tri::kTrue) == GIN_TRUE &&
              static_cast<int>(Tri::kMaybe) == GIN_MAYBE);

// What the consistent functions need, shared by every key's extra_data pointer:
// weight[n_keys] then needed[n_keys].
struct FilterData {
  int32 n_keys;
  int32 needed_any;
  int32 values[FLEXIBLE_ARRAY_MEMBER];
};

Datum* key_datums(const std::vector<int32_t>& keys) {
  return dedupe::pg::pg_call([&] {
    auto* datums = static_cast<Datum*>(palloc(sizeof(Datum) * (keys.size() + 1)));
    for (size_t i = 0; i < keys.size(); ++i) datums[i] = Int32GetDatum(keys[i]);
    return datums;
  });
}

Tri verdict(Pointer* extra_data, int32 nkeys, const Tri* states) {
  if (nkeys == 0) return Tri::kMaybe;  // GIN_SEARCH_MODE_ALL: every row, rechecked
  const auto* data = reinterpret_cast<const FilterData*>(extra_data[0]);
  const int32* weight = data->values;
  const int32* needed = weight + data->n_keys;
  return dedupe::fuzzy::count_filter_verdict(weight, needed, data->n_keys, data->needed_any,
                                             states);
}

}  // namespace

DEDUPE_FUNCTION(dedupe_fuzzy_gin_extract_value) {
  auto* nkeys = reinterpret_cast<int32*>(PG_GETARG_POINTER(1));
  const std::vector<int32_t> keys =
      dedupe::fuzzy::index_keys(dedupe::fuzzy::match_form(dedupe::pg::text_arg(fcinfo, 0)));
  *nkeys = static_cast<int32>(keys.size());
  return PointerGetDatum(key_datums(keys));
}

DEDUPE_FUNCTION(dedupe_fuzzy_gin_extract_query) {
  auto* nkeys = reinterpret_cast<int32*>(PG_GETARG_POINTER(1));
  const StrategyNumber strategy = PG_GETARG_UINT16(2);
  auto** extra_data = reinterpret_cast<Pointer**>(PG_GETARG_POINTER(4));
  auto* search_mode = reinterpret_cast<int32*>(PG_GETARG_POINTER(6));

  dedupe::fuzzy::CountFilter filter;
  if (strategy == dedupe::pg::kWithinStrategy) {
    const auto* q = dedupe::pg::edit_query_arg(PG_GETARG_DATUM(0));
    filter = dedupe::fuzzy::edit_distance_filter(dedupe::code_points(dedupe::pg::query_text(q)),
                                                 q->max_distance);
  } else if (strategy == dedupe::pg::kSimilarStrategy) {
    const auto* q = dedupe::pg::similarity_query_arg(PG_GETARG_DATUM(0));
    filter = dedupe::fuzzy::similarity_filter(dedupe::code_points(dedupe::pg::query_text(q)),
                                              q->threshold);
  } else {
    throw dedupe::Error(dedupe::sqlstate::kInternalError,
                        "unknown strategy " + std::to_string(strategy) + " for fuzzy_gin_ops");
  }
  if (filter.match_all) {
    *nkeys = 0;
    *search_mode = GIN_SEARCH_MODE_ALL;
    return PointerGetDatum(nullptr);
  }
  const int32 n = static_cast<int32>(filter.keys.size());
  *nkeys = n;
  dedupe::pg::pg_call([&] {
    auto* data =
        static_cast<FilterData*>(palloc(offsetof(FilterData, values) + sizeof(int32) * 2 * n));
    data->n_keys = n;
    data->needed_any = filter.needed_any;
    memcpy(data->values, filter.weight.data(), sizeof(int32) * n);
    memcpy(data->values + n, filter.needed.data(), sizeof(int32) * n);
    *extra_data = static_cast<Pointer*>(palloc(sizeof(Pointer) * n));
    for (int32 i = 0; i < n; ++i) (*extra_data)[i] = reinterpret_cast<Pointer>(data);
  });
  return PointerGetDatum(key_datums(filter.keys));
}

DEDUPE_FUNCTION(dedupe_fuzzy_gin_consistent) {
  const auto* check = reinterpret_cast<const bool*>(PG_GETARG_POINTER(0));
  const int32 nkeys = PG_GETARG_INT32(3);
  auto* extra_data = reinterpret_cast<Pointer*>(PG_GETARG_POINTER(4));
  auto* recheck = reinterpret_cast<bool*>(PG_GETARG_POINTER(5));
  *recheck = true;  // hashed grams and bounds: the operator decides
  std::vector<Tri> states(nkeys);
  for (int32 i = 0; i < nkeys; ++i) states[i] = check[i] ? Tri::kTrue : Tri::kFalse;
  return BoolGetDatum(verdict(extra_data, nkeys, states.data()) != Tri::kFalse);
}

DEDUPE_FUNCTION(dedupe_fuzzy_gin_tri_consistent) {
  const auto* check = reinterpret_cast<const Tri*>(PG_GETARG_POINTER(0));
  const int32 nkeys = PG_GETARG_INT32(3);
  auto* extra_data = reinterpret_cast<Pointer*>(PG_GETARG_POINTER(4));
  return GinTernaryValueGetDatum(static_cast<GinTernaryValue>(verdict(extra_data, nkeys, check)));
}

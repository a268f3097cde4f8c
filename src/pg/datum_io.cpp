#include "pg/datum_io.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
}

namespace dedupe::pg {

std::string_view text_arg(FunctionCallInfo fcinfo, int n) {
  text* t = pg_call([&] { return PG_GETARG_TEXT_PP(n); });
  return {VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)};
}

Datum text_datum(std::string_view s) {
  return pg_call([&] {
    return PointerGetDatum(cstring_to_text_with_len(s.data(), static_cast<int>(s.size())));
  });
}

std::string_view bytea_arg(FunctionCallInfo fcinfo, int n) {
  bytea* b = pg_call([&] { return PG_GETARG_BYTEA_PP(n); });
  return {VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b)};
}

Datum bytea_datum(std::string_view bytes) {
  return pg_call([&] {
    bytea* out = static_cast<bytea*>(palloc(VARHDRSZ + bytes.size()));
    SET_VARSIZE(out, VARHDRSZ + bytes.size());
    if (!bytes.empty()) memcpy(VARDATA(out), bytes.data(), bytes.size());
    return PointerGetDatum(out);
  });
}

Datum text_array_datum(const std::vector<std::string>& items) {
  // Build the element datums first (each through text_datum), then the array.
  Datum* elems =
      pg_call([&] { return static_cast<Datum*>(palloc(sizeof(Datum) * (items.size() + 1))); });
  for (size_t i = 0; i < items.size(); ++i) elems[i] = text_datum(items[i]);
  return pg_call([&] {
    return PointerGetDatum(
        construct_array(elems, static_cast<int>(items.size()), TEXTOID, -1, false, TYPALIGN_INT));
  });
}

}  // namespace dedupe::pg

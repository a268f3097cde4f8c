#include "pg/bytea_io.hpp"

namespace dedupe::pg {

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

}  // namespace dedupe::pg

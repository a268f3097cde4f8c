#include "pg/spi_session.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
}

namespace dedupe::pg {

SpiSession::SpiSession() {
  pg_call([] {
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  });
}

SpiSession::~SpiSession() {
  // On the error path PostgreSQL's abort processing cleans SPI up itself.
  if (std::uncaught_exceptions() == 0) pg_call([] { SPI_finish(); });
}

void CachedStatement::prepare(Oid param_type) {
  if (plan_) return;
  std::vector<Oid> types(nargs_, param_type);
  plan_ = pg_call([&] {
    // A generic plan, made once: every statement here looks rows up by key through an index
    // whatever the parameters, and a custom plan would be re-planned on every row written.
    SPIPlanPtr p = SPI_prepare_cursor(sql_, nargs_, types.data(), CURSOR_OPT_GENERIC_PLAN);
    if (!p)
      elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql_, SPI_result_code_string(SPI_result));
    SPI_keepplan(p);
    return p;
  });
}

uint64 CachedStatement::execute(std::vector<Datum>& values, std::vector<char>& nulls) {
  return pg_call([&] {
    int rc = SPI_execute_plan(plan_, values.data(), nulls.data(), false, 0);
    if (rc < 0) elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
    return SPI_processed;
  });
}

uint64 CachedStatement::run(const std::vector<std::optional<std::string>>& args) {
  prepare(TEXTOID);
  std::vector<Datum> values(nargs_);
  std::vector<char> nulls(nargs_, ' ');
  for (int i = 0; i < nargs_; ++i) {
    if (args[i]) {
      values[i] = pg_call([&] {
        return PointerGetDatum(cstring_to_text_with_len(args[i]->data(), (int)args[i]->size()));
      });
    } else {
      nulls[i] = 'n';
    }
  }
  return execute(values, nulls);
}

uint64 CachedStatement::run_columns(
    const std::vector<std::vector<std::optional<std::string>>>& columns) {
  prepare(TEXTARRAYOID);
  std::vector<Datum> values(nargs_);
  std::vector<char> nulls(nargs_, ' ');
  for (int i = 0; i < nargs_; ++i) {
    const auto& column = columns[i];
    values[i] = pg_call([&] {
      const int n = static_cast<int>(column.size());
      Datum* elems = static_cast<Datum*>(palloc(sizeof(Datum) * (n + 1)));
      bool* elem_nulls = static_cast<bool*>(palloc(sizeof(bool) * (n + 1)));
      for (int j = 0; j < n; ++j) {
        elem_nulls[j] = !column[j].has_value();
        elems[j] = elem_nulls[j] ? Datum(0)
                                 : PointerGetDatum(cstring_to_text_with_len(
                                       column[j]->data(), static_cast<int>(column[j]->size())));
      }
      int dims[1] = {n};
      int lbs[1] = {1};
      return PointerGetDatum(
          construct_md_array(elems, elem_nulls, 1, dims, lbs, TEXTOID, -1, false, TYPALIGN_INT));
    });
  }
  return execute(values, nulls);
}

std::optional<std::string> CachedStatement::first_value() {
  char* v = pg_call([] {
    if (SPI_processed == 0 || !SPI_tuptable) return static_cast<char*>(nullptr);
    return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
  });
  if (!v) return std::nullopt;
  return std::string(v);
}

namespace {

// The column's Datum, after checking the row, the column and its type; false when NULL.
// Runs inside pg_call (elog raises).
bool binary_value(uint64 row, int column, Oid wanted, Datum& out) {
  if (!SPI_tuptable || row >= SPI_processed) elog(ERROR, "no result row %lu", (unsigned long)row);
  TupleDesc desc = SPI_tuptable->tupdesc;
  if (column < 1 || column > desc->natts) elog(ERROR, "no result column %d", column);
  const Oid type = TupleDescAttr(desc, column - 1)->atttypid;
  if (type != wanted && !(wanted == TEXTOID && type == VARCHAROID))
    elog(ERROR, "result column %d is of type %u, read as %u", column, type, wanted);
  bool isnull = false;
  out = SPI_getbinval(SPI_tuptable->vals[row], desc, column, &isnull);
  return !isnull;
}

}  // namespace

std::optional<int64_t> SpiRows::int8(uint64 row, int column) {
  int64_t v = 0;
  const bool present = pg_call([&] {
    Datum d;
    if (!binary_value(row, column, INT8OID, d)) return false;
    v = DatumGetInt64(d);
    return true;
  });
  if (!present) return std::nullopt;
  return v;
}

std::optional<bool> SpiRows::boolean(uint64 row, int column) {
  bool v = false;
  const bool present = pg_call([&] {
    Datum d;
    if (!binary_value(row, column, BOOLOID, d)) return false;
    v = DatumGetBool(d);
    return true;
  });
  if (!present) return std::nullopt;
  return v;
}

std::optional<std::string> SpiRows::text(uint64 row, int column) {
  const char* data = nullptr;
  int length = 0;
  const bool present = pg_call([&] {
    Datum d;
    if (!binary_value(row, column, TEXTOID, d)) return false;
    // A short value is read in place in the result tuple (alive until the next statement);
    // a toasted one is detoasted into the SPI connection's memory. Copied out below.
    struct varlena* t =
        pg_detoast_datum_packed(reinterpret_cast<struct varlena*>(DatumGetPointer(d)));
    data = VARDATA_ANY(t);
    length = static_cast<int>(VARSIZE_ANY_EXHDR(t));
    return true;
  });
  if (!present) return std::nullopt;
  return std::string(data, static_cast<size_t>(length));
}

std::string int8_array_text(const std::vector<int64_t>& ids) {
  std::string out = "{";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "}";
}

}  // namespace dedupe::pg

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

}  // namespace dedupe::pg

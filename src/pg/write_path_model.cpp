// dedupe._estimate_write_path_model() (behind dedupe.estimate_write_path_model()): the write
// path's model estimated from the valid records of dedupe.records, read as the matcher reads a
// candidate (the seven identity columns and the further roles) into the record set decide()
// scores (golden::record_builder()), then batch's estimation (golden::estimate_model ->
// match::train). The bookkeeping (storing it, the audit row, when it is due) is SQL in
// control/sql/86_model_estimation.sql.
#include "pg/write_path_model.hpp"

#include "core/golden/decide.hpp"
#include "pg/batch_run.hpp"
#include "pg/golden_person.hpp"
#include "pg/spi_session.hpp"

extern "C" {
#include "commands/dbcommands.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
}

namespace dedupe::pg {
namespace {

constexpr long kFetchRows = 10000;

// Every valid record, in the order they were written.
constexpr const char* kRecords =
    "SELECT r.external_id, r.email, r.phone, r.first_name, r.last_name, r.company, r.domain,"
    "       dedupe._roles_text(r.roles)"
    "  FROM dedupe.records r WHERE r.valid ORDER BY r.record_id";

match::RecordSet read_write_path_records(const match::RunControl& control) {
  Portal portal = pg_call([] {
    return SPI_cursor_open_with_args(nullptr, kRecords, 0, nullptr, nullptr, nullptr, true, 0);
  });
  match::RecordSetBuilder builder = golden::record_builder();
  int64_t row = 0;
  while (true) {
    const uint64 fetched = pg_call([&] {
      SPI_cursor_fetch(portal, true, kFetchRows);
      return SPI_processed;
    });
    if (fetched == 0) break;
    for (uint64 r = 0; r < fetched; ++r) {
      golden::add_record(builder, row++, person_at_row(r, 1, 8));
    }
    pg_call([] { SPI_freetuptable(SPI_tuptable); });
    control.check_interrupt();
    control.progress(match::Progress{"reading", static_cast<uint64_t>(row), 0, 0});
  }
  pg_call([&] { SPI_cursor_close(portal); });
  return builder.finish(control);
}

}  // namespace

void estimate_model_when_due() {
  SpiSession spi;
  const bool installed = pg_call([] {
    SPI_execute(
        "SELECT pg_catalog.to_regprocedure('dedupe._estimate_model_when_due()') IS NOT NULL", true,
        1);
    bool null = false;
    return DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &null));
  });
  if (!installed) return;
  const uint64 rows = pg_call([] {
    SPI_execute(
        "SELECT e OPERATOR(pg_catalog.->) 'estimate' OPERATOR(pg_catalog.->>) 'records'"
        "  FROM dedupe._estimate_model_when_due() e WHERE e IS NOT NULL",
        false, 0);
    return SPI_processed;
  });
  if (rows == 0) return;
  const std::string records = SpiRows::text(0, 1).value_or("?");
  pg_call([&] {
    ereport(LOG, (errmsg("pg_dedupe: estimated the write path's model from %s records in database "
                         "\"%s\"",
                         records.c_str(), get_database_name(MyDatabaseId))));
  });
}

}  // namespace dedupe::pg

// dedupe._estimate_write_path_model() -> jsonb in dedupe.models' format; raises 55000 when
// dedupe.records holds fewer than golden::kMinRecordsToEstimate valid records.
DEDUPE_FUNCTION(dedupe_estimate_write_path_model) {
  using namespace dedupe;
  const match::RunControl control = pg::batch_run_control("dedupe.estimate_write_path_model");
  std::string json;
  {
    pg::SpiSession spi;
    const match::RecordSet records = pg::read_write_path_records(control);
    json = golden::estimate_model(records, control).to_json();
  }
  return pg::pg_call([&] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(json.c_str())); });
}

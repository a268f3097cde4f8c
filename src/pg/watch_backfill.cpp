// dedupe._stage_existing_rows(): what dedupe.watch() does for the rows a table already holds.
// The triggers see only rows written after them, so without this a table watched with data in
// it, or watched again with another mapping, would keep records that describe nothing (or an
// old mapping) and miss the rest. It stages every row through the same code as the AFTER row
// trigger (upserting by id, so records keep their ids, links and human decisions), then
// forgets the records of rows that are gone.
#include <string>
#include <unordered_set>

#include "pg/owner_rights.hpp"
#include "pg/spi_session.hpp"
#include "pg/staging_buffer.hpp"
#include "pg/watch_registration.hpp"
#include "pg/watch_stage.hpp"

extern "C" {
#include "access/table.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

namespace dedupe::pg {
namespace {

constexpr long kFetchRows = 1000;
constexpr uint64 kProgressEvery = 100000;

CachedStatement staged_ids("SELECT source_pk FROM dedupe.records WHERE source = $1", 1);
CachedStatement forget_record("SELECT dedupe._forget_records($1, $2)", 2);

// The mapping dedupe.watch() just gave the table's row trigger: the backfill reads rows the
// way the trigger will.
WatchMapping installed_mapping(Oid relid) {
  Relation rel = pg_call([&] { return table_open(relid, AccessShareLock); });
  const std::optional<WatchMapping> mapping = WatchMapping::of_table(rel);
  if (mapping) verify_registration(mapping->source, rel);
  pg_call([&] { table_close(rel, AccessShareLock); });
  if (!mapping)
    throw dedupe::Error("55000", "table has no dedupe_watch_stage trigger", {},
                        "dedupe.watch() installs it before staging the existing rows.");
  return *mapping;
}

// Stages every row, reading the table with the caller's rights (the column types' output
// functions run as the caller). Returns the ids seen.
std::unordered_set<std::string> stage_rows(Oid relid, const WatchMapping& m, uint64& invalid) {
  std::unordered_set<std::string> seen;
  SpiSession spi;
  const std::string query = pg_call([&] {
    return std::string(quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
                                                  get_rel_name(relid)));
  });
  Portal cursor = pg_call([&] {
    SPIPlanPtr plan = SPI_prepare(("SELECT * FROM ONLY " + query).c_str(), 0, nullptr);
    if (!plan) elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
    return SPI_cursor_open(nullptr, plan, nullptr, nullptr, true);
  });
  for (;;) {
    const uint64 fetched = pg_call([&] {
      SPI_cursor_fetch(cursor, true, kFetchRows);
      return SPI_processed;
    });
    if (fetched == 0) break;
    SPITupleTable* rows = SPI_tuptable;
    for (uint64 i = 0; i < fetched; ++i) {
      std::optional<std::string> pk = column_text(rows->vals[i], rows->tupdesc, m.id_column);
      if (!pk) continue;  // the id column is unique and the trigger refuses NULL ids from now on
      if (!stage_tuple(rows->vals[i], rows->tupdesc, m, *pk, StageMode::kExisting, false))
        ++invalid;
      seen.insert(std::move(*pk));
      if (seen.size() % kProgressEvery == 0)
        pg_call([&] {
          ereport(NOTICE,
                  (errmsg("dedupe.watch: staged %zu rows of %s", seen.size(), query.c_str())));
        });
    }
    pg_call([&] { SPI_freetuptable(rows); });
    check_for_interrupts();
  }
  pg_call([&] { SPI_cursor_close(cursor); });
  return seen;
}

}  // namespace
}  // namespace dedupe::pg

DEDUPE_FUNCTION(dedupe_stage_existing_rows) {
  using namespace dedupe::pg;
  const Oid relid = PG_GETARG_OID(0);
  const WatchMapping m = installed_mapping(relid);
  uint64 invalid = 0;
  const std::unordered_set<std::string> seen = stage_rows(relid, m, invalid);
  end_statement(relid);

  // Records of rows deleted while the table was not watched.
  OwnerRights rights;
  SpiSession spi;
  std::vector<std::string> gone;
  const uint64 staged = staged_ids.run({m.source});
  for (uint64 i = 0; i < staged; ++i) {
    std::string pk = pg_call(
        [&] { return std::string(SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1)); });
    if (!seen.count(pk)) gone.push_back(std::move(pk));
  }
  for (const std::string& pk : gone) forget_record.run({m.source, pk});
  if (invalid > 0)
    pg_call([&] {
      ereport(NOTICE,
              (errmsg("dedupe.watch: %llu existing rows are invalid and were staged as "
                      "flagged",
                      static_cast<unsigned long long>(invalid)),
               errhint("See dedupe.records WHERE NOT valid; correct the rows with UPDATE.")));
    });
  return Int64GetDatum(static_cast<int64>(seen.size()));
}

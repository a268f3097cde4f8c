// Delivery of a routed webhook event into its watched table. dedupe.ingest_webhook() runs
// with the extension owner's rights (it reads the secrets); the row it writes must not.
// So the INSERT runs as the watched table's owner inside a security-restricted operation,
// the way PostgreSQL runs index expressions during VACUUM or REFRESH MATERIALIZED VIEW:
// the table's own triggers, defaults, constraints and its column types' input functions
// run with the rights of the role that wrote them, never the owner's or a superuser's,
// and cannot leave temporary objects or role changes behind in the intake's session.
#include <optional>
#include <string>
#include <vector>

#include "pg/datum_io.hpp"
#include "pg/spi_session.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

namespace {

class TableOwnerRights {
 public:
  explicit TableOwnerRights(Oid relid) {
    const Oid owner = dedupe::pg::pg_call([&] {
      HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
      if (!HeapTupleIsValid(tuple))
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                        errmsg("relation with OID %u does not exist", relid)));
      Oid o = ((Form_pg_class)GETSTRUCT(tuple))->relowner;
      ReleaseSysCache(tuple);
      return o;
    });
    GetUserIdAndSecContext(&saved_user_, &saved_context_);
    SetUserIdAndSecContext(
        owner, saved_context_ | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
  }
  ~TableOwnerRights() { SetUserIdAndSecContext(saved_user_, saved_context_); }
  TableOwnerRights(const TableOwnerRights&) = delete;
  TableOwnerRights& operator=(const TableOwnerRights&) = delete;

 private:
  Oid saved_user_ = InvalidOid;
  int saved_context_ = 0;
};

std::vector<std::string> text_array(Datum array) {
  std::vector<std::string> out;
  Datum* items = nullptr;
  bool* nulls = nullptr;
  int n = 0;
  dedupe::pg::pg_call([&] {
    deconstruct_array(DatumGetArrayTypeP(array), TEXTOID, -1, false, TYPALIGN_INT, &items, &nulls,
                      &n);
  });
  for (int i = 0; i < n; ++i) {
    if (nulls[i]) throw dedupe::Error("22004", "a routed column name is NULL");
    text* t = reinterpret_cast<text*>(items[i]);
    out.emplace_back(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
  }
  return out;
}

std::string quoted(const std::string& identifier) {
  return dedupe::pg::pg_call([&] { return std::string(quote_identifier(identifier.c_str())); });
}

}  // namespace

// dedupe._webhook_insert(tbl regclass, id_column name, columns text[], row jsonb) -> text:
// inserts the columns of row (typed by the table's own row type through the built-in
// jsonb_populate_record) and returns the new row's id column as text, or NULL when the
// table's triggers kept the row out (quarantined, or a replayed idempotency key).
DEDUPE_FUNCTION(dedupe_webhook_insert) {
  const Oid relid = PG_GETARG_OID(0);
  const std::string id_column =
      dedupe::pg::pg_call([&] { return std::string(NameStr(*PG_GETARG_NAME(1))); });
  const std::vector<std::string> columns = text_array(PG_GETARG_DATUM(2));
  const Datum row = PG_GETARG_DATUM(3);
  if (columns.empty()) throw dedupe::Error("22023", "a routed row needs at least one column");

  const std::string table = dedupe::pg::pg_call([&] {
    char* name = get_rel_name(relid);
    if (name == nullptr)
      ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                      errmsg("relation with OID %u does not exist", relid)));
    return std::string(
        quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), name));
  });
  std::string target, values;
  for (const std::string& c : columns) {
    const std::string q = quoted(c);
    target += (target.empty() ? "" : ", ") + q;
    values += (values.empty() ? "r." : ", r.") + q;
  }
  const std::string sql = "INSERT INTO " + table + " AS t (" + target + ") SELECT " + values +
                          " FROM pg_catalog.jsonb_populate_record(NULL::" + table +
                          ", $1) r RETURNING (t." + quoted(id_column) + ")::pg_catalog.text";

  std::optional<std::string> inserted_id;
  {
    TableOwnerRights rights(relid);
    dedupe::pg::SpiSession spi;
    dedupe::pg::pg_call([&] {
      Oid types[1] = {JSONBOID};
      Datum args[1] = {row};
      if (SPI_execute_with_args(sql.c_str(), 1, types, args, nullptr, false, 0) !=
          SPI_OK_INSERT_RETURNING)
        elog(ERROR, "pg_dedupe: routed INSERT did not run");
    });
    if (SPI_processed == 1) {
      const char* value = dedupe::pg::pg_call(
          [] { return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1); });
      if (value != nullptr) inserted_id = value;
    }
  }
  if (!inserted_id) PG_RETURN_NULL();
  return dedupe::pg::text_datum(*inserted_id);
}

// The append-only audit log: its guard trigger, the one retention function allowed to remove
// rows (see append_only.hpp), and dedupe._audit() for SQL-level functions.
#include "pg/append_only.hpp"
#include "pg/datum_io.hpp"
#include "pg/json_text.hpp"
#include "pg/owner_rights.hpp"
#include "pg/spi_session.hpp"

extern "C" {
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
}

namespace {

dedupe::pg::AppendOnlyTable audit_log("dedupe.audit_log", "dedupe.audit_log_guard",
                                      "dedupe.purge_audit_log");

dedupe::pg::CachedStatement audit_purge(
    "INSERT INTO dedupe.audit_log (actor, decision, inputs, reason) "
    "VALUES ($1, 'audit_log_purged', pg_catalog.jsonb_build_object('older_than', $2), $3)",
    3);

dedupe::pg::CachedStatement delete_old_rows(
    "DELETE FROM dedupe.audit_log WHERE at < pg_catalog.now() - $1::pg_catalog.interval", 1);

}  // namespace

DEDUPE_FUNCTION(dedupe_audit_log_guard) { return audit_log.guard(fcinfo); }

DEDUPE_FUNCTION(dedupe_purge_audit_log) {
  std::string older_than = dedupe::pg::pg_call([&] {
    Interval* span = PG_GETARG_INTERVAL_P(0);
    Interval minimum = {0, 30, 0};  // 30 days: an audit trail is never purged to the present
    if (DatumGetBool(
            DirectFunctionCall2(interval_lt, PointerGetDatum(span), PointerGetDatum(&minimum))))
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("dedupe.purge_audit_log keeps at least 30 days of audit rows")));
    return DatumGetCString(DirectFunctionCall1(interval_out, PointerGetDatum(span)));
  });
  dedupe::pg::OwnerRights rights;
  dedupe::pg::SpiSession spi;
  // The purge is audited first, in the same transaction: both happen or neither does.
  audit_purge.run({rights.actor(), older_than, std::string("retention purge")});
  uint64 removed;
  {
    dedupe::pg::AppendOnlyTable::PurgeWindow window(audit_log);
    removed = delete_old_rows.run({older_than});
  }
  return Int64GetDatum(static_cast<int64>(removed));
}

namespace {

dedupe::pg::CachedStatement insert_audit_row(
    "INSERT INTO dedupe.audit_log (actor, source, source_pk, decision, inputs, reason) "
    "VALUES ($1, $2, $3, $4, $5::pg_catalog.jsonb, $6)",
    6);

std::optional<std::string> optional_text_arg(FunctionCallInfo fcinfo, int n) {
  if (PG_ARGISNULL(n)) return std::nullopt;
  return std::string(dedupe::pg::text_arg(fcinfo, n));
}

}  // namespace

// dedupe._audit(source, source_pk, decision, inputs, reason): how SQL-level functions of the
// extension write audit rows. It runs with the owner's rights and records the caller as actor.
DEDUPE_FUNCTION(dedupe_audit) {
  if (PG_ARGISNULL(2))
    throw dedupe::Error(dedupe::sqlstate::kNotNullViolation, "an audit row needs a decision");
  std::optional<std::string> inputs;
  if (!PG_ARGISNULL(3)) {
    char* json = dedupe::pg::pg_call(
        [&] { return DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(3))); });
    inputs = std::string(json);
  }
  const auto source = optional_text_arg(fcinfo, 0), pk = optional_text_arg(fcinfo, 1),
             decision = optional_text_arg(fcinfo, 2), reason = optional_text_arg(fcinfo, 4);
  dedupe::pg::OwnerRights rights;
  dedupe::pg::SpiSession spi;
  insert_audit_row.run({rights.actor(), source, pk, decision, inputs, reason});
  PG_RETURN_VOID();
}

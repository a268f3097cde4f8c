// The append-only record of webhook deliveries: its guard trigger and the one retention
// function allowed to remove rows (see append_only.hpp).
#include "pg/append_only.hpp"
#include "pg/owner_rights.hpp"
#include "pg/spi_session.hpp"

extern "C" {
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
}

namespace {

dedupe::pg::AppendOnlyTable webhook_events("dedupe.webhook_events", "dedupe._webhook_events_guard",
                                           "dedupe.purge_webhook_events");

// A purged event id could be replayed; keeping every event longer than any source's
// freshness window (and a day at least) means a replay of it is refused as stale anyway.
dedupe::pg::CachedStatement long_enough(
    "SELECT ($1::pg_catalog.interval >= GREATEST(pg_catalog.interval '1 day', "
    "(SELECT pg_catalog.max(s.max_age) FROM dedupe.webhook_secrets s) + "
    "dedupe.webhook_clock_skew()))"
    "::pg_catalog.text",
    1);

dedupe::pg::CachedStatement delete_old_events(
    "DELETE FROM dedupe.webhook_events WHERE received_at < pg_catalog.clock_timestamp() - "
    "$1::pg_catalog.interval",
    1);

dedupe::pg::CachedStatement audit_purge(
    "INSERT INTO dedupe.audit_log (actor, decision, inputs, reason) VALUES ($1, "
    "'webhook_events_purged', pg_catalog.jsonb_build_object('older_than', $2, 'rows', "
    "$3::pg_catalog.int8), 'retention purge')",
    3);

}  // namespace

DEDUPE_FUNCTION(dedupe_webhook_events_guard) { return webhook_events.guard(fcinfo); }

DEDUPE_FUNCTION(dedupe_purge_webhook_events) {
  const std::string older_than = dedupe::pg::pg_call([&] {
    return std::string(DatumGetCString(DirectFunctionCall1(interval_out, PG_GETARG_DATUM(0))));
  });
  dedupe::pg::OwnerRights rights;
  dedupe::pg::SpiSession spi;
  long_enough.run({older_than});
  if (dedupe::pg::CachedStatement::first_value() != std::optional<std::string>("true"))
    throw dedupe::Error(dedupe::sqlstate::kInvalidParameterValue,
                        "dedupe.purge_webhook_events keeps at least a day of events, and longer "
                        "than every source's max_age plus the clock skew",
                        {}, "A purged event id must be too old to be accepted again.");
  uint64 removed;
  {
    dedupe::pg::AppendOnlyTable::PurgeWindow window(webhook_events);
    removed = delete_old_events.run({older_than});
  }
  audit_purge.run({rights.actor(), older_than, std::to_string(removed)});
  return Int64GetDatum(static_cast<int64>(removed));
}

#include "pg/watch_registration.hpp"

#include <optional>

#include "pg/owner_rights.hpp"
#include "pg/spi_session.hpp"

extern "C" {
#include "access/xact.h"
#include "storage/proc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

namespace dedupe::pg {
namespace {

CachedStatement registered_relid(
    "SELECT relid::pg_catalog.oid FROM dedupe.sources WHERE source = $1 AND watching", 1);

// One verified (source, table) per command: registrations change only through statements
// that run as commands of their own (watch, unwatch, an admin's UPDATE).
struct Verified {
  LocalTransactionId lxid = InvalidLocalTransactionId;
  CommandId command = InvalidCommandId;
  Oid relid = InvalidOid;
  std::string source;
};
Verified last_verified;

}  // namespace

void verify_registration(const std::string& source, Relation relation) {
  const Oid relid = RelationGetRelid(relation);
  const LocalTransactionId lxid = MyProc->lxid;
  const CommandId command = pg_call([] { return GetCurrentCommandId(false); });
  if (last_verified.lxid == lxid && last_verified.command == command &&
      last_verified.relid == relid && last_verified.source == source)
    return;

  std::optional<std::string> registered;
  {
    OwnerRights rights;
    SpiSession spi;
    registered_relid.run({source});
    registered = CachedStatement::first_value();
  }
  if (!registered || std::stoul(*registered) != relid) {
    const std::string name =
        pg_call([&] { return std::string(RelationGetRelationName(relation)); });
    throw dedupe::Error(
        "42501", "table \"" + name + "\" is not the table watched as source \"" + source + "\"", {},
        "Watch tables with dedupe.watch(); its triggers act only for the table "
        "registered in dedupe.sources.");
  }
  last_verified = {lxid, command, relid, source};
}

}  // namespace dedupe::pg

#include "pg/watch_mapping.hpp"

#include <cstring>

#include "core/normalize/record.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
}

namespace dedupe::pg {

WatchMapping WatchMapping::from_trigger(const Trigger* trigger) {
  if (trigger->tgnargs < 3)
    throw dedupe::Error(dedupe::sqlstate::kInternalError,
                        "dedupe.watch_trigger() needs the arguments dedupe.watch() gives it", {},
                        "Install it with dedupe.watch(), not CREATE TRIGGER.");
  WatchMapping m;
  m.source = trigger->tgargs[0];
  std::string mode = trigger->tgargs[1];
  m.on_invalid = mode == "quarantine" ? OnInvalid::kQuarantine
                 : mode == "flag"     ? OnInvalid::kFlag
                                      : OnInvalid::kReject;
  m.region = trigger->tgargs[2];
  std::pair<const char*, std::string*> roles[] = {{"id_column", &m.id_column},
                                                  {"external_id", &m.external_id},
                                                  {"email", &m.email},
                                                  {"phone", &m.phone},
                                                  {"first_name", &m.first_name},
                                                  {"last_name", &m.last_name},
                                                  {"full_name", &m.full_name},
                                                  {"company", &m.company},
                                                  {"domain", &m.domain},
                                                  {"country", &m.country},
                                                  {"idempotency_key", &m.idempotency_key},
                                                  {"key_column", &m.key_column}};
  for (int i = 3; i < trigger->tgnargs; ++i) {
    const char* arg = trigger->tgargs[i];
    const char* eq = std::strchr(arg, '=');
    if (!eq) continue;
    std::string role(arg, eq - arg);
    if (role == "attribute") {
      m.attributes.emplace_back(eq + 1);
      continue;
    }
    if (role == "matching") {
      m.deferred_matching = std::strcmp(eq + 1, "deferred") == 0;
      continue;
    }
    if (role.rfind("role:", 0) == 0) {
      m.more_roles.emplace_back(role.substr(5), eq + 1);
      continue;
    }
    for (auto& [name, target] : roles)
      if (role == name) *target = eq + 1;
  }
  return m;
}

std::optional<WatchMapping> WatchMapping::of_table(Relation relation) {
  for (int i = 0; relation->trigdesc && i < relation->trigdesc->numtriggers; ++i) {
    const Trigger* t = &relation->trigdesc->triggers[i];
    if (std::strcmp(t->tgname, "dedupe_watch_stage") == 0) return from_trigger(t);
  }
  return std::nullopt;
}

std::optional<std::string> column_text(HeapTuple tuple, TupleDesc desc, const std::string& column) {
  if (column.empty()) return std::nullopt;
  char* value = pg_call([&] {
    int attnum = SPI_fnumber(desc, column.c_str());
    if (attnum <= 0)
      ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                      errmsg("watched column \"%s\" no longer exists", column.c_str()),
                      errhint("Call dedupe.watch() again with the table's current columns.")));
    return SPI_getvalue(tuple, desc, attnum);
  });
  if (!value) return std::nullopt;
  std::string out(value);
  pg_call([&] { pfree(value); });
  return out;
}

}  // namespace dedupe::pg

// dedupe._more_role_names(): the roles dedupe.watch(roles => ...) accepts, from the core.
DEDUPE_FUNCTION(dedupe_more_role_names) {
  const std::vector<std::string>& names = dedupe::more_role_names();
  const int n = static_cast<int>(names.size());
  Datum* elems =
      dedupe::pg::pg_call([&] { return static_cast<Datum*>(palloc(sizeof(Datum) * n)); });
  for (int i = 0; i < n; ++i)
    elems[i] = dedupe::pg::pg_call([&] { return CStringGetTextDatum(names[i].c_str()); });
  return dedupe::pg::pg_call(
      [&] { return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT)); });
}

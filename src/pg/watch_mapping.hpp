// The column mapping of a watched table, as dedupe.watch() wrote it into the trigger's
// arguments: source, on_invalid, region, then role=column pairs (column empty when unmapped),
// one attribute=column per extra column and one role:name=column per further matching role.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/guard.hpp"

extern "C" {
#include "commands/trigger.h"
#include "utils/rel.h"
}

namespace dedupe::pg {

enum class OnInvalid { kReject, kQuarantine, kFlag };

struct WatchMapping {
  std::string source;
  OnInvalid on_invalid = OnInvalid::kReject;
  std::string region;
  std::string id_column, external_id, email, phone, first_name, last_name, full_name, company,
      domain, country, idempotency_key, key_column;
  std::vector<std::string> attributes;  // extra columns kept as golden-record attributes
  // Further matching roles (date of birth, address parts, identifier): (role, column).
  std::vector<std::pair<std::string, std::string>> more_roles;
  // matching => 'deferred': records go to dedupe.match_queue instead of being matched in the
  // writing transaction.
  bool deferred_matching = false;

  static WatchMapping from_trigger(const Trigger* trigger);
  // The mapping dedupe.watch() installed on a table (its dedupe_watch_stage trigger's
  // arguments), or nullopt when the table has none.
  static std::optional<WatchMapping> of_table(Relation relation);
};

// A column's value as text (its type's output function), or nullopt for NULL / unmapped.
std::optional<std::string> column_text(HeapTuple tuple, TupleDesc desc, const std::string& column);

}  // namespace dedupe::pg

#include "pg/append_only.hpp"

#include <string>

extern "C" {
#include "commands/trigger.h"
}

namespace dedupe::pg {

Datum AppendOnlyTable::guard(FunctionCallInfo fcinfo) const {
  if (!CALLED_AS_TRIGGER(fcinfo))
    throw dedupe::Error("39P01",
                        std::string(guard_function_) + "() can only be called as a trigger");
  auto* trigdata = reinterpret_cast<TriggerData*>(fcinfo->context);
  if (purging_ && TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
    return PointerGetDatum(trigdata->tg_trigtuple);
  const char* what = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event)   ? "UPDATE"
                     : TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) ? "DELETE"
                                                                   : "TRUNCATE";
  throw dedupe::Error(
      "42501", std::string(table_) + " is append-only: " + what + " is refused", {},
      std::string("Old rows are removed only by ") + purge_function_ + "(older_than).");
}

}  // namespace dedupe::pg

// SQL entry points of the golden-record core: business-hours deadlines and explanations.
#include <optional>
#include <string>

#include "core/golden/business_time.hpp"
#include "core/golden/decide.hpp"
#include "pg/golden_match.hpp"
#include "pg/datum_io.hpp"
#include "pg/golden_person.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"
}

namespace {

// PostgreSQL timestamps count microseconds from 2000-01-01; ICU counts Unix milliseconds.
constexpr int64 kPgEpochUnixMs = 946684800000LL;

dedupe::BusinessHours business_hours_args(FunctionCallInfo fcinfo) {
  dedupe::BusinessHours hours;
  hours.time_zone = std::string(dedupe::pg::text_arg(fcinfo, 2));
  hours.open_minute = static_cast<int>(PG_GETARG_TIMEADT(3) / USECS_PER_MINUTE);
  hours.close_minute = static_cast<int>(PG_GETARG_TIMEADT(4) / USECS_PER_MINUTE);
  if (PG_GETARG_TIMEADT(4) == 0)
    hours.close_minute = 24 * 60;  // '24:00' and '00:00' close at midnight
  ArrayType* days = dedupe::pg::pg_call([&] { return PG_GETARG_ARRAYTYPE_P(5); });
  Datum* elems;
  bool* nulls;
  int n;
  dedupe::pg::pg_call(
      [&] { deconstruct_array(days, INT4OID, 4, true, TYPALIGN_INT, &elems, &nulls, &n); });
  hours.working_days = 0;
  for (int i = 0; i < n; ++i) {
    if (nulls[i]) continue;
    const int iso = DatumGetInt32(elems[i]);
    if (iso < 1 || iso > 7)
      throw dedupe::Error(dedupe::sqlstate::kInvalidParameterValue,
                          "working days are ISO weekdays 1 (Monday) to 7 (Sunday)");
    hours.working_days |= static_cast<uint8_t>(1u << (iso % 7));  // core: 0 = Sunday
  }
  return hours;
}

}  // namespace

// dedupe.business_due_at(start, duration, time_zone, opens_at, closes_at, working_days)
DEDUPE_FUNCTION(dedupe_business_due_at) {
  const TimestampTz start = PG_GETARG_TIMESTAMPTZ(0);
  const Interval* duration = PG_GETARG_INTERVAL_P(1);
  if (TIMESTAMP_NOT_FINITE(start))
    throw dedupe::Error(dedupe::sqlstate::kInvalidParameterValue,
                        "business_due_at needs a finite start, not infinity");
  if (duration->month != 0)
    throw dedupe::Error(
        dedupe::sqlstate::kInvalidParameterValue,
        "a business-hours duration is counted in days, hours and minutes, not months");
  // day * USECS_PER_DAY + time overflows int64 for large intervals: the core refuses
  // anything over ten years, so a larger day count is refused here before the arithmetic.
  const int64 kDayLimit = 20 * 366;
  if (duration->day < -kDayLimit || duration->day > kDayLimit ||
      duration->time < -kDayLimit * USECS_PER_DAY || duration->time > kDayLimit * USECS_PER_DAY)
    throw dedupe::Error(dedupe::sqlstate::kInvalidParameterValue,
                        "invalid business hours: the duration must be between 0 and ten years");
  const int64 minutes = (duration->day * USECS_PER_DAY + duration->time) / USECS_PER_MINUTE;
  const dedupe::BusinessHours hours = business_hours_args(fcinfo);
  const int64 due_ms = dedupe::add_business_minutes(start / 1000 + kPgEpochUnixMs, minutes, hours);
  // Ten years after a start near the end of the timestamp range leaves the range.
  const int64 due_pg_ms = due_ms - kPgEpochUnixMs;  // the deadline is never before start
  if (due_pg_ms >= END_TIMESTAMP / 1000)
    throw dedupe::Error(dedupe::sqlstate::kDatetimeFieldOverflow, "timestamp out of range",
                        "the deadline falls after 294276 AD");
  return TimestampTzGetDatum(due_pg_ms * 1000);
}

// dedupe._explain_pair(a record's 7 attributes, b's 7 attributes, a's and b's further roles)
DEDUPE_FUNCTION(dedupe_explain_pair) {
  const dedupe::golden::Person a = dedupe::pg::person_args(fcinfo, 0, 14);
  const dedupe::golden::Person b = dedupe::pg::person_args(fcinfo, 7, 15);
  const dedupe::pg::WritePathPolicy policy = dedupe::pg::read_write_path_policy();
  const std::string json =
      dedupe::golden::to_json(dedupe::golden::explain_pair(a, b, policy.thresholds, policy.model));
  return dedupe::pg::pg_call(
      [&] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(json.c_str())); });
}

// dedupe.write_path_model(cold_start boolean) -> jsonb: the model the write path scores with
// (the stored 'write_path' model, else the built-in one), or the built-in one.
DEDUPE_FUNCTION(dedupe_write_path_model) {
  const bool cold_start = !PG_ARGISNULL(0) && PG_GETARG_BOOL(0);
  const std::string json = cold_start ? dedupe::golden::cold_start_model().to_json()
                                      : dedupe::pg::read_write_path_policy().model.to_json();
  return dedupe::pg::pg_call(
      [&] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(json.c_str())); });
}

#include "core/golden/business_time.hpp"

#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <memory>

#include "core/error.hpp"
#include "core/no_postgres.hpp"

namespace dedupe {
namespace {

constexpr int64_t kMinuteMs = 60 * 1000;
// A deadline further than ten years of business time away is a configuration error.
constexpr int64_t kMaxMinutes = 10LL * 366 * 24 * 60;

[[noreturn]] void bad(const std::string& why) {
  throw Error(sqlstate::kInvalidParameterValue, "invalid business hours: " + why);
}

std::unique_ptr<icu::Calendar> calendar_in(const std::string& zone) {
  std::unique_ptr<icu::TimeZone> tz(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(zone)));
  icu::UnicodeString id;
  tz->getID(id);
  if (*tz == icu::TimeZone::getUnknown()) bad("unknown time zone \"" + zone + "\"");
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Calendar> cal(new icu::GregorianCalendar(tz.release(), status));
  if (U_FAILURE(status)) throw Error(sqlstate::kInternalError, "ICU calendar", u_errorName(status));
  return cal;
}

int64_t at_local_minute(icu::Calendar& cal, int minute_of_day) {
  UErrorCode status = U_ZERO_ERROR;
  cal.set(UCAL_HOUR_OF_DAY, minute_of_day / 60);
  cal.set(UCAL_MINUTE, minute_of_day % 60);
  cal.set(UCAL_SECOND, 0);
  cal.set(UCAL_MILLISECOND, 0);
  const UDate t = cal.getTime(status);
  if (U_FAILURE(status)) throw Error(sqlstate::kInternalError, "ICU calendar", u_errorName(status));
  return static_cast<int64_t>(t);
}

}  // namespace

void validate(const BusinessHours& hours) {
  calendar_in(hours.time_zone);
  if (hours.open_minute < 0 || hours.close_minute > 24 * 60 ||
      hours.open_minute >= hours.close_minute)
    bad("the window must open before it closes, within one day");
  if ((hours.working_days & 0x7f) == 0) bad("no working day");
}

int64_t add_business_minutes(int64_t start_ms, int64_t minutes, const BusinessHours& hours) {
  validate(hours);
  if (minutes < 0 || minutes > kMaxMinutes) bad("the duration must be between 0 and ten years");
  std::unique_ptr<icu::Calendar> cal = calendar_in(hours.time_zone);
  UErrorCode status = U_ZERO_ERROR;
  int64_t now = start_ms;
  int64_t left_ms = minutes * kMinuteMs;
  // One iteration per calendar day: ten years of days at most.
  for (int day = 0; day < 4000; ++day) {
    cal->setTime(static_cast<UDate>(now), status);
    const int weekday = cal->get(UCAL_DAY_OF_WEEK, status) - UCAL_SUNDAY;
    if (U_FAILURE(status))
      throw Error(sqlstate::kInternalError, "ICU calendar", u_errorName(status));
    if (hours.working_days & (1u << weekday)) {
      const int64_t open = at_local_minute(*cal, hours.open_minute);
      cal->setTime(static_cast<UDate>(now), status);
      const int64_t close = at_local_minute(*cal, hours.close_minute);
      const int64_t from = std::max(now, open);
      if (from < close) {
        if (from + left_ms <= close) return from + left_ms;
        left_ms -= close - from;
      }
    }
    // On to local midnight of the next day.
    cal->setTime(static_cast<UDate>(now), status);
    cal->add(UCAL_DATE, 1, status);
    now = at_local_minute(*cal, 0);
  }
  bad("no deadline within ten years");
}

}  // namespace dedupe

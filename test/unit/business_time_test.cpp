#include "core/golden/business_time.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace dedupe {
namespace {

// 2026-11-20 is a Friday. Epoch milliseconds of UTC wall times:
constexpr int64_t kFri1600Utc = 1795190400000;  // 2026-11-20 16:00 UTC
constexpr int64_t kHour = 3600 * 1000;

TEST(BusinessTime, CarriesOverTheWeekend) {
  BusinessHours h;  // Mon-Fri 09:00-17:00 UTC
  // 1 hour left on Friday, 7 more from Monday 09:00: Monday 16:00.
  EXPECT_EQ(add_business_minutes(kFri1600Utc, 8 * 60, h), kFri1600Utc + 72 * kHour);
}

TEST(BusinessTime, StartOutsideTheWindowCountsFromTheNextOpening) {
  BusinessHours h;
  const int64_t sat_noon = kFri1600Utc + 20 * kHour;
  const int64_t mon_0900 = kFri1600Utc + 65 * kHour;
  EXPECT_EQ(add_business_minutes(sat_noon, 30, h), mon_0900 + kHour / 2);
  EXPECT_EQ(add_business_minutes(sat_noon, 0, h), mon_0900);
}

TEST(BusinessTime, InsideOneDay) {
  BusinessHours h;
  const int64_t fri_1000 = kFri1600Utc - 6 * kHour;
  EXPECT_EQ(add_business_minutes(fri_1000, 90, h), fri_1000 + 90 * 60 * 1000);
}

TEST(BusinessTime, LocalWindowInAnotherZone) {
  BusinessHours h;
  h.time_zone = "America/New_York";  // EST (UTC-5) in November
  // Friday 16:00 UTC = 11:00 New York: 6 business hours left that day.
  EXPECT_EQ(add_business_minutes(kFri1600Utc, 6 * 60, h), kFri1600Utc + 6 * kHour);
  // 8 hours: 6 on Friday, 2 from Monday 09:00 EST (14:00 UTC): Monday 16:00 UTC.
  EXPECT_EQ(add_business_minutes(kFri1600Utc, 8 * 60, h), kFri1600Utc + 72 * kHour);
}

TEST(BusinessTime, RejectsBadCalendars) {
  BusinessHours h;
  h.time_zone = "Mars/Olympus_Mons";
  EXPECT_THROW(add_business_minutes(kFri1600Utc, 60, h), Error);
  h = BusinessHours();
  h.open_minute = h.close_minute;
  EXPECT_THROW(validate(h), Error);
  h = BusinessHours();
  h.working_days = 0;
  EXPECT_THROW(validate(h), Error);
  EXPECT_THROW(add_business_minutes(kFri1600Utc, -1, BusinessHours()), Error);
}

}  // namespace
}  // namespace dedupe

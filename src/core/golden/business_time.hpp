// Deadlines in business time: "8 business hours, Monday to Friday 09:00-17:00, Europe/Berlin"
// from a start instant, with the zone's own calendar (DST shifts, local midnight) from ICU.
#pragma once

#include <cstdint>
#include <string>

namespace dedupe {

struct BusinessHours {
  std::string time_zone = "UTC";  // an IANA zone ICU knows
  int open_minute = 9 * 60;       // local minutes after midnight
  int close_minute = 17 * 60;
  // Bit d set: day d is a working day, d = 0 (Sunday) .. 6 (Saturday).
  uint8_t working_days = 0b0111110;
};

// Throws Error 22023 for an unknown zone, an empty or inverted window, or no working day.
void validate(const BusinessHours& hours);

// The instant (Unix epoch milliseconds) after `minutes` of business time counted from
// `start_ms`. A start outside the window counts from the next opening.
int64_t add_business_minutes(int64_t start_ms, int64_t minutes, const BusinessHours& hours);

}  // namespace dedupe

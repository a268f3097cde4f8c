// libFuzzer target: normalize_phone() throws dedupe::Error or returns E.164 that normalizes to
// itself; a second call (a hit of the per-thread parse cache) answers exactly what the first
// did, errors included, whichever function asks first.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/normalize/phone.hpp"

namespace {

template <typename Fn>
std::string outcome(Fn fn) {
  try {
    return "ok:" + fn();
  } catch (const dedupe::Error& e) {
    return std::string("error:") + e.sqlstate() + e.what() + "|" + e.detail() + "|" + e.hint();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // A small cache, so eviction runs too; entries from earlier inputs stay in it.
  if (dedupe::phone_cache_stats().capacity != 64) dedupe::reset_phone_cache(64);
  const bool valid = dedupe::is_valid_phone(input, "US");
  const std::string type = outcome([&] { return dedupe::phone_type(input, "US"); });
  const std::string e164 = outcome([&] { return dedupe::normalize_phone(input, "GB"); });
  if (e164.rfind("ok:", 0) == 0) {
    // E.164 output parses back to itself in any region.
    const std::string norm = e164.substr(3);
    if (outcome([&] { return dedupe::normalize_phone(norm, "US"); }) != e164) __builtin_trap();
  }
  const std::string extension = outcome([&] { return dedupe::phone_extension(input, "DE"); });
  // Hits: the same answers.
  if (outcome([&] { return dedupe::normalize_phone(input, "GB"); }) != e164) __builtin_trap();
  if (outcome([&] { return dedupe::phone_type(input, "US"); }) != type) __builtin_trap();
  if (dedupe::is_valid_phone(input, "US") != valid) __builtin_trap();
  if (outcome([&] { return dedupe::phone_extension(input, "DE"); }) != extension) __builtin_trap();
  return 0;
}

// libFuzzer target: normalize_phone() throws dedupe::Error or returns E.164 that normalizes to
// itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "core/normalize/phone.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    dedupe::is_valid_phone(input, "US");
    const std::string e164 = dedupe::normalize_phone(input, "GB");
    // E.164 output parses back to itself in any region.
    if (dedupe::normalize_phone(e164, "US") != e164) __builtin_trap();
    dedupe::phone_extension(input, "DE");
  } catch (const dedupe::Error&) {
  }
  return 0;
}

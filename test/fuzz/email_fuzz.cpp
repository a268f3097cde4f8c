// libFuzzer target: normalize_email() throws dedupe::Error or returns an address that normalizes to
// itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "core/normalize/email.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    dedupe::is_valid_email(input);
    const std::string normalized = dedupe::normalize_email(input);
    // A normalized address is a fixed point.
    if (dedupe::normalize_email(normalized) != normalized) __builtin_trap();
  } catch (const dedupe::Error&) {
  }
  return 0;
}

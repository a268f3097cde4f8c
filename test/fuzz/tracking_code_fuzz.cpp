// libFuzzer target: tracking-code parsing accepts any bytes; a dedupe::Error is the only
// allowed failure, an accepted code is already in printed form and parses to itself, and
// its check character holds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/ops/tracking_code.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    const std::string code = dedupe::ops::parse_tracking_code(input);
    if (code.size() != 13 || dedupe::ops::parse_tracking_code(code) != code) abort();
    std::string compact;
    for (char c : code)
      if (c != '-') compact += c;
    if (!dedupe::ops::tracking_check_holds(compact)) abort();
  } catch (const dedupe::Error&) {
  }
  return 0;
}

// libFuzzer target: normalize_domain() throws dedupe::Error or returns a host that normalizes to
// itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "core/normalize/domain.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    const std::string host = dedupe::normalize_domain(input);
    if (dedupe::normalize_domain(host) != host) __builtin_trap();
  } catch (const dedupe::Error&) {
  }
  return 0;
}

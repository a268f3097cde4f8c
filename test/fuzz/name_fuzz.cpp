// libFuzzer target: normalize_name() accepts any bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "core/normalize/name.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    dedupe::normalize_name(input);
  } catch (const dedupe::Error&) {
  }
  return 0;
}

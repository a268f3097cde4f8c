// libFuzzer target: normalize_company() accepts any bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "core/normalize/company.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    dedupe::normalize_company(input);
  } catch (const dedupe::Error&) {
  }
  return 0;
}

// libFuzzer target: fold() must accept any byte string without crashing or throwing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/normalize/fold.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  dedupe::fold(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

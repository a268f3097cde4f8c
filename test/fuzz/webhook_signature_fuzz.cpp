// libFuzzer target: the webhook signature parser accepts any bytes; a dedupe::Error is the
// only allowed failure, and whatever it accepts must re-encode to itself as hex.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/ops/webhook_signature.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    const dedupe::ops::Sha256Digest digest = dedupe::ops::parse_signature(input);
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (uint8_t b : digest) {
      hex += digits[b >> 4];
      hex += digits[b & 15];
    }
    if (dedupe::ops::parse_signature("sha256=" + hex) != digest) abort();
  } catch (const dedupe::Error&) {
  }
  // The full check never throws: a malformed signature is a verdict, not an error.
  dedupe::ops::check_signature(input, input, "secret");
  return 0;
}

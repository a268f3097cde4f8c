// libFuzzer target: the webhook signature parser accepts any bytes; a dedupe::Error is the
// only allowed failure, and whatever it accepts must re-encode to itself as hex. The
// two-secret check of a rotation accepts a signature under either secret, in either slot.
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
  // During a rotation: a signature under the previous secret stays valid, whatever the new
  // one is (here the fuzzer's bytes split into two secrets and a payload).
  const std::string_view previous = input.substr(0, size / 3), current = input.substr(size / 3);
  const dedupe::ops::Sha256Digest mac = dedupe::ops::hmac_sha256(previous, input);
  std::string hex;
  for (uint8_t b : mac) {
    hex += "0123456789abcdef"[b >> 4];
    hex += "0123456789abcdef"[b & 15];
  }
  if (dedupe::ops::check_signature(input, hex, current, previous) !=
      dedupe::ops::SignatureCheck::kValid)
    abort();
  if (dedupe::ops::check_signature(input, hex, previous, current) !=
      dedupe::ops::SignatureCheck::kValid)
    abort();
  return 0;
}

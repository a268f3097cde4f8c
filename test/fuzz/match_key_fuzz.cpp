// libFuzzer: dedupe::parse() on arbitrary text and dedupe::decode() on arbitrary bytes
// either throw dedupe::Error or give a key that formats and re-parses to itself.
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "core/key/match_key.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    const dedupe::MatchKey key = dedupe::parse(input);
    const std::string text = dedupe::format(key);
    if (dedupe::compare(dedupe::parse(text), key) != 0) __builtin_trap();
    if (dedupe::compare(dedupe::decode(dedupe::encode(key)), key) != 0) __builtin_trap();
  } catch (const dedupe::Error&) {
  }
  try {
    dedupe::decode_view(input);
  } catch (const dedupe::Error&) {
  }
  return 0;
}

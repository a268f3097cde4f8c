#include "core/ops/webhook_signature.hpp"

#include <string>

#include "core/error.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::ops {
namespace {

[[noreturn]] void malformed(const std::string& why) {
  throw Error(sqlstate::kInvalidTextRepresentation, "invalid webhook signature: " + why, {},
              "Send the HMAC-SHA256 as 64 hex digits or 44 base64 characters, optionally "
              "prefixed with sha256=.");
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Standard and URL-safe alphabets both decode; -1 for anything else.
int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

bool is_hex(std::string_view s) {
  for (char c : s)
    if (hex_value(c) < 0) return false;
  return true;
}

Sha256Digest from_hex(std::string_view s) {
  Sha256Digest out{};
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<uint8_t>(hex_value(s[2 * i]) << 4 | hex_value(s[2 * i + 1]));
  return out;
}

// 32 bytes are 43 base64 characters (256 bits in 6-bit groups, the last carrying 4 zero
// bits) and one '=' of padding.
Sha256Digest from_base64(std::string_view s) {
  if (s.size() == 44 && s.back() == '=') s.remove_suffix(1);
  if (s.size() != 43)
    malformed("expected 64 hex digits or 44 base64 characters, got " + std::to_string(s.size()) +
              " characters");
  Sha256Digest out{};
  uint32_t bits = 0;
  int bit_count = 0;
  size_t n = 0;
  for (char c : s) {
    const int v = base64_value(c);
    if (v < 0)
      malformed(c > ' ' && c < 127
                    ? "character '" + std::string(1, c) + "' is neither hex nor base64"
                    : std::string("a character outside printable ASCII"));
    bits = (bits << 6) | static_cast<uint32_t>(v);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out[n++] = static_cast<uint8_t>(bits >> bit_count);
      bits &= (1u << bit_count) - 1;
    }
  }
  // A canonical encoding leaves the 4 spare bits zero; anything else is not what we sent.
  if (bits != 0) malformed("the last base64 character has bits beyond the 32 bytes set");
  return out;
}

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool starts_with_prefix(std::string_view s) {
  static constexpr std::string_view kPrefix = "sha256=";
  if (s.size() < kPrefix.size()) return false;
  for (size_t i = 0; i < kPrefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kPrefix[i]) return false;
  }
  return true;
}

}  // namespace

Sha256Digest parse_signature(std::string_view text) {
  std::string_view s = trim(text);
  if (starts_with_prefix(s)) s.remove_prefix(7);
  if (s.empty()) malformed("it is empty");
  if (s.size() == 64 && is_hex(s)) return from_hex(s);
  return from_base64(s);
}

SignatureCheck check_signature(std::string_view payload, std::string_view signature,
                               std::string_view secret) {
  Sha256Digest sent;
  try {
    sent = parse_signature(signature);
  } catch (const Error&) {
    return SignatureCheck::kMalformed;
  }
  return constant_time_equal(sent, hmac_sha256(secret, payload)) ? SignatureCheck::kValid
                                                                 : SignatureCheck::kMismatch;
}

SignatureCheck check_signature(std::string_view payload, std::string_view signature,
                               std::string_view secret, std::string_view previous_secret) {
  Sha256Digest sent;
  try {
    sent = parse_signature(signature);
  } catch (const Error&) {
    return SignatureCheck::kMalformed;
  }
  const bool current = constant_time_equal(sent, hmac_sha256(secret, payload));
  const bool previous = constant_time_equal(sent, hmac_sha256(previous_secret, payload));
  // Bitwise, not ||: no branch skips the second comparison.
  return (static_cast<unsigned>(current) | static_cast<unsigned>(previous)) != 0
             ? SignatureCheck::kValid
             : SignatureCheck::kMismatch;
}

}  // namespace dedupe::ops

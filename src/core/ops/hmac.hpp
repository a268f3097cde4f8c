// Keyed hashing and randomness for webhooks and mail tracking codes, all from OpenSSL's
// libcrypto: HMAC-SHA256, a constant-time comparison and the CSPRNG.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace dedupe::ops {

using Sha256Digest = std::array<uint8_t, 32>;

// HMAC-SHA256 of data under key (any key length, RFC 2104 / RFC 4231).
Sha256Digest hmac_sha256(std::string_view key, std::string_view data);

// Equal contents, compared in time independent of where they differ (CRYPTO_memcmp).
bool constant_time_equal(const Sha256Digest& a, const Sha256Digest& b);

// n bytes from OpenSSL's RAND_bytes; throws Error XX000 if the generator fails.
std::string random_bytes(size_t n);

}  // namespace dedupe::ops

#include "core/ops/hmac.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <climits>

#include "core/error.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::ops {

Sha256Digest hmac_sha256(std::string_view key, std::string_view data) {
  if (key.size() > INT_MAX)
    throw Error(sqlstate::kProgramLimitExceeded, "an HMAC key is limited to 2 GB");
  Sha256Digest out{};
  unsigned int length = 0;
  // HMAC() accepts a NULL key pointer only with length 0; pass a valid pointer always.
  static const unsigned char kEmpty = 0;
  const unsigned char* key_bytes =
      key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
  const unsigned char* data_bytes =
      data.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(data.data());
  if (HMAC(EVP_sha256(), key_bytes, static_cast<int>(key.size()), data_bytes, data.size(),
           out.data(), &length) == nullptr ||
      length != out.size())
    throw Error(sqlstate::kInternalError, "OpenSSL HMAC-SHA256 failed");
  return out;
}

bool constant_time_equal(const Sha256Digest& a, const Sha256Digest& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  if (n > INT_MAX) throw Error(sqlstate::kProgramLimitExceeded, "too many random bytes asked for");
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    throw Error(sqlstate::kInternalError, "OpenSSL's random generator failed");
  return out;
}

}  // namespace dedupe::ops

#include "core/ops/webhook_signature.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"

namespace dedupe::ops {
namespace {

std::string hex(const Sha256Digest& d) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (uint8_t b : d) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

const std::string kJefeHex = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
const std::string kJefeBase64 = "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=";
const std::string kJefeData = "what do ya want for nothing?";

TEST(Hmac, Rfc4231Vectors) {
  // Test case 1: 20 bytes of 0x0b, "Hi There".
  EXPECT_EQ(hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2: a key shorter than the output.
  EXPECT_EQ(hex(hmac_sha256("Jefe", kJefeData)), kJefeHex);
  // Test case 6: a key longer than SHA-256's block is hashed first.
  EXPECT_EQ(hex(hmac_sha256(std::string(131, '\xaa'),
                            "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Hmac, EmptyKeyAndData) {
  // HMAC-SHA256("", "") is well defined; OpenSSL must not be handed a NULL key.
  EXPECT_EQ(hex(hmac_sha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(Hmac, ConstantTimeEqual) {
  const Sha256Digest a = hmac_sha256("k", "x");
  Sha256Digest b = a;
  EXPECT_TRUE(constant_time_equal(a, b));
  b[31] ^= 1;
  EXPECT_FALSE(constant_time_equal(a, b));
}

TEST(Hmac, RandomBytes) {
  EXPECT_EQ(random_bytes(32).size(), 32u);
  EXPECT_NE(random_bytes(32), random_bytes(32));
  EXPECT_EQ(random_bytes(0), "");
}

TEST(WebhookSignature, AcceptsHexBase64AndPrefix) {
  for (const std::string& s :
       {kJefeHex, std::string("sha256=") + kJefeHex, std::string("SHA256=") + kJefeHex,
        std::string("  ") + kJefeHex + "\n", kJefeBase64, kJefeBase64.substr(0, 43),
        std::string("sha256=") + kJefeBase64}) {
    EXPECT_EQ(hex(parse_signature(s)), kJefeHex) << s;
  }
  std::string upper = kJefeHex;
  for (char& c : upper) c = static_cast<char>(toupper(c));
  EXPECT_EQ(hex(parse_signature(upper)), kJefeHex);
}

TEST(WebhookSignature, UrlSafeBase64) {
  // 0xfb 0xff ... encodes with '+' and '/' in the standard alphabet, '-' and '_' URL-safe.
  const Sha256Digest d = parse_signature("-_" + std::string(41, 'A') + "=");
  EXPECT_EQ(d[0], 0xfb);
  EXPECT_EQ(d[1], 0xf0);
  EXPECT_EQ(parse_signature("+/" + std::string(41, 'A')), d);
}

std::string sqlstate_of(const std::string& text) {
  try {
    parse_signature(text);
  } catch (const Error& e) {
    return e.sqlstate();
  }
  return "none";
}

TEST(WebhookSignature, RefusesMalformed) {
  EXPECT_EQ(sqlstate_of(""), "22P02");
  EXPECT_EQ(sqlstate_of("sha256="), "22P02");
  EXPECT_EQ(sqlstate_of(kJefeHex.substr(0, 62)), "22P02");            // too short for either
  EXPECT_EQ(sqlstate_of(kJefeHex + "00"), "22P02");                   // 33 bytes
  EXPECT_EQ(sqlstate_of("g" + kJefeHex.substr(1)), "22P02");          // not hex, not 43 base64
  EXPECT_EQ(sqlstate_of(kJefeBase64.substr(0, 42) + "!="), "22P02");  // bad base64 char
  EXPECT_EQ(sqlstate_of(kJefeBase64 + "="), "22P02");                 // too much padding
  EXPECT_EQ(sqlstate_of("sha1=" + kJefeHex), "22P02");                // another algorithm
  // The 43rd character carries 2 digest bits and 4 zero bits; 'N' sets a spare bit.
  EXPECT_EQ(sqlstate_of(kJefeBase64.substr(0, 42) + "N="), "22P02");
}

TEST(WebhookSignature, CheckSignature) {
  EXPECT_EQ(check_signature(kJefeData, kJefeHex, "Jefe"), SignatureCheck::kValid);
  EXPECT_EQ(check_signature(kJefeData, kJefeBase64, "Jefe"), SignatureCheck::kValid);
  std::string tampered = kJefeData;
  tampered[0] = 'W';
  EXPECT_EQ(check_signature(tampered, kJefeHex, "Jefe"), SignatureCheck::kMismatch);
  EXPECT_EQ(check_signature(kJefeData, kJefeHex, "jefe"), SignatureCheck::kMismatch);
  EXPECT_EQ(check_signature(kJefeData, "not a signature", "Jefe"), SignatureCheck::kMalformed);
}

TEST(WebhookSignature, RotationAcceptsEitherSecret) {
  EXPECT_EQ(check_signature(kJefeData, kJefeHex, "Jefe", "new secret"), SignatureCheck::kValid);
  EXPECT_EQ(check_signature(kJefeData, kJefeHex, "new secret", "Jefe"), SignatureCheck::kValid);
  EXPECT_EQ(check_signature(kJefeData, kJefeHex, "Jefe", "Jefe"), SignatureCheck::kValid);
  EXPECT_EQ(check_signature(kJefeData, kJefeHex, "jefe", "JEFE"), SignatureCheck::kMismatch);
  EXPECT_EQ(check_signature(kJefeData, "zz", "Jefe", "Jefe"), SignatureCheck::kMalformed);
}

}  // namespace
}  // namespace dedupe::ops

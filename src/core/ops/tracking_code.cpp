#include "core/ops/tracking_code.hpp"

#include "core/error.hpp"
#include "core/ops/hmac.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::ops {
namespace {

constexpr int kModulus = static_cast<int>(kTrackingAlphabet.size());  // M = 32

int value_of(char c) {
  const size_t at = kTrackingAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

// ISO 7064 hybrid step: s = (p + c) mod M, with 0 read as M; next p = 2s mod (M + 1).
// Each step is a bijection of the running value, so changing one character always changes
// the final s (every single substitution is caught). M + 1 = 33 is odd, so doubling
// modulo 33 never reaches 0.
int reduce(std::string_view chars, int* last_sum) {
  int p = kModulus;
  int s = kModulus;
  for (char c : chars) {
    s = (p + value_of(c)) % kModulus;
    if (s == 0) s = kModulus;
    p = (2 * s) % (kModulus + 1);
  }
  if (last_sum) *last_sum = s;
  return p;
}

[[noreturn]] void invalid(const std::string& message, const std::string& hint) {
  throw Error(sqlstate::kInvalidTextRepresentation, message, {}, hint);
}

// The input as quoted in an error message: at most 40 bytes, cut before a UTF-8 continuation
// byte, so a long or non-ASCII input never yields a message with a broken character.
std::string excerpt(std::string_view text) {
  if (text.size() <= 40) return "\"" + std::string(text) + "\"";
  size_t n = 40;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return "\"" + std::string(text.substr(0, n)) + "...\"";
}

// A character named in an error message: itself if printable ASCII, else described.
std::string describe(char c) {
  if (c > ' ' && c < 127) return "character '" + std::string(1, c) + "'";
  return "a character outside printable ASCII";
}

// Readers' likely substitutions: lower case, O for zero, I and L for one.
char canonical_char(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'O') return '0';
  if (c == 'I' || c == 'L') return '1';
  return c;
}

}  // namespace

char tracking_check_character(std::string_view payload) {
  // The check character c makes the final sum 1: (p + c) mod M == 1.
  const int p = reduce(payload, nullptr);
  return kTrackingAlphabet[static_cast<size_t>(((1 - p) % kModulus + kModulus) % kModulus)];
}

bool tracking_check_holds(std::string_view compact_code) {
  if (compact_code.empty()) return false;
  for (char c : compact_code)
    if (value_of(c) < 0) return false;
  int last_sum = 0;
  reduce(compact_code, &last_sum);
  return last_sum == 1;
}

std::string format_tracking_code(std::string_view compact_code) {
  std::string out;
  for (size_t i = 0; i < compact_code.size(); ++i) {
    if (i == 4 || i == 8) out += '-';
    out += compact_code[i];
  }
  return out;
}

std::string derive_tracking_code(std::string_view key, int64_t golden_id, std::string_view campaign,
                                 int attempt) {
  if (key.size() < 16)
    throw Error(sqlstate::kInvalidParameterValue, "a tracking-code key needs at least 16 bytes");
  // Decimal numbers cannot contain the separator, so the message is unambiguous.
  const std::string message =
      std::to_string(golden_id) + '\n' + std::to_string(attempt) + '\n' + std::string(campaign);
  const Sha256Digest mac = hmac_sha256(key, message);
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits = bits << 8 | mac[static_cast<size_t>(i)];
  std::string compact;
  for (size_t i = 0; i < kTrackingPayloadLength; ++i)  // the top 50 bits, 5 at a time
    compact += kTrackingAlphabet[static_cast<size_t>(bits >> (59 - 5 * i) & 31)];
  compact += tracking_check_character(compact);
  return format_tracking_code(compact);
}

std::string parse_tracking_code(std::string_view text) {
  std::string compact;
  for (char c : text) {
    if (c == '-' || c == ' ' || c == '\t') continue;
    const char canonical = canonical_char(c);
    if (value_of(canonical) < 0)
      invalid("invalid tracking code " + excerpt(text) + ": " + describe(c) +
                  " is not used in tracking codes",
              "Tracking codes use digits and the letters A-Z without I, L, O and U.");
    if (compact.size() == kTrackingCodeLength)
      invalid("invalid tracking code " + excerpt(text) + ": too long",
              "A tracking code has 11 characters, printed as XXXX-XXXX-XXX.");
    compact += canonical;
  }
  if (compact.size() != kTrackingCodeLength)
    invalid("invalid tracking code " + excerpt(text) + ": " + std::to_string(compact.size()) +
                " characters instead of 11",
            "A tracking code has 11 characters, printed as XXXX-XXXX-XXX.");
  if (!tracking_check_holds(compact))
    invalid("invalid tracking code " + excerpt(text) +
                ": the check character does not match, a character was misread or mistyped",
            "Compare the code with the printed mail piece character by character.");
  return format_tracking_code(compact);
}

}  // namespace dedupe::ops

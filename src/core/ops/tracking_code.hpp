// Mail tracking codes: short, printable, hard to guess and robust against misreading.
//
//   6DSE-DS4D-EW6   10 payload characters + 1 check character, grouped 4-4-3
//
// The alphabet is Crockford's base32 (digits and upper-case letters without I, L, O, U),
// so 0/O and 1/I/L cannot be confused; a reader may type O for 0 and I or L for 1, any
// case, with or without hyphens and spaces. The payload is the first 50 bits of
// HMAC-SHA256(key, golden id, campaign, attempt): without the key, codes cannot be
// enumerated or predicted. The check character follows ISO/IEC 7064's hybrid system
// MOD (M+1, M) with M = 32 (the construction of MOD 37,36 on a 32-letter alphabet): it
// catches every single-character substitution and most adjacent transpositions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dedupe::ops {

inline constexpr std::string_view kTrackingAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
inline constexpr size_t kTrackingPayloadLength = 10;
inline constexpr size_t kTrackingCodeLength = kTrackingPayloadLength + 1;

// The check character for payload characters drawn from kTrackingAlphabet.
char tracking_check_character(std::string_view payload);

// True when the code's last character is the check character of the rest.
bool tracking_check_holds(std::string_view compact_code);

// The printed form (groups of 4-4-3) of a compact 11-character code.
std::string format_tracking_code(std::string_view compact_code);

// The code for one golden record in one campaign. attempt > 0 derives an alternative in
// the (astronomically unlikely) case the first collides with another piece's code.
std::string derive_tracking_code(std::string_view key, int64_t golden_id, std::string_view campaign,
                                 int attempt);

// What a person typed or a scanner read, as the printed form. Throws Error 22P02 for a
// character outside the alphabet, a wrong length, or a failed check character.
std::string parse_tracking_code(std::string_view text);

}  // namespace dedupe::ops

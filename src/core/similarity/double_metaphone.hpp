// Double Metaphone (Lawrence Philips, 2000): a primary and an alternate phonetic code for a
// name, so 'Smith' and 'Schmidt' share a code. Computed on fold(input), so Cyrillic, Greek
// and accented names get codes too.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dedupe {

struct PhoneticCodes {
  std::string primary;
  std::string alternate;  // equals primary when the name has no second pronunciation
};

// fuzzystrmatch's dmetaphone() truncates to 4 characters; that is the default here too.
inline constexpr size_t kDefaultMetaphoneLength = 4;

// The whole string is coded as one word: characters that are not letters after folding
// (spaces, hyphens, digits) are skipped, as fuzzystrmatch does. max_length 0 = unlimited.
PhoneticCodes double_metaphone(std::string_view utf8, size_t max_length = kDefaultMetaphoneLength);

}  // namespace dedupe

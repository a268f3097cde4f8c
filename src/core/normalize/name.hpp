// normalize_name(): the comparison-ready form of a person's name. Builds on fold() (NFKC,
// any script to Latin ASCII, case fold), then drops punctuation and the honorifics and
// generational / professional suffixes that vary between records of one person.
#pragma once

#include <string>
#include <string_view>

namespace dedupe {

// 'Dr. José Álvarez-Núñez Jr.' -> 'jose alvarez nunez'. Input is UTF-8 (invalid bytes
// become U+FFFD and are dropped as punctuation). Never throws for any input.
std::string normalize_name(std::string_view utf8);

}  // namespace dedupe

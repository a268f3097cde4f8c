// fold(): the comparison-ready form of a string, shared by normalizers, similarity
// functions and indexes. Every script is transliterated to Latin, reduced to ASCII where
// ICU knows how, case-folded, and whitespace runs collapse to one space.
#pragma once

#include <string>
#include <string_view>

namespace dedupe {

// Input is UTF-8; invalid sequences become U+FFFD and survive as such.
std::string fold(std::string_view utf8);

// The ICU version the folding rules come from (indexes on folded values depend on it).
std::string icu_version();

}  // namespace dedupe

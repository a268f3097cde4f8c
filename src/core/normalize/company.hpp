// normalize_company(): the comparison-ready form of a company name: transliterated and
// case-folded like names, legal forms (Inc, LLC, GmbH, S.A., ...) and a leading 'The'
// dropped, '&' spelled 'and', punctuation removed.
#pragma once

#include <string>
#include <string_view>

namespace dedupe {

// 'ACME, Inc.' and 'Acme Incorporated' -> 'acme'. Never throws for any input.
std::string normalize_company(std::string_view utf8);

}  // namespace dedupe

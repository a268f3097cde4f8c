// Domain normalization: the host a company is known by, from a URL, an email or a bare
// domain ('https://www.Example.co.uk/about' -> 'example.co.uk').
#pragma once

#include <string>
#include <string_view>

namespace dedupe {

// Lower-cased, 'www.' dropped, IDN to punycode. Throws Error(22P02) when no host is found.
std::string normalize_domain(std::string_view raw);

// IDN host label(s) to punycode via ICU UTS #46 (STD3 rules), refusing code points IDNA2008
// disallows (symbols such as U+00A9); throws Error(22P02) on invalid hosts.
// Shared by normalize_email and normalize_domain.
std::string host_to_ascii(std::string_view host);

}  // namespace dedupe

// Email normalization: the canonical form two addresses of one mailbox share, so matching
// can compare them with '='. Syntax is RFC 5321 / 5322's addr-spec with RFC 6531's UTF-8;
// provider rules (Gmail dots, +tags, alias domains) come from the table in email_providers.hpp.
#pragma once

#include <string>
#include <string_view>

namespace dedupe {

// Trimmed, lower-cased, IDN domain in punycode, provider aliases folded
// (' John.Doe+news@GoogleMail.com ' -> 'johndoe@gmail.com'); a quoted local part unquoted
// when it can be ('"jane"@x.com' -> 'jane@x.com'), else with only '"' and '\' escaped.
// The result normalizes to itself.
// Throws Error(22P02) naming the problem when the input is not an address.
std::string normalize_email(std::string_view raw);

// Never throws.
bool is_valid_email(std::string_view raw) noexcept;

// The normalized domain part (punycode); throws Error(22P02) like normalize_email.
std::string email_domain(std::string_view raw);

// Consumer mailbox providers (gmail.com, yahoo.com, ...); throws like normalize_email.
bool is_freemail(std::string_view raw);

// Shared team mailboxes (info@, sales@, noreply@, ...); throws like normalize_email.
bool is_role_email(std::string_view raw);

}  // namespace dedupe

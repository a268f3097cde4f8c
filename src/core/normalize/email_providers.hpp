// What mailbox providers do with the local part: the facts normalize_email relies on.
#pragma once

#include <string_view>

namespace dedupe::email_providers {

struct Rules {
  bool ignores_dots = false;          // Gmail: j.o.h.n == john
  char subaddress_separator = 0;      // '+' (most), '-' (Yahoo), 0 for none
  std::string_view canonical_domain;  // googlemail.com -> gmail.com; empty keeps the domain
};

// The rules for an ASCII, lower-case domain (punycode for IDNs).
Rules rules_for(std::string_view domain);

bool is_freemail_domain(std::string_view domain);

// Local parts that name a team mailbox rather than a person (before any +tag).
bool is_role_local_part(std::string_view local);

}  // namespace dedupe::email_providers

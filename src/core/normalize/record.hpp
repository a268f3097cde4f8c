// normalize_record(): one watched row's identity fields, normalized and validated together.
// The write path's trigger calls it per row; batch matching reads the same normalized form.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/key/match_key.hpp"

namespace dedupe {

// The roles beyond the identity fields that a watched table may map (date of birth, address
// parts, identifier): batch's roles, by name, each with its value.
using MoreRoles = std::vector<std::pair<std::string, std::string>>;

struct RawRecord {
  std::string source;  // namespaces the external id: hubspot + 123 -> 'hubspot:123'
  std::string region;  // default phone region when the row has no usable country
  std::optional<std::string> external_id, email, phone, first_name, last_name, full_name, company,
      domain, country;
  MoreRoles more;  // raw values; NULL columns are left out
};

struct NormalizedRecord {
  bool valid = true;
  std::string reason;  // why the row is invalid; empty when valid
  std::optional<std::string> external_id, email, phone, first_name, last_name, full_name, company,
      domain, country;
  MoreRoles more;  // normalized as batch normalizes each role; empty values are left out
  bool has_identity() const { return external_id || email || phone; }
};

// Never throws for bad field values: problems make the record invalid, with a reason that
// names the field and the value's problem. Blank fields count as absent.
NormalizedRecord normalize_record(const RawRecord& raw);

// The roles a watched table may map beyond the identity fields, in role order.
const std::vector<std::string>& more_role_names();

// MoreRoles as text for SQL and back: name=value pairs separated by the ASCII unit separator
// (which no normalized value holds).
std::string encode_more_roles(const MoreRoles& roles);
MoreRoles decode_more_roles(const std::string& text);

// The record's identity as a match_key (requires has_identity()).
MatchKey record_key(const NormalizedRecord& rec);

// The write path's name block of a record (dedupe.records.name_block): the primary Double
// Metaphone code of its last name, ':', and the first character of its canonical first name
// ("smith", "bob" -> "SM0:r"). None unless it has both names.
std::optional<std::string> name_block(const NormalizedRecord& rec);

}  // namespace dedupe

// The roles a column can play in batch matching. A mapping says which column of a table or
// query holds each role; every comparison, blocking rule and model parameter is per role.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dedupe::match {

// The order is the order of comparisons in a model and of fields in a record.
enum class Role : unsigned char {
  kExternalId,
  kEmail,
  kPhone,
  kFirstName,
  kLastName,
  kFullName,
  kDateOfBirth,
  kCompany,
  kDomain,
  kHouseNumber,
  kStreet,
  kLocality,
  kCity,
  kPostcode,
  kState,
  kCountry,
  kIdentifier,
};
inline constexpr size_t kRoleCount = static_cast<size_t>(Role::kIdentifier) + 1;

inline size_t role_index(Role role) { return static_cast<size_t>(role); }
inline Role role_at(size_t index) { return static_cast<Role>(index); }

// House number, street, locality, city, postcode, state, country: parts of one address,
// which depend on each other (a postcode implies its city).
bool is_address(Role role);

// Roles that restate each other, so that their agreements together count for less than their
// sum (a model's dependence corrections): the parts of an address, and an employer's name
// with its mail domain.
bool may_restate(Role role);

// 'first_name', 'date_of_birth', ...
const char* role_name(Role role);
std::optional<Role> parse_role(std::string_view name);
// Every role name, comma-separated (for error hints).
std::string role_names();

}  // namespace dedupe::match

#include "core/match/roles.hpp"

#include "core/no_postgres.hpp"

namespace dedupe::match {
namespace {

constexpr const char* kNames[kRoleCount] = {
    "external_id",   "email",    "phone",  "first_name",   "last_name", "full_name",
    "date_of_birth", "company",  "domain", "house_number", "street",    "locality",
    "city",          "postcode", "state",  "country",      "identifier"};

}  // namespace

bool may_restate(Role role) {
  return is_address(role) || role == Role::kCompany || role == Role::kDomain;
}

bool is_address(Role role) {
  switch (role) {
    case Role::kHouseNumber:
    case Role::kStreet:
    case Role::kLocality:
    case Role::kCity:
    case Role::kPostcode:
    case Role::kState:
    case Role::kCountry:
      return true;
    default:
      return false;
  }
}

const char* role_name(Role role) { return kNames[role_index(role)]; }

std::optional<Role> parse_role(std::string_view name) {
  for (size_t i = 0; i < kRoleCount; ++i)
    if (name == kNames[i]) return role_at(i);
  return std::nullopt;
}

std::string role_names() {
  std::string out;
  for (size_t i = 0; i < kRoleCount; ++i) {
    if (i) out += ", ";
    out += kNames[i];
  }
  return out;
}

}  // namespace dedupe::match

#include "core/match/write_path_evidence.hpp"

#include <string>

#include "core/golden/match_rules.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::match {
namespace {

constexpr Role kIdentityRoles[] = {Role::kExternalId, Role::kEmail, Role::kPhone};

std::optional<std::string> text_of(const RecordSet& set, Role role, uint32_t record) {
  if (!set.has(role)) return std::nullopt;
  const uint32_t id = set.id(role, record);
  if (id == kNull) return std::nullopt;
  return set.value(role, id).text;
}

// The record as the write path's rules see it: the same normalizers produced these values
// (normalize_for_role uses the write path's email, phone and name normalizers).
golden::Person person(const RecordSet& set, uint32_t record) {
  golden::Person p{text_of(set, Role::kExternalId, record), text_of(set, Role::kEmail, record),
                   text_of(set, Role::kPhone, record),      text_of(set, Role::kFirstName, record),
                   text_of(set, Role::kLastName, record),   text_of(set, Role::kCompany, record),
                   text_of(set, Role::kDomain, record)};
  if (auto dob = text_of(set, Role::kDateOfBirth, record))
    p.more.emplace_back(Role::kDateOfBirth, std::move(*dob));
  return p;
}

// The write path's rule names, as static strings a batch pair can point at.
const char* link_rule(const std::string& rule) {
  for (const char* name : {"same_external_id", "same_email", "same_phone_names_agree"})
    if (rule == name) return name;
  return nullptr;
}

}  // namespace

uint32_t shared_identity(const RecordSet& set, uint32_t a, uint32_t b) {
  uint32_t shared = 0;
  for (Role role : kIdentityRoles) {
    if (!set.has(role)) continue;
    const uint32_t ia = set.id(role, a);
    if (ia != kNull && ia == set.id(role, b)) shared |= role_bit(role);
  }
  return shared;
}

WritePathEvidence write_path_evidence(const RecordSet& set, uint32_t a, uint32_t b,
                                      uint32_t shared) {
  if (shared == 0) return {};
  const golden::Person pa = person(set, a), pb = person(set, b);
  // The rules against a one-member golden record are exactly the write path's rules for a
  // new row meeting this one.
  const golden::Decision d = golden::decide_by_rules(pa, {golden::Candidate{1, pb, false}});
  if (d.action == golden::Action::kLink)
    if (const char* rule = link_rule(d.rule)) return {EvidenceKind::kLink, rule, 0};
  // A shared mailbox whose names contradict, a shared phone whose names do not agree (a
  // family, a switchboard), either shared by two dates of birth (a household): left out of
  // the score, the other roles decide.
  const golden::Names names = golden::compare_names(pa, pb);
  const bool two_births = golden::dates_of_birth_differ(pa, pb);
  const bool email_ignored =
      (shared & role_bit(Role::kEmail)) && (two_births || names == golden::Names::kContradict);
  const bool phone_ignored =
      (shared & role_bit(Role::kPhone)) && (two_births || !golden::phone_is_evidence(pa, pb));
  if (email_ignored || phone_ignored)
    return {EvidenceKind::kIgnoreKeys,
            two_births                            ? "shared_by_two_dates_of_birth"
            : email_ignored                       ? "same_email_names_contradict"
            : names == golden::Names::kContradict ? "same_phone_names_contradict"
                                                  : "same_phone_names_disagree",
            (email_ignored ? role_bit(Role::kEmail) : 0u) |
                (phone_ignored ? role_bit(Role::kPhone) : 0u)};
  return {};
}

}  // namespace dedupe::match

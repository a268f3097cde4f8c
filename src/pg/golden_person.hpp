// A golden::Person read from seven consecutive text arguments: external_id, email, phone,
// first_name, last_name, company, domain (NULL = absent).
#pragma once

#include "core/golden/match_rules.hpp"
#include "pg/guard.hpp"

namespace dedupe::pg {

golden::Person person_args(FunctionCallInfo fcinfo, int first);
// ... and its further roles from the text argument `roles` (dedupe._roles_text).
golden::Person person_args(FunctionCallInfo fcinfo, int first, int roles);

}  // namespace dedupe::pg

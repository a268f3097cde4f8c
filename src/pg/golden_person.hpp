// A golden::Person read from seven consecutive text arguments: external_id, email, phone,
// first_name, last_name, company, domain (NULL = absent).
#pragma once

#include "core/golden/match_rules.hpp"
#include "pg/guard.hpp"

namespace dedupe::pg {

golden::Person person_args(FunctionCallInfo fcinfo, int first);
// ... and its further roles from the text argument `roles` (dedupe._roles_text).
golden::Person person_args(FunctionCallInfo fcinfo, int first, int roles);

// The same from row `row` of the last SPI result: seven text columns from first_column on, the
// further roles (dedupe._roles_text) in roles_column.
golden::Person person_at_row(uint64 row, int first_column, int roles_column);

}  // namespace dedupe::pg
